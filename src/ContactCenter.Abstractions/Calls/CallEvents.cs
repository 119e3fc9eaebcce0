using System.Text.Json.Serialization;

namespace ContactCenter.Calls;

/// <summary>
/// One thing that happened to a call, as reported by the telephony gateway that owns it.
/// Every event carries a gateway-unique <see cref="EventId"/> (for de-duplication) and a per-call
/// <see cref="Sequence"/> starting at 1 (for ordering).
/// </summary>
/// <remarks>
/// The JSON discriminators are part of the public gateway API and of the journal's stored payloads:
/// never rename one. New event kinds and new optional parameters are added at the end.
/// </remarks>
[GenerateSerializer, Immutable, Alias("cc.CallEvent")]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(CallOffered), "offered")]
[JsonDerivedType(typeof(IvrEntered), "ivr_entered")]
[JsonDerivedType(typeof(IvrExited), "ivr_exited")]
[JsonDerivedType(typeof(CallQueued), "queued")]
[JsonDerivedType(typeof(AgentRinging), "agent_ringing")]
[JsonDerivedType(typeof(AgentRingFailed), "agent_ring_failed")]
[JsonDerivedType(typeof(CallAnswered), "answered")]
[JsonDerivedType(typeof(CallHeld), "held")]
[JsonDerivedType(typeof(CallResumed), "resumed")]
[JsonDerivedType(typeof(CallTransferred), "transferred")]
[JsonDerivedType(typeof(ParticipantJoined), "participant_joined")]
[JsonDerivedType(typeof(ParticipantLeft), "participant_left")]
[JsonDerivedType(typeof(RecordingStarted), "recording_started")]
[JsonDerivedType(typeof(RecordingPaused), "recording_paused")]
[JsonDerivedType(typeof(RecordingResumed), "recording_resumed")]
[JsonDerivedType(typeof(RecordingStopped), "recording_stopped")]
[JsonDerivedType(typeof(CallEnded), "ended")]
[JsonDerivedType(typeof(EventRefused), "refused")]
public abstract record CallEvent(string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt)
{
    /// <summary>The wire name of this event kind, as gateways send it.</summary>
    [JsonIgnore]
    public string Kind => CallEventKinds.NameOf(GetType());
}

/// <summary>The call reached the gateway. Always the call's first event (sequence 1).</summary>
[GenerateSerializer, Immutable, Alias("cc.CallOffered")]
public sealed record CallOffered(
    string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt,
    string Caller, string Dialled, string Region)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>The caller entered a self-service voice menu.</summary>
[GenerateSerializer, Immutable, Alias("cc.IvrEntered")]
public sealed record IvrEntered(string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt, string Menu)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>The caller left the voice menus; <see cref="MenuPath"/> is the path taken, e.g. "main/billing/balance".</summary>
[GenerateSerializer, Immutable, Alias("cc.IvrExited")]
public sealed record IvrExited(string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt, string MenuPath)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>The call waits in a queue (skill group) for an agent.</summary>
[GenerateSerializer, Immutable, Alias("cc.CallQueued")]
public sealed record CallQueued(string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt, string Queue)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>An agent's phone rings with this call.</summary>
[GenerateSerializer, Immutable, Alias("cc.AgentRinging")]
public sealed record AgentRinging(string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt, string Agent)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>
/// The agent's phone did not take the call it was offered (busy, declined, unreachable, or the gateway stopped
/// ringing it): the offer ends now instead of at its timeout, and the call waits for the next agent.
/// </summary>
/// <param name="Reason">Why, in the gateway's words (<c>busy</c>, <c>declined</c>, <c>not_found</c>, <c>no_answer</c>...).</param>
[GenerateSerializer, Immutable, Alias("cc.AgentRingFailed")]
public sealed record AgentRingFailed(string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt, string Agent, string Reason)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>An agent answered; talk time starts.</summary>
[GenerateSerializer, Immutable, Alias("cc.CallAnswered")]
public sealed record CallAnswered(string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt, string Agent)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>The agent put the caller on hold.</summary>
[GenerateSerializer, Immutable, Alias("cc.CallHeld")]
public sealed record CallHeld(string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>The caller was taken off hold.</summary>
[GenerateSerializer, Immutable, Alias("cc.CallResumed")]
public sealed record CallResumed(string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>The call was transferred to a queue or to an agent: exactly one of the two is given.</summary>
[GenerateSerializer, Immutable, Alias("cc.CallTransferred")]
public sealed record CallTransferred(
    string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt, string? ToQueue, string? ToAgent)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>A further party joined the conversation (conference, supervisor monitor or barge-in).</summary>
[GenerateSerializer, Immutable, Alias("cc.ParticipantJoined")]
public sealed record ParticipantJoined(
    string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt, string Participant, ParticipantRole Role)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>A further party left the conversation.</summary>
[GenerateSerializer, Immutable, Alias("cc.ParticipantLeft")]
public sealed record ParticipantLeft(string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt, string Participant)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>Recording began; <see cref="MediaRef"/> names the segment in the media store.</summary>
[GenerateSerializer, Immutable, Alias("cc.RecordingStarted")]
public sealed record RecordingStarted(string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt, string MediaRef)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>Recording paused (for example while the caller reads out card details).</summary>
[GenerateSerializer, Immutable, Alias("cc.RecordingPaused")]
public sealed record RecordingPaused(string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>Recording resumed after a pause.</summary>
[GenerateSerializer, Immutable, Alias("cc.RecordingResumed")]
public sealed record RecordingResumed(string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>Recording stopped; the segment named by <see cref="MediaRef"/> is complete.</summary>
[GenerateSerializer, Immutable, Alias("cc.RecordingStopped")]
public sealed record RecordingStopped(string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt, string MediaRef)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>The call is over. No event may follow.</summary>
[GenerateSerializer, Immutable, Alias("cc.CallEnded")]
public sealed record CallEnded(
    string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt, string Cause, HangupSide HungUpBy)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>
/// The cluster's own entry, never a gateway's (<see cref="CallEventKinds.FromGateways"/>): the call's event at
/// <see cref="CallEvent.Sequence"/> was refused (malformed, naming a queue the center does not have, or impossible in
/// the call's state), with <see cref="Reason"/>. It takes that event's place in the call's sequence, so the events after
/// it are applied instead of being held for ever for one that can never come right, and the refusal is on record.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.EventRefused")]
public sealed record EventRefused(string EventId, string CallId, int Sequence, DateTimeOffset OccurredAt, string Reason)
    : CallEvent(EventId, CallId, Sequence, OccurredAt);

/// <summary>Why a further party is on the call.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ParticipantRole>))]
public enum ParticipantRole
{
    Agent,
    Supervisor,
    External,
}

/// <summary>Which side ended the call.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HangupSide>))]
public enum HangupSide
{
    Caller,
    Agent,
    System,
}
