using ContactCenter.Agents;
using ContactCenter.Kpis;

namespace ContactCenter.Queues;

/// <summary>
/// A call waiting in this queue; <see cref="OfferedTo"/> is set while an agent is being offered it, and
/// <see cref="OverflowingTo"/> while another queue is being asked to take it (neither is routed meanwhile).
/// <see cref="MovedBy"/> and <see cref="MovingSince"/> are set when that hand-over is a supervisor's move.
/// <see cref="OfferCommand"/> is the offer's connect command, once committed: whether its gateway took it tells,
/// when the offer times out, the agent's fault from the gateway's.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.WaitingCall")]
public sealed record WaitingCall(
    QueuedCall Call, DateTimeOffset EnqueuedAt, string? OfferedTo = null, DateTimeOffset? OfferDeadline = null,
    string? OverflowingTo = null, DateTimeOffset? OverflowingSince = null, string? MovedBy = null, DateTimeOffset? MovingSince = null,
    long? OfferCommand = null);

/// <summary>What the queue knows of one agent with a skill for it.</summary>
[GenerateSerializer, Immutable, Alias("cc.QueueAgent")]
public sealed record QueueAgent(int Tier, AgentPresence Presence, DateTimeOffset Since, long Version);

/// <summary>Where a call that left by overflow went, so late news about it can follow it.</summary>
[GenerateSerializer, Immutable, Alias("cc.Forwarding")]
public sealed record Forwarding(string ToQueue, DateTimeOffset At);

/// <summary>Why a queue did not take a call, and when.</summary>
[GenerateSerializer, Immutable, Alias("cc.Refusal")]
public sealed record Refusal(EnqueueOutcome Outcome, DateTimeOffset At);

/// <summary>A queue's durable state: survives deactivation and restarts, so no waiting call is ever lost.</summary>
[GenerateSerializer, Alias("cc.QueueState")]
public sealed class QueueState
{
    [Id(0)] public QueueConfiguration? Configuration { get; set; }
    [Id(1)] public Dictionary<string, WaitingCall> Waiting { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public Dictionary<string, QueueAgent> Agents { get; set; } = new(StringComparer.Ordinal);
    [Id(3)] public Dictionary<string, Forwarding> Forwarded { get; set; } = new(StringComparer.Ordinal);
    [Id(4)] public QueueFigures Figures { get; set; } = new();
    /// <summary>Calls that left for the maximum wait, and when: a late repeat of their arrival is not a new call.</summary>
    [Id(5)] public Dictionary<string, DateTimeOffset> Left { get; set; } = new(StringComparer.Ordinal);
    /// <summary>The queue's KPI counters over the last 15 minutes and today.</summary>
    [Id(6)] public KpiWindows Kpis { get; set; } = new();
    /// <summary>Calls counted without waiting here (in and out in one batch), and when: counted once however often resent.</summary>
    [Id(7)] public Dictionary<string, DateTimeOffset> PassedThrough { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Calls this queue refused, why and when: the journal still says they are queued here until the gateway acts.</summary>
    [Id(8)] public Dictionary<string, Refusal> Refused { get; set; } = new(StringComparer.Ordinal);

    public int LoggedInAgents => Agents.Values.Count(a => a.Presence != AgentPresence.LoggedOut);
}
