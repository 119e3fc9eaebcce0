using ContactCenter.Calls;

namespace ContactCenter.Tests.Calls;

/// <summary>Writes a call's events the way a gateway would: ids and sequence numbers in order, a clock that moves forward.</summary>
public sealed class CallScript(string callId, DateTimeOffset start)
{
    private int _sequence;

    public string CallId { get; } = callId;

    public DateTimeOffset Now { get; private set; } = start;

    public static CallScript New(string? callId = null) =>
        new(callId ?? $"call-{Guid.NewGuid():N}", new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));

    /// <summary>Moves the call's clock on; the next event happens that much later.</summary>
    public CallScript After(double seconds)
    {
        Now = Now.AddSeconds(seconds);
        return this;
    }

    public CallOffered Offered(string caller = "+8613812345678", string region = "nanjing") =>
        new(NextId(), CallId, Next(), Now, caller, "10086", region);

    public IvrEntered IvrEntered(string menu = "main") => new(NextId(), CallId, Next(), Now, menu);

    public IvrExited IvrExited(string path = "main/agent") => new(NextId(), CallId, Next(), Now, path);

    public CallQueued Queued(string queue = "gotone-nanjing") => new(NextId(), CallId, Next(), Now, queue);

    public AgentRinging Ringing(string agent = "agent-1") => new(NextId(), CallId, Next(), Now, agent);

    public AgentRingFailed RingFailed(string agent = "agent-1", string reason = "busy") => new(NextId(), CallId, Next(), Now, agent, reason);

    public CallAnswered Answered(string agent = "agent-1") => new(NextId(), CallId, Next(), Now, agent);

    public CallHeld Held() => new(NextId(), CallId, Next(), Now);

    public CallResumed Resumed() => new(NextId(), CallId, Next(), Now);

    public CallTransferred Transferred(string? toQueue = null, string? toAgent = null) => new(NextId(), CallId, Next(), Now, toQueue, toAgent);

    public ParticipantJoined Joined(string participant, ParticipantRole role = ParticipantRole.Supervisor) =>
        new(NextId(), CallId, Next(), Now, participant, role);

    public ParticipantLeft Left(string participant) => new(NextId(), CallId, Next(), Now, participant);

    public RecordingStarted RecordingStarted(string media = "rec-1") => new(NextId(), CallId, Next(), Now, media);

    public RecordingPaused RecordingPaused() => new(NextId(), CallId, Next(), Now);

    public RecordingResumed RecordingResumed() => new(NextId(), CallId, Next(), Now);

    public RecordingStopped RecordingStopped(string media = "rec-1") => new(NextId(), CallId, Next(), Now, media);

    public CallEnded Ended(HangupSide by = HangupSide.Caller, string cause = "normal") => new(NextId(), CallId, Next(), Now, cause, by);

    private int Next() => ++_sequence;

    private string NextId() => $"{CallId}-e{_sequence + 1}";
}
