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
        // answer, AskUnansweredHandOversAgainAsync asks the target itself.
        var now = clock.GetUtcNow();
        Queue.Waiting[callId] = waiting with
        {
            OfferedTo = null,
            OfferDeadline = null,
            OfferCommand = null,
            OverflowingTo = toQueue,
            OverflowingSince = now,
            MovedBy = supervisor,
            MovingSince = now,
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
            // meanwhile, and RemoveAsync passed its news on to the target; or this answer comes after another that
            // settled the move the other way, and the target must let the call go.
            var moved = accepted && Queue.Forwarded.TryGetValue(callId, out var forwarding) && forwarding.ToQueue == toQueue;
            if (!moved)
            {
                await SettleLateAnswerAsync(callId, toQueue, accepted);
            }

            return moved;
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
    /// Hand-overs (overflows, and moves whose driver never reported the target's answer) that the target has not
    /// answered within <see cref="OverflowAnswerTimeout"/>: the target is asked again (taking a call is idempotent,
    /// and the answer comes to <see cref="OverflowSettledAsync"/>), for as long as it takes. The call is never routed
    /// here again on a timeout alone: the first answer may still be on its way, and the call would have two queues.
    /// </summary>
    private async Task<bool> AskUnansweredHandOversAgainAsync(DateTimeOffset now)
    {
        var changed = false;
        foreach (var unanswered in Queue.Waiting.Values.Where(w => now - w.OverflowingSince > OverflowAnswerTimeout).ToList())
        {
            var callId = unanswered.Call.CallId;
            LogHandOverAskedAgain(callId, QueueId, unanswered.OverflowingTo!, (now - (unanswered.MovingSince ?? unanswered.OverflowingSince!.Value)).TotalSeconds);
            Queue.Waiting[callId] = unanswered with { OverflowingSince = now };
            await GrainFactory.GetGrain<IQueuePeer>(unanswered.OverflowingTo!).TakeOverflowAsync(unanswered.Call with { OverflowedFrom = QueueId });
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: {TargetQueueId} has not answered {QueueId}'s hand-over for {Seconds:F0}s; asking again")]
    private partial void LogHandOverAskedAgain(string callId, string queueId, string targetQueueId, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} in {QueueId}: priority {Old} -> {New}")]
    private partial void LogPriorityChanged(string callId, string queueId, int old, int @new);
}
