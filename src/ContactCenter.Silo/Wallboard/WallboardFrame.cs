using System.Collections.Immutable;
using ContactCenter.Agents;
using ContactCenter.Gateways;
using ContactCenter.Kpis;

namespace ContactCenter.Wallboard;

/// <summary>Everything the wallboard shows at one moment: pushed to every open page once a second.</summary>
/// <param name="Day">The center's local day at <paramref name="At"/>: what "today" means on the board.</param>
/// <param name="Agents">The agents the page asked to see (<see cref="AgentListView"/>), by id.</param>
/// <param name="AgentCount">Every agent of the center logged in, whatever the page shows.</param>
/// <param name="AgentsMatching">The agents the page's filter matches, of which <paramref name="Agents"/> are the first.</param>
/// <param name="StateNames">The board's name of each agent state, by its JSON name (<c>onCall</c>: "On call").</param>
public sealed record WallboardFrame(
    DateTimeOffset At,
    DateOnly Day,
    WallboardTile Center,
    ImmutableArray<WallboardTile> Regions,
    ImmutableArray<QueueTile> Queues,
    ImmutableArray<AgentRow> Agents,
    ImmutableArray<WallboardAlert> Alerts,
    ImmutableArray<GatewayTile> Gateways,
    int AgentCount,
    int AgentsMatching,
    IReadOnlyDictionary<string, string> StateNames,
    SatisfactionTile? Satisfaction = null,
    WorkOrders.WorkOrderFigures? Complaints = null);

/// <summary>Today's survey figures (docs/kpis.md, "Surveys"): the center's and each queue's, by the day the surveyed calls ended.</summary>
public sealed record SatisfactionTile(SatisfactionView Center, IReadOnlyDictionary<string, SatisfactionView> Queues)
{
    public static SatisfactionTile From(Surveys.SurveyFigures figures) =>
        new(SatisfactionView.From(figures.Center), figures.ByQueue.ToImmutableSortedDictionary(q => q.Key, q => SatisfactionView.From(q.Value), StringComparer.Ordinal));
}

public sealed record SatisfactionView(int Sent, int Answered, int Satisfied, int LowScores, int OptedOut, double? Csat, double? ResponseRate, double? OptOutRate)
{
    public static SatisfactionView From(Surveys.SurveyCounters c) =>
        new(c.Sent, c.Answered, c.Satisfied, c.LowScores, c.OptedOut, c.Csat, c.ResponseRate, c.OptOutRate);
}

/// <summary>The center, a region or a queue: what is happening now, and the KPIs of the two windows.</summary>
public sealed record WallboardTile(
    string Name, int Waiting, double LongestWaitSeconds, AgentsByState Agents, KpiView Last15Minutes, KpiView Today);

public sealed record QueueTile(
    string QueueId, string Region, string ActiveInRegion, double ServiceLevelTarget, double ServiceLevelThresholdSeconds,
    double LongestWaitAlertSeconds, WallboardTile Tile);

public sealed record AgentRow(
    string AgentId, string Region, AgentPresence Presence, DateTimeOffset Since, double SecondsInState,
    int HandledToday, double? AverageHandleTimeTodaySeconds, double? OccupancyToday);

/// <summary>A gateway's command channel: when it last polled, whether it is lost, and its commands not yet acknowledged.</summary>
/// <param name="LastPollAt">Null when no silo has seen it poll.</param>
public sealed record GatewayTile(
    string GatewayId, DateTimeOffset? LastPollAt, double? SecondsSinceLastPoll, bool Lost, DateTimeOffset? LostSince, int OpenCommands)
{
    public static GatewayTile From(GatewayHealthView gateway, DateTimeOffset now) => new(
        gateway.GatewayId, gateway.LastPollAt, gateway.LastPollAt is { } at ? Math.Max(0, (now - at).TotalSeconds) : null,
        gateway.Lost, gateway.LostSince, gateway.OpenCommands);
}

/// <param name="Kind"><c>serviceLevel</c> (under the queue's target over the last 15 minutes) or <c>longestWait</c>.</param>
public sealed record WallboardAlert(string Kind, string QueueId, string Message, double Value, double Threshold);

public sealed record AgentsByState(int Available, int Reserved, int OnCall, int WrapUp, int NotReady)
{
    public static AgentsByState Count(IEnumerable<AgentPresence> presences)
    {
        var counts = presences.GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
        return new AgentsByState(
            counts.GetValueOrDefault(AgentPresence.Available), counts.GetValueOrDefault(AgentPresence.Reserved),
            counts.GetValueOrDefault(AgentPresence.OnCall), counts.GetValueOrDefault(AgentPresence.WrapUp),
            counts.GetValueOrDefault(AgentPresence.NotReady));
    }
}

/// <summary>The KPIs of one window, derived from its counters (formulas in docs/kpis.md); null where nothing to divide.</summary>
public sealed record KpiView(
    int Offered, int Answered, int Abandoned, int ShortAbandoned, int Overflowed, int Handled,
    double? ServiceLevel, double? AverageSpeedOfAnswerSeconds, double? AverageHandleTimeSeconds,
    double? AbandonRate, double? AnswerRate, double? Occupancy)
{
    public static KpiView From(KpiCounters counters) => new(
        counters.Offered, counters.Answered, counters.Abandoned, counters.ShortAbandoned, counters.Overflowed, counters.Handled,
        counters.ServiceLevel, counters.AverageSpeedOfAnswer?.TotalSeconds, counters.AverageHandleTime?.TotalSeconds,
        counters.AbandonRate, counters.AnswerRate, counters.Occupancy);
}
