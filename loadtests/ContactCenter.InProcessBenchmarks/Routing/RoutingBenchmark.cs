using System.Diagnostics;
using ContactCenter.Benchmarks.Hosting;
using ContactCenter.LoadTests.Measurement;

namespace ContactCenter.Benchmarks.Routing;

/// <summary>
/// Routed calls per second and the queued-to-offered latency while agents are idle (see <see cref="RoutedCallPlayer"/>).
/// </summary>
public sealed class RoutingBenchmark(BenchmarkSilo silo, RoutingOptions options)
{
    private readonly RoutedCallPlayer _calls = new(silo, options.Queues);

    public async Task<RoutingResult> RunAsync()
    {
        await BenchmarkCenter.BuildAsync(silo.Grains, options.Queues, options.Agents);
        await Task.Delay(TimeSpan.FromSeconds(1)); // queues hear of their agents one-way; let them all arrive

        using var warmUp = new CancellationTokenSource(TimeSpan.FromSeconds(options.WarmUpSeconds));
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => _calls.PlayAsync(null, warmUp.Token)));

        var latencies = Enumerable.Range(0, options.Concurrency).Select(_ => new LatencyRecorder()).ToArray();
        var started = Stopwatch.GetTimestamp();
        using var measured = new CancellationTokenSource(TimeSpan.FromSeconds(options.Seconds));
        var failures = await Task.WhenAll(latencies.Select(l => _calls.PlayAsync(l, measured.Token)));
        var elapsed = Stopwatch.GetElapsedTime(started);

        var all = new LatencyRecorder();
        foreach (var l in latencies)
        {
            all.AddFrom(l);
        }

        return new RoutingResult(options, all.Count, all.Count / elapsed.TotalSeconds, all.Summarize(), failures.Sum());
    }
}

public sealed record RoutingOptions(int Queues = 32, int Agents = 1_500, int Concurrency = 64, int Seconds = 30, int WarmUpSeconds = 5);

public sealed record RoutingResult(RoutingOptions Options, long Routed, double RoutedPerSecond, LatencySummary QueuedToOffered, int NotOffered);
