using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace ContactCenter.Reports;

/// <summary>
/// KPI history on PostgreSQL: one grouped query, an index-only scan of the partial index of queued calls
/// (060-cdr-reporting.sql), with the thresholds passed as column arrays.
/// </summary>
public sealed class PostgresKpiReportStore(NpgsqlDataSource dataSource) : IKpiReportStore
{
    private const string Thresholds = """
        thresholds (queue, service_level, short_abandon) AS (
            SELECT * FROM unnest(@threshold_queues, @threshold_service_levels, @threshold_short_abandons)
        )
        """;

    public async IAsyncEnumerable<KpiRow> QueryAsync(KpiReportQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The moment moved by its offset is local time written as UTC; binning that by whole hours or days from a
        // UTC midnight gives the local bucket: plain arithmetic per row, no time-zone conversion. (With FILTER for
        // CASE, the best of 8 runs of a day by queue went from 348 to 285 ms against date_trunc over AT TIME ZONE.)
        // date_bin needs PostgreSQL 14 or later.
        var unit = query.Interval == KpiInterval.Hour ? "1 hour" : "1 day";
        var periods = UtcOffsetPeriods.Over(query.Calendar.Zone, query.From, query.To);
        await using var command = dataSource.CreateCommand(KpiSql.Query(
            query, periods, Thresholds,
            seconds => $"interval '{seconds} seconds'",
            shift => $"date_bin(interval '{unit}', {KpiSql.LeftQueueAt} + {shift}, timestamptz '2000-01-01 00:00:00+00')",
            "grp COLLATE \"C\" NULLS FIRST"));
        command.CommandTimeout = KpiSql.CommandTimeoutSeconds;

        var thresholds = KpiSql.DistinctThresholds(query);
        command.Parameters.Add(Array("threshold_queues", NpgsqlDbType.Text, thresholds.ConvertAll(t => t.Queue)));
        command.Parameters.Add(Array("threshold_service_levels", NpgsqlDbType.Double, thresholds.ConvertAll(t => t.ServiceLevel.TotalSeconds)));
        command.Parameters.Add(Array("threshold_short_abandons", NpgsqlDbType.Double, thresholds.ConvertAll(t => t.ShortAbandon.TotalSeconds)));
        foreach (var (name, start) in KpiSql.PeriodStarts(periods))
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>(name, NpgsqlDbType.TimestampTz) { TypedValue = start.ToUniversalTime() });
        }

        command.Parameters.Add(new NpgsqlParameter<double>("default_service_level", NpgsqlDbType.Double) { TypedValue = QueueThresholds.DefaultServiceLevel.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter<double>("default_short_abandon", NpgsqlDbType.Double) { TypedValue = QueueThresholds.DefaultShortAbandon.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("range_start", NpgsqlDbType.TimestampTz) { TypedValue = query.From.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("range_end", NpgsqlDbType.TimestampTz) { TypedValue = query.To.ToUniversalTime() });

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return KpiSql.Read(reader, query, row => row.GetFieldValue<DateTime>(1));
        }
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, List<T> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };
}
