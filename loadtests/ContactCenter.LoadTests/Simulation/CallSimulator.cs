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
/// agent wait until the cluster's command channel says which agent to ring, then ring, talk, hold and end (or are
/// transferred, abandoned by an impatient caller, or turned away by the center) as their plan says. One thread owns
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
    int seed)
{
    private const string Dialled = "10086";
    // How long the center's announcement plays before the gateway ends a call it turned away, in simulated seconds.
    private const double AnnouncementSeconds = 5;
    // Callers who hang up within this many simulated seconds are short abandons (the queues' default threshold).
    private const double ShortAbandonSeconds = 5;

    private readonly Random _random = new(seed);
    private readonly PriorityQueue<Step, long> _steps = new();
    private readonly Dictionary<long, LiveCall> _live = [];
    private readonly string _callIdPrefix = CallBehaviour.CallId(runId, 0)[..^9];
    private long _nextIndex;
    private double _arrivalsOwed;
    private long _lastArrivalCheck;

    public ServiceOutcomes Outcomes { get; } = new();

    /// <summary>Calls started so far (read from other threads for progress lines).</summary>
    public long CallsStarted => Interlocked.Read(ref _nextIndex);

    public int LiveCalls => Volatile.Read(ref _liveCount);

    /// <summary>The second of the run in which arrivals stopped (end of the measured window), once they have.</summary>
    public int? ArrivalsStoppedAtSecond { get; private set; }

    private int _liveCount;

    private enum StepKind { Menu, LeaveIvr, GiveUp, Answer, Hold, Resume, FinishLeg, EndAfterAnnouncement }

    private readonly record struct Step(LiveCall Call, StepKind Kind, int Version, int Menu = 0);

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
            if (step.Version == step.Call.Version && step.Call.Phase != LivePhase.Ended)
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
            case StepKind.Answer when call.Phase == LivePhase.Ringing:
                Answer(call, due);
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

    private void Answer(LiveCall call, long now)
    {
        var agent = call.Agent!;
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
            call.RingReported = false;
            Wait(call, now);
            return;
        }

        Report(call, now, GatewayEvent.RecordingStopped(EventId(call, call.Sequence + 1), call.CallId, call.Sequence + 1, DateTimeOffset.UtcNow, MediaRef(call)));
        End(call, now, "normal_clearing", leg.AgentHangsUp ? HangupSide.Agent : HangupSide.Caller);
    }

    /// <summary>The call waits for an agent; the caller's patience runs from now (after a transfer, anew).</summary>
    private void Wait(LiveCall call, long now)
    {
        call.MoveTo(LivePhase.Waiting);
        call.GivesUpAt = now + Ticks(TimeSpan.FromSeconds(call.Plan.Patience / schedule.Speed));
        _steps.Enqueue(new Step(call, StepKind.GiveUp, call.Version), call.GivesUpAt);
    }

    private void HandleCommands(long now)
    {
        while (gateways.Commands.TryDequeue(out var command))
        {
            if (!command.CallId.StartsWith(_callIdPrefix, StringComparison.Ordinal)
                || !long.TryParse(command.CallId.AsSpan(_callIdPrefix.Length), out var index)
                || !_live.TryGetValue(index, out var call))
            {
                // Another run's call, or one already ended here: the cluster learns of the end from the event.
                continue;
            }

            Handle(call, command, now);
        }
    }

    private void Handle(LiveCall call, GatewayCommand command, long now)
    {
        switch (command.Kind)
        {
            case CommandKinds.Connect when command.Field("agentId") is { } agent
                && (call.Phase == LivePhase.Waiting || (call.Phase == LivePhase.Ringing && call.Agent != agent)):
                // The cluster's call stays Ringing after a ring is cancelled (the queue offers it again; the call's
                // state has no way back to Queued), so only a call's first ring of each wait is reported.
                if (!call.RingReported)
                {
                    Report(call, now, GatewayEvent.AgentRinging(EventId(call, call.Sequence + 1), call.CallId, call.Sequence + 1, DateTimeOffset.UtcNow, agent));
                    call.RingReported = true;
                }

                call.Agent = agent;
                call.MoveTo(LivePhase.Ringing);
                Schedule(call, StepKind.Answer, now, call.CurrentLeg.Ring);
                // The caller's patience keeps running while the agent's phone rings.
                _steps.Enqueue(new Step(call, StepKind.GiveUp, call.Version), call.GivesUpAt);
                break;
            case CommandKinds.CancelConnect when call.Phase == LivePhase.Ringing && call.Agent == command.Field("agentId"):
                call.Agent = null;
                call.MoveTo(LivePhase.Waiting);
                _steps.Enqueue(new Step(call, StepKind.GiveUp, call.Version), call.GivesUpAt);
                break;
            case CommandKinds.PlayBusy or CommandKinds.PlayAnnouncement when call.Phase is LivePhase.Waiting or LivePhase.Ringing:
                CountWait(call, now, (_, o) => o.CountTurnedAway());
                call.EndCause = command.Field("announcement") ?? command.Field("reason") ?? "busy";
                call.MoveTo(LivePhase.Announcement);
                Schedule(call, StepKind.EndAfterAnnouncement, now, AnnouncementSeconds);
                break;
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
