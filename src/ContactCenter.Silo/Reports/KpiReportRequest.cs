using System.Globalization;
using ContactCenter.Kpis;

namespace ContactCenter.Reports;

/// <summary>
/// A KPI report as the API asks for it (<c>by</c>, <c>interval</c>, <c>from</c>, <c>to</c>, <c>format</c>), checked: a
/// request is either complete or refused with the reason.
/// </summary>
public sealed record KpiReportRequest(KpiGrouping By, KpiInterval Interval, DateTimeOffset From, DateTimeOffset To, bool Csv)
{
    /// <summary>Longest range of an hourly report: a quarter (up to 2,232 buckets per group).</summary>
    public const int MaxHourlyDays = 93;

    /// <summary>Longest range of a daily report: a year with room to compare it with the same days of the last.</summary>
    public const int MaxDailyDays = 400;

    private static readonly string[] LocalDateTimeFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"];

    private static readonly string[] OffsetDateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <param name="acceptsCsv">The request's Accept header names text/csv (used when <paramref name="format"/> is absent).</param>
    /// <returns>The request, or null and the reason it is refused.</returns>
    public static (KpiReportRequest? Request, string? Problem) Parse(
        string? by, string? interval, string? from, string? to, string? format, bool acceptsCsv, CenterCalendar calendar)
    {
        if (!TryParseEnum<KpiGrouping>(by ?? "queue", out var grouping))
        {
            return (null, $"'by' must be queue, agent, region or center, not '{by}'");
        }

        if (!TryParseEnum<KpiInterval>(interval ?? "day", out var bucket))
        {
            return (null, $"'interval' must be day or hour, not '{interval}'");
        }

        bool csv;
        switch (format?.ToLowerInvariant())
        {
            case null:
                csv = acceptsCsv;
                break;
            case "csv" or "json":
                csv = format.Equals("csv", StringComparison.OrdinalIgnoreCase);
                break;
            default:
                return (null, $"'format' must be json or csv, not '{format}'");
        }

        var (start, fromProblem) = ParseMoment("from", from, calendar);
        var (end, toProblem) = ParseMoment("to", to, calendar);
        if ((fromProblem ?? toProblem) is { } problem)
        {
            return (null, problem);
        }

        if (start >= end)
        {
            return (null, $"'from' ({Iso(start)}) must be before 'to' ({Iso(end)})");
        }

        // Days on the center's clock: from one local midnight to the next is a day, even the one a daylight-saving
        // change makes 23 or 25 hours long.
        var maxDays = bucket == KpiInterval.Hour ? MaxHourlyDays : MaxDailyDays;
        var days = calendar.Local(end).DateTime - calendar.Local(start).DateTime;
        if (days > TimeSpan.FromDays(maxDays))
        {
            return (null, $"{(bucket == KpiInterval.Hour ? "an hourly" : "a daily")} report covers at most {maxDays} days; " +
                $"this range is {days.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days");
        }

        return (new KpiReportRequest(grouping, bucket, start, end, csv), null);
    }

    /// <summary>
    /// An ISO-8601 date (the center's local midnight), a date-time with an offset or Z (that moment), or a date-time
    /// without one (the center's local time). A '+' sent unencoded in a query string arrives as a space, and is read back.
    /// </summary>
    private static (DateTimeOffset Moment, string? Problem) ParseMoment(string name, string? text, CenterCalendar calendar)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (default, $"'{name}' is required: an ISO-8601 date (2026-11-23) or date-time (2026-11-23T08:00, 2026-11-23T08:00+08:00)");
        }

        text = text.Trim().Replace(' ', '+');
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return (InCenter(date.ToDateTime(TimeOnly.MinValue), calendar), null);
        }

        if (DateTime.TryParseExact(text, LocalDateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return (InCenter(local, calendar), null);
        }

        if (DateTimeOffset.TryParseExact(text, OffsetDateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment))
        {
            return (moment, null);
        }

        return (default, $"'{name}' is not an ISO-8601 date (2026-11-23) or date-time (2026-11-23T08:00, 2026-11-23T08:00+08:00): '{text}'");
    }

    private static string Iso(DateTimeOffset moment) => moment.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static DateTimeOffset InCenter(DateTime local, CenterCalendar calendar) =>
        new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), calendar.Zone.GetUtcOffset(local));

    /// <summary>One of the enum's names, in any case; not a number, nor a list of names as <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> would take.</summary>
    private static bool TryParseEnum<TEnum>(string text, out TEnum value) where TEnum : struct, Enum
    {
        var name = Enum.GetNames<TEnum>().FirstOrDefault(n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
        value = name is null ? default : Enum.Parse<TEnum>(name);
        return name is not null;
    }
}
