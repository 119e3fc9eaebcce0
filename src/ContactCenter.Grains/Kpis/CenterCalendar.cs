namespace ContactCenter.Kpis;

/// <summary>
/// The center's own day and hour. "Today" on a wallboard and the day and hour rows of a report are the center's
/// local calendar (the reference center: Asia/Shanghai), not UTC, whichever zone the silo's machine is set to.
/// </summary>
public sealed class CenterCalendar(TimeZoneInfo zone)
{
    /// <summary>The reference center's zone; what a silo uses unless configured otherwise.</summary>
    public static CenterCalendar Default { get; } = new(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));

    public TimeZoneInfo Zone { get; } = zone;

    public static CenterCalendar For(string zoneId) => new(TimeZoneInfo.FindSystemTimeZoneById(zoneId));

    /// <summary>The moment in the center's local time.</summary>
    public DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    public DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(Local(at).DateTime);

    /// <summary>When the center's day holding <paramref name="at"/> began (local midnight).</summary>
    public DateTimeOffset StartOfDay(DateTimeOffset at)
    {
        var local = Local(at);
        var midnight = local.Date;
        return new DateTimeOffset(midnight, Zone.GetUtcOffset(midnight));
    }

    /// <summary>When the center's hour holding <paramref name="at"/> began.</summary>
    public DateTimeOffset StartOfHour(DateTimeOffset at)
    {
        var local = Local(at);
        return new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset);
    }
}
