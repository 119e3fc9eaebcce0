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

    /// <summary>
    /// The agents a routing pass may offer this queue's calls to: available, and not ringing for one of its calls
    /// already. Found once per pass, so a queue whose agents are all busy costs one look at its agents however
    /// many calls wait, and a pass that offers calls takes the candidates out as it goes.
    /// </summary>
    public static HashSet<string> IdleAgents(QueueState queue)
    {
        var idle = queue.Agents.Where(a => a.Value.Presence == AgentPresence.Available).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        if (idle.Count > 0)
        {
            foreach (var offered in queue.Waiting.Values)
            {
                if (offered.OfferedTo is { } agent)
                {
                    idle.Remove(agent);
                }
            }
        }

        return idle;
    }

    /// <summary>
    /// Agents kept for calls transferred to them (<see cref="TransferHold"/>), on their way or waiting here
    /// unoffered: until the hold ends, they are offered only that call.
    /// </summary>
    public static HashSet<string> HeldAgents(QueueState queue, DateTimeOffset now)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var hold in queue.TransferHolds.Values)
        {
            if (hold.Until > now)
            {
                held.Add(hold.AgentId);
            }
        }

        foreach (var waiting in queue.Waiting.Values)
        {
            if (waiting is { HeldFor: { } hold, OfferedTo: null } && hold.Until > now)
            {
                held.Add(hold.AgentId);
            }
        }

        return held;
    }

    /// <summary>
    /// The best of <paramref name="candidates"/> for <paramref name="call"/> at <paramref name="now"/>; null when none is
    /// eligible yet. A call transferred to an agent goes to that agent alone while the hold lasts, whatever the tiers
    /// say; no other call goes to an agent in <paramref name="held"/>.
    /// </summary>
    public static string? BestAgent(QueueState queue, WaitingCall call, DateTimeOffset now, IReadOnlySet<string> candidates, IReadOnlySet<string> held)
    {
        if (call.HeldFor is { } hold && hold.Until > now)
        {
            return candidates.Contains(hold.AgentId) ? hold.AgentId : null;
        }

        var waited = now - call.EnqueuedAt;
        var tiers = queue.Configuration!.Tiers;
        return candidates
            .Where(id => !held.Contains(id))
            .Select(id => (Id: id, Agent: queue.Agents[id]))
            .Where(a => tiers.Any(t => t.Tier == a.Agent.Tier && t.After <= waited))
            .OrderBy(a => a.Agent.Tier)
            .ThenBy(a => a.Agent.Since)
            .ThenBy(a => a.Id, StringComparer.Ordinal)
            .Select(a => a.Id)
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
