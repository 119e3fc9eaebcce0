using System.Collections.Concurrent;
using System.Diagnostics;
using ContactCenter.Agents;
using ContactCenter.Benchmarks.Hosting;
using ContactCenter.Gateways;
using ContactCenter.LoadTests.Measurement;
using ContactCenter.Queues;

namespace ContactCenter.Benchmarks.Routing;

/// <summary>
/// Routing on a bill day: more calls than agents, every queue holding a backlog of waiting calls while its agents
/// take them one after another. Each agent, once offered a call, answers and ends it at once and is free again;
/// a new call joins the queue for each one taken, so the backlog stays where it was. Measured: calls routed a
/// second, the freed-to-offered latency (an agent's call ended until its next connect is durable), and the
/// process's CPU per routed call. At a set pace (<c>--rate</c>) the latency compares like with like; unpaced, the
/// run finds the most calls a second routing carries. Run with several backlogs, each on its own center in the same process, so the
/// ratio between a queue of 5 and one of 500 comes from one run.
/// </summary>
public sealed class BacklogRoutingBenchmark(BenchmarkSilo silo, BacklogRoutingOptions options)
{
    public async Task<IReadOnlyList<BacklogRoutingResult>> RunAsync()
    {
        var connects = silo.Commands.EveryConnect();
        var results = new List<BacklogRoutingResult>();
        foreach (var backlog in options.Backlogs)
        {
            results.Add(await RunOneAsync(backlog, connects));
        }

        return results;
    }

    private async Task<BacklogRoutingResult> RunOneAsync(int backlog, System.Threading.Channels.ChannelReader<CommittedConnect> connects)
    {
        var set = $"backlog{backlog}";
        await BenchmarkCenter.BuildAsync(silo.Grains, options.Queues, options.Agents, set);
        await Task.Delay(TimeSpan.FromSeconds(1)); // queues hear of their agents one-way

        var freedAt = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var refusedTakes = 0L;
        var next = 0L;
        Task EnqueueAsync(string queueId)
        {
            var n = Interlocked.Increment(ref next);
            return silo.Grains.GetGrain<IQueueGrain>(queueId).EnqueueAsync(
                new QueuedCall($"{set}-call-{n}", "bench-gateway", "+8613800000000", Vip: n % 5 == 0, DateTimeOffset.UtcNow));
        }

        var measuring = false;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, options.Concurrency).Select(async worker =>
        {
            var mine = new LatencyRecorder();
            var routed = 0L;
            var taken = 0L;
            var started = Stopwatch.GetTimestamp() + worker * Stopwatch.Frequency / Math.Max(1, options.CallsPerSecond);
            await foreach (var (connect, committedAt) in connects.ReadAllAsync(stop.Token))
            {
                if (stop.IsCancellationRequested)
                {
                    break; // with connects always queued, the reader never waits, so never sees the token itself
                }

                if (!connect.CallId.StartsWith($"{set}-", StringComparison.Ordinal))
                {
                    continue; // an earlier center's backlog, offered after its run
                }

                // A connect committed before its agent was last freed is an earlier offer's (one that timed out while
                // waiting here): the agent's next offer is the first connect committed after it was freed.
                if (freedAt.TryGetValue(connect.AgentId, out var freed) && committedAt > freed && freedAt.TryRemove(connect.AgentId, out _)
                    && Volatile.Read(ref measuring))
                {
                    mine.Record(Stopwatch.GetElapsedTime(freed, committedAt));
                    routed++;
                }

                // Paced to the rate asked for, spread over the workers, so both backlogs are measured at the same load.
                if (options.CallsPerSecond > 0)
                {
                    var due = started + (long)(taken++ * options.Concurrency * Stopwatch.Frequency / options.CallsPerSecond);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    }
                }

                try
                {
                    await TakeAsync(connect, freedAt);
                }
                catch (Exception ex) when (ex is AgentStateException or TimeoutException)
                {
                    // The benchmark has no Call grains, so an agent's call audit now and then frees an agent it finds
                    // holding a call that does not exist, and the agent is offered another meanwhile: counted, skipped.
                    Interlocked.Increment(ref refusedTakes);
                }

                await EnqueueAsync(connect.Queue);
            }

            return (mine, routed);
        }).ToList();

        // The agents each take a call at once; the rest is the backlog. Filled while the workers already take the
        // agents' calls, so no offer rings out for want of a worker.
        var perQueue = backlog + options.Agents / options.Queues + 1;
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Queues * perQueue), new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (i, _) => await EnqueueAsync(BenchmarkCenter.QueueId(i % options.Queues, set)));

        await Task.Delay(TimeSpan.FromSeconds(options.WarmUpSeconds));
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        Volatile.Write(ref measuring, true);
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
        Volatile.Write(ref measuring, false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        await stop.CancelAsync();
        var done = await Task.WhenAll(workers.Select(async w =>
        {
            try
            {
                return await w;
            }
            catch (OperationCanceledException)
            {
                return (new LatencyRecorder(), 0L);
            }
        }));

        var all = new LatencyRecorder();
        foreach (var (recorder, _) in done)
        {
            all.AddFrom(recorder);
        }

        var waiting = 0;
        for (var q = 0; q < options.Queues; q++)
        {
            waiting += (await silo.Grains.GetGrain<IQueueGrain>(BenchmarkCenter.QueueId(q, set)).GetStatusAsync()).Waiting.Length;
        }

        return new BacklogRoutingResult(backlog, all.Count, all.Count / elapsed.TotalSeconds, all.Summarize(),
            all.Count == 0 ? 0 : cpu.TotalMilliseconds / all.Count, waiting / (double)options.Queues, Interlocked.Read(ref refusedTakes));
    }

    /// <summary>The agent answers and ends the call at once, as the Call grain's effects would tell the queue and the agent.</summary>
    private async Task TakeAsync(ConnectToAgent connect, ConcurrentDictionary<string, long> freedAt)
    {
        var agent = silo.Grains.GetGrain<IAgentGrain>(connect.AgentId);
        await silo.Grains.GetGrain<IQueueGrain>(connect.Queue).RemoveAsync(connect.CallId, QueueExit.Answered, DateTimeOffset.UtcNow, connect.AgentId);
        await agent.CallAnsweredAsync(connect.CallId);
        freedAt[connect.AgentId] = Stopwatch.GetTimestamp();
        await agent.CallEndedAsync(connect.CallId);
    }
}

/// <param name="CallsPerSecond">The pace the agents take calls at (0: as fast as they can), the same for every backlog.</param>
public sealed record BacklogRoutingOptions(IReadOnlyList<int> Backlogs, int Queues = 32, int Agents = 320, int Concurrency = 64, int Seconds = 30, int WarmUpSeconds = 10, int CallsPerSecond = 0);

/// <param name="MeanWaiting">Calls waiting per queue at the end of the run: the backlog held.</param>
/// <param name="RefusedTakes">Offers the agent refused to answer (see the worker loop), whole run.</param>
public sealed record BacklogRoutingResult(int Backlog, long Routed, double RoutedPerSecond, LatencySummary FreedToOffered, double CpuMsPerRoutedCall, double MeanWaiting, long RefusedTakes);
