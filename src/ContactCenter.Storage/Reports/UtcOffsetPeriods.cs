namespace ContactCenter.Reports;

/// <summary>A stretch of time [Start, End) over which a zone's offset from UTC does not change.</summary>
public readonly record struct UtcOffsetPeriod(DateTimeOffset Start, DateTimeOffset End, TimeSpan Offset);

/// <summary>
/// Splits a range at the zone's offset changes (daylight saving), so a query can turn UTC into local time by
/// adding one offset per period. The database then needs no time-zone rules of its own, SQLite has none, and
/// both databases bucket exactly as .NET's <see cref="TimeZoneInfo"/> does.
/// </summary>
public static class UtcOffsetPeriods
{
    // Zones change their offset at most a few times a year, never twice within an hour, so stepping by
    // the hour finds every change; a binary search then pins it to the second.
    private static readonly TimeSpan Step = TimeSpan.FromHours(1);

    public static IReadOnlyList<UtcOffsetPeriod> Over(TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        var periods = new List<UtcOffsetPeriod>();
        var start = from;
        var offset = zone.GetUtcOffset(start);
        for (var probe = from; probe < to;)
        {
            var next = probe + Step < to ? probe + Step : to;
            if (zone.GetUtcOffset(next) != offset && FirstWithDifferentOffset(zone, probe, next, offset) is var change && change < to)
            {
                periods.Add(new UtcOffsetPeriod(start, change, offset));
                start = change;
                offset = zone.GetUtcOffset(change);
            }

            probe = next;
        }

        periods.Add(new UtcOffsetPeriod(start, to, offset));
        return periods;
    }

    /// <summary>
    /// The first whole second after <paramref name="before"/>, and no later than <paramref name="after"/>, whose offset is
    /// not <paramref name="offset"/>: zones change their offset on a whole second.
    /// </summary>
    private static DateTimeOffset FirstWithDifferentOffset(TimeZoneInfo zone, DateTimeOffset before, DateTimeOffset after, TimeSpan offset)
    {
        var low = before.ToUnixTimeSeconds();
        var high = (long)Math.Ceiling(after.ToUnixTimeMilliseconds() / 1000.0);
        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            if (zone.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(middle)) == offset)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return DateTimeOffset.FromUnixTimeSeconds(high);
    }
}
