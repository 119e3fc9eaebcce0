using System.Collections.Immutable;

namespace ContactCenter.Calls;

/// <summary>How a call finished, for reporting.</summary>
public enum CallDisposition
{
    /// <summary>An agent answered.</summary>
    Answered,
    /// <summary>The caller hung up while waiting in a queue or ringing.</summary>
    Abandoned,
    /// <summary>Queued but ended by the system or the far side before an agent answered (e.g. maximum wait).</summary>
    Unanswered,
    /// <summary>Finished in the voice menus without asking for an agent.</summary>
    SelfService,
    /// <summary>Ended before it reached a menu or a queue.</summary>
    Unrouted,
}

/// <summary>The call detail record written exactly once when a call ends.</summary>
public sealed record CallDetailRecord(
    string CallId,
    string GatewayId,
    string Caller,
    string Dialled,
    string Region,
    string? Queue,
    string? Agent,
    DateTimeOffset OfferedAt,
    DateTimeOffset? QueuedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset EndedAt,
    TimeSpan WaitTime,
    TimeSpan TalkTime,
    TimeSpan HoldTime,
    CallDisposition Disposition,
    bool Abandoned,
    string EndCause,
    HangupSide HungUpBy,
    int TransferCount,
    ImmutableArray<string> Recordings)
{
    /// <summary>Builds the record from the final state of an ended call.</summary>
    public static CallDetailRecord From(CallSnapshot call)
    {
        if (call is not { Phase: CallPhase.Ended, EndedAt: { } endedAt, EndCause: { } cause, HungUpBy: { } side })
        {
            throw new ArgumentException($"call {call.CallId} has not ended", nameof(call));
        }

        var disposition = Classify(call, side);
        var waitEnd = call.AnsweredAt ?? endedAt;
        var wait = call.FirstQueuedAt is { } queuedAt ? NonNegative(waitEnd - queuedAt) : TimeSpan.Zero;
        var talk = call.AnsweredAt is { } answeredAt ? NonNegative(endedAt - answeredAt - call.HoldTime) : TimeSpan.Zero;

        return new CallDetailRecord(
            call.CallId, call.GatewayId, call.Caller, call.Dialled, call.Region, call.Queue, call.Agent,
            call.OfferedAt, call.FirstQueuedAt, call.AnsweredAt, endedAt,
            wait, talk, call.HoldTime, disposition, disposition == CallDisposition.Abandoned,
            cause, side, call.TransferCount, call.Recordings);
    }

    private static CallDisposition Classify(CallSnapshot call, HangupSide side) => call switch
    {
        { AnsweredAt: not null } => CallDisposition.Answered,
        { FirstQueuedAt: not null } when side == HangupSide.Caller => CallDisposition.Abandoned,
        { FirstQueuedAt: not null } => CallDisposition.Unanswered,
        { IvrPath: not null } or { IvrMenu: not null } => CallDisposition.SelfService,
        _ => CallDisposition.Unrouted,
    };

    private static TimeSpan NonNegative(TimeSpan span) => span < TimeSpan.Zero ? TimeSpan.Zero : span;
}
