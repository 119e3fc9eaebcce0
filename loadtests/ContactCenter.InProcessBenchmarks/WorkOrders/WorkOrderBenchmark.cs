using System.Diagnostics;
using ContactCenter.LoadTests.Measurement;
using ContactCenter.Schema;
using ContactCenter.WorkOrders;
using Npgsql;

namespace ContactCenter.Benchmarks.WorkOrders;

/// <summary>
/// The work-orders table at the reference center's size: about 130,000 complaints a month, tens of thousands open at
/// once. The table is filled with a month of orders (most closed, <see cref="WorkOrderBenchmarkOptions.Open"/> open, spread over
/// the seven departments), by the stores' own saves. Then, from concurrent writers, what an opening (version 1) and a
/// reply (version 2) cost; what a department's desk (its 100 open orders by deadline), a customer's screen-pop (their
/// open orders) and the figures cost; and a round of the deadlines' timers. The grains add their Orleans call to each.
/// </summary>
public sealed class WorkOrderBenchmark(DatabaseTarget database, WorkOrderBenchmarkOptions options)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly WorkOrderOptions Center = new();
    private static readonly string[] Categories = [.. Center.Categories.Keys];
    private readonly WorkOrderLife _life = new(Center);

    public async Task<WorkOrderResult> RunAsync()
    {
        await new SchemaMigrator(database, Microsoft.Extensions.Logging.Abstractions.NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        IWorkOrderStore store = database.Kind == DatabaseKind.PostgreSql
            ? new PostgresWorkOrderStore(NpgsqlDataSource.Create(database.ConnectionString))
            : new SqliteWorkOrderStore(database.ConnectionString);

        var filling = Stopwatch.StartNew();
        await ConcurrentlyAsync(options.Open + options.Closed, async i =>
        {
            // Opened over the last 30 days; the closed ones replied and closed, the open ones waiting for their reply.
            var opened = Now.AddMinutes(-(i % (30 * 24 * 60)));
            var order = Order($"fill-{i}", i, opened);
            await store.SaveAsync(order);
            if (i >= options.Open)
            {
                var replied = Step(order, WorkOrderAction.Reply, opened.AddHours(20));
                await store.SaveAsync(replied);
                await store.SaveAsync(Step(replied, WorkOrderAction.Close, opened.AddHours(21)));
            }
        });
        Console.Error.WriteLine($"filled {options.Open:N0} open and {options.Closed:N0} closed orders in {filling.Elapsed.TotalSeconds:F0} s");
        await AnalyzeAsync(); // as autovacuum would by now: the plans of a table that has grown, not of an empty one

        var openings = new LatencyRecorder();
        var replies = new LatencyRecorder();
        var stepping = Stopwatch.StartNew();
        await ConcurrentlyAsync(options.Steps, async i =>
        {
            var order = Order($"step-{i}", i, Now);
            var started = Stopwatch.GetTimestamp();
            await store.SaveAsync(order);
            openings.Record(Stopwatch.GetElapsedTime(started));
            started = Stopwatch.GetTimestamp();
            await store.SaveAsync(Step(order, WorkOrderAction.Reply, Now));
            replies.Record(Stopwatch.GetElapsedTime(started));
        });
        var stepsPerSecond = Math.Round(2 * options.Steps / stepping.Elapsed.TotalSeconds, 0);

        var desk = await TimeAsync(options.Reads, i => store.ListAsync(new WorkOrderQuery(Center.DepartmentOf(Categories[i % Categories.Length]), null, null, true, 100)));
        var screenPop = await TimeAsync(options.Reads, i => store.ListAsync(new WorkOrderQuery(null, null, Subscriber(i * 7919 % (options.Open + options.Closed)), true, 20)));
        var figures = await TimeAsync(Math.Max(1, options.Reads / 20), _ => store.CountAsync(Now, Now.AddHours(-24), Now));
        var round = await TimeAsync(options.Reads, _ => store.TakeDueAsync(Now, TimeSpan.Zero, 64));
        return new WorkOrderResult(options, database.Kind.ToString(), openings.Summarize(), replies.Summarize(), stepsPerSecond, desk, screenPop, figures, round, await TableMegabytesAsync());
    }

    private WorkOrderRecord Order(string id, int i, DateTimeOffset opened)
    {
        var complaint = new OpenWorkOrder(
            Subscriber(i), Categories[i % Categories.Length], "一个投诉：月初扣费与套餐不符，客户要求核实并退费", $"call-{i}", $"agent-{i % 1500}", WorkOrderSource.Agent, $"agent:agent-{i % 1500}");
        return _life.Open(id, complaint, opened, DateOnly.FromDateTime(opened.UtcDateTime)) with { Version = 1 };
    }

    private WorkOrderRecord Step(WorkOrderRecord order, WorkOrderAction action, DateTimeOffset at) =>
        _life.Change(order, new WorkOrderChange(action, "department:x", "已核实，退费 30 元"), at).Order! with { Version = order.Version + 1 };

    private static string Subscriber(int i) => $"+86139{i % 40_000_000:D8}";

    private async Task ConcurrentlyAsync(int count, Func<int, Task> work)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i < count)
            {
                await work(i);
            }
        }));
    }

    private static async Task<LatencySummary> TimeAsync<T>(int count, Func<int, Task<T>> read)
    {
        var recorder = new LatencyRecorder();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await read(i);
            recorder.Record(Stopwatch.GetElapsedTime(started));
        }

        return recorder.Summarize();
    }

    private async Task AnalyzeAsync()
    {
        if (database.Kind == DatabaseKind.PostgreSql)
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("ANALYZE work_orders", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private async Task<double?> TableMegabytesAsync()
    {
        if (database.Kind != DatabaseKind.PostgreSql)
        {
            return null;
        }

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_total_relation_size('work_orders') / 1048576.0", connection);
        return Math.Round(Convert.ToDouble(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture), 1);
    }
}

public sealed record WorkOrderBenchmarkOptions(int Open, int Closed, int Steps, int Reads, int Concurrency);

/// <param name="Opening">Milliseconds an order's opening (its first versioned save) takes, from concurrent writers.</param>
/// <param name="Reply">The same for its reply (the next version).</param>
/// <param name="Desk">A department's desk: its 100 open orders by deadline.</param>
/// <param name="ScreenPop">A customer's open orders.</param>
/// <param name="Figures">The figures: open, overdue, problem by department and category, and a day's timeliness.</param>
/// <param name="TimerRound">A round of the deadlines' timers with nothing due.</param>
public sealed record WorkOrderResult(
    WorkOrderBenchmarkOptions Options, string Database, LatencySummary Opening, LatencySummary Reply, double StepsPerSecond,
    LatencySummary Desk, LatencySummary ScreenPop, LatencySummary Figures, LatencySummary TimerRound, double? TableMegabytes);
