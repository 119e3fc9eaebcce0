using System.Text.Json.Nodes;
using ContactCenter.Kpis;
using ContactCenter.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Tests.Reports;

/// <summary>
/// KPI history over CDRs written through the journal store, read over the API, on both databases. Every figure
/// expected here is worked out by hand in the test from the calls it writes. The center is Asia/Shanghai (UTC+8).
/// </summary>
[Collection(ReportsCollection.Name)]
[Slow("a private PostgreSQL")]
public sealed class KpiReportTests(ReportHosts hosts)
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];

    [Theory]
    [InlineData(ReportHosts.Sqlite)]
    [InlineData(ReportHosts.PostgreSql)]
    public async Task KpisFollowTheSharedDefinitions(string database)
    {
        var host = hosts.On(database);
        var (queue, quiet, region) = ($"billing-{_id}", $"quiet-{_id}", $"region-{_id}");
        await ReportHosts.ConfigureQueueAsync(host, queue, serviceLevelSeconds: 15, shortAbandonSeconds: 6);
        await ReportHosts.ConfigureQueueAsync(host, quiet, serviceLevelSeconds: 15, shortAbandonSeconds: 6);
        var at = new DateTimeOffset(2031, 3, 2, 10, 5, 0, Shanghai);
        await new EndedCalls(host)
            .Answered(queue, "agent-a", at, wait: 10, talk: 100, hold: 20, region: region)     // within 15 s
            .Answered(queue, "agent-a", at, wait: 15, talk: 200, region: region)               // within: exactly the threshold
            .Answered(queue, "agent-b", at, wait: 30, talk: 60, hold: 10, region: region)      // not within
            .Abandoned(queue, at, wait: 5, region: region)                                     // short: under 6 s
            .Abandoned(queue, at, wait: 6, region: region)                                     // abandoned: exactly the threshold
            .Abandoned(queue, at, wait: 50, region: region)
            .Unanswered(queue, at.AddMinutes(-5), wait: 600, region: region)                   // offered only; leaves at 10:10
            .SelfService(at, region: region)                                                   // never queued: not offered
            .Abandoned(quiet, at, wait: 2)                                                     // a short abandon alone
            .WriteAsync();

        var rows = await ReportHosts.KpisAsync(host, "by=queue&interval=hour&from=2031-03-02&to=2031-03-03");

        var row = Single(rows, queue);
        Assert.Equal("2031-03-02T10:00:00+08:00", row["bucketStart"]!.GetValue<string>());
        Assert.Equal((7, 3, 2, 2, 1), Counts(row));
        Assert.Equal(0.4, Number(row, "serviceLevel"));                          // 2 / (3 answered + 2 abandoned)
        Assert.Equal(18.333, Number(row, "averageSpeedOfAnswerSeconds"));        // (10 + 15 + 30) / 3
        Assert.Equal(130, Number(row, "averageHandleTimeSeconds"));              // (100 + 200 + 60 talk + 20 + 10 hold) / 3
        Assert.Equal(120, Number(row, "averageTalkSeconds"));
        Assert.Equal(10, Number(row, "averageHoldSeconds"));
        Assert.Equal(0.3333, Number(row, "abandonRate"));                        // 2 / (7 offered - 1 short)
        Assert.Equal(0.5, Number(row, "answerRate"));                            // 3 / 6
        Assert.Equal(600, Number(row, "maxWaitSeconds"));
        Assert.Equal((360, 30), (Number(row, "totalTalkSeconds"), Number(row, "totalHoldSeconds")));
        Assert.Equal(
            ["group", "bucketStart", "offered", "answered", "answeredWithinThreshold", "abandoned", "shortAbandoned", "serviceLevel",
             "averageSpeedOfAnswerSeconds", "averageHandleTimeSeconds", "averageTalkSeconds", "averageHoldSeconds", "abandonRate",
             "answerRate", "maxWaitSeconds", "totalTalkSeconds", "totalHoldSeconds"],
            row.Select(field => field.Key));

        // Nothing to divide by: the ratios are null, and still there.
        var alone = Single(rows, quiet);
        Assert.Equal((1, 0, 0, 0, 1), Counts(alone));
        Assert.All(
            ["serviceLevel", "averageSpeedOfAnswerSeconds", "averageHandleTimeSeconds", "abandonRate", "answerRate"],
            name => Assert.True(alone.ContainsKey(name) && alone[name] is null, $"{name} should be null"));
        Assert.Equal(2, Number(alone, "maxWaitSeconds"));

        // The self-service call is in the region but not offered.
        var byRegion = await ReportHosts.KpisAsync(host, "by=region&interval=day&from=2031-03-02&to=2031-03-03");
        Assert.Equal((7, 3, 2, 2, 1), Counts(Single(byRegion, region)));
    }

    [Theory]
    [InlineData(ReportHosts.Sqlite)]
    [InlineData(ReportHosts.PostgreSql)]
    public async Task ACallCountsInTheHourInWhichItLeftTheQueue(string database)
    {
        var host = hosts.On(database);
        var queue = $"hours-{_id}";
        await ReportHosts.ConfigureQueueAsync(host, queue, serviceLevelSeconds: 20, shortAbandonSeconds: 5);
        await new EndedCalls(host)
            .Answered(queue, "agent-a", Local(2031, 3, 3, 9, 59, 50), wait: 20, talk: 300)     // answered 10:00:10: the 10:00 hour
            .Answered(queue, "agent-a", Local(2031, 3, 3, 9, 58, 0), wait: 115, talk: 1800)    // answered 09:59:55, ends 10:30: the 09:00 hour
            .Abandoned(queue, Local(2031, 3, 3, 9, 59, 30), wait: 35)                         // hangs up 10:00:05: the 10:00 hour
            .WriteAsync();

        var rows = await ReportHosts.KpisAsync(host, "by=queue&interval=hour&from=2031-03-03T09:00&to=2031-03-03T11:00");

        var hours = Group(rows, queue);
        Assert.Equal(["2031-03-03T09:00:00+08:00", "2031-03-03T10:00:00+08:00"], hours.Select(r => r["bucketStart"]!.GetValue<string>()));
        Assert.Equal((1, 1, 0, 0, 0), Counts(hours[0]));
        Assert.Equal((2, 1, 1, 1, 0), Counts(hours[1]));
        Assert.Equal(1800, Number(hours[0], "totalTalkSeconds"));

        // The same range given in UTC, and with an offset whose '+' arrives unencoded (as a space).
        foreach (var range in new[] { "from=2031-03-03T01:00:00Z&to=2031-03-03T03:00:00Z", "from=2031-03-03T09:00+08:00&to=2031-03-03T11:00:00+08:00" })
        {
            var again = Group(await ReportHosts.KpisAsync(host, $"by=queue&interval=hour&{range}"), queue);
            Assert.Equal([(1, 1, 0, 0, 0), (2, 1, 1, 1, 0)], again.Select(Counts));
        }

        // A range that starts at 10:00 leaves out the call answered at 09:59:55.
        var fromTen = Group(await ReportHosts.KpisAsync(host, "by=queue&interval=hour&from=2031-03-03T10:00&to=2031-03-03T11:00"), queue);
        Assert.Equal([(2, 1, 1, 1, 0)], fromTen.Select(Counts));
    }

    [Theory]
    [InlineData(ReportHosts.Sqlite)]
    [InlineData(ReportHosts.PostgreSql)]
    public async Task DaysAreTheCentersLocalDays(string database)
    {
        var host = hosts.On(database);
        var queue = $"days-{_id}";
        await ReportHosts.ConfigureQueueAsync(host, queue, serviceLevelSeconds: 20, shortAbandonSeconds: 5);
        await new EndedCalls(host)
            .Abandoned(queue, Utc(2031, 3, 9, 15, 59, 0), wait: 59)            // 23:59:59 on the 9th, local: before the range
            .Answered(queue, "agent-a", Utc(2031, 3, 9, 23, 29, 50), wait: 10, talk: 60)   // 23:30 UTC on the 9th: 07:30 on the 10th
            .Abandoned(queue, Utc(2031, 3, 10, 15, 59, 0), wait: 59)           // 23:59:59 on the 10th
            .Abandoned(queue, Utc(2031, 3, 10, 15, 59, 30), wait: 30)          // 00:00:00 on the 11th
            .Answered(queue, "agent-a", Local(2031, 3, 10, 23, 59, 50), wait: 20, talk: 60) // answered 00:00:10 on the 11th
            .WriteAsync();

        var rows = await ReportHosts.KpisAsync(host, "by=queue&interval=day&from=2031-03-10&to=2031-03-12");

        var days = Group(rows, queue);
        Assert.Equal(["2031-03-10T00:00:00+08:00", "2031-03-11T00:00:00+08:00"], days.Select(r => r["bucketStart"]!.GetValue<string>()));
        Assert.Equal([(2, 1, 1, 1, 0), (2, 1, 1, 1, 0)], days.Select(Counts));
        Assert.Equal([10.0, 20.0], days.Select(d => Number(d, "averageSpeedOfAnswerSeconds")));
    }

    [Theory]
    [InlineData(ReportHosts.Sqlite)]
    [InlineData(ReportHosts.PostgreSql)]
    public async Task EachCallIsMeasuredAgainstItsOwnQueuesThresholds(string database)
    {
        var host = hosts.On(database);
        var (fast, slow, unknown, agent, region) = ($"fast-{_id}", $"slow-{_id}", $"gone-{_id}", $"agent-{_id}", $"region-{_id}");
        await ReportHosts.ConfigureQueueAsync(host, fast, serviceLevelSeconds: 10, shortAbandonSeconds: 3);
        await ReportHosts.ConfigureQueueAsync(host, slow, serviceLevelSeconds: 60, shortAbandonSeconds: 10);
        var at = Local(2031, 3, 20, 14, 0, 0);
        await new EndedCalls(host)
            .Answered(fast, agent, at, wait: 30, talk: 100, region: region)          // over fast's 10 s
            .Answered(slow, agent, at, wait: 30, talk: 100, region: region)          // within slow's 60 s
            .Abandoned(fast, at, wait: 5, region: region, ringingAgent: agent)       // abandoned: fast's short limit is 3 s
            .Abandoned(slow, at, wait: 5, region: region, ringingAgent: agent)       // short: slow's is 10 s
            .Answered(unknown, agent, at, wait: 15, talk: 100, region: region)       // not in the center: the defaults, 20 s ...
            .Abandoned(unknown, at, wait: 4, region: region, ringingAgent: agent)    // ... and 5 s
            .WriteAsync();

        foreach (var (by, group) in new[] { ("agent", agent), ("region", region), ("center", "center") })
        {
            var row = Single(await ReportHosts.KpisAsync(host, $"by={by}&interval=day&from=2031-03-20&to=2031-03-21"), group);
            Assert.Equal((6, 3, 2, 1, 2), Counts(row));
            Assert.Equal(0.5, Number(row, "serviceLevel"));    // 2 / (3 + 1)
            Assert.Equal(0.25, Number(row, "abandonRate"));    // 1 / (6 - 2)
            Assert.Equal(0.75, Number(row, "answerRate"));     // 3 / (6 - 2)
        }

        var byQueue = await ReportHosts.KpisAsync(host, "by=queue&interval=day&from=2031-03-20&to=2031-03-21");
        Assert.Equal((2, 1, 0, 1, 0), Counts(Single(byQueue, fast)));
        Assert.Equal((2, 1, 1, 0, 1), Counts(Single(byQueue, slow)));
        Assert.Equal((2, 1, 1, 0, 1), Counts(Single(byQueue, unknown)));
    }

    [Theory]
    [InlineData(ReportHosts.Sqlite)]
    [InlineData(ReportHosts.PostgreSql)]
    public async Task AnHourRepeatedWhenClocksGoBackIsTwoRowsAndTheDayIsOne(string database)
    {
        // The store takes the calendar with the query, so a center in New York needs no silo of its own. On 2 November
        // 2031 its clocks go back from 02:00 EDT (-4) to 01:00 EST (-5): 01:00-02:00 happens twice.
        var host = hosts.On(database);
        var queue = $"newyork-{_id}";
        await new EndedCalls(host)
            .Abandoned(queue, Utc(2031, 11, 2, 4, 29, 0), wait: 60)    // 00:30 EDT
            .Abandoned(queue, Utc(2031, 11, 2, 5, 29, 0), wait: 60)    // 01:30 EDT
            .Abandoned(queue, Utc(2031, 11, 2, 6, 29, 0), wait: 60)    // 01:30 EST
            .Abandoned(queue, Utc(2031, 11, 2, 7, 29, 0), wait: 60)    // 02:30 EST
            .WriteAsync();
        var newYork = CenterCalendar.For("America/New_York");
        var store = host.Services.GetRequiredService<IKpiReportStore>();
        var day = new DateTimeOffset(2031, 11, 2, 0, 0, 0, TimeSpan.FromHours(-4));
        async Task<List<KpiRow>> ReportAsync(KpiInterval interval) =>
            await store.QueryAsync(new KpiReportQuery(KpiGrouping.Queue, interval, day, day.AddHours(25), newYork, [])).Where(r => r.Group == queue).ToListAsync();

        var hours = await ReportAsync(KpiInterval.Hour);
        var days = await ReportAsync(KpiInterval.Day);

        Assert.Equal(
            ["2031-11-02T00:00:00-04:00", "2031-11-02T01:00:00-04:00", "2031-11-02T01:00:00-05:00", "2031-11-02T02:00:00-05:00"],
            hours.Select(h => h.BucketStart.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(hours, h => Assert.Equal(1, h.Abandoned));
        var only = Assert.Single(days);
        Assert.Equal((new DateTimeOffset(2031, 11, 2, 0, 0, 0, TimeSpan.FromHours(-4)), 4L), (only.BucketStart, only.Offered));
    }

    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute, int second) =>
        new(year, month, day, hour, minute, second, Shanghai);

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute, int second) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    private static List<JsonObject> Group(JsonArray rows, string group) =>
        [.. rows.Select(r => r!.AsObject()).Where(r => r["group"]?.GetValue<string>() == group)];

    private static JsonObject Single(JsonArray rows, string group) => Assert.Single(Group(rows, group));

    /// <summary>Offered, answered, answered within the threshold, abandoned, short abandoned.</summary>
    private static (int, int, int, int, int) Counts(JsonObject row) =>
        (Int(row, "offered"), Int(row, "answered"), Int(row, "answeredWithinThreshold"), Int(row, "abandoned"), Int(row, "shortAbandoned"));

    private static int Int(JsonObject row, string name) => row[name]!.GetValue<int>();

    private static double Number(JsonObject row, string name) => row[name]!.GetValue<double>();
}
