using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ContactCenter.Gateways;
using ContactCenter.Kpis;

namespace ContactCenter.Wallboard;

/// <summary>
/// Builds a wallboard frame from what the queues and agents report: the center and each region are sums of
/// counters (never averages of averages), agents are counted once however many queues they serve, and alerts
/// are raised per queue against its own targets.
/// </summary>
public static class WallboardComposer
{
    private static readonly IReadOnlyDictionary<string, string> StateNamesByJsonName =
        AgentListView.StateNames.ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Key.ToString()), p => p.Value).ToFrozenDictionary();

    public static WallboardFrame Compose(
        DateTimeOffset now,
        DateOnly day,
        IReadOnlyList<QueueKpis> queues,
        IReadOnlyDictionary<string, AgentKpis> agentKpis,
        Func<string, string?> agentRegion,
        IReadOnlyList<GatewayHealthView>? gateways = null)
    {
        // A queue's picture of an agent may lag a notification behind another queue's: the newest version wins.
        var agents = queues.SelectMany(q => q.Agents)
            .GroupBy(a => a.AgentId, StringComparer.Ordinal)
            .Select(g => g.MaxBy(a => a.Version)!)
            .OrderBy(a => a.AgentId, StringComparer.Ordinal)
            .ToList();
        var rows = agents.Select(a => Row(a, now, agentKpis.GetValueOrDefault(a.AgentId), agentRegion(a.AgentId) ?? "")).ToImmutableArray();

        var queueTiles = queues.OrderBy(q => q.QueueId, StringComparer.Ordinal).Select(q => new QueueTile(
            q.QueueId, q.Region, q.ActiveInRegion, q.ServiceLevelTarget, q.ServiceLevelThreshold.TotalSeconds, q.LongestWaitAlert.TotalSeconds,
            Tile(q.Name, [q], AgentsOf(q, agents), agentKpis, acrossQueues: false))).ToImmutableArray();

        var regions = queues.Select(q => q.Region).Concat(rows.Select(r => r.Region)).Where(r => r.Length > 0)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(region => Tile(
                region,
                [.. queues.Where(q => q.Region == region)],
                [.. agents.Where(a => agentRegion(a.AgentId) == region)],
                agentKpis,
                acrossQueues: false))
            .ToImmutableArray();

        return new WallboardFrame(
            now,
            day,
            Tile("center", queues, agents, agentKpis, acrossQueues: true),
            regions,
            queueTiles,
            rows,
            [.. queues.SelectMany(Alerts)],
            [.. (gateways ?? []).Select(g => GatewayTile.From(g, now))],
            rows.Length,
            rows.Length,
            StateNamesByJsonName);
    }

    /// <param name="acrossQueues">
    /// True for the whole center, where a call overflowed from one queue to another was offered once. A region
    /// keeps each queue's count, as a call may overflow into it from the other region.
    /// </param>
    private static WallboardTile Tile(
        string name, IReadOnlyList<QueueKpis> queues, IReadOnlyList<AgentPresenceView> agents,
        IReadOnlyDictionary<string, AgentKpis> agentKpis, bool acrossQueues)
    {
        KpiCounters Sum(Func<KpiSnapshot, KpiCounters> window)
        {
            var calls = acrossQueues
                ? KpiCounters.AcrossQueues(queues.Select(q => window(q.Counters)))
                : queues.Aggregate(KpiCounters.Zero, (total, q) => total.Plus(window(q.Counters)));
            // Occupancy is the agents' time, not the queues': it comes from the agents themselves.
            var time = agents.Select(a => agentKpis.GetValueOrDefault(a.AgentId)).OfType<AgentKpis>()
                .Aggregate(KpiCounters.Zero, (total, a) => total.Plus(window(a.Counters)));
            return calls with { Idle = time.Idle, Busy = time.Busy, NotReady = time.NotReady };
        }

        return new WallboardTile(
            name,
            queues.Sum(q => q.Waiting),
            queues.Count == 0 ? 0 : queues.Max(q => q.LongestWait.TotalSeconds),
            AgentsByState.Count(agents.Select(a => a.Presence)),
            KpiView.From(Sum(s => s.Last15Minutes)),
            KpiView.From(Sum(s => s.Today)));
    }

    private static List<AgentPresenceView> AgentsOf(QueueKpis queue, IReadOnlyList<AgentPresenceView> newest)
    {
        var serving = queue.Agents.Select(a => a.AgentId).ToHashSet(StringComparer.Ordinal);
        return [.. newest.Where(a => serving.Contains(a.AgentId))];
    }

    private static AgentRow Row(AgentPresenceView agent, DateTimeOffset now, AgentKpis? kpis, string region)
    {
        var today = kpis?.Counters.Today;
        return new AgentRow(
            agent.AgentId, region, agent.Presence, agent.Since, Math.Max(0, (now - agent.Since).TotalSeconds),
            today?.Handled ?? 0, today?.AverageHandleTime?.TotalSeconds, today?.Occupancy);
    }

    private static IEnumerable<WallboardAlert> Alerts(QueueKpis queue)
    {
        if (queue.Counters.Last15Minutes.ServiceLevel is { } level && level < queue.ServiceLevelTarget)
        {
            yield return new WallboardAlert("serviceLevel", queue.QueueId,
                string.Create(CultureInfo.InvariantCulture, $"{queue.Name}: service level {level * 100:F0}% over the last 15 minutes, under the target of {queue.ServiceLevelTarget * 100:F0}%"),
                level, queue.ServiceLevelTarget);
        }

        if (queue.LongestWait > queue.LongestWaitAlert)
        {
            yield return new WallboardAlert("longestWait", queue.QueueId,
                string.Create(CultureInfo.InvariantCulture, $"{queue.Name}: a caller has waited {queue.LongestWait.TotalSeconds:F0} s, over {queue.LongestWaitAlert.TotalSeconds:F0} s"),
                queue.LongestWait.TotalSeconds, queue.LongestWaitAlert.TotalSeconds);
        }
    }
}
