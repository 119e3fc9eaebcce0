using System.Diagnostics;
using ContactCenter.Benchmarks.Hosting;
using ContactCenter.Benchmarks.Routing;
using ContactCenter.Kpis;
using ContactCenter.LoadTests.Measurement;
using ContactCenter.Wallboard;

namespace ContactCenter.Benchmarks.Wallboard;

/// <summary>
/// The wallboard's cost under load: calls are routed through 100 queues to 1,500 agents without pause (every call
/// counted by its queue and agent as it goes), in alternating phases with no page open and with pages open. For
/// each phase: routed calls/s and the silo process's CPU per call; for the watched phases, the frames each page
/// received. The throughput lost while watched is the wallboard's cost; the counting itself is always on, and
/// its own cost is measured apart (KPI records/s on one core).
/// </summary>
public sealed class WallboardBenchmark(BenchmarkSilo silo, WallboardOptions options)
{
    private readonly RoutedCallPlayer _calls = new(silo, options.Queues);

    public async Task<WallboardResult> RunAsync()
    {
        await BenchmarkCenter.BuildAsync(silo.Grains, options.Queues, options.Agents);
        await Task.Delay(TimeSpan.FromSeconds(1));
        using var warmUp = new CancellationTokenSource(TimeSpan.FromSeconds(options.WarmUpSeconds));
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => _calls.PlayAsync(null, warmUp.Token)));

        var phases = new List<PhaseResult>();
        for (var round = 0; round < options.Rounds; round++)
        {
            phases.Add(await PhaseAsync(watched: false));
            phases.Add(await PhaseAsync(watched: true));
        }

        double Mean(bool watched) => phases.Where(p => p.Watched == watched).Average(p => p.RoutedPerSecond);
        var unwatched = Mean(false);
        return new WallboardResult(
            options,
            phases,
            unwatched,
            Mean(true),
            (unwatched - Mean(true)) / unwatched,
            KpiRecordsPerSecond());
    }

    private async Task<PhaseResult> PhaseAsync(bool watched)
    {
        var pages = watched ? Enumerable.Range(0, options.Pages).Select(_ => new WallboardWatcher(silo.Address)).ToList() : [];
        pages.ForEach(p => p.Start());
        await Task.Delay(TimeSpan.FromSeconds(2)); // the first frames (and the agents' figures) are read before measuring

        var feed = silo.Service<WallboardFeed>();
        var (framesBefore, composeBefore) = (feed.FramesComposed, feed.ComposeTime);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var latencies = Enumerable.Range(0, options.Concurrency).Select(_ => new LatencyRecorder()).ToArray();
        using var measured = new CancellationTokenSource(TimeSpan.FromSeconds(options.PhaseSeconds));
        await Task.WhenAll(latencies.Select(l => _calls.PlayAsync(l, measured.Token)));
        var ended = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var composed = feed.FramesComposed - framesBefore;
        var composeMs = composed == 0 ? (double?)null : (feed.ComposeTime - composeBefore).TotalMilliseconds / composed;

        var routed = latencies.Sum(l => l.Count);
        var seconds = Stopwatch.GetElapsedTime(started, ended).TotalSeconds;
        var frames = pages.Select(p => p.FiguresBetween(started, ended)).ToList();
        foreach (var page in pages)
        {
            await page.DisposeAsync();
        }

        return new PhaseResult(
            watched,
            routed / seconds,
            cpu.TotalMilliseconds / Math.Max(1, routed),
            cpu.TotalSeconds / seconds,
            frames.Count == 0 ? null : frames.Average(f => f.FramesPerSecond),
            frames.Count == 0 ? null : frames.Max(f => f.MaxGapMs),
            frames.Count == 0 ? null : frames.Max(f => f.FrameBytes),
            composeMs);
    }

    /// <summary>How many KPI counts (one queue or agent event into both windows) one core makes a second.</summary>
    private static double KpiRecordsPerSecond()
    {
        var windows = new KpiWindows();
        var calendar = CenterCalendar.Default;
        var at = DateTimeOffset.UtcNow;
        const int Records = 1_000_000;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Records; i++)
        {
            windows.Record(at.AddMilliseconds(i), calendar, k => k with { Answered = k.Answered + 1 });
        }

        return Records / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}

public sealed record WallboardOptions(
    int Queues = 100, int Agents = 1_500, int Concurrency = 64, int Pages = 5, int PhaseSeconds = 20, int Rounds = 2, int WarmUpSeconds = 10);

/// <param name="CpuMsPerCall">The silo process's CPU time per routed call (the benchmark's own call players included).</param>
/// <param name="ComposeMsPerFrame">Wall time to read every queue (and, every fifth frame, every agent), sum and serialize one frame.</param>
/// <param name="CoresBusy">CPU seconds per second: how many of the machine's cores the process kept busy.</param>
public sealed record PhaseResult(
    bool Watched, double RoutedPerSecond, double CpuMsPerCall, double CoresBusy,
    double? FramesPerSecondPerPage, double? MaxFrameGapMs, int? FrameBytes, double? ComposeMsPerFrame);

/// <param name="ThroughputLost">The share of routed calls/s lost while pages were open.</param>
public sealed record WallboardResult(
    WallboardOptions Options, IReadOnlyList<PhaseResult> Phases, double RoutedPerSecondUnwatched, double RoutedPerSecondWatched,
    double ThroughputLost, double KpiRecordsPerSecondOneCore);
