using ContactCenter.Gateways;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Queues;

/// <summary>
/// What supervisors do with a queue's waiting calls: move one to another queue, change its priority. A move reuses
/// the overflow hand-over: the call arrives at the target with <see cref="QueuedCall.OverflowedFrom"/> naming this
/// queue and its original wait, so it lines up there by its whole wait, the target's audit does not take it for a
/// call that moved without the target (the call's own record still names the queue its events put it in), and news
/// of it sent here follows it through <see cref="QueueState.Forwarded"/>.
/// </summary>
public sealed partial class QueueGrain
{
    /// <summary>How long a move may stay unsettled (its driver failed between the steps) before the call is routed here again.</summary>
    private static readonly TimeSpan MoveGiveUpAfter = TimeSpan.FromMinutes(1);

    public async Task<MoveStart> BeginMoveAsync(string callId, string toQueue, string supervisor)
    {
        if (toQueue == QueueId)
        {
            throw new ArgumentException($"call {callId} already waits in {QueueId}", nameof(toQueue));
        }

        if (!Queue.Waiting.TryGetValue(callId, out var waiting))
        {
            return new MoveStart(WaitingCallRefusal.NotWaiting, null, null);
        }

        if (waiting.OverflowingTo is not null)
        {
            return new MoveStart(WaitingCallRefusal.BeingHandedOver, null, null);
        }

        var withdrawn = waiting.OfferedTo;
        if (withdrawn is not null)
        {
            // The agent is not to blame: freed (not sent not ready for a missed call), and their phone stops ringing.
            // The queue's picture keeps them reserved until their own notification says they are free.
            await Agent(withdrawn).ReleaseOfferAsync(callId, agentMissedIt: false);
        }

        // From now on the call is not routed here. Should the move's driver fail before reporting the target's
        // answer, SettleStalledMovesAsync asks the target itself.
        var now = clock.GetUtcNow();
        Queue.Waiting[callId] = waiting with
        {
            OfferedTo = null, OfferDeadline = null, OverflowingTo = toQueue, OverflowingSince = now, MovedBy = supervisor, MovingSince = now,
        };
        await Task.WhenAll(
            withdrawn is null ? Task.CompletedTask : commands.SendAsync(waiting.Call.GatewayId, new CancelConnect(callId, withdrawn)),
            state.WriteStateAsync());
        LogMoveBegun(callId, QueueId, toQueue, supervisor, withdrawn);
        return new MoveStart(null, waiting.Call with { OverflowedFrom = QueueId }, withdrawn);
    }

    public async Task<bool> FinishMoveAsync(string callId, string toQueue, bool accepted)
    {
        if (!Queue.Waiting.TryGetValue(callId, out var waiting) || waiting.OverflowingTo != toQueue || waiting.MovedBy is not { } supervisor)
        {
            // Either settled already (this queue asked the target itself, and it said yes), or the call left
            // meanwhile, and RemoveAsync passed its news on to the target.
            return accepted && Queue.Forwarded.TryGetValue(callId, out var forwarding) && forwarding.ToQueue == toQueue;
        }

        if (!accepted)
        {
            Queue.Waiting[callId] = waiting with { OverflowingTo = null, OverflowingSince = null, MovedBy = null, MovingSince = null };
            await RouteAndSaveAsync(changed: true);
            return false;
        }

        Queue.Waiting.Remove(callId);
        Queue.Forwarded[callId] = new Forwarding(toQueue, clock.GetUtcNow());
        await Task.WhenAll(
            commands.SendAsync(waiting.Call.GatewayId, new CallMoved(callId, QueueId, toQueue, supervisor)),
            state.WriteStateAsync());
        LogMoved(callId, QueueId, toQueue, supervisor);
        return true;
    }

    public async Task<PriorityChange> SetPriorityAsync(string callId, int priority)
    {
        if (priority is < CallPriorities.Normal or > CallPriorities.Highest)
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, $"a priority is from {CallPriorities.Normal} to {CallPriorities.Highest}");
        }

        if (!Queue.Waiting.TryGetValue(callId, out var waiting))
        {
            return new PriorityChange(WaitingCallRefusal.NotWaiting, null);
        }

        if (waiting.OverflowingTo is not null)
        {
            // The target was handed the call as it was; a new priority here would be lost when it takes it.
            return new PriorityChange(WaitingCallRefusal.BeingHandedOver, View(waiting));
        }

        Queue.Waiting[callId] = waiting with { Call = waiting.Call with { Priority = priority } };
        LogPriorityChanged(callId, QueueId, waiting.Call.Priority, priority);
        // Routed by its new place at once, and saved with any offer that makes.
        await RouteAndSaveAsync(changed: true);
        return new PriorityChange(null, View(Queue.Waiting[callId]));
    }

    /// <summary>
    /// Moves whose driver never reported the target's answer (it failed between the steps): this queue asks the
    /// target itself, as overflow does (taking a call is idempotent, and the answer comes to OverflowSettledAsync).
    /// A target silent for <see cref="MoveGiveUpAfter"/> is given up on: the call is routed here again.
    /// </summary>
    private async Task<bool> SettleStalledMovesAsync(DateTimeOffset now)
    {
        var changed = false;
        foreach (var stalled in Queue.Waiting.Values.Where(w => w.MovedBy is not null && now - w.OverflowingSince > OverflowAnswerTimeout).ToList())
        {
            var callId = stalled.Call.CallId;
            if (now - stalled.MovingSince > MoveGiveUpAfter)
            {
                LogMoveGivenUp(callId, QueueId, stalled.OverflowingTo!);
                Queue.Waiting[callId] = stalled with { OverflowingTo = null, OverflowingSince = null, MovedBy = null, MovingSince = null };
            }
            else
            {
                Queue.Waiting[callId] = stalled with { OverflowingSince = now };
                await GrainFactory.GetGrain<IQueueGrain>(stalled.OverflowingTo!).TakeOverflowAsync(stalled.Call with { OverflowedFrom = QueueId });
            }

            changed = true;
        }

        return changed;
    }

    private static WaitingCallView View(WaitingCall w) =>
        new(w.Call.CallId, w.Call.Vip, w.Call.Priority, w.Call.WaitingSince, w.EnqueuedAt, w.OfferedTo, w.OverflowingTo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: supervisor {Supervisor} moves it from {QueueId} to {TargetQueueId} (offer withdrawn from {AgentId})")]
    private partial void LogMoveBegun(string callId, string queueId, string targetQueueId, string supervisor, string? agentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} moved from {QueueId} to {TargetQueueId} by supervisor {Supervisor}")]
    private partial void LogMoved(string callId, string queueId, string targetQueueId, string supervisor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: {TargetQueueId} never answered the move from {QueueId}; the call is routed here again")]
    private partial void LogMoveGivenUp(string callId, string queueId, string targetQueueId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} in {QueueId}: priority {Old} -> {New}")]
    private partial void LogPriorityChanged(string callId, string queueId, int old, int @new);
}
