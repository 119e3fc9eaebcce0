using System.Diagnostics;
using ContactCenter.Hosting;
using ContactCenter.LoadTests.Measurement;
using ContactCenter.Schema;
using ContactCenter.Surveys;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ContactCenter.Benchmarks.Surveys;

/// <summary>
/// The surveys' durable timers at the reference center's size. The table holds surveys waiting for their time
/// (a day of the reference center's surveys is about 800,000 at one in ten calls), and a few are due. What a silo's
/// round of <see cref="ISurveyStore.TakeDueAsync"/> costs is measured with a small table, then with the large one:
/// the index of due surveys holds only the open ones, so a round must cost the same whatever waits behind it.
/// Then the cost of a survey's step (<see cref="ISurveyStore.SaveAsync"/>), from concurrent writers.
/// </summary>
public sealed class SurveyTimerBenchmark(DatabaseTarget database, SurveyTimerOptions options)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public async Task<SurveyTimerResult> RunAsync()
    {
        await new SchemaMigrator(database, Microsoft.Extensions.Logging.Abstractions.NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        ISurveyStore store = database.Kind == DatabaseKind.PostgreSql
            ? new PostgresSurveyStore(NpgsqlDataSource.Create(database.ConnectionString))
            : new SqliteSurveyStore(database.ConnectionString);

        await FillAsync("due", 0, options.Due, due: true);
        await FillAsync("waiting", 0, options.Small, due: false);
        var small = await RoundsAsync(store);
        Console.Error.WriteLine($"{options.Small:N0} waiting: a round of {RowTimers.Batch} takes {small.P50:F2} ms (p50)");

        var filling = Stopwatch.StartNew();
        await FillAsync("waiting", options.Small, options.Pending, due: false);
        Console.Error.WriteLine($"filled to {options.Pending:N0} waiting in {filling.Elapsed.TotalSeconds:F0} s");
        var large = await RoundsAsync(store);
        Console.Error.WriteLine($"{options.Pending:N0} waiting: a round of {RowTimers.Batch} takes {large.P50:F2} ms (p50)");

        var stepping = Stopwatch.StartNew();
        var steps = await StepsAsync(store);
        var stepsPerSecond = Math.Round(2 * steps.Count / stepping.Elapsed.TotalSeconds, 0);
        return new SurveyTimerResult(options, database.Kind.ToString(), small, large, Math.Round(large.P50 / small.P50, 2), steps,
            stepsPerSecond, await TableMegabytesAsync());
    }

    /// <summary>Takes every due survey, round after round, <see cref="SurveyTimerOptions.Rounds"/> times over (leases cleared in between).</summary>
    private async Task<LatencySummary> RoundsAsync(ISurveyStore store)
    {
        var recorder = new LatencyRecorder();
        for (var pass = 0; pass < options.Rounds; pass++)
        {
            await ExecuteAsync("UPDATE surveys SET wake_taken_until = NULL WHERE wake_taken_until IS NOT NULL");
            int taken;
            do
            {
                var started = Stopwatch.GetTimestamp();
                taken = (await store.TakeDueAsync(Now, SurveyTimers.SurveyLease, RowTimers.Batch)).Count;
                recorder.Record(Stopwatch.GetElapsedTime(started));
            }
            while (taken == RowTimers.Batch);
        }

        return recorder.Summarize();
    }

    /// <summary>Surveys' steps as the grains write them: a new survey (version 1) and its next version, from concurrent writers.</summary>
    private async Task<LatencySummary> StepsAsync(ISurveyStore store)
    {
        var recorders = Enumerable.Range(0, options.Concurrency).Select(_ => new LatencyRecorder()).ToArray();
        var next = -1;
        await Task.WhenAll(recorders.Select(async recorder =>
        {
            while (Interlocked.Increment(ref next) is var i && i < options.Steps)
            {
                var survey = new SurveyRecord
                {
                    Request = new SurveyRequest($"step-{i}", "+8613912345678", "billing", "a1", "全球通", Now, SurveyChannel.Sms, "rate us 1-5"),
                    Day = DateOnly.FromDateTime(Now.UtcDateTime),
                    Status = SurveyStatus.Scheduled,
                    WakeAt = Now.AddHours(1),
                    UpdatedAt = Now,
                    Version = 1,
                };
                var started = Stopwatch.GetTimestamp();
                await store.SaveAsync(survey);
                await store.SaveAsync(survey with { Status = SurveyStatus.Sent, SentAt = Now, Version = 2 });
                recorder.Record(Stopwatch.GetElapsedTime(started) / 2);
            }
        }));

        var all = new LatencyRecorder();
        foreach (var recorder in recorders)
        {
            all.AddFrom(recorder);
        }

        return all.Summarize();
    }

    /// <summary>Rows [from, to) named <paramref name="prefix"/>-N, due now or waiting up to a day, inserted by the database itself.</summary>
    private Task FillAsync(string prefix, int from, int to, bool due)
    {
        if (database.Kind == DatabaseKind.PostgreSql)
        {
            // Waiting: due from an hour to a day on, so none falls due while the benchmark runs.
            var wakeAt = due ? "now() - interval '1 minute'" : "now() + interval '1 hour' + (i % 86400) * interval '1 second'";
            return ExecuteAsync($"""
                INSERT INTO surveys (call_id, subscriber, queue_id, agent_id, brand, day, status, score, sent_at, answered_at,
                                     low_score, follow_up_open, wake_at, wake_taken_until, version, updated_at, record)
                SELECT '{prefix}-' || i, '+86139' || lpad(i::text, 8, '0'), 'q' || (i % 32), 'a' || (i % 1500), NULL, current_date, 'scheduled',
                       NULL, NULL, NULL, false, false, {wakeAt}, NULL, 1, now(), '{"{}"}'::jsonb
                FROM generate_series({from}, {to - 1}) AS i
                """);
        }

        var sqliteWake = due ? $"'{SqliteTime(Now.AddMinutes(-1))}'" : $"strftime('%Y-%m-%dT%H:%M:%S.0000000Z', '{Now.UtcDateTime:yyyy-MM-dd HH:mm:ss}', '+' || (3600 + i % 86400) || ' seconds')";
        return ExecuteAsync($"""
            WITH RECURSIVE n(i) AS (SELECT {from} UNION ALL SELECT i + 1 FROM n WHERE i < {to - 1})
            INSERT INTO surveys (call_id, subscriber, queue_id, agent_id, brand, day, status, score, sent_at, answered_at,
                                 low_score, follow_up_open, wake_at, wake_taken_until, version, updated_at, record)
            SELECT '{prefix}-' || i, '+86139' || i, 'q' || (i % 32), 'a' || (i % 1500), NULL, '{Now.UtcDateTime:yyyy-MM-dd}', 'scheduled',
                   NULL, NULL, NULL, 0, 0, {sqliteWake}, NULL, 1, '{SqliteTime(Now)}', '{"{}"}'
            FROM n
            """);
    }

    private async Task<double?> TableMegabytesAsync()
    {
        if (database.Kind != DatabaseKind.PostgreSql)
        {
            return null;
        }

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_total_relation_size('surveys') / 1048576.0", connection);
        return Math.Round(Convert.ToDouble(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture), 1);
    }

    private async Task ExecuteAsync(string sql)
    {
        if (database.Kind == DatabaseKind.PostgreSql)
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync();
            return;
        }

        await using var sqlite = await SqliteConnections.OpenAsync(database.ConnectionString);
        await using var statement = sqlite.CreateCommand();
        statement.CommandText = sql;
        statement.CommandTimeout = 600;
        await statement.ExecuteNonQueryAsync();
    }

    private static string SqliteTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record SurveyTimerOptions(int Pending, int Small, int Due, int Rounds, int Steps, int Concurrency);

/// <param name="RoundSmall">Milliseconds a round takes (up to <see cref="RowTimers.Batch"/> due surveys) with the small table.</param>
/// <param name="RoundLarge">The same with <see cref="SurveyTimerOptions.Pending"/> surveys waiting.</param>
/// <param name="LargeOverSmall">The p50 round with the large table over the p50 with the small one: 1 is "costs the same".</param>
/// <param name="Step">Milliseconds a survey's step (one versioned save) takes, from concurrent writers.</param>
/// <param name="StepsPerSecond">Steps per second that rate of saves amounts to.</param>
public sealed record SurveyTimerResult(
    SurveyTimerOptions Options, string Database, LatencySummary RoundSmall, LatencySummary RoundLarge, double LargeOverSmall,
    LatencySummary Step, double StepsPerSecond, double? TableMegabytes);
