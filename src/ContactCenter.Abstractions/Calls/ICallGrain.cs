using System.Collections.Immutable;
using Orleans.Concurrency;

namespace ContactCenter.Calls;

/// <summary>One live call, keyed by the gateway's call id. Owns the call's state machine and event sequence.</summary>
[Alias("cc.ICallGrain")]
public interface ICallGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies a gateway's events for this call in sequence order. Accepted events are committed to the
    /// journal before this returns, so an <see cref="EventOutcome.Accepted"/> result is a durable acknowledgement.
    /// </summary>
    [Alias("Process")]
    Task<ImmutableArray<EventResult>> ProcessAsync(string gatewayId, ImmutableArray<CallEvent> events);

    /// <summary>The call's live state, or null when no event for it was ever accepted.</summary>
    /// <remarks>
    /// Interleaved: it only reads an immutable snapshot, and an agent checking on its call must not wait behind
    /// the call's own request to that agent (each would wait for the other until the response timeout).
    /// </remarks>
    [Alias("GetSnapshot"), AlwaysInterleave]
    Task<CallSnapshot?> GetSnapshotAsync();

    /// <summary>
    /// Tells the call's queue and agent again what the call's state means (waiting in its queue, talking to its
    /// agent), from the journal: asked by a queue that finds the journal placing a call with it that it never heard
    /// of (the news was lost with a silo). Idempotent, like every effect. One-way: the call answers by calling that queue.
    /// </summary>
    [Alias("Reconcile"), OneWay]
    Task ReconcileAsync();

    /// <summary>
    /// The call's queue did not take it (<c>no_agents</c>, <c>queue_full</c>, <c>unknown_queue</c>) or let it go at
    /// the maximum wait (<c>max_wait</c>): the call's state and its row in the active calls say so until the gateway
    /// reports what happened next. One-way: the queue tells it while the call may be waiting on that queue.
    /// </summary>
    [Alias("QueueRefused"), OneWay]
    Task QueueRefusedAsync(string queue, string reason);

    /// <summary>
    /// Ends the call on the cluster's own authority, when its gateway cannot (it was lost): journals an
    /// <c>ended</c> event with this cause, hung up by the system, at the call's next sequence, under an event id
    /// made from the cause, so a repeat does nothing. Its CDR carries the cause; the gateway's own later events
    /// for the call are rejected as events after the call ended. True when this request ended the call; false
    /// when it had ended already, or was never offered.
    /// </summary>
    [Alias("EndByCluster")]
    Task<bool> EndByClusterAsync(string cause);
}
