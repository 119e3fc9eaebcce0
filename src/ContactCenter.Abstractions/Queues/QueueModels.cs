using System.Collections.Immutable;
using System.Text.Json.Serialization;
using ContactCenter.Kpis;

namespace ContactCenter.Queues;

/// <summary>A call asking a queue for an agent.</summary>
/// <param name="WaitingSince">When the call first entered any queue: overflow and transfers keep it.</param>
/// <param name="OverflowedFrom">The queue that overflowed the call here; null when the call's own events put it here.</param>
[GenerateSerializer, Immutable, Alias("cc.QueuedCall")]
public sealed record QueuedCall(string CallId, string GatewayId, string Caller, bool Vip, DateTimeOffset WaitingSince, int Priority = 0, string? OverflowedFrom = null);

/// <summary>What a queue answers a call that asks to wait in it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EnqueueOutcome>))]
public enum EnqueueOutcome
{
    Queued,
    /// <summary>The queue is at its maximum length: the gateway plays busy.</summary>
    Full,
    /// <summary>No agent is logged in to the queue: the gateway plays an announcement.</summary>
    NobodyLoggedIn,
    /// <summary>The queue does not exist.</summary>
    UnknownQueue,
}

/// <summary>Why a call leaves a queue other than by being answered.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<QueueExit>))]
public enum QueueExit
{
    Answered,
    Abandoned,
    Overflowed,
    MaxWait,
    Transferred,
}

/// <summary>A waiting call as the queue shows it.</summary>
/// <param name="OverflowingTo">The queue being asked to take the call, while it answers.</param>
[GenerateSerializer, Immutable, Alias("cc.WaitingCallView")]
public sealed record WaitingCallView(string CallId, bool Vip, int Priority, DateTimeOffset WaitingSince, DateTimeOffset EnqueuedAt, string? OfferedTo, string? OverflowingTo);

/// <summary>What a queue answers when asked to keep one of its agents for a call being transferred to them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TransferHoldOutcome>))]
public enum TransferHoldOutcome
{
    Held,
    UnknownQueue,
    /// <summary>The agent takes no calls of this queue (no skill for it, or logged out).</summary>
    NotInQueue,
    /// <summary>The agent is busy, not ready, or kept for another transfer.</summary>
    NotAvailable,
}

/// <summary>How long a transfer to an agent keeps them for the call.</summary>
public static class TransferHolds
{
    /// <summary>Long enough for the gateway's report of the transfer and the agent's ring to begin; short enough that a caller is not kept waiting for an agent who went elsewhere.</summary>
    public static readonly TimeSpan HoldTime = TimeSpan.FromSeconds(15);
}

/// <summary>A queue's live picture.</summary>
[GenerateSerializer, Immutable, Alias("cc.QueueStatus")]
public sealed record QueueStatus(
    string QueueId,
    QueueConfiguration? Configuration,
    ImmutableArray<WaitingCallView> Waiting,
    ImmutableArray<string> IdleAgents,
    int LoggedInAgents,
    QueueFigures Figures,
    ImmutableArray<string> LoggedInAgentIds,
    string ActiveInRegion);

/// <summary>
/// A queue's counts of the center's day so far: a view of its KPI counters for today (see docs/kpis.md), not a
/// second set of counters; they start again at the center's midnight.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.QueueFigures")]
public sealed record QueueFigures
{
    [Id(0)] public int Offered { get; init; }
    [Id(1)] public int Answered { get; init; }
    [Id(2)] public int Abandoned { get; init; }
    [Id(3)] public int ShortAbandoned { get; init; }
    [Id(4)] public int Overflowed { get; init; }
    [Id(5)] public int Refused { get; init; }
    [Id(6)] public int AnsweredWithinThreshold { get; init; }
    [Id(7)] public int OfferTimeouts { get; init; }

    public static QueueFigures Of(KpiCounters today) => new()
    {
        Offered = today.Offered,
        Answered = today.Answered,
        Abandoned = today.Abandoned,
        ShortAbandoned = today.ShortAbandoned,
        Overflowed = today.Overflowed,
        Refused = today.Refused,
        AnsweredWithinThreshold = today.AnsweredWithinThreshold,
        OfferTimeouts = today.OfferTimeouts,
    };
}
