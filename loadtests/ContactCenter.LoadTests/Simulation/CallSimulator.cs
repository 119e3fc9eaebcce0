using System.Diagnostics;
using ContactCenter.GatewayClient;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>When the simulation runs, how fast, and when it stops.</summary>
/// <param name="SimulatedStart">The moment of the profile the run starts at (the warm-up starts there too).</param>
/// <param name="Speed">Simulated seconds per real second: arrivals come this much faster and every duration is this much shorter.</param>
/// <param name="MaxCalls">Stop starting calls after this many (0: no limit).</param>
/// <param name="Drain">After the last arrival, how long calls in progress may go on before the rest are hung up.</param>
public sealed record SimulationSchedule(DateTimeOffset SimulatedStart, double Speed, TimeSpan Warmup, TimeSpan Measured, long MaxCalls, TimeSpan Drain);

/// <summary>
/// The callers and the gateways' side of every call, played on one thread: new calls arrive as a Poisson process
/// at the profile's rate for the simulated moment; each call follows its plan through the voice menus; calls for an
/// agent wait until the cluster's command channel says which agent to ring; as a real gateway, the loop rings every
/// agent a <c>connect</c> names (reporting <c>agent_ringing</c> for that agent) and stops the ring a
/// <c>cancel_connect</c> names; the agent whose phone rang and who picks up answers, then the call is talked, held
/// and ended (or transferred, abandoned by an impatient caller, or turned away by the center) as its plan says. An
/// agent who does not pick up is away from the desk: once the cluster gives up on the offer, their desk
/// (<paramref name="missedRing"/>) brings them back later. One thread owns
/// all call state, so no call needs a lock; commands reach it through a queue. Events are handed to the gateway
/// clients at the moment they happen, whether or not the cluster keeps up (an open loop).
/// </summary>
public sealed class CallSimulator(
    SimulationSchedule schedule,
    TrafficProfile profile,
    CallBehaviour behaviour,
    SubscriberPopulation subscribers,
    ReferenceCenter center,
    GatewayFleet gateways,
    SimulationTimeline timeline,
    CallLedger ledger,
    string runId,
    int seed,
    Action<string> missedRing)
{
    private const string Dialled = "10086";
    // How long the center's announcement plays before the gateway ends a call it turned away, in simulated seconds.
    private const double AnnouncementSeconds = 5;
    // Callers who hang up within this many simulated seconds are short abandons (the queues' default threshold).
    private const double ShortAbandonSeconds = 5;

    private readonly Random _random = new(seed);
    private readonly PriorityQueue<Step, long> _steps = new();
    private readonly Dictionary<long, LiveCall> _live = [];
    // Delivery is at least once: a gateway acts on each command id once.
    private readonly HashSet<long> _commandsActedOn = [];
    private readonly string _callIdPrefix = CallBehaviour.CallId(runId, 0)[..^9];
    private long _nextIndex;
    private double _arrivalsOwed;
    private long _lastArrivalCheck;

    public ServiceOutcomes Outcomes { get; } = new();

    public RingTally Rings { get; } = new();

    /// <summary>Calls started so far (read from other threads for progress lines).</summary>
    public long CallsStarted => Interlocked.Read(ref _nextIndex);

    public int LiveCalls => Volatile.Read(ref _liveCount);

    /// <summary>The second of the run in which arrivals stopped (end of the measured window), once they have.</summary>
    public int? ArrivalsStoppedAtSecond { get; private set; }

    private int _liveCount;

    private enum StepKind { Menu, LeaveIvr, GiveUp, Answer, Hold, Resume, FinishLeg, EndAfterAnnouncement }

    /// <param name="Ring">For an answer: the ring it picks up (<see cref="CallRing.Number"/>), which must still be ringing.</param>
    private readonly record struct Step(LiveCall Call, StepKind Kind, int Version, int Menu = 0, string? Agent = null, int Ring = 0);

    /// <summary>Runs on the calling thread until the drain is over and every remaining call has been hung up.</summary>
    public void Run(CancellationToken stopping)
    {
        var started = timeline.StartedAt;
        _lastArrivalCheck = started;
        var arrivalsEnd = started + Ticks(schedule.Warmup + schedule.Measured);
        long? drainEnd = null;
        while (!stopping.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            HandleCommands(now);
            if (drainEnd is null)
            {
                if (now >= arrivalsEnd || (schedule.MaxCalls > 0 && _nextIndex >= schedule.MaxCalls))
                {
                    ArrivalsStoppedAtSecond = (int)Stopwatch.GetElapsedTime(started).TotalSeconds;
                    drainEnd = now + Ticks(schedule.Drain);
                }
                else
                {
                    StartArrivals(now, started);
                }
            }

            RunDueSteps(now);
            if (drainEnd is { } end && (now >= end || _live.Count == 0))
            {
                break;
            }

            Volatile.Write(ref _liveCount, _live.Count);
            Thread.Sleep(1);
        }

        HangUpAll(Stopwatch.GetTimestamp());
    }

    private void StartArrivals(long now, long started)
    {
        var realSeconds = (now - _lastArrivalCheck) / (double)Stopwatch.Frequency;
        _lastArrivalCheck = now;
        var simulatedNow = schedule.SimulatedStart + Stopwatch.GetElapsedTime(started) * schedule.Speed;
        _arrivalsOwed += profile.CallsPerSecondAt(simulatedNow) * schedule.Speed * realSeconds;
        // Poisson arrivals: the count in this slice varies as a real center's does; the fraction carries over.
        var arrivals = _random.Poisson(_arrivalsOwed);
        _arrivalsOwed -= arrivals;
        var measured = now >= started + Ticks(schedule.Warmup);
        for (var i = 0; i < arrivals && (schedule.MaxCalls == 0 || _nextIndex < schedule.MaxCalls); i++)
        {
            StartCall(now, measured);
        }
    }

    private void StartCall(long now, bool measured)
    {
        var index = _nextIndex;
        var call = new LiveCall(index, CallBehaviour.CallId(runId, index), behaviour.Draw(_random, subscribers, center.Queues))
        {
            InMeasuredWindow = measured,
        };
        ledger.Add(index);
        Interlocked.Increment(ref _nextIndex);
        _live[index] = call;
        timeline.Now.CountCallStarted();
        Report(call, now, GatewayEvent.Offered(EventId(call, 1), call.CallId, DateTimeOffset.UtcNow, call.Plan.Caller, Dialled, call.Plan.Region));
        for (var menu = 0; menu < call.Plan.Menus.Count; menu++)
        {
            Schedule(call, StepKind.Menu, now, call.Plan.Menus[menu].At, menu);
        }

        Schedule(call, StepKind.LeaveIvr, now, call.Plan.LeavesIvrAt);
    }

    private void RunDueSteps(long now)
    {
        while (_steps.TryPeek(out var step, out var due) && due <= now)
        {
            _steps.Dequeue();
            if (step.Call.Phase != LivePhase.Ended && (step.Kind == StepKind.Answer ? StillRinging(step) : step.Version == step.Call.Version))
            {
                Run(step, due);
            }
        }
    }

    private void Run(Step step, long due)
    {
        var call = step.Call;
        switch (step.Kind)
        {
            case StepKind.Menu when call.Phase == LivePhase.InIvr:
                Report(call, due, GatewayEvent.IvrEntered(EventId(call, call.Sequence + 1), call.CallId, call.Sequence + 1, DateTimeOffset.UtcNow, call.Plan.Menus[step.Menu].Menu));
                break;
            case StepKind.LeaveIvr when call.Plan.IvrOnly:
                End(call, due, "normal_clearing", HangupSide.Caller);
                break;
            case StepKind.LeaveIvr:
                Report(call, due, GatewayEvent.IvrExited(EventId(call, call.Sequence + 1), call.CallId, call.Sequence + 1, DateTimeOffset.UtcNow, "main/agent"));
                Report(call, due, GatewayEvent.Queued(EventId(call, call.Sequence + 1), call.CallId, call.Sequence + 1, DateTimeOffset.UtcNow, call.Plan.Queue!));
                call.QueuedAt = due;
                if (call.InMeasuredWindow)
                {
                    Outcomes.CountQueued();
                }

                Wait(call, due);
                break;
            case StepKind.GiveUp when call.Phase is LivePhase.Waiting or LivePhase.Ringing:
                CountWait(call, due, (wait, o) => o.CountAbandoned(wait, ShortAbandonSeconds));
                End(call, due, "caller_abandoned", HangupSide.Caller);
                break;
            case StepKind.Answer:
                Answer(call, step.Agent!, due);
                break;
            case StepKind.Hold when call.Phase == LivePhase.Talking:
                Report(call, due, GatewayEvent.Held(EventId(call, call.Sequence + 1), call.CallId, call.Sequence + 1, DateTimeOffset.UtcNow));
                call.MoveTo(LivePhase.OnHold);
                Schedule(call, StepKind.Resume, due, call.CurrentLeg.HoldFor);
                break;
            case StepKind.Resume when call.Phase == LivePhase.OnHold:
                Report(call, due, GatewayEvent.Resumed(EventId(call, call.Sequence + 1), call.CallId, call.Sequence + 1, DateTimeOffset.UtcNow));
                call.MoveTo(LivePhase.Talking);
                Schedule(call, StepKind.FinishLeg, due, call.TalkLeft);
                break;
            case StepKind.FinishLeg when call.Phase == LivePhase.Talking:
                FinishLeg(call, due);
                break;
            case StepKind.EndAfterAnnouncement when call.Phase == LivePhase.Announcement:
                End(call, due, call.EndCause ?? "busy", HangupSide.System);
                break;
        }
    }

    /// <summary>An answer step is due only while that agent's phone still rings with that ring: another phone rings meanwhile without cancelling it.</summary>
    private static bool StillRinging(Step step) =>
        step.Call.Phase == LivePhase.Ringing && step.Call.Rings.TryGetValue(step.Agent!, out var ring) && ring.Number == step.Ring;

    /// <summary>The agent picks up: the call is theirs, and every other phone ringing with it stops (the gateway's doing).</summary>
    private void Answer(LiveCall call, string agent, long now)
    {
        call.Agent = agent;
        call.Rings.Clear();
        Rings.CountAnswered(afterReoffer: call.RingsThisWait > 1);
        Report(call, now, GatewayEvent.Answered(EventId(call, call.Sequence + 1), call.CallId, call.Sequence + 1, DateTimeOffset.UtcNow, agent));
        if (call.Leg == 0)
        {
            Report(call, now, GatewayEvent.RecordingStarted(EventId(call, call.Sequence + 1), call.CallId, call.Sequence + 1, DateTimeOffset.UtcNow, MediaRef(call)));
        }

        var threshold = center.ServiceLevelSeconds.GetValueOrDefault(call.Plan.Queue!, 20);
        CountWait(call, now, (wait, o) => o.CountAnswered(wait, threshold));
        call.MoveTo(LivePhase.Talking);
        var leg = call.CurrentLeg;
        if (leg.HoldAfter is { } holdAfter)
        {
            call.TalkLeft = leg.Talk - holdAfter;
            Schedule(call, StepKind.Hold, now, holdAfter);
        }
        else
        {
            Schedule(call, StepKind.FinishLeg, now, leg.Talk);
        }
    }

    private void FinishLeg(LiveCall call, long now)
    {
        var leg = call.CurrentLeg;
        if (leg.TransferTo is { } queue && call.Leg + 1 < call.Plan.Legs.Count)
        {
            Report(call, now, GatewayEvent.TransferredToQueue(EventId(call, call.Sequence + 1), call.CallId, call.Sequence + 1, DateTimeOffset.UtcNow, queue));
            call.Leg++;
            call.Agent = null;
            Wait(call, now);
            return;
        }

        Report(call, now, GatewayEvent.RecordingStopped(EventId(call, call.Sequence + 1), call.CallId, call.Sequence + 1, DateTimeOffset.UtcNow, MediaRef(call)));
        End(call, now, "normal_clearing", leg.AgentHangsUp ? HangupSide.Agent : HangupSide.Caller);
    }

    /// <summary>The call waits for an agent; the caller's patience runs from now (after a transfer, anew).</summary>
    private void Wait(LiveCall call, long now)
    {
        call.RingsThisWait = 0;
        call.MoveTo(LivePhase.Waiting);
        call.GivesUpAt = now + Ticks(TimeSpan.FromSeconds(call.Plan.Patience / schedule.Speed));
        _steps.Enqueue(new Step(call, StepKind.GiveUp, call.Version), call.GivesUpAt);
    }

    private void HandleCommands(long now)
    {
        while (gateways.Commands.TryDequeue(out var command))
        {
            if (!_commandsActedOn.Add(command.Id))
            {
                continue; // delivered again (its acknowledgement was late): acted on already
            }

            if (!command.CallId.StartsWith(_callIdPrefix, StringComparison.Ordinal)
                || !long.TryParse(command.CallId.AsSpan(_callIdPrefix.Length), out var index)
                || !_live.TryGetValue(index, out var call))
            {
                // Another run's call, or one already ended here: the cluster learns of the end from the event. No
                // phone rings for it, so an agent offered it misses the offer; when the cluster gives up on it,
                // their desk brings them back.
                Rings.CountNotCarried();
                if (command.Kind == CommandKinds.CancelConnect && command.Field("agentId") is { } agent)
                {
                    missedRing(agent);
                }

                continue;
            }

            Handle(call, command, now);
        }
    }

    private void Handle(LiveCall call, GatewayCommand command, long now)
    {
        switch (command.Kind)
        {
            case CommandKinds.Connect when command.Field("agentId") is { } agent:
                Rings.CountConnect();
                if (call.Phase is LivePhase.Waiting or LivePhase.Ringing)
                {
                    Ring(call, agent, now);
                }

                break;
            case CommandKinds.CancelConnect when command.Field("agentId") is { } agent && call.Rings.Remove(agent, out var ring):
                Rings.CountStopped(missed: !ring.PicksUp);
                if (!ring.PicksUp)
                {
                    missedRing(agent);
                }

                if (call.Rings.Count == 0)
                {
                    // No phone rings any more: the caller waits on, their patience running.
                    call.MoveTo(LivePhase.Waiting);
                    _steps.Enqueue(new Step(call, StepKind.GiveUp, call.Version), call.GivesUpAt);
                }

                break;
            case CommandKinds.PlayBusy or CommandKinds.PlayAnnouncement when call.Phase is LivePhase.Waiting or LivePhase.Ringing:
                CountWait(call, now, (_, o) => o.CountTurnedAway());
                call.EndCause = command.Field("announcement") ?? command.Field("reason") ?? "busy";
                call.Rings.Clear();
                call.MoveTo(LivePhase.Announcement);
                Schedule(call, StepKind.EndAfterAnnouncement, now, AnnouncementSeconds);
                break;
        }
    }

    /// <summary>
    /// Rings the agent's phone with the call and reports it (<c>agent_ringing</c> for that agent), whether or not
    /// another agent's phone rings with it too: the gateway rings whom the cluster says, the cluster stops rings
    /// it no longer wants. The agent picks up after a few seconds, or is away and never does.
    /// </summary>
    private void Ring(LiveCall call, string agent, long now)
    {
        if (call.Rings.ContainsKey(agent))
        {
            return; // that phone rings with this call already
        }

        var pickUpAfter = behaviour.DrawPickUp(_random);
        var ring = new CallRing(++call.RingsStarted, PicksUp: pickUpAfter is not null);
        call.Rings[agent] = ring;
        call.RingsThisWait++;
        Rings.CountRing(reoffer: call.RingsThisWait > 1);
        Report(call, now, GatewayEvent.AgentRinging(EventId(call, call.Sequence + 1), call.CallId, call.Sequence + 1, DateTimeOffset.UtcNow, agent));
        if (call.Phase == LivePhase.Waiting)
        {
            call.MoveTo(LivePhase.Ringing);
            // The caller's patience keeps running while phones ring.
            _steps.Enqueue(new Step(call, StepKind.GiveUp, call.Version), call.GivesUpAt);
        }

        if (pickUpAfter is { } seconds)
        {
            _steps.Enqueue(new Step(call, StepKind.Answer, call.Version, Agent: agent, Ring: ring.Number),
                now + Ticks(TimeSpan.FromSeconds(seconds / schedule.Speed)));
        }
    }

    /// <summary>The end of the run: every call still going is hung up by the gateway, so every call has a CDR to check.</summary>
    private void HangUpAll(long now)
    {
        foreach (var call in _live.Values.ToList())
        {
            End(call, now, "normal_clearing", HangupSide.System);
        }

        Volatile.Write(ref _liveCount, 0);
    }

    private void End(LiveCall call, long now, string cause, HangupSide side)
    {
        Report(call, now, GatewayEvent.Ended(EventId(call, call.Sequence + 1), call.CallId, call.Sequence + 1, DateTimeOffset.UtcNow, cause, side));
        call.MoveTo(LivePhase.Ended);
        ledger.Ended(call.Index, call.Sequence);
        _live.Remove(call.Index);
    }

    /// <summary>Counts the call's first wait once: the service figures are about the queue the caller first joined.</summary>
    private void CountWait(LiveCall call, long now, Action<double, ServiceOutcomes> count)
    {
        if (call.WaitCounted || !call.InMeasuredWindow || call.Leg > 0)
        {
            return;
        }

        call.WaitCounted = true;
        count((now - call.QueuedAt) / (double)Stopwatch.Frequency * schedule.Speed, Outcomes);
    }

    private void Report(LiveCall call, long happenedAt, GatewayEvent e)
    {
        call.Sequence = e.Sequence;
        gateways.Append(call.Index, call.Plan.Region, e, happenedAt);
    }

    private void Schedule(LiveCall call, StepKind kind, long from, double simulatedSeconds, int menu = 0) =>
        _steps.Enqueue(new Step(call, kind, call.Version, menu), from + Ticks(TimeSpan.FromSeconds(simulatedSeconds / schedule.Speed)));

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static string EventId(LiveCall call, int sequence) => $"{call.CallId}-{sequence}";

    private static string MediaRef(LiveCall call) => $"recordings/{call.CallId}/1.wav";
}
