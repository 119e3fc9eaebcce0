using ContactCenter.Kpis;
using Orleans.Concurrency;

namespace ContactCenter.Queues;

/// <summary>
/// One queue (skill group), keyed by queue id: the waiting calls in priority order, the idle agents by tier, the
/// routing strategy, and the offers in flight. What the API, the center and a call's effects ask of a queue; what
/// other queues and agents tell it is <see cref="IQueuePeer"/>. Every operation is idempotent by call id or agent id.
/// </summary>
[Alias("cc.IQueueGrain")]
public interface IQueueGrain : IGrainWithStringKey
{
    [Alias("Configure")]
    Task ConfigureAsync(QueueConfiguration configuration);

    /// <summary>A call asks for an agent. Idempotent: a call already waiting keeps its place.</summary>
    [Alias("Enqueue")]
    Task<EnqueueOutcome> EnqueueAsync(QueuedCall call);

    /// <summary>The call left the queue (answered, caller hung up, transferred away). Idempotent.</summary>
    /// <param name="answeredBy">For an answered call, the agent who answered: an agent offered it meanwhile is freed.</param>
    [Alias("Remove")]
    Task RemoveAsync(string callId, QueueExit exit, DateTimeOffset at, string? answeredBy = null);

    /// <summary>
    /// A supervisor moves a waiting call to another queue, step one: this queue stops routing the call, withdraws
    /// an offer in flight (the agent is freed and the gateway stops ringing), and hands back the call to give the
    /// target. The caller then enqueues it at the target and reports the answer with <see cref="FinishMoveAsync"/>.
    /// The caller drives the steps, so no queue ever waits on another (see <c>SupervisorMoves</c>); should the
    /// answer never come, this queue asks the target itself, as overflow does.
    /// </summary>
    [Alias("BeginMove")]
    Task<MoveStart> BeginMoveAsync(string callId, string toQueue, string supervisor);

    /// <summary>
    /// Step two of a move: the target took the call (it leaves here, news of it follows it there, the gateway is
    /// told) or did not (it is routed here again). False when the move was no longer this queue's to finish: the
    /// call left meanwhile, and its news went to the target.
    /// </summary>
    [Alias("FinishMove")]
    Task<bool> FinishMoveAsync(string callId, string toQueue, bool accepted);

    /// <summary>
    /// The gateway could not ring the agent offered the call (their phone busy, declining or unreachable): that
    /// offer ends now as if it had timed out (the agent goes not ready, the next agent is offered the call).
    /// Nothing when the call is no longer offered to that agent. Idempotent.
    /// </summary>
    [Alias("OfferFailed")]
    Task OfferFailedAsync(string callId, string agentId);

    /// <summary>
    /// A transfer of the call to one of this queue's agents is about to bring it here: the agent, if available, is
    /// kept for it (offered no other call of this queue; the agent's other queues do not know) until it arrives, and it is offered to that agent first; if that agent
    /// is not free for it within <see cref="TransferHolds.HoldTime"/> or misses its ring, any agent of the queue
    /// may take it. Asked before the gateway is told to transfer, so the call cannot arrive first.
    /// </summary>
    [Alias("HoldForTransfer")]
    Task<TransferHoldOutcome> HoldForTransferAsync(string callId, string agentId);

    /// <summary>A supervisor sets a waiting call's priority (<see cref="CallPriorities"/>); it is routed by it at once.</summary>
    [Alias("SetPriority")]
    Task<PriorityChange> SetPriorityAsync(string callId, int priority);

    /// <summary>Applies what time has decided: tier expansion, overflow, offer timeouts, maximum wait. A timer calls it every second.</summary>
    [Alias("Evaluate")]
    Task EvaluateAsync();

    [Alias("GetStatus")]
    Task<QueueStatus> GetStatusAsync();

    /// <summary>
    /// Counts a call that entered this queue and left it again before the queue heard of it (both in one batch of
    /// the gateway's): offered, and its exit. Not routed. Idempotent by call id.
    /// </summary>
    [Alias("CountPassingCall")]
    Task CountPassingCallAsync(QueuedCall call, QueueExit exit, DateTimeOffset at, string? answeredBy);

    /// <summary>The queue's live picture and KPI counters; interleaves, so a busy queue still answers the wallboard.</summary>
    [Alias("GetKpis"), AlwaysInterleave]
    Task<QueueKpis> GetKpisAsync();
}
