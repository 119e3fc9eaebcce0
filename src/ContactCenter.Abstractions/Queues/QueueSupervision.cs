using System.Text.Json.Serialization;

namespace ContactCenter.Queues;

/// <summary>The priorities a supervisor may give a waiting call; calls go by priority first, then VIP, then wait.</summary>
public static class CallPriorities
{
    /// <summary>What every call starts with.</summary>
    public const int Normal = 0;
    public const int Highest = 9;
}

/// <summary>Why a queue cannot do what a supervisor asked with one of its calls.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WaitingCallRefusal>))]
public enum WaitingCallRefusal
{
    /// <summary>The call is not waiting in this queue (never was, answered, gone, or moved on).</summary>
    NotWaiting,
    /// <summary>Another queue is being asked to take the call right now (overflow, or another move).</summary>
    BeingHandedOver,
}

/// <summary>
/// The first step of a supervisor's move: the source queue has let go of the call (it is no longer routed there,
/// and an offer in flight was withdrawn), or says why it cannot.
/// </summary>
/// <param name="Call">The call to hand to the target: its original wait, priority and VIP flag, and
/// <see cref="QueuedCall.OverflowedFrom"/> naming the source, as an overflow does.</param>
/// <param name="WithdrawnFrom">The agent whose phone was ringing with the call, now freed.</param>
[GenerateSerializer, Immutable, Alias("cc.MoveStart")]
public sealed record MoveStart(WaitingCallRefusal? Refusal, QueuedCall? Call, string? WithdrawnFrom);

/// <summary>The answer to a supervisor's priority change: the call as it waits now, or why not.</summary>
[GenerateSerializer, Immutable, Alias("cc.PriorityChange")]
public sealed record PriorityChange(WaitingCallRefusal? Refusal, WaitingCallView? Call);
