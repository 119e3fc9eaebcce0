namespace ContactCenter.SipEdge.Media;

/// <summary>How a supervisor on a call is heard: the command's <c>mode</c>.</summary>
public enum ListenMode
{
    /// <summary>Hears the caller and the agent; heard by nobody.</summary>
    Monitor,

    /// <summary>Also heard by the agent (and other supervisors), never by the caller.</summary>
    Whisper,

    /// <summary>Heard by everyone on the call.</summary>
    Barge,
}

/// <summary>
/// The media of a call with supervisors on it. Who hears whom is one rule (<see cref="Hears"/>): the caller and
/// the agent hear each other, every supervisor hears both, a whispering supervisor is heard by the agent, a
/// barging one by the caller too, and supervisors who speak hear each other. A direction with a single speaker
/// stays a packet relay (the caller's words to the agent while supervisors only monitor); a direction with more
/// is mixed here, a 20 ms frame per tick from each speaker's <see cref="JitterBuffer"/>, and sent on the
/// listener's leg in its own law. What barging supervisors say goes into the recording's center channel.
/// Fed from the legs' receive loops, mixed on the media clock, changed from the signalling loop.
/// </summary>
public sealed class SupervisionMixer(RtpLeg callerLeg, RtpLeg agentLeg, CallRecording? recording) : IMediaTicker
{
    private const int FrameSamples = JitterBuffer.FrameSamples;

    private readonly JitterBuffer _caller = new();
    private readonly JitterBuffer _agent = new();
    private readonly object _gate = new();
    private Supervisor[] _supervisors = [];
    private bool _stopped;

    /// <summary>True while someone besides the agent must be heard by the caller: the caller's leg is fed from the mix, not relayed.</summary>
    public bool MixesToCaller { get; private set; }

    /// <summary>True while someone besides the caller must be heard by the agent.</summary>
    public bool MixesToAgent { get; private set; }

    public int Count => Volatile.Read(ref _supervisors).Length;

    public void FromCaller(G711Law law, ReadOnlySpan<byte> codes) => _caller.Write(law, codes);

    public void FromAgent(G711Law law, ReadOnlySpan<byte> codes) => _agent.Write(law, codes);

    /// <summary>Adds the supervisor's leg, or changes the mode of one already on.</summary>
    public void Set(string supervisor, RtpLeg leg, ListenMode mode)
    {
        lock (_gate)
        {
            if (_supervisors.FirstOrDefault(s => s.Id == supervisor) is { } existing)
            {
                existing.Mode = mode;
                Publish(_supervisors);
            }
            else
            {
                Publish([.. _supervisors, new Supervisor(supervisor, leg, mode)]);
            }
        }
    }

    /// <summary>The mode of a supervisor on the call, or null.</summary>
    public ListenMode? ModeOf(string supervisor) => Volatile.Read(ref _supervisors).FirstOrDefault(s => s.Id == supervisor)?.Mode;

    public void Remove(string supervisor)
    {
        lock (_gate)
        {
            Publish([.. _supervisors.Where(s => s.Id != supervisor)]);
        }
    }

    /// <summary>The call ended or its last supervisor left: the clock drops the mixer.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            Publish([]);
        }
    }

    /// <summary>The one rule of who hears whom. A speaker or listener is the caller, the agent or a supervisor's mode.</summary>
    public static bool Hears(Party listener, Party speaker) => (listener, speaker) switch
    {
        (Party.Caller, Party.Caller) or (Party.Agent, Party.Agent) => false,
        (_, Party.Caller or Party.Agent) => true,
        (_, Party.Monitor) => false,
        (Party.Caller, Party.Whisper) => false,
        _ => true,
    };

    public bool Tick()
    {
        Supervisor[] supervisors;
        lock (_gate)
        {
            if (_stopped)
            {
                return false;
            }

            supervisors = _supervisors;
        }

        Span<short> caller = stackalloc short[FrameSamples];
        Span<short> agent = stackalloc short[FrameSamples];
        Span<short> mix = stackalloc short[FrameSamples];
        _caller.Read(caller);
        _agent.Read(agent);
        foreach (var supervisor in supervisors)
        {
            supervisor.Buffer.Read(supervisor.Frame);
        }

        // While the agent holds the caller, the caller hears the music and nobody else (the call's hold rule).
        if (MixesToCaller && agentLeg.Audio is { FarEndReceives: true })
        {
            Mix(mix, Party.Caller, null, caller, agent, supervisors);
            Send(callerLeg, mix);
            recording?.BargedIn(MixOfSupervisors(mix, Party.Caller, supervisors));
        }

        if (MixesToAgent)
        {
            Mix(mix, Party.Agent, null, caller, agent, supervisors);
            Send(agentLeg, mix);
        }

        foreach (var supervisor in supervisors)
        {
            Mix(mix, supervisor.Party, supervisor, caller, agent, supervisors);
            Send(supervisor.Leg, mix);
        }

        return true;
    }

    /// <summary>What the supervisor's leg received.</summary>
    public void FromSupervisor(string supervisor, G711Law law, ReadOnlySpan<byte> codes)
    {
        if (Volatile.Read(ref _supervisors).FirstOrDefault(s => s.Id == supervisor) is { } found)
        {
            found.Buffer.Write(law, codes);
        }
    }

    private void Publish(Supervisor[] supervisors)
    {
        Volatile.Write(ref _supervisors, supervisors);
        MixesToCaller = supervisors.Any(s => Hears(Party.Caller, s.Party));
        MixesToAgent = supervisors.Any(s => Hears(Party.Agent, s.Party));
    }

    private static void Mix(Span<short> mix, Party listener, Supervisor? self, ReadOnlySpan<short> caller, ReadOnlySpan<short> agent, Supervisor[] supervisors)
    {
        mix.Clear();
        if (Hears(listener, Party.Caller))
        {
            JitterBuffer.MixInto(mix, caller);
        }

        if (Hears(listener, Party.Agent))
        {
            JitterBuffer.MixInto(mix, agent);
        }

        foreach (var supervisor in supervisors)
        {
            if (supervisor != self && Hears(listener, supervisor.Party))
            {
                JitterBuffer.MixInto(mix, supervisor.Frame);
            }
        }
    }

    private static Span<short> MixOfSupervisors(Span<short> mix, Party listener, Supervisor[] supervisors)
    {
        mix.Clear();
        foreach (var supervisor in supervisors.Where(s => Hears(listener, s.Party)))
        {
            JitterBuffer.MixInto(mix, supervisor.Frame);
        }

        return mix;
    }

    private static void Send(RtpLeg leg, ReadOnlySpan<short> mix)
    {
        Span<byte> codes = stackalloc byte[FrameSamples];
        G711.Encode(leg.Law, mix, codes);
        leg.SendFrame(codes, marker: false);
    }

    private sealed class Supervisor(string id, RtpLeg leg, ListenMode mode)
    {
        public string Id { get; } = id;

        public RtpLeg Leg { get; } = leg;

        /// <summary>Changed under the mixer's lock, read by the clock: a tick sees the old mode or the new one.</summary>
        public ListenMode Mode { get; set; } = mode;

        public JitterBuffer Buffer { get; } = new();

        public short[] Frame { get; } = new short[FrameSamples];

        public Party Party => Mode switch
        {
            ListenMode.Monitor => Party.Monitor,
            ListenMode.Whisper => Party.Whisper,
            _ => Party.Barge,
        };
    }
}

/// <summary>Who is speaking or listening on a supervised call.</summary>
public enum Party
{
    Caller,
    Agent,
    Monitor,
    Whisper,
    Barge,
}
