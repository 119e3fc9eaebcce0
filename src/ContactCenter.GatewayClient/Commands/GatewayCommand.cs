namespace ContactCenter.GatewayClient;

/// <summary>
/// A decision of the cluster about one of the gateway's calls, as delivered by the command channel. The
/// fields of each kind are in <see cref="Fields"/> under their JSON names, e.g. for <c>connect</c>:
/// <c>agentId</c>, <c>endpoint</c>, <c>queue</c>. See "The command channel to gateways" in docs/gateway-api.md.
/// </summary>
/// <param name="Id">The region's id for the command; the client acknowledges it after the handler returns.</param>
/// <param name="Kind">One of <see cref="CommandKinds"/>, or a kind newer than this client.</param>
/// <param name="Deliveries">How many times the region has delivered it: more than 1 means an earlier delivery was not acknowledged in time.</param>
/// <param name="Region">The region that delivered it.</param>
public sealed record GatewayCommand(
    long Id,
    string Kind,
    string CallId,
    IReadOnlyDictionary<string, string> Fields,
    DateTimeOffset CreatedAt,
    int Deliveries,
    Region Region)
{
    /// <summary>The field's value, or null when this kind of command has no such field.</summary>
    public string? Field(string name) => Fields.GetValueOrDefault(name);
}

/// <summary>The command kinds the cluster sends today.</summary>
public static class CommandKinds
{
    /// <summary>Ring the agent's endpoint with the call: fields <c>agentId</c>, <c>endpoint</c>, <c>queue</c>.</summary>
    public const string Connect = "connect";
    /// <summary>Stop ringing the agent; the call stays queued: field <c>agentId</c>.</summary>
    public const string CancelConnect = "cancel_connect";
    /// <summary>The queue cannot take the call; play busy: fields <c>queue</c>, <c>reason</c>.</summary>
    public const string PlayBusy = "play_busy";
    /// <summary>Play a recorded announcement: fields <c>queue</c>, <c>announcement</c> (<c>no_agents</c>, <c>max_wait</c>).</summary>
    public const string PlayAnnouncement = "play_announcement";
    /// <summary>The call moved to another queue: fields <c>fromQueue</c>, <c>toQueue</c>.</summary>
    public const string Overflowed = "overflowed";
    /// <summary>
    /// A supervisor moved the waiting call to another queue: fields <c>fromQueue</c>, <c>toQueue</c>, <c>supervisor</c>.
    /// Like <see cref="Overflowed"/>, the call keeps waiting; report no <c>queued</c> event for it.
    /// </summary>
    public const string Moved = "moved";
    /// <summary>
    /// Bridge a supervisor into the call: fields <c>supervisor</c>, <c>mode</c> (<c>monitor</c>, <c>whisper</c>,
    /// <c>barge</c>), <c>endpoint</c>. For a supervisor already on the call, it changes their mode. Once they are on
    /// it, report <c>participant_joined</c> with <c>participant</c> = the supervisor and <c>role</c> <c>supervisor</c>.
    /// </summary>
    public const string JoinAsSupervisor = "join_as_supervisor";
    /// <summary>Take the supervisor off the call (field <c>supervisor</c>), then report <c>participant_left</c>.</summary>
    public const string LeaveAsSupervisor = "leave_as_supervisor";
    /// <summary>Record silence from now on (field <c>by</c>: who asked), then report <c>recording_paused</c>; nothing if already paused.</summary>
    public const string PauseRecording = "pause_recording";
    /// <summary>Record again (field <c>by</c>), then report <c>recording_resumed</c>; nothing if not paused.</summary>
    public const string ResumeRecording = "resume_recording";
    /// <summary>
    /// Dial a subscriber (the call id is the outbound call's): fields <c>to</c>, <c>prompt</c>, <c>maxDigits</c>,
    /// <c>digitSeconds</c>, <c>ringSeconds</c>, and <c>callerId</c> when set. Claim it with
    /// <see cref="ContactCenterClient.ReportOutboundAsync"/> (<see cref="OutboundSteps.Dialing"/>) before dialling.
    /// </summary>
    public const string PlaceCall = "place_call";
    /// <summary>
    /// Take the call from its agent to another queue, blind: fields <c>fromAgent</c>, <c>toQueue</c>, <c>by</c>. End
    /// the agent's leg, keep the caller (and the recording), and report <c>transferred</c> with <c>toQueue</c>; the
    /// cluster routes the call again. Nothing to do when the call is not with <c>fromAgent</c>.
    /// </summary>
    public const string Transfer = "transfer";
    /// <summary>
    /// The call has an IVR survey: fields <c>prompt</c>, <c>maxDigits</c>, <c>digitSeconds</c>. Should the agent hang up
    /// on the caller, report <c>ended</c> as usual but keep the caller on the line, play the prompt, collect the keys
    /// (<c>#</c> ends them early), hang up, and report with <see cref="ContactCenterClient.ReportSurveyAnswerAsync"/>.
    /// A call that ends otherwise is reported not asked.
    /// </summary>
    public const string SurveyAfterCall = "survey_after_call";
    /// <summary>The call's IVR survey closed before the agent hung up: let the caller go as usual; nothing to do once the question has begun.</summary>
    public const string CancelSurveyAfterCall = "cancel_survey_after_call";
}
