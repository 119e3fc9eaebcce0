using ContactCenter.Agents;
using ContactCenter.Customers;
using ContactCenter.Queues;
using ContactCenter.Surveys;

namespace ContactCenter.Calls;

/// <summary>
/// What a committed call event means for the other grains: queues (enqueue, leave), agents (answered,
/// hold, ended) and, at the end, the call's survey. The customer's history needs nothing: it is the CDRs. A queued caller's VIP flag is read from the
/// subscriber directory, which batches the lookups of concurrent calls, not from the caller's grain: that was a
/// grain activation per queued caller, held for minutes, for one flag. Every effect is idempotent by call id, so
/// repeating one is harmless; <see cref="PendingEffects"/> retries those that fail, and a failure never undoes
/// the committed event. Times the queues are told are on the silo's clock (<see cref="GatewayClock"/>).
/// </summary>
public sealed class CallEffects(IGrainFactory grains, ISubscriberDirectory subscribers, SurveyStarter surveys, TimeProvider clock)
{
    /// <summary>Tells the other grains what one step means; throws when one of them cannot be reached or refuses.</summary>
    /// <param name="later">The call's steps after this one whose effects are still to come.</param>
    public Task ApplyAsync(CallStep step, IReadOnlyList<CallStep> later)
    {
        var time = GatewayClock.Of((later.Count > 0 ? later[^1] : step).After, clock);
        return step.Event switch
        {
            // A call that entered a queue and left it again within the same batch is not put in it: the queue
            // might otherwise offer to an agent a call that is already answered or gone.
            CallQueued queued when !StaysIn(later, queued.Queue) => PassThroughAsync(step, queued.Queue, later, time),
            CallTransferred { ToQueue: { } queue } when !StaysIn(later, queue) => AgentDoneAsync(step.Before!),
            CallQueued queued => EnqueueAsync(step, queued.Queue, time),
            CallTransferred { ToQueue: { } queue } => TransferToQueueAsync(step, queue, time),
            CallTransferred { ToAgent: not null } => AgentDoneAsync(step.Before!),
            AgentRingFailed failed when step.After.Queue is { } queue && StaysIn(later, queue) => Queue(queue).OfferFailedAsync(step.After.CallId, failed.Agent),
            CallAnswered answered => AnsweredAsync(step, answered, time),
            CallHeld or CallResumed when step.After.Agent is { } agent =>
                Agent(agent).CallHoldChangedAsync(step.After.CallId, step.Event is CallHeld),
            CallEnded => EndedAsync(step, time),
            _ => Task.CompletedTask,
        };
    }

    /// <summary>What the call's present state means for its queue and agent, told again (see <see cref="ICallGrain.ReconcileAsync"/>).</summary>
    public Task ReconcileAsync(CallSnapshot call) => call switch
    {
        // A caller put back in a queue after talking waits from then on; the state keeps no time of that, so the
        // latest event's stands in.
        { Phase: CallPhase.Queued, Queue: { } queue } => EnqueueAsync(
            call, queue, GatewayClock.Of(call, clock).ToSilo(call.AnsweredAt is null ? call.FirstQueuedAt!.Value : call.LastEventAt)),
        { Phase: CallPhase.Talking or CallPhase.OnHold, Agent: { } agent } => Agent(agent).CallAnsweredAsync(call.CallId),
        _ => Task.CompletedTask,
    };

    private static bool StaysIn(IReadOnlyList<CallStep> later, string queue) =>
        later.All(s => s.After is { Phase: CallPhase.Queued or CallPhase.Ringing } && s.After.Queue == queue);

    private async Task EnqueueAsync(CallStep step, string queue, GatewayClock time)
    {
        if (step.Before is { Phase: CallPhase.Queued or CallPhase.Ringing } && step.Before.Queue == queue)
        {
            return; // queued again where it already waits: nothing changes, the call keeps its place
        }

        // Leaving the old queue first matters: if it had overflowed the call to this very queue, its
        // forwarding removes the call here too, and the enqueue below puts it back, keeping its wait.
        await LeavePreviousQueueAsync(step, time);
        await EnqueueAsync(step.After, queue, time.ToSilo(WaitingSince(step)));
    }

    /// <summary>
    /// The wait runs from the call's first queueing across overflow and re-queueing, but a caller put back in a
    /// queue after talking to an agent starts a new wait (or the maximum wait would end it at once).
    /// </summary>
    private static DateTimeOffset WaitingSince(CallStep step) =>
        step.Before?.Phase is CallPhase.Talking or CallPhase.OnHold ? step.Event.OccurredAt : step.After.FirstQueuedAt!.Value;

    private async Task EnqueueAsync(CallSnapshot call, string queue, DateTimeOffset waitingSince)
    {
        var vip = call.Caller != PhoneNumbers.Withheld && (await subscribers.FindAsync(call.Caller))?.Vip == true;
        await Queue(queue).EnqueueAsync(new QueuedCall(call.CallId, call.GatewayId, call.Caller, vip, waitingSince));
    }

    /// <summary>
    /// The call entered the queue and left it within one batch (a short abandon, or a gateway resending after a
    /// failover): it is not put in the queue, but the queue still counts it, or its KPIs would miss the call.
    /// </summary>
    private async Task PassThroughAsync(CallStep step, string queue, IReadOnlyList<CallStep> later, GatewayClock time)
    {
        if (step.Before is { Phase: CallPhase.Queued or CallPhase.Ringing } && step.Before.Queue == queue)
        {
            return; // queued again where it already waits: the later step's own effect takes it out, with its real exit
        }

        await LeavePreviousQueueAsync(step, time);
        var leaving = later.First(s => s.After is not { Phase: CallPhase.Queued or CallPhase.Ringing } || s.After.Queue != queue);
        var (exit, answeredBy) = QueueExits.ByEvent(leaving.Event);
        var call = step.After;
        await Queue(queue).CountPassingCallAsync(
            new QueuedCall(call.CallId, call.GatewayId, call.Caller, Vip: false, time.ToSilo(WaitingSince(step))), exit, time.ToSilo(leaving.Event.OccurredAt), answeredBy);
    }

    private async Task TransferToQueueAsync(CallStep step, string queue, GatewayClock time)
    {
        await AgentDoneAsync(step.Before!);
        await EnqueueAsync(step, queue, time);
    }

    /// <summary>The step took the call out of the queue it waited in (answered, ended, moved on): the queue is told how.</summary>
    private Task LeavePreviousQueueAsync(CallStep step, GatewayClock time)
    {
        if (step.Before is not { Phase: CallPhase.Queued or CallPhase.Ringing, Queue: { } previous })
        {
            return Task.CompletedTask;
        }

        var (exit, answeredBy) = QueueExits.ByEvent(step.Event);
        return Queue(previous).RemoveAsync(step.After.CallId, exit, time.ToSilo(step.Event.OccurredAt), answeredBy);
    }

    private async Task AnsweredAsync(CallStep step, CallAnswered answered, GatewayClock time)
    {
        await LeavePreviousQueueAsync(step, time);
        await Agent(answered.Agent).CallAnsweredAsync(step.After.CallId);
        await surveys.CallAnsweredAsync(step.After, time.ToSilo(answered.OccurredAt));
    }

    private async Task EndedAsync(CallStep step, GatewayClock time)
    {
        await LeavePreviousQueueAsync(step, time);
        await AgentDoneAsync(step.Before!);
        await surveys.CallEndedAsync(step.Before!, (CallEnded)step.Event, time.ToSilo(step.Event.OccurredAt));
    }

    /// <summary>The agent who had the call is done with it: wrap-up, or free if it only rang.</summary>
    private Task AgentDoneAsync(CallSnapshot before) =>
        before.Agent is { } agent ? Agent(agent).CallEndedAsync(before.CallId) : Task.CompletedTask;

    private IQueueGrain Queue(string queueId) => grains.ReferenceTo<IQueueGrain>(queueId);

    private IAgentGrain Agent(string agentId) => grains.ReferenceTo<IAgentGrain>(agentId);
}
