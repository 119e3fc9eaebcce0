using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ContactCenter.Journal;

namespace ContactCenter.Reports;

/// <summary>
/// KPI history in the embedded mode: the same grouped query as on PostgreSQL, over the covering partial index of
/// 060-cdr-reporting.sql. SQLite has no arrays, so the thresholds travel as JSON (<c>json_each</c>), which has no
/// limit on the number of queues.
/// </summary>
public sealed class SqliteKpiReportStore(string connectionString) : IKpiReportStore
{
    // MATERIALIZED: left to itself SQLite 3.53 evaluates json_each again for every CDR the join reaches (4.3 s
    // for a day of 370,000 queued calls, against 1.5 s).
    private const string Thresholds = """
        thresholds (queue, service_level, short_abandon) AS MATERIALIZED (
            SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
            FROM json_each(@thresholds)
        )
        """;

    public async IAsyncEnumerable<KpiRow> QueryAsync(KpiReportQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Timestamps are stored as fixed-width ISO-8601 UTC text, which strftime reads and moves by the offset.
        var format = query.Interval == KpiInterval.Hour ? "%Y-%m-%dT%H:00:00" : "%Y-%m-%dT00:00:00";
        var periods = UtcOffsetPeriods.Over(query.Calendar.Zone, query.From, query.To);
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = KpiSql.Query(
            query, periods, Thresholds,
            seconds => $"'{seconds.ToString("+0;-0", CultureInfo.InvariantCulture)} seconds'",
            modifier => $"strftime('{format}', {KpiSql.LeftQueueAt}, {modifier})",
            "grp");
        command.CommandTimeout = KpiSql.CommandTimeoutSeconds;

        var thresholds = KpiSql.DistinctThresholds(query)
            .Select(t => new object[] { t.Queue, t.ServiceLevel.TotalSeconds, t.ShortAbandon.TotalSeconds });
        command.Parameters.AddWithValue("@thresholds", JsonSerializer.Serialize(thresholds));
        foreach (var (name, start) in KpiSql.PeriodStarts(periods))
        {
            command.Parameters.AddWithValue($"@{name}", SqliteJournalStore.FormatTime(start));
        }

        command.Parameters.AddWithValue("@default_service_level", QueueThresholds.DefaultServiceLevel.TotalSeconds);
        command.Parameters.AddWithValue("@default_short_abandon", QueueThresholds.DefaultShortAbandon.TotalSeconds);
        command.Parameters.AddWithValue("@range_start", SqliteJournalStore.FormatTime(query.From));
        command.Parameters.AddWithValue("@range_end", SqliteJournalStore.FormatTime(query.To));

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return KpiSql.Read(reader, query, row => DateTime.ParseExact(row.GetString(1), "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        }
    }
}
