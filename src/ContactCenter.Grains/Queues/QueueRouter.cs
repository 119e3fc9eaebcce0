using ContactCenter.Agents;

namespace ContactCenter.Queues;

/// <summary>
/// The routing strategy, as pure decisions over a queue's state (the reference center's tiered model):
/// calls in order of priority, then VIP, then longest original wait; for each, the best eligible idle agent,
/// lowest tier first, then longest idle; a tier becomes eligible once the call has waited its time in the queue.
/// </summary>
public static class QueueRouter
{
    /// <summary>Waiting calls not being offered right now, best first.</summary>
    public static IEnumerable<WaitingCall> CallsToRoute(QueueState queue) => queue.Waiting.Values
        .Where(w => w.OfferedTo is null && w.OverflowingTo is null)
        .OrderByDescending(w => w.Call.Priority)
        .ThenByDescending(w => w.Call.Vip)
        .ThenBy(w => w.Call.WaitingSince)
        .ThenBy(w => w.Call.CallId, StringComparer.Ordinal);

    /// <summary>The best idle agent for <paramref name="call"/> at <paramref name="now"/>, skipping <paramref name="excluded"/>; null when none is eligible.</summary>
    public static string? BestAgent(QueueState queue, WaitingCall call, DateTimeOffset now, IReadOnlySet<string> excluded)
    {
        var waited = now - call.EnqueuedAt;
        var eligibleTiers = queue.Configuration!.Tiers.Where(t => t.After <= waited).Select(t => t.Tier).ToHashSet();
        var offered = queue.Waiting.Values.Where(w => w.OfferedTo is not null).Select(w => w.OfferedTo!).ToHashSet(StringComparer.Ordinal);
        return queue.Agents
            .Where(a => a.Value.Presence == AgentPresence.Available && eligibleTiers.Contains(a.Value.Tier)
                && !excluded.Contains(a.Key) && !offered.Contains(a.Key))
            .OrderBy(a => a.Value.Tier)
            .ThenBy(a => a.Value.Since)
            .ThenBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => a.Key)
            .FirstOrDefault();
    }

    /// <summary>Offers whose agent did not answer in time.</summary>
    public static IEnumerable<WaitingCall> ExpiredOffers(QueueState queue, DateTimeOffset now) =>
        queue.Waiting.Values.Where(w => w.OfferDeadline is { } deadline && deadline <= now).ToList();

    /// <summary>Calls (not under offer) that have waited in this queue past its overflow time.</summary>
    public static IEnumerable<WaitingCall> DueForOverflow(QueueState queue, DateTimeOffset now) =>
        queue.Configuration is { OverflowQueue: not null, OverflowAfter: { } after }
            ? CallsToRoute(queue).Where(w => now - w.EnqueuedAt >= after).ToList()
            : [];

    /// <summary>Calls (not under offer) whose total wait passed the queue's maximum.</summary>
    public static IEnumerable<WaitingCall> PastMaxWait(QueueState queue, DateTimeOffset now) =>
        CallsToRoute(queue).Where(w => now - w.Call.WaitingSince >= queue.Configuration!.MaxWait).ToList();
}
