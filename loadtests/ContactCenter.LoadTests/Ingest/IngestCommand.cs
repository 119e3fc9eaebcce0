using System.Globalization;
using System.Net;
using System.Text.Json;
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

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        IngestOptions options;
        try
        {
            options = IngestOptions.Parse(args);
        }
        catch (OptionsException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(IngestOptions.Usage);
            return 2;
        }

        var startedAt = DateTimeOffset.UtcNow;
        using var http = CreateClient(options);
        var endpoint = new Uri(options.Url, "/api/gateway/events");
        // Call ids carry the run id, so runs against one database never collide.
        var runId = Guid.NewGuid().ToString("N")[..8];
        var clock = new RunClock(TimeSpan.FromSeconds(options.WarmupSeconds), TimeSpan.FromSeconds(options.Seconds));
        var gateways = Enumerable.Range(0, options.Gateways)
            .Select(i => new SimulatedGateway(
                options.Tokens[i % options.Tokens.Count], endpoint, options, http, clock,
                new CallSource(runId, i, options.Mix, options.Queues, new Random(options.Seed + i))))
            .ToList();

        var settings = new RunSettings(options.Gateways, options.Batch, options.EventsPerCall, options.CallsPerGateway,
            options.Tokens.Count, options.WarmupSeconds, options.Seconds, options.Seed, string.Join("+", options.Mix.Select(s => s.Name)), Math.Round(CallScripts.MeanEventsPerCall(options.Mix), 2));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingest: {options.Gateways} gateways x {options.Batch} events -> {endpoint}; warm-up {options.WarmupSeconds} s, measuring {options.Seconds} s (run {runId})"));

        var cpu = new CpuWindow(options.CpuWatch);
        var running = Task.WhenAll(gateways.Select(g => Task.Run(g.RunAsync)));
        await Task.WhenAll(running, SampleCpuAsync(clock, cpu), ShowProgressAsync(clock, running));

        var report = IngestReport.From(startedAt, options.Url.ToString(), settings, clock,
            Merge(gateways, RunPhase.Warmup), Merge(gateways, RunPhase.Measured), Merge(gateways, RunPhase.Drain), cpu.Shares());
        TextReport.Write(report, Console.Out);
        if (options.JsonPath is { } path)
        {
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, LoadTestJson.Default.IngestReport));
            Console.WriteLine($"JSON report: {path}");
        }

        return report.Passed ? 0 : 1;
    }

    private static HttpClient CreateClient(IngestOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // Keep-alive connections for the whole run, one per gateway as real gateways would hold; the
            // silo is addressed directly, never through a proxy from the environment.
            MaxConnectionsPerServer = options.Gateways,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        return new HttpClient(handler) { Timeout = options.Timeout };
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
