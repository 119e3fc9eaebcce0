namespace ContactCenter.Queues;

/// <summary>How a supervisor's move of a waiting call ended.</summary>
public enum MoveStatus
{
    Moved,
    /// <summary>The call is not waiting in the source queue.</summary>
    NotWaiting,
    /// <summary>The source is handing the call to a queue already (overflow, or another move).</summary>
    BeingHandedOver,
    /// <summary>The target cannot take the call (<see cref="MoveResult.TargetOutcome"/> says why); it stays where it was.</summary>
    TargetRefused,
    /// <summary>The call left the source (answered, hung up) while it was being moved.</summary>
    LeftMeanwhile,
}

/// <param name="WithdrawnFrom">The agent whose phone was ringing with the call when it was moved, now freed.</param>
public sealed record MoveResult(MoveStatus Status, string? WithdrawnFrom = null, EnqueueOutcome? TargetOutcome = null);

/// <summary>
/// Moves a waiting call from one queue to another for a supervisor, keeping its original wait and priority. The
/// caller (an API request, not a grain) drives the three steps, so neither queue ever waits on the other: two
/// queues moving calls into each other at the same moment cannot deadlock, as overflow's one-way messages cannot.
/// </summary>
public static class SupervisorMoves
{
    public static async Task<MoveResult> MoveAsync(IGrainFactory grains, string fromQueue, string callId, string toQueue, string supervisor)
    {
        var source = grains.GetGrain<IQueueGrain>(fromQueue);
        var start = await source.BeginMoveAsync(callId, toQueue, supervisor);
        if (start.Refusal is { } refusal)
        {
            return new MoveResult(refusal == WaitingCallRefusal.NotWaiting ? MoveStatus.NotWaiting : MoveStatus.BeingHandedOver);
        }

        // Should this fail, or the process die here, the source asks the target itself after a few seconds (the
        // target's enqueue is idempotent by call id), so the call ends up in exactly one of them either way.
        var taken = await grains.GetGrain<IQueueGrain>(toQueue).EnqueueAsync(start.Call!);
        var accepted = taken == EnqueueOutcome.Queued;
        var finished = await source.FinishMoveAsync(callId, toQueue, accepted);
        return (accepted, finished) switch
        {
            (true, true) => new MoveResult(MoveStatus.Moved, start.WithdrawnFrom),
            (true, false) => new MoveResult(MoveStatus.LeftMeanwhile, start.WithdrawnFrom),
            _ => new MoveResult(MoveStatus.TargetRefused, start.WithdrawnFrom, taken),
        };
    }
}
