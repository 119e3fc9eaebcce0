using ContactCenter.Calls;

namespace ContactCenter.Journal;

/// <summary>
/// The journal's index of calls that have not ended (maintained in the same transaction as the events): what the
/// journal says about each live call, for grains that check their picture against it.
/// </summary>
public interface ILiveCallIndex
{
    /// <summary>The live calls whose last queue is <paramref name="queueId"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<LiveCall>> InQueueAsync(string queueId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether <paramref name="caller"/> has a call with the center that has not ended (a filtered scan: the index holds
    /// minutes of traffic, and this is asked once per satisfaction callback, not per event).
    /// </summary>
    Task<bool> HasLiveCallFromAsync(string caller, CancellationToken cancellationToken = default);
}

/// <summary>A live call as the journal's index holds it.</summary>
public sealed record LiveCall(string CallId, CallPhase Phase, string? Agent, DateTimeOffset UpdatedAt);
