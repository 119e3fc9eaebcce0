using System.Collections.Immutable;
using ContactCenter.Agents;

namespace ContactCenter.Kpis;

/// <summary>An agent as a queue last heard of them: enough for the wallboard's agent list and counts by state.</summary>
[GenerateSerializer, Immutable, Alias("cc.AgentPresenceView")]
public sealed record AgentPresenceView(
    [property: Id(0)] string AgentId,
    [property: Id(1)] AgentPresence Presence,
    [property: Id(2)] DateTimeOffset Since,
    [property: Id(3)] long Version);

/// <summary>One queue's live picture and KPI counters, as the wallboard reads it once a second.</summary>
/// <param name="LongestWait">How long the longest-waiting call has waited, at <paramref name="At"/>.</param>
[GenerateSerializer, Immutable, Alias("cc.QueueKpis")]
public sealed record QueueKpis(
    [property: Id(0)] string QueueId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Region,
    [property: Id(3)] string ActiveInRegion,
    [property: Id(4)] TimeSpan ServiceLevelThreshold,
    [property: Id(5)] double ServiceLevelTarget,
    [property: Id(6)] TimeSpan LongestWaitAlert,
    [property: Id(7)] int Waiting,
    [property: Id(8)] TimeSpan LongestWait,
    [property: Id(9)] ImmutableArray<AgentPresenceView> Agents,
    [property: Id(10)] KpiSnapshot Counters,
    [property: Id(11)] DateTimeOffset At);

/// <summary>One agent's KPI counters, including the time in the current state up to <paramref name="At"/>.</summary>
[GenerateSerializer, Immutable, Alias("cc.AgentKpis")]
public sealed record AgentKpis(
    [property: Id(0)] string AgentId,
    [property: Id(1)] AgentPresence Presence,
    [property: Id(2)] DateTimeOffset Since,
    [property: Id(3)] KpiSnapshot Counters,
    [property: Id(4)] DateTimeOffset At);
