using ContactCenter.LoadTests.Measurement;

namespace ContactCenter.LoadTests.Reporting;

/// <summary>The settings a run used, so a report can be reproduced.</summary>
public sealed record RunSettings(
    int Gateways, int Batch, int EventsPerCall, int CallsPerGateway, int Tokens, int WarmupSeconds, int Seconds, int Seed, string Mix, double MeanEventsPerCall);

/// <summary>What the silo got through in the measured window. Only acknowledged events (accepted or duplicate) count.</summary>
public sealed record Throughput(
    double AcknowledgedEventsPerSecond,
    double RequestsPerSecond,
    double CallsCompletedPerSecond,
    long Acknowledged,
    long Accepted,
    long Duplicates,
    long EventsSent,
    long Requests,
    long CallsCompleted,
    long SlowestSecond,
    long MedianSecond,
    long FastestSecond);

/// <summary>
/// What the measured events cost in CPU: milliseconds of CPU per 1,000 acknowledged events for each measured
/// process, and the throughput those costs would allow if the processes had every core of this machine to
/// themselves. Costs per event change little when other work competes for the cores, so this estimate stays
/// meaningful on a busy machine where the throughput itself does not.
/// </summary>
public sealed record CpuCost(IReadOnlyDictionary<string, double> MsPerThousandEvents, double CeilingEventsPerSecond);

/// <summary>Where the regions were and where the gateways' clients ended: a run against several regions shows its moves here.</summary>
/// <param name="Silos">The regions' addresses, home first.</param>
/// <param name="GatewaysAtEnd">How many gateways were in each region when the run ended.</param>
public sealed record RegionReport(IReadOnlyList<string> Silos, long Failovers, long Failbacks, IReadOnlyDictionary<string, int> GatewaysAtEnd);

/// <summary>Requests and errors outside the measured window: they do not count for throughput, but errors still fail the run.</summary>
public sealed record OutsideWindow(long WarmupRequests, long WarmupAcknowledged, long DrainRequests, long DrainAcknowledged);

/// <summary>The result of an ingest run, written as text for people and as JSON for tools.</summary>
/// <param name="EventLatencyMs">
/// Per acknowledged event, from appending it to the gateway client to holding its receipt: what a gateway waits
/// before it may forget an event (the time in the outbox, the request, resends included).
/// </param>
public sealed record IngestReport(
    DateTimeOffset StartedAt,
    RunSettings Settings,
    RegionReport Regions,
    double MeasuredSeconds,
    Throughput Throughput,
    LatencySummary EventLatencyMs,
    IReadOnlyList<CpuShare> Cpu,
    CpuCost? CpuCost,
    long ErrorCount,
    IReadOnlyList<ErrorGroup> Errors,
    OutsideWindow OutsideWindow,
    IReadOnlyList<long> AcknowledgedPerSecond,
    bool Passed)
{
    public static IngestReport From(
        DateTimeOffset startedAt, RunSettings settings, RunClock clock,
        PhaseTally warmup, PhaseTally measured, PhaseTally drain, IReadOnlyList<CpuShare> cpu, RegionReport regions)
    {
        var seconds = clock.Measured.TotalSeconds;
        var perSecond = clock.MeasuredSeconds();
        var sortedSeconds = perSecond.Order().ToArray();
        var errors = new ErrorTally();
        errors.AddFrom(warmup.Errors);
        errors.AddFrom(measured.Errors);
        errors.AddFrom(drain.Errors);

        var throughput = new Throughput(
            Math.Round(measured.Acknowledged / seconds, 1),
            Math.Round(measured.Requests / seconds, 1),
            Math.Round(measured.CallsCompleted / seconds, 1),
            measured.Acknowledged,
            measured.Accepted,
            measured.Duplicates,
            measured.EventsSent,
            measured.Requests,
            measured.CallsCompleted,
            sortedSeconds.FirstOrDefault(),
            sortedSeconds.Length == 0 ? 0 : LatencyRecorder.Percentile(sortedSeconds, 50),
            sortedSeconds.LastOrDefault());

        return new IngestReport(
            startedAt, settings, regions, seconds, throughput, measured.Latency.Summarize(), cpu, Cost(cpu, seconds, measured.Acknowledged),
            errors.Total, errors.Groups(),
            new OutsideWindow(warmup.Requests, warmup.Acknowledged, drain.Requests, drain.Acknowledged),
            perSecond,
            // The workload is valid by construction: anything but acknowledgements is a finding.
            Passed: errors.Total == 0 && measured.Acknowledged > 0);
    }

    private static CpuCost? Cost(IReadOnlyList<CpuShare> cpu, double seconds, long acknowledged)
    {
        var processes = cpu.Where(c => !CpuWindow.IsMachineWide(c.Name)).ToList();
        if (processes.Count == 0 || acknowledged == 0)
        {
            return null;
        }

        // percent of a core x seconds = CPU seconds; per 1,000 events, in milliseconds.
        var perThousand = processes.ToDictionary(c => c.Name, c => Math.Round(c.PercentOfOneCore / 100 * seconds * 1e6 / acknowledged, 1));
        var total = perThousand.Values.Sum();
        return new CpuCost(perThousand, total <= 0 ? 0 : Math.Round(Environment.ProcessorCount * 1e6 / total / 10) * 10);
    }
}
