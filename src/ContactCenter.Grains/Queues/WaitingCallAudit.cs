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
    /// How the call left this queue, by its own account; null while it still waits here. The exits are the ones
    /// the call's effects would have reported (see <see cref="CallEffects"/>), so the queue's figures agree.
    /// </summary>
    public static MissedExit? ExitOf(CallSnapshot? call, WaitingCall waiting, string queueId, DateTimeOffset now)
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

        if (call.AnsweredAt is { } answeredAt && call.Agent is { } agent)
        {
            return new MissedExit(QueueExit.Answered, answeredAt, agent);
        }

        if (call.IsEnded)
        {
            var exit = call.HungUpBy == HangupSide.Caller ? QueueExit.Abandoned : QueueExit.Transferred;
            return new MissedExit(exit, call.EndedAt ?? call.LastEventAt, null);
        }

        // Waiting in another queue, or back in the IVR: moved on without this queue hearing of it.
        return new MissedExit(QueueExit.Transferred, call.LastEventAt, null);
    }
}

/// <summary>A call's exit from a queue that the queue never heard of.</summary>
internal sealed record MissedExit(QueueExit Exit, DateTimeOffset At, string? AnsweredBy);
