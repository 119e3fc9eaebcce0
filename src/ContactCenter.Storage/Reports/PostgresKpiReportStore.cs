using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace ContactCenter.Reports;

/// <summary>
/// KPI history on PostgreSQL: one grouped query over the partial index of queued calls (060-cdr-reporting.sql),
/// the thresholds and the offset periods passed as column arrays.
/// </summary>
public sealed class PostgresKpiReportStore(NpgsqlDataSource dataSource) : IKpiReportStore
{
    private const string Sources = """
        thresholds (queue, service_level, short_abandon) AS (
            SELECT * FROM unnest(@threshold_queues, @threshold_service_levels, @threshold_short_abandons)
        ),
        offsets (starts, ends, offset_seconds) AS (
            SELECT * FROM unnest(@offset_starts, @offset_ends, @offset_seconds)
        )
        """;

    public async IAsyncEnumerable<KpiRow> QueryAsync(KpiReportQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var unit = query.Interval == KpiInterval.Hour ? "hour" : "day";
        var bucket = $"date_trunc('{unit}', ({KpiSql.LeftQueueAt} AT TIME ZONE 'UTC') + o.offset_seconds * interval '1 second')";
        await using var command = dataSource.CreateCommand(KpiSql.Query(query, Sources, bucket, "grp COLLATE \"C\" NULLS FIRST"));
        command.CommandTimeout = KpiSql.CommandTimeoutSeconds;

        var thresholds = KpiSql.DistinctThresholds(query);
        command.Parameters.Add(Array("threshold_queues", NpgsqlDbType.Text, thresholds.ConvertAll(t => t.Queue)));
        command.Parameters.Add(Array("threshold_service_levels", NpgsqlDbType.Double, thresholds.ConvertAll(t => t.ServiceLevel.TotalSeconds)));
        command.Parameters.Add(Array("threshold_short_abandons", NpgsqlDbType.Double, thresholds.ConvertAll(t => t.ShortAbandon.TotalSeconds)));
        var periods = UtcOffsetPeriods.Over(query.Calendar.Zone, query.From, query.To).ToList();
        command.Parameters.Add(Array("offset_starts", NpgsqlDbType.TimestampTz, periods.ConvertAll(p => p.Start.ToUniversalTime())));
        command.Parameters.Add(Array("offset_ends", NpgsqlDbType.TimestampTz, periods.ConvertAll(p => p.End.ToUniversalTime())));
        command.Parameters.Add(Array("offset_seconds", NpgsqlDbType.Integer, periods.ConvertAll(p => (int)p.Offset.TotalSeconds)));
        command.Parameters.Add(new NpgsqlParameter<double>("default_service_level", NpgsqlDbType.Double) { TypedValue = QueueThresholds.DefaultServiceLevel.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter<double>("default_short_abandon", NpgsqlDbType.Double) { TypedValue = QueueThresholds.DefaultShortAbandon.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("range_start", NpgsqlDbType.TimestampTz) { TypedValue = query.From.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("range_end", NpgsqlDbType.TimestampTz) { TypedValue = query.To.ToUniversalTime() });

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return KpiSql.Read(reader, query, row => row.GetDateTime(1));
        }
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, List<T> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };
}
