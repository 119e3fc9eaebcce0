using ContactCenter.Kpis;

namespace ContactCenter.Surveys;

/// <summary>
/// The center's night, when subscribers get no survey message: from <see cref="From"/> to <see cref="Until"/> in the
/// center's own time zone (the night may span midnight). Asked at the moment of sending, not when the survey was
/// scheduled, so a clock that stepped or a timer that fired late cannot send into the night.
/// </summary>
public sealed record QuietHours(TimeOnly From, TimeOnly Until, CenterCalendar Calendar)
{
    public bool IsQuiet(DateTimeOffset at)
    {
        if (From == Until)
        {
            return false;
        }

        var time = TimeOnly.FromDateTime(Calendar.Local(at).DateTime);
        return From < Until ? time >= From && time < Until : time >= From || time < Until;
    }

    /// <summary><paramref name="at"/>, or the end of the night it falls in.</summary>
    public DateTimeOffset NextAllowed(DateTimeOffset at)
    {
        if (!IsQuiet(at))
        {
            return at;
        }

        var local = Calendar.Local(at);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (TimeOnly.FromDateTime(local.DateTime) >= Until)
        {
            day = day.AddDays(1); // in the evening part of a night that spans midnight: it ends tomorrow
        }

        return AtLocal(day.ToDateTime(Until));
    }

    /// <summary>
    /// A local wall-clock time as a moment. A time the clocks skip (spring forward) is taken as the first moment after
    /// the gap; a time they pass twice (fall back), as the later, so the night is never cut short.
    /// </summary>
    private DateTimeOffset AtLocal(DateTime local)
    {
        var zone = Calendar.Zone;
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Min() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
