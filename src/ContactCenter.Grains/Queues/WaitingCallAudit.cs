using ContactCenter.Calls;

namespace ContactCenter.Queues;

/// <summary>
/// A queue's check of the calls it holds against the calls themselves. A call grain tells its queue when the call
/// is answered, ends or moves, and retries until the queue hears it; what no retry covers is the call's silo lost
/// after the event was acknowledged and before the news left (nothing asks that call grain to run again). The
/// queue therefore asks, now and then, the calls that have waited a while: the call's journal is the fact.
/// </summary>
internal static class WaitingCallAudit
{
    /// <summary>How often a queue checks; also how long a call waits before it is checked (most never are).</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(20);

    /// <summary>The most calls one check reads, oldest first: a stuck call only grows older, so it is reached.</summary>
    public const int MaxCallsPerCheck = 100;

    /// <summary>The calls worth asking about now: waiting a full period, not being handed to another queue.</summary>
    public static IEnumerable<WaitingCall> CallsToCheck(QueueState queue, DateTimeOffset now) => queue.Waiting.Values
        .Where(w => w.OverflowingTo is null && now - w.EnqueuedAt >= Period)
        .OrderBy(w => w.EnqueuedAt)
        .Take(MaxCallsPerCheck);

    /// <summary>
    /// How the call left this queue, by its own account; null while it still waits here. The rule is the call's
    /// effects' (<see cref="QueueExits"/>), read from the call's state instead of the event that took it out, so
    /// the queue's figures agree whichever told it.
    /// </summary>
    public static MissedExit? ExitOf(CallSnapshot? call, WaitingCall waiting, string queueId)
    {
        if (call is null)
        {
            // No journal holds the call: not a call that went on, but one this check cannot judge (its events
            // were never committed here). The maximum wait still ends its stay.
            return null;
        }

        // A call that came here by overflow still names the queue it was first put in: that is not a move.
        var waitsHere = call.Queue == queueId || waiting.Call.OverflowedFrom is not null;
        if (call.Phase is CallPhase.Queued or CallPhase.Ringing && waitsHere)
        {
            return null;
        }

        var answeredBy = call.AnsweredAt is not null ? call.Agent : null;
        var exit = QueueExits.Classify(answeredBy, call.IsEnded ? call.HungUpBy : null);
        var at = exit == QueueExit.Answered ? call.AnsweredAt!.Value : call.EndedAt ?? call.LastEventAt;
        return new MissedExit(exit, at, answeredBy);
    }
}

/// <summary>A call's exit from a queue that the queue never heard of.</summary>
internal sealed record MissedExit(QueueExit Exit, DateTimeOffset At, string? AnsweredBy);
