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
    /// Ends the call on the cluster's own authority, when its gateway cannot (it was lost): journals an
    /// <c>ended</c> event with this cause, hung up by the system, at the call's next sequence, under an event id
    /// made from the cause, so a repeat does nothing. Its CDR carries the cause; the gateway's own later events
    /// for the call are rejected as events after the call ended. True when this request ended the call; false
    /// when it had ended already, or was never offered.
    /// </summary>
    [Alias("EndByCluster")]
    Task<bool> EndByClusterAsync(string cause);
}
