using System.Data.Common;
using System.Globalization;
using ContactCenter.Calls;

namespace ContactCenter.Reports;

/// <summary>
/// The report query both databases run: the same grouping and the same arithmetic, so the two cannot drift
/// apart. Each store supplies its dialect's pieces: the CTE of the thresholds, how an offset from UTC is written,
/// and how a UTC moment moved by that offset becomes the start of its local bucket.
/// </summary>
internal static class KpiSql
{
    /// <summary>A report over a year of a busy center reads tens of millions of index entries; the request's abort still cancels it.</summary>
    public const int CommandTimeoutSeconds = 600;

    /// <summary>When a queued call left the queue: answered, or ended unanswered. The index of 060-cdr-reporting.sql is on this very expression.</summary>
    public const string LeftQueueAt = "coalesce(c.answered_at, c.ended_at)";

    private static readonly string Answered = JsonNames.Of(CallDisposition.Answered);
    private static readonly string Abandoned = JsonNames.Of(CallDisposition.Abandoned);

    /// <param name="periods">The range's offset periods (<see cref="UtcOffsetPeriods"/>); each but the first starts at the parameter <c>@period_start_N</c>.</param>
    /// <param name="thresholds">The CTE <c>thresholds (queue, service_level, short_abandon)</c>.</param>
    /// <param name="offset">An offset from UTC, in seconds, as <paramref name="bucket"/> takes it.</param>
    /// <param name="bucket">The local start of the bucket holding <see cref="LeftQueueAt"/>, given the offset in effect then.</param>
    /// <param name="groupOrder">The group column in the order of <see cref="IKpiReportStore.QueryAsync"/>.</param>
    public static string Query(
        KpiReportQuery query, IReadOnlyList<UtcOffsetPeriod> periods, string thresholds, Func<int, string> offset, Func<string, string> bucket, string groupOrder) => $"""
        WITH {thresholds},
        exits AS (
            SELECT {GroupColumn(query.By)} AS grp, {bucket(ByPeriod(periods, p => offset(Seconds(p))))} AS bucket,
                {(query.Interval == KpiInterval.Hour ? ByPeriod(periods, p => Seconds(p).ToString(CultureInfo.InvariantCulture)) : "0")} AS bucket_offset,
                c.disposition, c.wait_seconds, c.talk_seconds, c.hold_seconds,
                coalesce(t.service_level, @default_service_level) AS service_level,
                coalesce(t.short_abandon, @default_short_abandon) AS short_abandon
            FROM call_detail_records c
            LEFT JOIN thresholds t ON t.queue = c.queue
            WHERE c.queued_at IS NOT NULL AND {LeftQueueAt} >= @range_start AND {LeftQueueAt} < @range_end
        )
        SELECT grp, bucket, bucket_offset,
            count(*),
            count(*) FILTER (WHERE disposition = '{Answered}'),
            count(*) FILTER (WHERE disposition = '{Answered}' AND wait_seconds <= service_level),
            count(*) FILTER (WHERE disposition = '{Abandoned}' AND wait_seconds >= short_abandon),
            count(*) FILTER (WHERE disposition = '{Abandoned}' AND wait_seconds < short_abandon),
            coalesce(sum(wait_seconds) FILTER (WHERE disposition = '{Answered}'), 0),
            coalesce(sum(talk_seconds) FILTER (WHERE disposition = '{Answered}'), 0),
            coalesce(sum(hold_seconds) FILTER (WHERE disposition = '{Answered}'), 0),
            max(wait_seconds)
        FROM exits
        GROUP BY grp, bucket, bucket_offset
        ORDER BY {groupOrder}, bucket, bucket_offset DESC
        """;

    /// <summary>The parameters <c>@period_start_N</c> of <see cref="Query"/>: where each period after the first begins.</summary>
    public static IEnumerable<(string Name, DateTimeOffset Start)> PeriodStarts(IReadOnlyList<UtcOffsetPeriod> periods) =>
        periods.Skip(1).Select((p, i) => ($"period_start_{i + 1}", p.Start));

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

    /// <summary>
    /// The value for the offset period a call left its queue in: a constant when the range has one offset (every
    /// range in a zone without daylight saving), otherwise the latest period that began before that moment.
    /// </summary>
    private static string ByPeriod(IReadOnlyList<UtcOffsetPeriod> periods, Func<UtcOffsetPeriod, string> value)
    {
        if (periods.Count == 1)
        {
            return value(periods[0]);
        }

        var later = PeriodStarts(periods).Zip(periods.Skip(1)).Reverse()
            .Select(p => $"WHEN {LeftQueueAt} >= @{p.First.Name} THEN {value(p.Second)}");
        return $"CASE {string.Join(' ', later)} ELSE {value(periods[0])} END";
    }

    private static int Seconds(UtcOffsetPeriod period) => (int)period.Offset.TotalSeconds;

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
