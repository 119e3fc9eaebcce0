using System.Diagnostics;
using ContactCenter.Agents;
using ContactCenter.Benchmarks.Hosting;
using ContactCenter.LoadTests.Measurement;
using ContactCenter.Queues;

namespace ContactCenter.Benchmarks.Routing;

/// <summary>
/// Routed calls per second and the queued-to-offered latency while agents are idle. Each worker plays one
/// call after another: it queues the call, waits until the "connect to agent" command is durable (the
/// latency), then answers and ends it at that agent as the Call grain's effects would, freeing the agent.
/// </summary>
public sealed class RoutingBenchmark(BenchmarkSilo silo, RoutingOptions options)
{
    private long _next;

    public async Task<RoutingResult> RunAsync()
    {
        await BenchmarkCenter.BuildAsync(silo.Grains, options.Queues, options.Agents);
        await Task.Delay(TimeSpan.FromSeconds(1)); // queues hear of their agents one-way; let them all arrive

        using var warmUp = new CancellationTokenSource(TimeSpan.FromSeconds(options.WarmUpSeconds));
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => WorkAsync(null, warmUp.Token)));

        var latencies = Enumerable.Range(0, options.Concurrency).Select(_ => new LatencyRecorder()).ToArray();
        var started = Stopwatch.GetTimestamp();
        using var measured = new CancellationTokenSource(TimeSpan.FromSeconds(options.Seconds));
        var failures = await Task.WhenAll(latencies.Select(l => WorkAsync(l, measured.Token)));
        var elapsed = Stopwatch.GetElapsedTime(started);

        var all = new LatencyRecorder();
        foreach (var l in latencies)
        {
            all.AddFrom(l);
        }

        return new RoutingResult(options, all.Count, all.Count / elapsed.TotalSeconds, all.Summarize(), failures.Sum());
    }

    /// <returns>How many calls were not offered within the timeout.</returns>
    private async Task<int> WorkAsync(LatencyRecorder? latencies, CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _next);
            var callId = $"bench-call-{n}";
            var queue = silo.Grains.GetGrain<IQueueGrain>(BenchmarkCenter.QueueId((int)(n % options.Queues)));
            var offered = silo.Commands.ConnectOf(callId);
            var started = Stopwatch.GetTimestamp();
            await queue.EnqueueAsync(new QueuedCall(callId, "bench-gateway", "+8613800000000", Vip: n % 5 == 0, DateTimeOffset.UtcNow));
            ContactCenter.Gateways.ConnectToAgent connect;
            try
            {
                connect = await offered.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                failures++;
                await queue.RemoveAsync(callId, QueueExit.Abandoned, DateTimeOffset.UtcNow);
                continue;
            }

            latencies?.Record(Stopwatch.GetElapsedTime(started));
            var agent = silo.Grains.GetGrain<IAgentGrain>(connect.AgentId);
            await queue.RemoveAsync(callId, QueueExit.Answered, DateTimeOffset.UtcNow, connect.AgentId);
            await agent.CallAnsweredAsync(callId);
            await agent.CallEndedAsync(callId);
        }

        return failures;
    }
}

public sealed record RoutingOptions(int Queues = 32, int Agents = 1_500, int Concurrency = 64, int Seconds = 30, int WarmUpSeconds = 5);

public sealed record RoutingResult(RoutingOptions Options, long Routed, double RoutedPerSecond, LatencySummary QueuedToOffered, int NotOffered);
