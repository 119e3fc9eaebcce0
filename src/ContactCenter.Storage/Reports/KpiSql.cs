using System.Data.Common;
using System.Globalization;
using ContactCenter.Calls;

namespace ContactCenter.Reports;

/// <summary>
/// The report query both databases run: the same grouping and the same arithmetic, so the two cannot drift
/// apart. Each store supplies its dialect's pieces: where the thresholds and the offset periods come from
/// (the CTEs <c>thresholds</c> and <c>offsets</c>) and how a UTC moment becomes the start of its local bucket.
/// </summary>
internal static class KpiSql
{
    /// <summary>A report over a year of a busy center reads tens of millions of index entries; the request's abort still cancels it.</summary>
    public const int CommandTimeoutSeconds = 600;

    /// <summary>When a queued call left the queue: answered, or ended unanswered. The index of 060-cdr-reporting.sql is on this very expression.</summary>
    public const string LeftQueueAt = "coalesce(c.answered_at, c.ended_at)";

    private static readonly string Answered = JsonNames.Of(CallDisposition.Answered);
    private static readonly string Abandoned = JsonNames.Of(CallDisposition.Abandoned);

    /// <param name="sources">The CTEs <c>thresholds (queue, service_level, short_abandon)</c> and <c>offsets (starts, ends, offset_seconds, ...)</c>.</param>
    /// <param name="bucket">The local start of the bucket holding <see cref="LeftQueueAt"/>, given the row's offset period <c>o</c>.</param>
    /// <param name="groupOrder">The group column in the order of <see cref="IKpiReportStore.QueryAsync"/>.</param>
    public static string Query(KpiReportQuery query, string sources, string bucket, string groupOrder) => $"""
        WITH {sources},
        exits AS (
            SELECT {GroupColumn(query.By)} AS grp, {bucket} AS bucket,
                {(query.Interval == KpiInterval.Hour ? "o.offset_seconds" : "0")} AS bucket_offset,
                c.disposition, c.wait_seconds, c.talk_seconds, c.hold_seconds,
                coalesce(t.service_level, @default_service_level) AS service_level,
                coalesce(t.short_abandon, @default_short_abandon) AS short_abandon
            FROM call_detail_records c
            JOIN offsets o ON {LeftQueueAt} >= o.starts AND {LeftQueueAt} < o.ends
            LEFT JOIN thresholds t ON t.queue = c.queue
            WHERE c.queued_at IS NOT NULL AND {LeftQueueAt} >= @range_start AND {LeftQueueAt} < @range_end
        )
        SELECT grp, bucket, bucket_offset,
            count(*),
            sum(CASE WHEN disposition = '{Answered}' THEN 1 ELSE 0 END),
            sum(CASE WHEN disposition = '{Answered}' AND wait_seconds <= service_level THEN 1 ELSE 0 END),
            sum(CASE WHEN disposition = '{Abandoned}' AND wait_seconds >= short_abandon THEN 1 ELSE 0 END),
            sum(CASE WHEN disposition = '{Abandoned}' AND wait_seconds < short_abandon THEN 1 ELSE 0 END),
            sum(CASE WHEN disposition = '{Answered}' THEN wait_seconds ELSE 0 END),
            sum(CASE WHEN disposition = '{Answered}' THEN talk_seconds ELSE 0 END),
            sum(CASE WHEN disposition = '{Answered}' THEN hold_seconds ELSE 0 END),
            max(wait_seconds)
        FROM exits
        GROUP BY grp, bucket, bucket_offset
        ORDER BY {groupOrder}, bucket, bucket_offset DESC
        """;

    /// <summary>The thresholds to send: one per queue (a repeated queue would count its calls twice in the join).</summary>
    public static List<QueueThresholds> DistinctThresholds(KpiReportQuery query) =>
        query.Thresholds.DistinctBy(t => t.Queue, StringComparer.Ordinal).ToList();

    /// <param name="localBucket">Reads column 1, the bucket's local start.</param>
    public static KpiRow Read(DbDataReader row, KpiReportQuery query, Func<DbDataReader, DateTime> localBucket)
    {
        var local = DateTime.SpecifyKind(localBucket(row), DateTimeKind.Unspecified);
        // An hour keeps the offset it was computed with (the repeated hour when clocks go back is two rows);
        // a day starts at its local midnight, with midnight's offset.
        var offset = query.Interval == KpiInterval.Hour
            ? TimeSpan.FromSeconds(Convert.ToInt64(row.GetValue(2), CultureInfo.InvariantCulture))
            : query.Calendar.Zone.GetUtcOffset(local);
        return new KpiRow(
            query.By == KpiGrouping.Center ? "center" : row.IsDBNull(0) ? null : row.GetString(0),
            new DateTimeOffset(local, offset),
            Long(row, 3), Long(row, 4), Long(row, 5), Long(row, 6), Long(row, 7),
            Double(row, 8), Double(row, 9), Double(row, 10), Double(row, 11));
    }

    private static string GroupColumn(KpiGrouping by) => by switch
    {
        KpiGrouping.Queue => "c.queue",
        KpiGrouping.Agent => "c.agent",
        KpiGrouping.Region => "c.region",
        _ => "NULL",
    };

    private static long Long(DbDataReader row, int column) => Convert.ToInt64(row.GetValue(column), CultureInfo.InvariantCulture);

    private static double Double(DbDataReader row, int column) => Convert.ToDouble(row.GetValue(column), CultureInfo.InvariantCulture);
}
