using System.Collections.Immutable;
using System.Diagnostics;
using ContactCenter.Agents;
using ContactCenter.Benchmarks.Hosting;
using ContactCenter.Benchmarks.Routing;
using ContactCenter.Calls;
using ContactCenter.Queues;

namespace ContactCenter.Benchmarks.Memory;

/// <summary>
/// What a live call and a waiting call cost the silo's managed heap, measured after full collections (not the
/// process's resident memory, which the GC's reservations and retained segments blur). The calls go through the
/// real path, the Call grains and their journal: first every call is live in the voice menu, then every one waits
/// in a queue (its agents logged in but not ready, so nobody takes one), then every one ends. The heap is read
/// after each step: the differences per call are the figures, and what is left once they ended shows a leak.
/// </summary>
public sealed class MemoryBenchmark(BenchmarkSilo silo, MemoryOptions options)
{
    private const string Gateway = "bench-gateway";

    public async Task<MemoryResult> RunAsync()
    {
        await BenchmarkCenter.BuildAsync(silo.Grains, options.Queues, options.Agents, "memory");
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Agents), InParallel(), async (a, _) =>
            await silo.Grains.GetGrain<IAgentGrain>(BenchmarkCenter.AgentId(a, "memory")).NotReadyAsync("break"));

        // A first round of calls, ended, so the JIT, the pools and the grain directory's structures are warm.
        await DriveAsync("warm", options.Calls / 10, ended: true);
        var baseline = HeapAfterFullCollection();

        var started = Stopwatch.GetTimestamp();
        await DriveAsync("call", options.Calls, ended: false);
        var live = HeapAfterFullCollection();
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Calls), InParallel(), async (n, _) =>
            await Process(n, 3, (id, call, seq, at) => new CallQueued(id, call, seq, at, Queue(n))));
        var waiting = HeapAfterFullCollection();
        var waitingInQueues = 0;
        for (var q = 0; q < options.Queues; q++)
        {
            waitingInQueues += (await silo.Grains.GetGrain<IQueueGrain>(BenchmarkCenter.QueueId(q, "memory")).GetStatusAsync()).Waiting.Length;
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, options.Calls), InParallel(), async (n, _) =>
            await Process(n, 4, (id, call, seq, at) => new CallEnded(id, call, seq, at, "normal", HangupSide.Caller)));
        // Ended calls' grains deactivate when idle; the queues forget them on their own schedule.
        await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds));
        var ended = HeapAfterFullCollection();

        return new MemoryResult(
            options.Calls, waitingInQueues, Stopwatch.GetElapsedTime(started).TotalSeconds,
            baseline / 1_048_576.0, live / 1_048_576.0, waiting / 1_048_576.0, ended / 1_048_576.0,
            (live - baseline) / (double)options.Calls,
            (waiting - live) / (double)Math.Max(1, waitingInQueues),
            (ended - baseline) / (double)options.Calls);
    }

    /// <summary>Offers <paramref name="count"/> calls and takes each into the voice menu; ends them too if asked.</summary>
    private async Task DriveAsync(string prefix, int count, bool ended)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, count), InParallel(), async (n, _) =>
        {
            var call = $"{prefix}-{n}";
            var at = DateTimeOffset.UtcNow;
            CallEvent[] events = ended
                ? [Offered(call, at), new IvrEntered($"{call}-e2", call, 2, at, "main"), new CallEnded($"{call}-e3", call, 3, at, "normal", HangupSide.Caller)]
                : [Offered(call, at), new IvrEntered($"{call}-e2", call, 2, at, "main")];
            await silo.Grains.GetGrain<ICallGrain>(call).ProcessAsync(Gateway, [.. events]);
        });
    }

    private Task Process(int n, int sequence, Func<string, string, int, DateTimeOffset, CallEvent> next)
    {
        var call = $"call-{n}";
        return silo.Grains.GetGrain<ICallGrain>(call).ProcessAsync(Gateway, [next($"{call}-e{sequence}", call, sequence, DateTimeOffset.UtcNow)]);
    }

    private string Queue(int n) => BenchmarkCenter.QueueId(n % options.Queues, "memory");

    private static CallOffered Offered(string call, DateTimeOffset at) =>
        new($"{call}-e1", call, 1, at, $"+86138{Math.Abs(call.GetHashCode()) % 100_000_000:D8}", "10086", "nanjing");

    private static ParallelOptions InParallel() => new() { MaxDegreeOfParallelism = 64 };

    private static long HeapAfterFullCollection()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <param name="SettleSeconds">How long after the calls ended the heap is read again.</param>
public sealed record MemoryOptions(int Calls = 20_000, int Queues = 32, int Agents = 320, int SettleSeconds = 5);

/// <param name="BytesPerLiveCall">Heap added by a live call in the voice menu: its Call grain, its activation's share of the runtime's tables.</param>
/// <param name="BytesPerWaitingCall">Heap added when that call waits in a queue: the queue's entry and its tracked changes.</param>
/// <param name="BytesLeftPerEndedCall">Heap still held per call after every call ended: grains not yet collected, and what queues remember of calls that left.</param>
public sealed record MemoryResult(
    int Calls, int Waiting, double Seconds,
    double BaselineHeapMb, double LiveHeapMb, double WaitingHeapMb, double EndedHeapMb,
    double BytesPerLiveCall, double BytesPerWaitingCall, double BytesLeftPerEndedCall);
