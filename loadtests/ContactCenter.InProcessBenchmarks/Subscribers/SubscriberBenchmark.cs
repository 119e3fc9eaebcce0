using System.Diagnostics;
using ContactCenter.Benchmarks.Hosting;
using ContactCenter.Customers;
using ContactCenter.LoadTests.Measurement;
using ContactCenter.Schema;

namespace ContactCenter.Benchmarks.Subscribers;

/// <summary>
/// The subscriber master data at the reference center's size: import rate through the import command's own
/// path (binary COPY on PostgreSQL), then the customer lookup a call's routing makes, cold (the Customer grain
/// activates and reads its row) and warm (the grain is active), for random subscribers.
/// </summary>
public sealed class SubscriberBenchmark(DatabaseTarget database, Func<Task<BenchmarkSilo>> startSilo, SubscriberOptions options)
{
    public async Task<SubscriberResult> RunAsync()
    {
        await new SchemaMigrator(database, Microsoft.Extensions.Logging.Abstractions.NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        ImportReport? import = null;
        if (options.Rows > 0)
        {
            Console.Error.WriteLine($"importing {options.Rows:N0} subscribers...");
            import = await new SubscriberImport(database).ImportAsync(new GeneratedSubscribers(options.Rows));
            Console.Error.WriteLine($"imported {import.Imported:N0} in {import.Elapsed.TotalSeconds:F0} s");
        }

        await using var silo = await startSilo();
        var random = new Random(42);
        var numbers = Enumerable.Range(0, options.Lookups).Select(_ => GeneratedSubscribers.Number(random.NextInt64(Math.Max(options.Rows, options.KnownRows)))).Distinct().ToArray();
        var cold = await LookUpAsync(silo, numbers);
        var warm = await LookUpAsync(silo, numbers);
        return new SubscriberResult(options, import?.Imported ?? 0, import?.RowsPerSecond ?? 0, import?.Elapsed.TotalSeconds ?? 0, cold.Latency, warm.Latency, cold.Known);
    }

    private async Task<(LatencySummary Latency, int Known)> LookUpAsync(BenchmarkSilo silo, string[] numbers)
    {
        var latencies = Enumerable.Range(0, options.Concurrency).Select(_ => new LatencyRecorder()).ToArray();
        var known = 0;
        var next = -1;
        await Task.WhenAll(latencies.Select(async recorder =>
        {
            while (Interlocked.Increment(ref next) is var i && i < numbers.Length)
            {
                var started = Stopwatch.GetTimestamp();
                var profile = await silo.Grains.GetGrain<ICustomerGrain>(numbers[i]).GetProfileAsync();
                recorder.Record(Stopwatch.GetElapsedTime(started));
                if (profile.Known)
                {
                    Interlocked.Increment(ref known);
                }
            }
        }));

        var all = new LatencyRecorder();
        foreach (var recorder in latencies)
        {
            all.AddFrom(recorder);
        }

        return (all.Summarize(), known);
    }
}

/// <param name="Rows">Subscribers to import first (0: use what the database holds).</param>
/// <param name="KnownRows">Without an import, how many generated subscribers the database already holds.</param>
public sealed record SubscriberOptions(long Rows = 1_000_000, long KnownRows = 0, int Lookups = 20_000, int Concurrency = 16);

public sealed record SubscriberResult(
    SubscriberOptions Options, long Imported, double ImportRowsPerSecond, double ImportSeconds, LatencySummary Cold, LatencySummary Warm, int KnownOfLookedUp);
