using System.Collections.Immutable;

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
    [Alias("GetSnapshot")]
    Task<CallSnapshot?> GetSnapshotAsync();
}
