using System.Text.Json;
using ContactCenter.Benchmarks.Hosting;
using ContactCenter.Benchmarks.Memory;
using ContactCenter.Benchmarks.Reports;
using ContactCenter.Benchmarks.Routing;
using ContactCenter.Benchmarks.Subscribers;
using ContactCenter.Benchmarks.Surveys;
using ContactCenter.Benchmarks.Wallboard;

// Usage: ContactCenter.InProcessBenchmarks <routing|routing-backlog|memory|subscribers|wallboard|reports|survey-timers|work-orders> [--postgres CONNECTION] [--name value ...]
//   routing          --queues 32 --agents 1500 --concurrency 64 --seconds 30 --warmup 5
//   routing-backlog  --backlogs 5,500 --rate 0 --queues 32 --agents 320 --concurrency 64 --seconds 30 --warmup 10
//   memory           --calls 20000 --queues 32 --agents 320 --settle 5
//   wallboard    --queues 100 --agents 1500 --concurrency 64 --pages 5 --phase-seconds 20 --rounds 2 --warmup 10
//   subscribers  --rows 1000000 --known-rows 0 --lookups 20000 --concurrency 16
//   reports      --queued 370000 --ivr 1000000 --queues 16 --agents 581 --runs 5 --day 2026-11-23
//   survey-timers --pending 1000000 --small 10000 --due 2000 --rounds 20 --steps 5000 --concurrency 16
//   work-orders --open 30000 --closed 100000 --steps 5000 --reads 200 --concurrency 16
// Without --postgres the silo runs embedded on SQLite in a temporary folder. Prints the result as JSON.
if (args is not [var command, .. var rest] || command is not ("routing" or "routing-backlog" or "memory" or "subscribers" or "wallboard" or "reports" or "survey-timers" or "work-orders"))
{
    Console.Error.WriteLine("usage: ContactCenter.InProcessBenchmarks <routing|routing-backlog|memory|subscribers|wallboard|reports|survey-timers|work-orders> [--postgres CONNECTION] [options]");
    return 2;
}

var options = rest.Chunk(2).Where(p => p.Length == 2 && p[0].StartsWith("--", StringComparison.Ordinal)).ToDictionary(p => p[0][2..], p => p[1]);
int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
var postgres = options.GetValueOrDefault("postgres");
var folder = Directory.CreateTempSubdirectory("cc-bench-").FullName;
Task<BenchmarkSilo> StartSilo() => BenchmarkSilo.StartAsync(postgres, folder);

ContactCenter.DatabaseTarget Database() => postgres is null
    ? new ContactCenter.DatabaseTarget(ContactCenter.DatabaseKind.Sqlite, $"Data Source={Path.Combine(folder, "benchmark.db")};Pooling=True")
    : new ContactCenter.DatabaseTarget(ContactCenter.DatabaseKind.PostgreSql, postgres);

try
{
    object result;
    if (command == "routing")
    {
        await using var silo = await StartSilo();
        result = await new RoutingBenchmark(silo, new RoutingOptions(
            Int("queues", 32), Int("agents", 1_500), Int("concurrency", 64), Int("seconds", 30), Int("warmup", 5))).RunAsync();
    }
    else if (command == "routing-backlog")
    {
        await using var silo = await StartSilo();
        var backlogs = options.GetValueOrDefault("backlogs", "5,500").Split(',').Select(b => int.Parse(b, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        result = await new BacklogRoutingBenchmark(silo, new BacklogRoutingOptions(
            backlogs, Int("queues", 32), Int("agents", 320), Int("concurrency", 64), Int("seconds", 30), Int("warmup", 10), Int("rate", 0))).RunAsync();
    }
    else if (command == "memory")
    {
        await using var silo = await StartSilo();
        result = await new MemoryBenchmark(silo, new MemoryOptions(Int("calls", 20_000), Int("queues", 32), Int("agents", 320), Int("settle", 5))).RunAsync();
    }
    else if (command == "wallboard")
    {
        await using var silo = await StartSilo();
        result = await new WallboardBenchmark(silo, new WallboardOptions(
            Int("queues", 100), Int("agents", 1_500), Int("concurrency", 64), Int("pages", 5), Int("phase-seconds", 20), Int("rounds", 2), Int("warmup", 10))).RunAsync();
    }
    else if (command == "reports")
    {
        result = await new ReportBenchmark(Database(), new ReportOptions(
            Int("queued", 370_000), Int("ivr", 1_000_000), Int("queues", 16), Int("agents", 581), Int("runs", 5),
            options.TryGetValue("day", out var day) ? DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : new DateOnly(2026, 11, 23))).RunAsync();
    }
    else if (command == "survey-timers")
    {
        result = await new SurveyTimerBenchmark(Database(), new SurveyTimerOptions(
            Int("pending", 1_000_000), Int("small", 10_000), Int("due", 2_000), Int("rounds", 20), Int("steps", 5_000), Int("concurrency", 16))).RunAsync();
    }
    else if (command == "work-orders")
    {
        result = await new ContactCenter.Benchmarks.WorkOrders.WorkOrderBenchmark(Database(), new ContactCenter.Benchmarks.WorkOrders.WorkOrderBenchmarkOptions(
            Int("open", 30_000), Int("closed", 100_000), Int("steps", 5_000), Int("reads", 200), Int("concurrency", 16))).RunAsync();
    }
    else
    {
        var database = Database();
        result = await new SubscriberBenchmark(database, StartSilo, new SubscriberOptions(
            Int("rows", 1_000_000), Int("known-rows", 0), Int("lookups", 20_000), Int("concurrency", 16))).RunAsync();
    }

    Console.WriteLine(JsonSerializer.Serialize(result, result.GetType(), new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
    return 0;
}
finally
{
    Directory.Delete(folder, recursive: true);
}
