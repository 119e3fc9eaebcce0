using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace ContactCenter.Calls;

/// <summary>Where a live call is in its life.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallPhase>))]
public enum CallPhase
{
    /// <summary>Up at the gateway, but not in a menu, a queue or with an agent.</summary>
    Pending,
    InIvr,
    Queued,
    Ringing,
    Talking,
    OnHold,
    Ended,
}

/// <summary>Whether the call is being recorded right now.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecordingStatus>))]
public enum RecordingStatus
{
    Off,
    Recording,
    Paused,
}

/// <summary>A further party on the call.</summary>
[GenerateSerializer, Immutable, Alias("cc.CallParticipant")]
public sealed record CallParticipant(string Id, ParticipantRole Role, DateTimeOffset JoinedAt);

/// <summary>
/// A call's whole live state: the fold of its accepted events. Immutable, so the state machine can
/// compute the next state, have it made durable, and only then let it replace the current one.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.CallSnapshot")]
public sealed record CallSnapshot
{
    [Id(0)] public required string CallId { get; init; }
    /// <summary>The gateway that offered the call and alone may report on it.</summary>
    [Id(1)] public required string GatewayId { get; init; }
    [Id(2)] public required CallPhase Phase { get; init; }
    /// <summary>The sequence number of the last accepted event.</summary>
    [Id(3)] public required int LastSequence { get; init; }
    [Id(4)] public required string Caller { get; init; }
    [Id(5)] public required string Dialled { get; init; }
    [Id(6)] public required string Region { get; init; }
    [Id(7)] public required DateTimeOffset OfferedAt { get; init; }
    [Id(8)] public DateTimeOffset LastEventAt { get; init; }
    [Id(9)] public string? IvrMenu { get; init; }
    [Id(10)] public string? IvrPath { get; init; }
    [Id(11)] public string? Queue { get; init; }
    /// <summary>When the call first entered any queue: transfers and overflow keep the original wait.</summary>
    [Id(12)] public DateTimeOffset? FirstQueuedAt { get; init; }
    [Id(13)] public string? Agent { get; init; }
    [Id(14)] public DateTimeOffset? AnsweredAt { get; init; }
    [Id(15)] public DateTimeOffset? HeldSince { get; init; }
    [Id(16)] public TimeSpan HoldTime { get; init; }
    [Id(17)] public int HoldCount { get; init; }
    [Id(18)] public int TransferCount { get; init; }
    [Id(19)] public RecordingStatus Recording { get; init; }
    [Id(20)] public string? ActiveRecording { get; init; }
    [Id(21)] public ImmutableArray<string> Recordings { get; init; } = [];
    [Id(22)] public ImmutableArray<CallParticipant> Participants { get; init; } = [];
    [Id(23)] public DateTimeOffset? EndedAt { get; init; }
    [Id(24)] public string? EndCause { get; init; }
    [Id(25)] public HangupSide? HungUpBy { get; init; }
    /// <summary>
    /// Set when the queue the call's events put it in did not take it, or let it go at the maximum wait: the call
    /// is still live (the gateway plays the announcement, then reports what the caller did) but waits nowhere. Told by
    /// the queue, not journaled: a call that comes back from the journal learns it again from its queue's records.
    /// </summary>
    [Id(26)] public QueueRefusal? Refusal { get; init; }

    [JsonIgnore] public bool IsEnded => Phase == CallPhase.Ended;
}

/// <summary>Why a queue did not keep a call: <c>no_agents</c>, <c>queue_full</c>, <c>unknown_queue</c> or <c>max_wait</c>.</summary>
[GenerateSerializer, Immutable, Alias("cc.QueueRefusal")]
public sealed record QueueRefusal(string Queue, string Reason, DateTimeOffset At);
