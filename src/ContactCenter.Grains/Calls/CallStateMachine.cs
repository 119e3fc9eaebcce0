namespace ContactCenter.Calls;

/// <summary>
/// The call state machine: which event may follow which, and what each does to the call. Pure, so it can be
/// tested alone and used both for live events and for replaying the journal.
/// </summary>
public static class CallStateMachine
{
    private static readonly CallPhase[] Connected = [CallPhase.Talking, CallPhase.OnHold];

    /// <summary>Applies <paramref name="e"/> to <paramref name="call"/> (null before the call's first event).</summary>
    public static Transition Apply(CallSnapshot? call, string gatewayId, CallEvent e)
    {
        if (call is null)
        {
            return e is CallOffered offered
                ? Transition.To(Start(offered, gatewayId))
                : Transition.Invalid($"'{e.Kind}' for a call that was never offered: a call starts with 'offered'");
        }

        if (e is CallOffered)
        {
            return Transition.Invalid("the call was already offered");
        }

        if (call.IsEnded)
        {
            return Transition.Invalid($"'{e.Kind}' after the call ended");
        }

        if (e is EventRefused)
        {
            // Only the place is taken: the call is as it was.
            return Transition.To(call with { LastSequence = e.Sequence });
        }

        var next = ApplyToLiveCall(call, e);
        if (!next.IsValid)
        {
            return next;
        }

        // A queue's refusal holds while the call stays where it was refused; a new queueing is a new try.
        var refusal = e is CallQueued || next.Next!.Phase != call.Phase ? null : call.Refusal;
        return Transition.To(next.Next! with { LastSequence = e.Sequence, LastEventAt = Later(call.LastEventAt, e.OccurredAt), Refusal = refusal });
    }

    private static CallSnapshot Start(CallOffered e, string gatewayId) => new()
    {
        CallId = e.CallId,
        GatewayId = gatewayId,
        Phase = CallPhase.Pending,
        LastSequence = e.Sequence,
        Caller = e.Caller,
        Dialled = e.Dialled,
        Region = e.Region,
        OfferedAt = e.OccurredAt,
        LastEventAt = e.OccurredAt,
    };

    private static Transition ApplyToLiveCall(CallSnapshot call, CallEvent e) => e switch
    {
        IvrEntered ivr => RequirePhase(call, e, CallPhase.Pending, CallPhase.InIvr, CallPhase.Talking)
            ?? Transition.To(call with { Phase = CallPhase.InIvr, IvrMenu = ivr.Menu, Agent = null }),

        IvrExited exit => RequirePhase(call, e, CallPhase.InIvr)
            ?? Transition.To(call with { Phase = CallPhase.Pending, IvrMenu = null, IvrPath = exit.MenuPath }),

        CallQueued queued => RequirePhase(call, e, CallPhase.Pending, CallPhase.InIvr, CallPhase.Queued, CallPhase.Ringing)
            ?? Transition.To(EnterQueue(call, queued.Queue, e.OccurredAt)),

        // From Ringing too: an offer that timed out is cancelled and the queue offers the call to the next agent,
        // whose phone the gateway then rings.
        AgentRinging ringing => RequirePhase(call, e, CallPhase.Pending, CallPhase.Queued, CallPhase.Ringing)
            ?? Transition.To(call with { Phase = CallPhase.Ringing, Agent = ringing.Agent }),

        // The ringing agent's phone gave up: the call waits again. A failure of an agent's ring the queue has moved
        // on from (another agent rings now) changes nothing, and is kept as history.
        AgentRingFailed failed => RequirePhase(call, e, CallPhase.Queued, CallPhase.Ringing)
            ?? Transition.To(call is { Phase: CallPhase.Ringing } && call.Agent == failed.Agent ? call with { Phase = CallPhase.Queued, Agent = null } : call),

        CallAnswered answered => AnswerBy(call, answered),

        CallHeld => RequirePhase(call, e, CallPhase.Talking)
            ?? Transition.To(call with { Phase = CallPhase.OnHold, HeldSince = e.OccurredAt, HoldCount = call.HoldCount + 1 }),

        CallResumed => RequirePhase(call, e, CallPhase.OnHold)
            ?? Transition.To(EndHold(call, e.OccurredAt) with { Phase = CallPhase.Talking }),

        CallTransferred transfer => Transfer(call, transfer),

        ParticipantJoined joined => Join(call, joined),

        ParticipantLeft left => call.Participants.Any(p => p.Id == left.Participant)
            ? Transition.To(call with { Participants = call.Participants.RemoveAll(p => p.Id == left.Participant) })
            : Transition.Invalid($"participant '{left.Participant}' is not on the call"),

        RecordingStarted started => call.Recording == RecordingStatus.Off
            ? Transition.To(call with { Recording = RecordingStatus.Recording, ActiveRecording = started.MediaRef })
            : Transition.Invalid($"recording '{call.ActiveRecording}' is already {Describe(call.Recording)}"),

        RecordingPaused => call.Recording == RecordingStatus.Recording
            ? Transition.To(call with { Recording = RecordingStatus.Paused })
            : Transition.Invalid($"cannot pause a recording that is {Describe(call.Recording)}"),

        RecordingResumed => call.Recording == RecordingStatus.Paused
            ? Transition.To(call with { Recording = RecordingStatus.Recording })
            : Transition.Invalid($"cannot resume a recording that is {Describe(call.Recording)}"),

        RecordingStopped stopped => StopRecording(call, stopped),

        CallEnded ended => Transition.To(EndHold(StopRecordingAtEnd(call), e.OccurredAt) with
        {
            Phase = CallPhase.Ended,
            EndedAt = e.OccurredAt,
            EndCause = ended.Cause,
            HungUpBy = ended.HungUpBy,
            Participants = [],
        }),

        _ => Transition.Invalid($"unknown event kind '{e.GetType().Name}'"),
    };

    private static Transition? RequirePhase(CallSnapshot call, CallEvent e, params CallPhase[] allowed) =>
        allowed.Contains(call.Phase)
            ? null
            : Transition.Invalid($"'{e.Kind}' is not allowed while the call is {call.Phase} (allowed: {string.Join(", ", allowed)})");

    private static CallSnapshot EnterQueue(CallSnapshot call, string queue, DateTimeOffset at) => call with
    {
        Phase = CallPhase.Queued,
        Queue = queue,
        Agent = null,
        IvrMenu = null,
        FirstQueuedAt = call.FirstQueuedAt ?? at,
    };

    // The gateway's report is the fact, even when another agent than the last one rung picked up (a cancelled
    // ring answered in the same instant): refusing it would leave a caller talking to an agent while the
    // cluster thinks the call still rings. The call's queue releases the other offer.
    private static Transition AnswerBy(CallSnapshot call, CallAnswered e) =>
        RequirePhase(call, e, CallPhase.Pending, CallPhase.Queued, CallPhase.Ringing)
            ?? Transition.To(call with { Phase = CallPhase.Talking, Agent = e.Agent, AnsweredAt = call.AnsweredAt ?? e.OccurredAt });

    private static Transition Transfer(CallSnapshot call, CallTransferred e)
    {
        if (RequirePhase(call, e, Connected) is { } invalid)
        {
            return invalid;
        }

        var afterHold = EndHold(call, e.OccurredAt) with { TransferCount = call.TransferCount + 1 };
        return e switch
        {
            { ToQueue: { } queue, ToAgent: null } => Transition.To(EnterQueue(afterHold, queue, e.OccurredAt)),
            { ToAgent: { } agent, ToQueue: null } => Transition.To(afterHold with { Phase = CallPhase.Ringing, Agent = agent }),
            _ => Transition.Invalid("a transfer names exactly one of 'toQueue' and 'toAgent'"),
        };
    }

    private static Transition Join(CallSnapshot call, ParticipantJoined e)
    {
        if (RequirePhase(call, e, Connected) is { } invalid)
        {
            return invalid;
        }

        return call.Participants.Any(p => p.Id == e.Participant)
            ? Transition.Invalid($"participant '{e.Participant}' is already on the call")
            : Transition.To(call with { Participants = call.Participants.Add(new(e.Participant, e.Role, e.OccurredAt)) });
    }

    private static Transition StopRecording(CallSnapshot call, RecordingStopped e)
    {
        if (call.Recording == RecordingStatus.Off)
        {
            return Transition.Invalid("no recording is running");
        }

        return call.ActiveRecording == e.MediaRef
            ? Transition.To(StopRecordingAtEnd(call))
            : Transition.Invalid($"stopping recording '{e.MediaRef}' but the running one is '{call.ActiveRecording}'");
    }

    /// <summary>A recording still running when the call ends is complete: the media server closes it with the call.</summary>
    private static CallSnapshot StopRecordingAtEnd(CallSnapshot call) => call.ActiveRecording is { } media
        ? call with { Recording = RecordingStatus.Off, ActiveRecording = null, Recordings = call.Recordings.Add(media) }
        : call;

    private static CallSnapshot EndHold(CallSnapshot call, DateTimeOffset at) => call.HeldSince is { } since
        ? call with { HeldSince = null, HoldTime = call.HoldTime + NonNegative(at - since) }
        : call;

    private static string Describe(RecordingStatus status) => status switch
    {
        RecordingStatus.Off => "off",
        RecordingStatus.Recording => "running",
        _ => "paused",
    };

    // Gateways' clocks drift and their events can carry slightly older stamps than the previous one:
    // durations never go negative, and the call's clock never runs backwards.
    private static TimeSpan NonNegative(TimeSpan span) => span < TimeSpan.Zero ? TimeSpan.Zero : span;

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
