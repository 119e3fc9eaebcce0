using System.Diagnostics;
using ContactCenter.Kpis;
using ContactCenter.Reports;
using ContactCenter.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace ContactCenter.Benchmarks.Reports;

/// <summary>
/// How long KPI history takes over a day of the reference center: a day of synthetic CDRs (370,000 queued calls
/// among IVR-only ones) bulk-loaded into an empty database (binary COPY on PostgreSQL), then the report store's
/// query timed for a one-day report by queue (the headline) and a few other shapes. Timed from the query's
/// start to its last row read, in this process, with every queue's thresholds passed in as the API passes them.
/// </summary>
public sealed class ReportBenchmark(DatabaseTarget database, ReportOptions options)
{
    private static readonly (KpiGrouping By, KpiInterval Interval)[] Shapes =
        [(KpiGrouping.Queue, KpiInterval.Day), (KpiGrouping.Queue, KpiInterval.Hour), (KpiGrouping.Agent, KpiInterval.Day), (KpiGrouping.Center, KpiInterval.Hour)];

    public async Task<ReportResult> RunAsync()
    {
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        var calendar = CenterCalendar.Default;
        var day = options.Day.ToDateTime(TimeOnly.MinValue);
        var dayStart = new DateTimeOffset(day, calendar.Zone.GetUtcOffset(day));
        var cdrs = new SyntheticCdrs(dayStart, options.Queued, options.IvrOnly, options.Queues, options.Agents);

        Console.Error.WriteLine($"loading {options.Queued:N0} queued and {options.IvrOnly:N0} IVR-only CDRs...");
        var loading = Stopwatch.GetTimestamp();
        var loaded = database.Kind == DatabaseKind.PostgreSql ? await CopyIntoPostgresAsync(cdrs.Generate()) : await InsertIntoSqliteAsync(cdrs.Generate());
        var loadSeconds = Stopwatch.GetElapsedTime(loading).TotalSeconds;
        Console.Error.WriteLine($"loaded {loaded:N0} CDRs in {loadSeconds:F0} s");

        IKpiReportStore store = database.Kind == DatabaseKind.PostgreSql
            ? new PostgresKpiReportStore(NpgsqlDataSource.Create(PostgresConnections.Tune(database.ConnectionString)))
            : new SqliteKpiReportStore(database.ConnectionString);
        var thresholds = Enumerable.Range(0, options.Queues)
            .Select(q => new QueueThresholds(SyntheticCdrs.QueueId(q), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5))).ToList();
        KpiReportQuery Query(KpiGrouping by, KpiInterval interval) => new(by, interval, dayStart, dayStart.AddDays(1), calendar, thresholds);

        // As it stands right after the load, before autovacuum has visited the table (PostgreSQL: no statistics,
        // no visibility map, so the index-only scan still reads the table's pages).
        var (firstMs, firstRows, firstOffered) = await TimeAsync(store, Query(KpiGrouping.Queue, KpiInterval.Day));
        Console.Error.WriteLine($"first report by queue, straight after the load: {firstMs:F0} ms ({firstRows} rows, {firstOffered:N0} offered)");

        var vacuumSeconds = await VacuumAsync();
        var shapes = new List<ShapeResult>();
        foreach (var (by, interval) in Shapes)
        {
            var runs = new List<double>();
            var (rows, offered) = (0, 0L);
            for (var run = 0; run < options.Runs; run++)
            {
                (var ms, rows, offered) = await TimeAsync(store, Query(by, interval));
                runs.Add(Math.Round(ms, 1));
            }

            var median = runs.Order().ElementAt(runs.Count / 2);
            Console.Error.WriteLine($"by {by} per {interval}: median {median:F0} ms of {runs.Count} ({string.Join(", ", runs.Select(r => r.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}); {rows} rows, {offered:N0} offered");
            shapes.Add(new ShapeResult(by.ToString().ToLowerInvariant(), interval.ToString().ToLowerInvariant(), rows, offered, median, runs));
        }

        return new ReportResult(options, database.Kind.ToString(), loaded, loadSeconds, loaded / loadSeconds, firstMs, vacuumSeconds, shapes);
    }

    private static async Task<(double Ms, int Rows, long Offered)> TimeAsync(IKpiReportStore store, KpiReportQuery query)
    {
        var started = Stopwatch.GetTimestamp();
        var (rows, offered) = (0, 0L);
        await foreach (var row in store.QueryAsync(query))
        {
            rows++;
            offered += row.Offered;
        }

        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, rows, offered);
    }

    private async Task<long> CopyIntoPostgresAsync(IEnumerable<SyntheticCdr> cdrs)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var copy = await connection.BeginBinaryImportAsync("""
            COPY call_detail_records (call_id, gateway_id, caller, dialled, region, queue, agent, offered_at, queued_at, answered_at,
                ended_at, wait_seconds, talk_seconds, hold_seconds, disposition, abandoned, end_cause, hung_up_by, transfer_count, recordings)
            FROM STDIN (FORMAT BINARY)
            """);
        long count = 0;
        foreach (var cdr in cdrs)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(cdr.CallId, NpgsqlDbType.Text);
            await copy.WriteAsync("gw-bench", NpgsqlDbType.Text);
            await copy.WriteAsync(cdr.Caller, NpgsqlDbType.Text);
            await copy.WriteAsync("10086", NpgsqlDbType.Text);
            await copy.WriteAsync(cdr.Region, NpgsqlDbType.Text);
            await WriteNullableAsync(copy, cdr.Queue, NpgsqlDbType.Text);
            await WriteNullableAsync(copy, cdr.Agent, NpgsqlDbType.Text);
            await copy.WriteAsync(cdr.OfferedAt, NpgsqlDbType.TimestampTz);
            await WriteNullableAsync(copy, cdr.QueuedAt, NpgsqlDbType.TimestampTz);
            await WriteNullableAsync(copy, cdr.AnsweredAt, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(cdr.EndedAt, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(cdr.WaitSeconds, NpgsqlDbType.Double);
            await copy.WriteAsync(cdr.TalkSeconds, NpgsqlDbType.Double);
            await copy.WriteAsync(cdr.HoldSeconds, NpgsqlDbType.Double);
            await copy.WriteAsync(cdr.Disposition, NpgsqlDbType.Text);
            await copy.WriteAsync(cdr.Disposition == "abandoned", NpgsqlDbType.Boolean);
            await copy.WriteAsync("normal", NpgsqlDbType.Text);
            await copy.WriteAsync("caller", NpgsqlDbType.Text);
            await copy.WriteAsync(0, NpgsqlDbType.Integer);
            await copy.WriteAsync("[]", NpgsqlDbType.Json);
            count++;
        }

        await copy.CompleteAsync();
        return count;
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            await copy.WriteNullAsync();
        }
        else
        {
            await copy.WriteAsync(value, type);
        }
    }

    private async Task<long> InsertIntoSqliteAsync(IEnumerable<SyntheticCdr> cdrs)
    {
        const int RowsPerTransaction = 50_000;
        await using var connection = await SqliteConnections.OpenAsync(database.ConnectionString);
        long count = 0;
        foreach (var chunk in cdrs.Chunk(RowsPerTransaction))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO call_detail_records (call_id, gateway_id, caller, dialled, region, queue, agent, offered_at, queued_at,
                    answered_at, ended_at, wait_seconds, talk_seconds, hold_seconds, disposition, abandoned, end_cause, hung_up_by,
                    transfer_count, recordings)
                VALUES ($call_id, 'gw-bench', $caller, '10086', $region, $queue, $agent, $offered_at, $queued_at, $answered_at,
                    $ended_at, $wait, $talk, $hold, $disposition, $abandoned, 'normal', 'caller', 0, '[]')
                """;
            var parameters = new[] { "$call_id", "$caller", "$region", "$queue", "$agent", "$offered_at", "$queued_at", "$answered_at", "$ended_at", "$wait", "$talk", "$hold", "$disposition", "$abandoned" }
                .Select(name => insert.Parameters.AddWithValue(name, DBNull.Value)).ToArray();
            foreach (var cdr in chunk)
            {
                object?[] values = [cdr.CallId, cdr.Caller, cdr.Region, cdr.Queue, cdr.Agent, Time(cdr.OfferedAt), Time(cdr.QueuedAt), Time(cdr.AnsweredAt),
                    Time(cdr.EndedAt), cdr.WaitSeconds, cdr.TalkSeconds, cdr.HoldSeconds, cdr.Disposition, cdr.Disposition == "abandoned" ? 1 : 0];
                for (var i = 0; i < values.Length; i++)
                {
                    parameters[i].Value = values[i] ?? DBNull.Value;
                }

                await insert.ExecuteNonQueryAsync();
                count++;
            }

            await transaction.CommitAsync();
        }

        return count;
    }

    /// <summary>The journal store's format: fixed-width ISO-8601 UTC text.</summary>
    private static string? Time(DateTime? utc) =>
        utc?.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What autovacuum does to an insert-only table soon after a load: statistics, and the visibility map an index-only scan needs.</summary>
    private async Task<double> VacuumAsync()
    {
        var started = Stopwatch.GetTimestamp();
        if (database.Kind == DatabaseKind.PostgreSql)
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE) call_detail_records", connection) { CommandTimeout = 0 };
            await vacuum.ExecuteNonQueryAsync();
        }
        else
        {
            await using var connection = await SqliteConnections.OpenAsync(database.ConnectionString);
            await using var analyze = connection.CreateCommand();
            analyze.CommandText = "ANALYZE";
            await analyze.ExecuteNonQueryAsync();
        }

        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}

/// <param name="Day">The center's local day the CDRs fall on.</param>
public sealed record ReportOptions(int Queued = 370_000, int IvrOnly = 1_000_000, int Queues = 16, int Agents = 581, int Runs = 5, DateOnly Day = default);

public sealed record ShapeResult(string By, string Interval, int Rows, long Offered, double MedianMs, IReadOnlyList<double> RunsMs);

public sealed record ReportResult(
    ReportOptions Options, string Database, long CdrsLoaded, double LoadSeconds, double LoadRowsPerSecond,
    double FirstReportAfterLoadMs, double VacuumSeconds, IReadOnlyList<ShapeResult> Reports);
