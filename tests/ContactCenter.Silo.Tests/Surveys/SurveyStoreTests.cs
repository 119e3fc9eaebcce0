using ContactCenter.Schema;
using ContactCenter.Surveys;
using ContactCenter.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Storage;

namespace ContactCenter.Tests.Surveys;

/// <summary>
/// The surveys table on both databases: one version at a time, due surveys taken once per lease (and by one silo of
/// several at once), and the SQL's counts the same as the live figures' (<see cref="SurveyTally"/>) for the same rows.
/// </summary>
[Collection(PostgresCollection.Name)]
[Slow("a private PostgreSQL")]
public sealed class SurveyStoreTests(PostgresServer postgres) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateOnly Day = new(2026, 12, 8);
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-survey-store-").FullName;

    public static TheoryData<DatabaseKind> Databases => [DatabaseKind.Sqlite, DatabaseKind.PostgreSql];

    private async Task<ISurveyStore> StoreAsync(DatabaseKind kind)
    {
        if (kind == DatabaseKind.PostgreSql)
        {
            return new PostgresSurveyStore(NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync()));
        }

        var database = new DatabaseTarget(DatabaseKind.Sqlite, $"Data Source={Path.Combine(_folder, $"{Guid.NewGuid():N}.db")}");
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        return new SqliteSurveyStore(database.ConnectionString);
    }

    private static SurveyRecord Survey(string callId, SurveyStatus status = SurveyStatus.Scheduled, DateTimeOffset? wakeAt = null, int? score = null,
        string queue = "billing", string agent = "a1", string? brand = "全球通", bool followUp = false, long version = 1) => new()
        {
            Request = new SurveyRequest(callId, "+8613912345678", queue, agent, brand, Now, SurveyChannel.Sms, "rate us"),
            Day = Day,
            Status = status,
            SentAt = status == SurveyStatus.Scheduled ? null : Now,
            AnsweredAt = status == SurveyStatus.Answered ? Now.AddMinutes(5) : null,
            Score = score,
            FollowUp = followUp,
            WakeAt = wakeAt,
            UpdatedAt = Now,
            Version = version,
        };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ARecordIsWrittenOneVersionAtATime(DatabaseKind kind)
    {
        var store = await StoreAsync(kind);
        var first = Survey("c1", wakeAt: Now);
        await store.SaveAsync(first);
        Assert.Equal(first, await store.LoadAsync("c1"));

        var second = first with { Status = SurveyStatus.Sent, SentAt = Now, Version = 2 };
        await store.SaveAsync(second);
        Assert.Equal(second, await store.LoadAsync("c1"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => store.SaveAsync(second with { Score = 3 }));
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.SaveAsync(first));
        Assert.Equal(second, await store.LoadAsync("c1"));
        Assert.Null(await store.LoadAsync("nosuch"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ADueSurveyIsTakenOncePerLeaseAndAgainWhenTheLeaseRunsOutOrItIsSaved(DatabaseKind kind)
    {
        var store = await StoreAsync(kind);
        await store.SaveAsync(Survey("due-1", wakeAt: Now.AddMinutes(-1)));
        await store.SaveAsync(Survey("due-2", wakeAt: Now));
        await store.SaveAsync(Survey("later", wakeAt: Now.AddHours(1)));
        await store.SaveAsync(Survey("closed", SurveyStatus.Answered, score: 5));
        var lease = TimeSpan.FromMinutes(1);

        Assert.Equal(["due-1", "due-2"], (await store.TakeDueAsync(Now, lease, 10)).Order());
        Assert.Empty(await store.TakeDueAsync(Now.AddSeconds(30), lease, 10));
        Assert.Equal(["due-1", "due-2"], (await store.TakeDueAsync(Now + lease + TimeSpan.FromSeconds(1), lease, 10)).Order());

        // The grain's save clears its lease: woken and still due (its next step failed to happen), it is taken at once.
        await store.SaveAsync(Survey("due-1", wakeAt: Now, version: 2));
        Assert.Equal(["due-1"], await store.TakeDueAsync(Now + lease + TimeSpan.FromSeconds(2), lease, 10));
    }

    [Fact]
    public async Task SilosTakingDueSurveysAtOnceNeverTakeTheSameOne()
    {
        var store = await StoreAsync(DatabaseKind.PostgreSql);
        foreach (var i in Enumerable.Range(0, 200))
        {
            await store.SaveAsync(Survey($"c{i}", wakeAt: Now.AddSeconds(-i)));
        }

        var rounds = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.TakeDueAsync(Now, TimeSpan.FromMinutes(1), 20)));

        var taken = rounds.SelectMany(r => r).ToList();
        Assert.Equal(taken.Count, taken.Distinct().Count());
        Assert.Equal(160, taken.Count);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TheTablesCountsAreTheLiveFiguresOfTheSameSurveys(DatabaseKind kind)
    {
        var store = await StoreAsync(kind);
        SurveyRecord[] surveys =
        [
            Survey("scheduled", wakeAt: Now),
            Survey("sent", SurveyStatus.Sent, wakeAt: Now.AddHours(4)),
            Survey("five", SurveyStatus.Answered, score: 5),
            Survey("four", SurveyStatus.Answered, score: 4, agent: "a2"),
            Survey("one", SurveyStatus.Answered, score: 1, followUp: true, brand: null),
            Survey("out", SurveyStatus.OptedOut, agent: "a2"),
            Survey("expired", SurveyStatus.Expired, queue: "sales"),
            Survey("failed", SurveyStatus.Failed) with { SentAt = null },
        ];
        foreach (var survey in surveys)
        {
            await store.SaveAsync(survey);
        }

        var counted = await store.CountDayAsync(Day);
        foreach (var group in surveys.GroupBy(s => (s.Request.Queue, s.Request.Agent)))
        {
            var expected = group.Aggregate(SurveyCounters.Zero, (sum, s) => sum.Plus(SurveyTally.Of(s)));
            Assert.Equal(expected, Assert.Single(counted, c => (c.Queue, c.Agent) == group.Key).Counters);
        }

        var byBrand = await store.ReportAsync(SurveyGrouping.Brand, Day, Day.AddDays(1));
        Assert.Equal([null, "全球通"], byBrand.Select(r => r.Group));
        Assert.Equal(new SurveyCounters { Sent = 1, Answered = 1, LowScores = 1, ScoreSum = 1 }, byBrand[0].Counters);
        var center = Assert.Single(await store.ReportAsync(SurveyGrouping.Center, Day, Day.AddDays(1)));
        Assert.Equal(new SurveyCounters { Sent = 6, Answered = 3, Satisfied = 2, LowScores = 1, OptedOut = 1, ScoreSum = 10 }, center.Counters);
        Assert.Empty(await store.ReportAsync(SurveyGrouping.Queue, Day.AddDays(1), Day.AddDays(2)));

        var followUps = await store.OpenFollowUpsAsync(null, 10);
        Assert.Equal("one", Assert.Single(followUps).CallId);
        Assert.Empty(await store.OpenFollowUpsAsync("sales", 10));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
