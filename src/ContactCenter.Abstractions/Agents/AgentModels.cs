using System.Collections.Immutable;
using ContactCenter.Kpis;

namespace ContactCenter.Agents;

/// <summary>An agent's certification for one queue. The reference center certifies agents for 1, 3, 6 or 13+ cities; tier 1 is the specialist.</summary>
[GenerateSerializer, Immutable, Alias("cc.AgentSkill")]
public sealed record AgentSkill(string Queue, int Tier);

/// <summary>Who the agent is and what they may handle, as the admin API and the center file set it.</summary>
[GenerateSerializer, Immutable, Alias("cc.AgentProfile")]
public sealed record AgentProfile(string Name, string Region, ImmutableArray<AgentSkill> Skills);

/// <summary>The call an agent has been reserved for, until answered or given up.</summary>
/// <param name="WrapUp">The offering queue's wrap-up time, applied when this call ends.</param>
[GenerateSerializer, Immutable, Alias("cc.AgentOffer")]
public sealed record AgentOffer(string CallId, string Queue, string GatewayId, string Caller, DateTimeOffset OfferedAt, DateTimeOffset Deadline, TimeSpan WrapUp);

/// <summary>
/// An agent's own figures of today: a view of the agent's KPI counters (see docs/kpis.md), so they are counted
/// once, by the same rules as the wallboard's, and start again at the center's midnight. The state the agent is
/// in counts up to the moment of reading.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.AgentFigures")]
public sealed record AgentFigures
{
    /// <summary>Offers the agent received (reserved for a call).</summary>
    [Id(0)] public int Offered { get; init; }
    /// <summary>Calls whose handling (talk, hold, wrap-up) finished.</summary>
    [Id(1)] public int Handled { get; init; }
    [Id(2)] public int Missed { get; init; }
    /// <summary>Talk, hold and wrap-up of the handled calls.</summary>
    [Id(3)] public TimeSpan Talk { get; init; }
    [Id(4)] public TimeSpan Hold { get; init; }
    [Id(5)] public TimeSpan WrapUp { get; init; }
    /// <summary>Time available or ringing.</summary>
    [Id(6)] public TimeSpan Idle { get; init; }
    [Id(7)] public TimeSpan NotReady { get; init; }
    [Id(8)] public int Logins { get; init; }
    /// <summary>Time on a call or in wrap-up.</summary>
    [Id(9)] public TimeSpan Busy { get; init; }
    /// <summary>Busy over busy and idle: the industry's occupancy; null before any staffed time.</summary>
    [Id(10)] public double? Occupancy { get; init; }

    public static AgentFigures Of(KpiCounters today) => new()
    {
        Offered = today.Offered,
        Handled = today.Handled,
        Missed = today.Missed,
        Talk = today.Talk,
        Hold = today.Hold,
        WrapUp = today.WrapUp,
        Idle = today.Idle,
        NotReady = today.NotReady,
        Logins = today.Logins,
        Busy = today.Busy,
        Occupancy = today.Occupancy,
    };
}

/// <summary>An agent as supervisors and the agent's desktop see them; <see cref="Version"/> counts presence changes.</summary>
[GenerateSerializer, Immutable, Alias("cc.AgentStatus")]
public sealed record AgentStatus(
    string AgentId,
    AgentProfile? Profile,
    AgentPresence Presence,
    string? Reason,
    DateTimeOffset Since,
    string? Endpoint,
    string? CallId,
    AgentOffer? Offer,
    AgentFigures Figures,
    long Version);

/// <summary>What a queue learns when it tries to reserve an agent: the endpoint to ring, or null when the agent is no longer available (another queue was faster, or they changed state).</summary>
[GenerateSerializer, Immutable, Alias("cc.Reservation")]
public sealed record Reservation(string? Endpoint)
{
    public bool Succeeded => Endpoint is not null;

    public static Reservation Refused { get; } = new((string?)null);
}
