using ContactCenter.LoadTests.Measurement;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>How the run was set up.</summary>
public sealed record SimulationSettings(
    string RunId, string Label, IReadOnlyList<string> Silos, DateTimeOffset SimulatedStart, double Speed, int WarmupSeconds, int MeasuredSeconds,
    long MaxCalls, int Seats, int ClientsPerGateway, int Batch, int Seed,
    double ProfileCallsPerSecond, double ExpectedEventsPerCall, double ExpectedEventsPerSecond);

/// <summary>Throughput over the measured window: what the callers did, and what the cluster acknowledged.</summary>
public sealed record SimulationThroughput(
    double Seconds, long CallsStarted, double CallsPerSecond, long EventsHappened, double EventsPerSecond,
    long EventsAcknowledged, double AcknowledgedPerSecond, long Requests, double EventsPerRequest,
    double SlowestSecond, double MedianSecond, double FastestSecond);

/// <summary>One watched process over the measured window.</summary>
/// <param name="GrowthMegabytesPer10Minutes">Slope of a least-squares line through the per-second resident memory.</param>
public sealed record ProcessFigures(string Name, double? ResidentAtStartMegabytes, double? ResidentAtEndMegabytes, double? ResidentMaxMegabytes,
    double? GrowthMegabytesPer10Minutes, double? CpuCores);

/// <summary>One second of the run, for the chart.</summary>
public sealed record TimelinePoint(int Second, long CallsStarted, long EventsHappened, long Acknowledged, long Errors, double P50, double P99,
    IReadOnlyDictionary<string, double> ResidentMegabytes, IReadOnlyDictionary<string, double> CpuCores);

public sealed record SimulationReport(
    DateTimeOffset StartedAt,
    SimulationSettings Settings,
    int MeasuredFromSecond,
    int MeasuredToSecond,
    SimulationThroughput Throughput,
    LatencySummary Latency,
    IReadOnlyList<ErrorGroup> Errors,
    long ErrorCount,
    ServiceLevelReport Service,
    long AgentBreaks,
    LossReport? Loss,
    IReadOnlyList<ProcessFigures> Processes,
    IReadOnlyList<TimelinePoint> Timeline)
{
    /// <summary>What the run found in the cluster and put right before it started.</summary>
    public SimulationStart Start { get; init; } = new(0, 0, 0, 0, 0);

    /// <summary>The cluster's offers and what the gateways rang for them.</summary>
    public RingReport Rings { get; init; } = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>Where each gateway's clients were when the run ended, and their failovers and failbacks.</summary>
    public IReadOnlyList<GatewayPlacement> Gateways { get; init; } = [];

    /// <summary>Ctrl-C or SIGTERM ended the run before its time (its calls were still hung up and checked).</summary>
    public bool Interrupted { get; init; }

    /// <summary>The run fails when anything acknowledged was lost, or when the loss check could not be made.</summary>
    public bool Passed => Loss is { Passed: true };
}

/// <summary>What the run put right before it started.</summary>
/// <param name="LeftoverCallsEnded">Calls an earlier run left (its gateways stopped without hanging up), ended now.</param>
/// <param name="LeftoverCallsRefused">Of those, ends the cluster refused.</param>
/// <param name="OtherAgentsLoggedOut">Agents of the cluster's center who are not seats of this run, logged out.</param>
/// <param name="AgentsReady">This run's agents logged in and ready.</param>
/// <param name="AgentsBusy">This run's agents still busy with a call from before the run when it started.</param>
public sealed record SimulationStart(int LeftoverCallsEnded, int LeftoverCallsRefused, int OtherAgentsLoggedOut, int AgentsReady, int AgentsBusy);
