using System.Globalization;

namespace ContactCenter.Reports;

/// <summary>
/// What a daily report asks, read one way for every one of them (surveys, work orders): the grouping among those the
/// report has, the center's days [<c>from</c>, <c>to</c>), at most <see cref="MaxDays"/>, and JSON or CSV (by
/// <c>format</c>, or the Accept header). Each mistake is a 400 with what was expected.
/// </summary>
public sealed record DailyReportRequest(string By, DateOnly From, DateOnly To, bool Csv)
{
    public const int MaxDays = KpiReportRequest.MaxDailyDays;

    /// <param name="groupings">The report's groupings, the first the default.</param>
    public static (DailyReportRequest? Request, string? Problem) Read(HttpContext http, string[] groupings, string? by, string? from, string? to, string? format)
    {
        var name = groupings.FirstOrDefault(g => g.Equals(by ?? groupings[0], StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            return (null, $"'by' must be {string.Join(", ", groupings[..^1])} or {groupings[^1]}, not '{by}'");
        }

        if (!Day(from, out var start) || !Day(to, out var end))
        {
            return (null, "'from' and 'to' are required, as ISO-8601 dates (2026-11-23); 'to' is not included");
        }

        if (start >= end || end.DayNumber - start.DayNumber > MaxDays)
        {
            return (null, $"'from' must be before 'to', and a report covers at most {MaxDays} days");
        }

        var csv = format?.ToLowerInvariant() switch
        {
            null => http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)),
            "csv" => true,
            "json" => false,
            _ => (bool?)null,
        };
        return csv is null ? (null, $"'format' must be json or csv, not '{format}'") : (new DailyReportRequest(name, start, end, csv.Value), null);
    }

    /// <summary>The rows as JSON, or as a CSV file named for the report and its days.</summary>
    public IResult Answer<TRow>(string report, IReadOnlyList<TRow> rows, (string Name, Func<TRow, string?> Value)[] columns)
    {
        if (!Csv)
        {
            return Results.Json(rows);
        }

        var text = KpiCsv.Line(columns.Select(c => c.Name)) + string.Concat(rows.Select(r => KpiCsv.Line(columns.Select(c => c.Value(r)))));
        return Results.File(System.Text.Encoding.UTF8.GetBytes(text), "text/csv; charset=utf-8", $"{report}-by-{By.ToLowerInvariant()}-{From:yyyyMMdd}-{To:yyyyMMdd}.csv");
    }

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    public static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool Day(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}
