namespace ContactCenter.LoadTests.Simulation;

/// <summary>Where a simulated call is, as its gateway sees it.</summary>
public enum LivePhase
{
    InIvr,
    /// <summary>Queued (or transferred to a queue), no agent ringing.</summary>
    Waiting,
    Ringing,
    Talking,
    OnHold,
    /// <summary>The center turned the call away; the announcement plays, then the gateway ends the call.</summary>
    Announcement,
    Ended,
}

/// <summary>
/// One call in progress: its plan, how far it got, and the stamp its timed steps must match. Every change of phase
/// advances <see cref="Version"/>, so steps scheduled for an earlier phase (an answer for a ring that was cancelled)
/// fall through. Touched by the simulation loop only.
/// </summary>
public sealed class LiveCall(long index, string callId, CallPlan plan)
{
    public long Index { get; } = index;

    public string CallId { get; } = callId;

    public CallPlan Plan { get; } = plan;

    public LivePhase Phase { get; private set; } = LivePhase.InIvr;

    public int Version { get; private set; }

    /// <summary>The sequence of the last event reported.</summary>
    public int Sequence { get; set; }

    /// <summary>The agent ringing or talking, if any.</summary>
    public string? Agent { get; set; }

    /// <summary>An <c>agent_ringing</c> was reported for the current wait.</summary>
    public bool RingReported { get; set; }

    /// <summary>The agent leg being played (0 for the first agent, 1 after a transfer).</summary>
    public int Leg { get; set; }

    /// <summary>When (Stopwatch timestamp) the call first queued, for its wait.</summary>
    public long QueuedAt { get; set; }

    /// <summary>When the caller gives up waiting (Stopwatch timestamp).</summary>
    public long GivesUpAt { get; set; }

    /// <summary>Talk left of the current leg once a hold ends, in simulated seconds.</summary>
    public double TalkLeft { get; set; }

    /// <summary>The call's first wait has been counted (answered, abandoned or turned away).</summary>
    public bool WaitCounted { get; set; }

    public bool InMeasuredWindow { get; set; }

    /// <summary>Why the center turned the call away (the command's reason), reported as the end's cause.</summary>
    public string? EndCause { get; set; }

    public AgentLeg CurrentLeg => Plan.Legs[Leg];

    public void MoveTo(LivePhase phase)
    {
        Phase = phase;
        Version++;
    }
}
