using System.Diagnostics;
using ContactCenter.Agents;
using ContactCenter.Benchmarks.Hosting;
using ContactCenter.LoadTests.Measurement;
using ContactCenter.Queues;

namespace ContactCenter.Benchmarks.Routing;

/// <summary>
/// Plays calls one after another through the queues: queues a call, waits until the "connect to agent" command
/// is durable (the latency), then answers and ends it at that agent as the Call grain's effects would, freeing
/// the agent. Several players share one counter so call ids never repeat.
/// </summary>
public sealed class RoutedCallPlayer(BenchmarkSilo silo, int queues)
{
    private long _next;

    /// <returns>How many calls were not offered within the timeout.</returns>
    public async Task<int> PlayAsync(LatencyRecorder? latencies, CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _next);
            var callId = $"bench-call-{n}";
            var queue = silo.Grains.GetGrain<IQueueGrain>(BenchmarkCenter.QueueId((int)(n % queues)));
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
