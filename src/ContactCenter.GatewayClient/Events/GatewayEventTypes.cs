namespace ContactCenter.GatewayClient;

/// <summary>
/// One factory per event type of the gateway API, with the type's fields as parameters, so a gateway cannot
/// misspell a field name. docs/gateway-api.md is the reference for what each means.
/// </summary>
public sealed partial record GatewayEvent
{
    /// <summary>The call reached the gateway: always sequence 1.</summary>
    public static GatewayEvent Offered(string eventId, string callId, DateTimeOffset at, string caller, string dialled, string region) =>
        new(eventId, callId, 1, "offered", at, With(("caller", caller), ("dialled", dialled), ("region", region)));

    public static GatewayEvent IvrEntered(string eventId, string callId, int sequence, DateTimeOffset at, string menu) =>
        new(eventId, callId, sequence, "ivr_entered", at, With(("menu", menu)));

    public static GatewayEvent IvrExited(string eventId, string callId, int sequence, DateTimeOffset at, string menuPath) =>
        new(eventId, callId, sequence, "ivr_exited", at, With(("menuPath", menuPath)));

    public static GatewayEvent Queued(string eventId, string callId, int sequence, DateTimeOffset at, string queue) =>
        new(eventId, callId, sequence, "queued", at, With(("queue", queue)));

    public static GatewayEvent AgentRinging(string eventId, string callId, int sequence, DateTimeOffset at, string agent) =>
        new(eventId, callId, sequence, "agent_ringing", at, With(("agent", agent)));

    /// <summary>The agent's phone did not take the call it was offered: <paramref name="reason"/> <c>busy</c>, <c>declined</c>, <c>not_found</c>, <c>no_answer</c>...</summary>
    public static GatewayEvent AgentRingFailed(string eventId, string callId, int sequence, DateTimeOffset at, string agent, string reason) =>
        new(eventId, callId, sequence, "agent_ring_failed", at, With(("agent", agent), ("reason", reason)));

    public static GatewayEvent Answered(string eventId, string callId, int sequence, DateTimeOffset at, string agent) =>
        new(eventId, callId, sequence, "answered", at, With(("agent", agent)));

    public static GatewayEvent Held(string eventId, string callId, int sequence, DateTimeOffset at) =>
        new(eventId, callId, sequence, "held", at);

    public static GatewayEvent Resumed(string eventId, string callId, int sequence, DateTimeOffset at) =>
        new(eventId, callId, sequence, "resumed", at);

    public static GatewayEvent TransferredToQueue(string eventId, string callId, int sequence, DateTimeOffset at, string queue) =>
        new(eventId, callId, sequence, "transferred", at, With(("toQueue", queue)));

    public static GatewayEvent TransferredToAgent(string eventId, string callId, int sequence, DateTimeOffset at, string agent) =>
        new(eventId, callId, sequence, "transferred", at, With(("toAgent", agent)));

    public static GatewayEvent ParticipantJoined(string eventId, string callId, int sequence, DateTimeOffset at, string participant, ParticipantRole role) =>
        new(eventId, callId, sequence, "participant_joined", at, With(("participant", participant), ("role", WireName(role))));

    public static GatewayEvent ParticipantLeft(string eventId, string callId, int sequence, DateTimeOffset at, string participant) =>
        new(eventId, callId, sequence, "participant_left", at, With(("participant", participant)));

    public static GatewayEvent RecordingStarted(string eventId, string callId, int sequence, DateTimeOffset at, string mediaRef) =>
        new(eventId, callId, sequence, "recording_started", at, With(("mediaRef", mediaRef)));

    public static GatewayEvent RecordingPaused(string eventId, string callId, int sequence, DateTimeOffset at) =>
        new(eventId, callId, sequence, "recording_paused", at);

    public static GatewayEvent RecordingResumed(string eventId, string callId, int sequence, DateTimeOffset at) =>
        new(eventId, callId, sequence, "recording_resumed", at);

    public static GatewayEvent RecordingStopped(string eventId, string callId, int sequence, DateTimeOffset at, string mediaRef) =>
        new(eventId, callId, sequence, "recording_stopped", at, With(("mediaRef", mediaRef)));

    /// <summary>The call is over; no event of the call may follow.</summary>
    public static GatewayEvent Ended(string eventId, string callId, int sequence, DateTimeOffset at, string cause, HangupSide hungUpBy) =>
        new(eventId, callId, sequence, "ended", at, With(("cause", cause), ("hungUpBy", WireName(hungUpBy))));

    private static Dictionary<string, string> With(params (string Name, string Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal);

    private static string WireName<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
