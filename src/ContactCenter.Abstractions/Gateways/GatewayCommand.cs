using System.Text.Json.Serialization;

namespace ContactCenter.Gateways;

/// <summary>
/// A decision the cluster sends back to the gateway that owns a call. Delivered at least once: the gateway
/// acknowledges each command id, and unacknowledged commands are delivered again, across silo restarts too.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.GatewayCommand")]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ConnectToAgent), "connect")]
[JsonDerivedType(typeof(CancelConnect), "cancel_connect")]
[JsonDerivedType(typeof(PlayBusy), "play_busy")]
[JsonDerivedType(typeof(PlayAnnouncement), "play_announcement")]
[JsonDerivedType(typeof(CallOverflowed), "overflowed")]
[JsonDerivedType(typeof(CallMoved), "moved")]
[JsonDerivedType(typeof(JoinAsSupervisor), "join_as_supervisor")]
[JsonDerivedType(typeof(LeaveAsSupervisor), "leave_as_supervisor")]
[JsonDerivedType(typeof(PauseRecording), "pause_recording")]
[JsonDerivedType(typeof(ResumeRecording), "resume_recording")]
[JsonDerivedType(typeof(PlaceCall), "place_call")]
[JsonDerivedType(typeof(TransferCall), "transfer")]
[JsonDerivedType(typeof(SurveyAfterCall), "survey_after_call")]
[JsonDerivedType(typeof(CancelSurveyAfterCall), "cancel_survey_after_call")]
public abstract record GatewayCommand(string CallId);

/// <summary>Ring the agent's endpoint with this call.</summary>
[GenerateSerializer, Immutable, Alias("cc.ConnectToAgent")]
public sealed record ConnectToAgent(string CallId, string AgentId, string Endpoint, string Queue) : GatewayCommand(CallId);

/// <summary>Stop ringing the agent: the offer timed out; the call stays queued.</summary>
[GenerateSerializer, Immutable, Alias("cc.CancelConnect")]
public sealed record CancelConnect(string CallId, string AgentId) : GatewayCommand(CallId);

/// <summary>The queue cannot take the call: play busy and let the caller go.</summary>
[GenerateSerializer, Immutable, Alias("cc.PlayBusy")]
public sealed record PlayBusy(string CallId, string Queue, string Reason) : GatewayCommand(CallId);

/// <summary>Play a recorded announcement (nobody logged in, maximum wait reached).</summary>
[GenerateSerializer, Immutable, Alias("cc.PlayAnnouncement")]
public sealed record PlayAnnouncement(string CallId, string Queue, string Announcement) : GatewayCommand(CallId);

/// <summary>The call moved to another queue; it keeps its place by original wait.</summary>
[GenerateSerializer, Immutable, Alias("cc.CallOverflowed")]
public sealed record CallOverflowed(string CallId, string FromQueue, string ToQueue) : GatewayCommand(CallId);

/// <summary>
/// A supervisor moved the waiting call to another queue; it keeps its place by original wait, and its priority.
/// Like <see cref="CallOverflowed"/>, nothing needs doing at the gateway: the call keeps waiting and the cluster
/// routes it. The gateway reports no <c>queued</c> event for it (the call's own record keeps the queue its events
/// put it in; news of it sent there follows it). A kind of its own rather than <c>overflowed</c>: a person decided
/// it, not the routing strategy, and the gateway's records can say who.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.CallMoved")]
public sealed record CallMoved(string CallId, string FromQueue, string ToQueue, string Supervisor) : GatewayCommand(CallId);

/// <summary>How a supervisor joins a call.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SupervisionMode>))]
public enum SupervisionMode
{
    /// <summary>Listens to both sides; nobody hears the supervisor.</summary>
    Monitor,
    /// <summary>Coaches: the agent hears the supervisor, the caller does not.</summary>
    Whisper,
    /// <summary>Barges in: everyone hears everyone.</summary>
    Barge,
}

/// <summary>
/// Bridge a supervisor's endpoint into the call in this mode. Sent again for a supervisor already on the call, it
/// changes their mode. When the supervisor is on the call, the gateway reports <c>participant_joined</c> with
/// <c>participant</c> = <see cref="Supervisor"/> and role <c>supervisor</c>, in its own sequence of the call's events.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.JoinAsSupervisor")]
public sealed record JoinAsSupervisor(string CallId, string Supervisor, SupervisionMode Mode, string Endpoint) : GatewayCommand(CallId);

/// <summary>Take the supervisor off the call; the gateway then reports <c>participant_left</c>. Nothing to do if they are not on it.</summary>
[GenerateSerializer, Immutable, Alias("cc.LeaveAsSupervisor")]
public sealed record LeaveAsSupervisor(string CallId, string Supervisor) : GatewayCommand(CallId);

/// <summary>
/// Pause the call's recording (the caller reads a card number, say): the gateway records silence from here, so
/// the timeline stays whole, and reports <c>recording_paused</c>. <see cref="By"/> is who asked: the agent, or a
/// supervisor. Nothing to do if the recording is already paused.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.PauseRecording")]
public sealed record PauseRecording(string CallId, string By) : GatewayCommand(CallId);

/// <summary>Record again after a pause; the gateway reports <c>recording_resumed</c>. Nothing to do if it is not paused.</summary>
[GenerateSerializer, Immutable, Alias("cc.ResumeRecording")]
public sealed record ResumeRecording(string CallId, string By) : GatewayCommand(CallId);

/// <summary>
/// Dial a subscriber for the center (<see cref="ContactCenter.Outbound.IOutboundCallGrain"/>): the call id is the
/// outbound call's id. Before dialling, the gateway claims the call (<c>POST /api/v1/gateway/outbound-calls/{id}</c>,
/// step <c>dialing</c>); only a granted claim is dialled, so a command delivered twice rings the subscriber once.
/// </summary>
/// <param name="To">The subscriber's E.164 number.</param>
/// <param name="Prompt">The name of the edge's outbound prompt to play once answered.</param>
/// <param name="CallerId">The number shown to the subscriber; null for the gateway's own.</param>
[GenerateSerializer, Immutable, Alias("cc.PlaceCall")]
public sealed record PlaceCall(string CallId, string To, string Prompt, int MaxDigits, int DigitSeconds, int RingSeconds, string? CallerId) : GatewayCommand(CallId);

/// <summary>
/// Take the call from <see cref="FromAgent"/> to another queue, blind (from the agent's desk): the gateway ends the
/// agent's leg, keeps the caller waiting with the call's recording running, and reports <c>transferred</c> with
/// <c>toQueue</c>; the queue then offers the call like any other. Nothing to do once the call is no longer with
/// <see cref="FromAgent"/> (a redelivery, or the caller hung up). <see cref="By"/> is who asked.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.TransferCall")]
public sealed record TransferCall(string CallId, string FromAgent, string ToQueue, string By) : GatewayCommand(CallId);

/// <summary>
/// The call's IVR survey: should the agent hang up while talking to the caller, keep the caller on the line, play the
/// prompt named <see cref="Prompt"/>, collect up to <see cref="MaxDigits"/> keys (waiting <see cref="DigitSeconds"/>
/// after the prompt), then hang up and report what was keyed. A caller who hangs up first is not asked.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.SurveyAfterCall")]
public sealed record SurveyAfterCall(string CallId, string Prompt, int MaxDigits, int DigitSeconds) : GatewayCommand(CallId);

/// <summary>
/// The call's IVR survey closed before the call ended (the subscriber opted out, its time ran out): should the agent
/// hang up, let the caller go as usual. Nothing to do once the question has begun.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.CancelSurveyAfterCall")]
public sealed record CancelSurveyAfterCall(string CallId) : GatewayCommand(CallId);

/// <summary>A command as the gateway receives it: with the id it acknowledges.</summary>
public sealed record DeliveredCommand(long Id, GatewayCommand Command, DateTimeOffset CreatedAt, int Deliveries);

/// <summary>Announcement names the gateway maps to its recordings.</summary>
public static class Announcements
{
    public const string NobodyLoggedIn = "no_agents";
    public const string MaxWaitReached = "max_wait";
}
