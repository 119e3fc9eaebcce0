using ContactCenter.State;

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

    /// <summary>Minutes set or pruned since the last <see cref="TakeChange"/>; not stored (see <see cref="State.IChangeLogState"/>).</summary>
    [NonSerialized] private readonly HashSet<long> _changedMinutes = [];

    /// <summary>Whether anything was counted since the last <see cref="TakeChange"/> (a late count may touch no minute).</summary>
    [NonSerialized] private bool _counted;

    /// <summary>Counts something that happened at <paramref name="at"/>.</summary>
    public void Record(DateTimeOffset at, CenterCalendar calendar, Func<KpiCounters, KpiCounters> count)
    {
        _counted = true;
        if (IsToday(at, calendar))
        {
            Today = count(Today);
        }

        var minute = MinuteOf(at);
        Prune(minute);
        if (minute > NewestMinute() - RollingMinutes)
        {
            Minutes[minute] = count(Minutes.GetValueOrDefault(minute) ?? KpiCounters.Zero);
            _changedMinutes.Add(minute);
        }
    }

    /// <summary>
    /// Counts time spent from <paramref name="from"/> to <paramref name="to"/> (an agent's state that just ended),
    /// spread over the minutes it covered: two idle hours must not land in one minute of the rolling window, and the
    /// part before the center's midnight is not today's.
    /// </summary>
    public void RecordTime(DateTimeOffset from, DateTimeOffset to, CenterCalendar calendar, Func<KpiCounters, TimeSpan, KpiCounters> add)
    {
        if (to <= from)
        {
            return;
        }

        _counted = true;

        var startOfDay = calendar.StartOfDay(to);
        if (IsToday(to, calendar))
        {
            Today = add(Today, to - (from > startOfDay ? from : startOfDay));
        }

        var last = MinuteOf(to);
        Prune(last);
        var windowStart = DateTimeOffset.FromUnixTimeSeconds((last - RollingMinutes + 1) * 60);
        for (var start = from > windowStart ? from : windowStart; start < to;)
        {
            var minute = MinuteOf(start);
            var next = DateTimeOffset.FromUnixTimeSeconds((minute + 1) * 60);
            var end = next < to ? next : to;
            Minutes[minute] = add(Minutes.GetValueOrDefault(minute) ?? KpiCounters.Zero, end - start);
            _changedMinutes.Add(minute);
            start = end;
        }
    }

    /// <summary>Whether <paramref name="at"/> is in the day <see cref="Today"/> counts, turning to a new day when it is later.</summary>
    private bool IsToday(DateTimeOffset at, CenterCalendar calendar)
    {
        var day = calendar.DayOf(at);
        if (day > Day)
        {
            Day = day;
            Today = KpiCounters.Zero;
        }

        return day == Day;
    }

    private void Prune(long minute)
    {
        foreach (var old in Minutes.Keys.Where(m => m <= minute - RollingMinutes).ToList())
        {
            Minutes.Remove(old);
            _changedMinutes.Add(old);
        }
    }

    /// <summary>
    /// The day, today's total and the minutes changed since the last call, or null when nothing was counted; forgets
    /// them. Today's total is small and goes whole.
    /// </summary>
    public KpiWindowsChange? TakeChange()
    {
        if (!_counted && _changedMinutes.Count == 0)
        {
            return null;
        }

        var minutes = MapChange<long, KpiCounters>.Of(Minutes, _changedMinutes);
        _changedMinutes.Clear();
        _counted = false;
        return new KpiWindowsChange(Day, Today, minutes);
    }

    /// <summary>Forgets the changes: they are in a snapshot taken now.</summary>
    public void ForgetChanges()
    {
        _changedMinutes.Clear();
        _counted = false;
    }

    /// <summary>Replays a change read back from storage.</summary>
    public void Apply(KpiWindowsChange change)
    {
        Day = change.Day;
        Today = change.Today;
        change.Minutes.ApplyTo(Minutes);
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

/// <summary>What a <see cref="KpiWindows"/> counted between two writes.</summary>
[GenerateSerializer, Immutable, Alias("cc.KpiWindowsChange")]
public sealed record KpiWindowsChange(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] KpiCounters Today,
    [property: Id(2)] MapChange<long, KpiCounters> Minutes);
