using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ContactCenter.Journal;

namespace ContactCenter.Reports;

/// <summary>
/// KPI history in the embedded mode: the same grouped query as on PostgreSQL. SQLite has no arrays, so the
/// thresholds and the offset periods travel as JSON (<c>json_each</c>), which has no limit on the number of queues.
/// </summary>
public sealed class SqliteKpiReportStore(string connectionString) : IKpiReportStore
{
    private const string Sources = """
        thresholds (queue, service_level, short_abandon) AS (
            SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
            FROM json_each(@thresholds)
        ),
        offsets (starts, ends, offset_seconds, modifier) AS (
            SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
                json_extract(value, '$[2]') || ' seconds'
            FROM json_each(@offsets)
        )
        """;

    public async IAsyncEnumerable<KpiRow> QueryAsync(KpiReportQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Timestamps are stored as fixed-width ISO-8601 UTC text, which strftime reads and moves by the offset.
        var format = query.Interval == KpiInterval.Hour ? "%Y-%m-%dT%H:00:00" : "%Y-%m-%dT00:00:00";
        var bucket = $"strftime('{format}', {KpiSql.LeftQueueAt}, o.modifier)";
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = KpiSql.Query(query, Sources, bucket, "grp");
        command.CommandTimeout = KpiSql.CommandTimeoutSeconds;

        var thresholds = KpiSql.DistinctThresholds(query)
            .Select(t => new object[] { t.Queue, t.ServiceLevel.TotalSeconds, t.ShortAbandon.TotalSeconds });
        var periods = UtcOffsetPeriods.Over(query.Calendar.Zone, query.From, query.To)
            .Select(p => new object[] { SqliteJournalStore.FormatTime(p.Start), SqliteJournalStore.FormatTime(p.End), (long)p.Offset.TotalSeconds });
        command.Parameters.AddWithValue("@thresholds", JsonSerializer.Serialize(thresholds));
        command.Parameters.AddWithValue("@offsets", JsonSerializer.Serialize(periods));
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
