namespace ContactCenter.Kpis;

/// <summary>
/// A grain's KPI counters over the two live windows a supervisor watches: the last 15 minutes and today. Kept
/// incrementally as things happen (no query, no scan): one bucket a minute for the rolling window, and one
/// total for the center's current day. Saved with the grain's own state, so a restart or a failover keeps them.
/// </summary>
/// <remarks>
/// Something counts in the minute in which it happened: a call offered at 09:59:50 and answered at 10:00:10
/// is offered in one minute (and one day) and answered in the next. The rolling window is whole minutes: the
/// current one and the 14 before it, so it spans between 14 and 15 minutes.
/// </remarks>
[GenerateSerializer, Alias("cc.KpiWindows")]
public sealed class KpiWindows
{
    public const int RollingMinutes = 15;

    /// <summary>The center's day that <see cref="Today"/> counts.</summary>
    [Id(0)] public DateOnly Day { get; set; }
    [Id(1)] public KpiCounters Today { get; set; } = KpiCounters.Zero;
    /// <summary>Counters by minute (minutes since the Unix epoch), the last <see cref="RollingMinutes"/> only.</summary>
    [Id(2)] public Dictionary<long, KpiCounters> Minutes { get; set; } = [];

    /// <summary>Counts something that happened at <paramref name="at"/>.</summary>
    public void Record(DateTimeOffset at, CenterCalendar calendar, Func<KpiCounters, KpiCounters> count)
    {
        var day = calendar.DayOf(at);
        if (day > Day)
        {
            Day = day;
            Today = KpiCounters.Zero;
        }

        if (day == Day)
        {
            Today = count(Today);
        }

        var minute = MinuteOf(at);
        foreach (var old in Minutes.Keys.Where(m => m <= minute - RollingMinutes).ToList())
        {
            Minutes.Remove(old);
        }

        if (minute > NewestMinute() - RollingMinutes)
        {
            Minutes[minute] = count(Minutes.GetValueOrDefault(minute) ?? KpiCounters.Zero);
        }
    }

    /// <summary>The counters of the minutes of the rolling window that ends at <paramref name="now"/>.</summary>
    public KpiCounters LastMinutes(DateTimeOffset now)
    {
        var current = MinuteOf(now);
        return Minutes.Where(m => m.Key > current - RollingMinutes && m.Key <= current)
            .Aggregate(KpiCounters.Zero, (total, m) => total.Plus(m.Value));
    }

    /// <summary>Today's counters, empty once the center's day has turned.</summary>
    public KpiCounters TodayAt(DateTimeOffset now, CenterCalendar calendar) => calendar.DayOf(now) == Day ? Today : KpiCounters.Zero;

    public KpiSnapshot Snapshot(DateTimeOffset now, CenterCalendar calendar) => new(LastMinutes(now), TodayAt(now, calendar));

    private long NewestMinute() => Minutes.Count == 0 ? long.MinValue + RollingMinutes : Minutes.Keys.Max();

    private static long MinuteOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / 60;
}
