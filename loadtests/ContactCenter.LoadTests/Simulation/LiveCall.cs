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
/// advances <see cref="Version"/>, so steps scheduled for an earlier phase (a caller giving up on a wait that was answered) fall
/// through; an answer belongs to its ring instead (<see cref="Rings"/>), since one phone may start ringing while
/// another still rings. Touched by the simulation loop only.
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

    /// <summary>The agent talking (or last talking), if any.</summary>
    public string? Agent { get; set; }

    /// <summary>
    /// The agents whose phones ring with this call now, each with its ring's number on the call: a <c>connect</c>
    /// starts a ring, a <c>cancel_connect</c> stops that agent's, an answer stops them all.
    /// </summary>
    public Dictionary<string, CallRing> Rings { get; } = new(StringComparer.Ordinal);

    /// <summary>Rings started on this call so far (numbers them).</summary>
    public int RingsStarted { get; set; }

    /// <summary>Rings started in the current wait: more than one means the call was offered again.</summary>
    public int RingsThisWait { get; set; }

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

/// <summary>One agent's phone ringing with a call: its number on the call, and whether the agent picks up.</summary>
public readonly record struct CallRing(int Number, bool PicksUp);
