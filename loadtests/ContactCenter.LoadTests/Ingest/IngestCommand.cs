using System.Globalization;
using System.Text.Json;
using ContactCenter.GatewayClient;
using ContactCenter.LoadTests.Measurement;
using ContactCenter.LoadTests.Reporting;

namespace ContactCenter.LoadTests.Ingest;

/// <summary>
/// The <c>ingest</c> command: runs the simulated gateways for the warm-up and the measured window, then prints
/// the report (and writes it as JSON). Exits 0 only when every event sent was acknowledged.
/// </summary>
public static class IngestCommand
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(IngestOptions options)
    {
        var startedAt = DateTimeOffset.UtcNow;
        // Call ids carry the run id, so runs against one database never collide.
        var runId = Guid.NewGuid().ToString("N")[..8];
        var clock = new RunClock(TimeSpan.FromSeconds(options.WarmupSeconds), TimeSpan.FromSeconds(options.Seconds));
        var gateways = Enumerable.Range(0, options.Gateways)
            .Select(i => new SimulatedGateway(
                options.Tokens[i % options.Tokens.Count], options, clock,
                new CallSource(runId, i, options.Mix, options.Queues, new Random(options.Seed + i))))
            .ToList();
        try
        {
            return await RunAsync(options, gateways, clock, runId, startedAt);
        }
        finally
        {
            foreach (var gateway in gateways)
            {
                await gateway.DisposeAsync();
            }
        }
    }

    private static async Task<int> RunAsync(IngestOptions options, IReadOnlyList<SimulatedGateway> gateways, RunClock clock, string runId, DateTimeOffset startedAt)
    {
        var settings = new RunSettings(options.Gateways, options.Batch, options.EventsPerCall, options.CallsPerGateway,
            options.Tokens.Count, options.WarmupSeconds, options.Seconds, options.Seed, string.Join("+", options.Mix.Select(s => s.Name)), Math.Round(CallScripts.MeanEventsPerCall(options.Mix), 2));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingest: {options.Gateways} gateways x {options.Batch} events -> {string.Join(", ", options.Silos)} (home first); warm-up {options.WarmupSeconds} s, measuring {options.Seconds} s (run {runId})"));

        var cpu = new CpuWindow(options.CpuWatch);
        var running = Task.WhenAll(gateways.Select(g => Task.Run(g.RunAsync)));
        await Task.WhenAll(running, SampleCpuAsync(clock, cpu), ShowProgressAsync(clock, running));

        var report = IngestReport.From(startedAt, settings, clock,
            Merge(gateways, RunPhase.Warmup), Merge(gateways, RunPhase.Measured), Merge(gateways, RunPhase.Drain), cpu.Shares(),
            Regions(options, gateways));
        TextReport.Write(report, Console.Out);
        if (options.JsonPath is { } path)
        {
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, ReportJson.Default.IngestReport));
            Console.WriteLine($"JSON report: {path}");
        }

        return report.Passed ? 0 : 1;
    }

    /// <summary>Where the gateways' clients went: the failovers and failbacks of a run against several regions.</summary>
    private static RegionReport Regions(IngestOptions options, IEnumerable<SimulatedGateway> gateways)
    {
        var final = gateways.Select(g => g.FinalCounters).OfType<GatewayClientCounters>().ToList();
        return new RegionReport(
            [.. options.Silos.Select(url => url.ToString())],
            final.Sum(c => c.Failovers),
            final.Sum(c => c.Failbacks),
            final.GroupBy(c => c.CurrentRegion.BaseAddress.ToString()).ToDictionary(g => g.Key, g => g.Count()));
    }

    private static async Task SampleCpuAsync(RunClock clock, CpuWindow cpu)
    {
        await clock.DelayUntilAsync(clock.Warmup);
        cpu.Start();
        await clock.DelayUntilAsync(clock.Warmup + clock.Measured);
        cpu.Stop();
    }

    /// <summary>A line every few seconds, so a stalled silo shows while the run is still going.</summary>
    private static async Task ShowProgressAsync(RunClock clock, Task running)
    {
        var next = ProgressInterval;
        while (await Task.WhenAny(running, clock.DelayUntilAsync(next)) != running)
        {
            var phase = next <= clock.Warmup ? "warm-up" : "measured";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {next.TotalSeconds,4:F0} s  {phase,-8}  {clock.AcknowledgedBetween(next - ProgressInterval, next) / ProgressInterval.TotalSeconds,9:N0} events/s acknowledged"));
            next += ProgressInterval;
        }
    }

    private static PhaseTally Merge(IEnumerable<SimulatedGateway> gateways, RunPhase phase)
    {
        var merged = new PhaseTally();
        foreach (var gateway in gateways)
        {
            merged.AddFrom(gateway.Tally(phase));
        }

        return merged;
    }
}
