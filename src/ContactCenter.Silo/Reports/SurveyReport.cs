using System.Globalization;
using ContactCenter.Surveys;

namespace ContactCenter.Reports;

/// <summary>
/// Survey history for operators: <c>GET /api/v1/reports/surveys?by=queue|agent|brand|center&amp;from=&amp;to=</c>, one row
/// per group and center-local day of the surveyed calls' end (<c>to</c> excluded), as JSON or CSV. The figures are
/// those of docs/kpis.md ("Surveys"); a rate whose denominator is 0 is null.
/// </summary>
public static class SurveyReport
{
    public const int MaxDays = KpiReportRequest.MaxDailyDays;

    /// <param name="Group">The queue, agent or brand ("center" for the whole center; null: callers not in the master data, by brand).</param>
    public sealed record Row(
        string? Group, DateOnly Day, int Sent, int Answered, int Satisfied, int LowScores, int OptedOut,
        double? Csat, double? ResponseRate, double? OptOutRate, double? AverageScore)
    {
        public static Row From(SurveyReportRow row)
        {
            var c = row.Counters;
            return new Row(row.Group, row.Day, c.Sent, c.Answered, c.Satisfied, c.LowScores, c.OptedOut,
                Round(c.Csat), Round(c.ResponseRate), Round(c.OptOutRate), Round(c.AverageScore));
        }

        private static double? Round(double? value) => value is { } v ? Math.Round(v, 4, MidpointRounding.AwayFromZero) : null;
    }

    private static readonly (string Name, Func<Row, string?> Value)[] Columns =
    [
        ("group", r => r.Group),
        ("day", r => r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("sent", r => Number(r.Sent)),
        ("answered", r => Number(r.Answered)),
        ("satisfied", r => Number(r.Satisfied)),
        ("lowScores", r => Number(r.LowScores)),
        ("optedOut", r => Number(r.OptedOut)),
        ("csat", r => Number(r.Csat)),
        ("responseRate", r => Number(r.ResponseRate)),
        ("optOutRate", r => Number(r.OptOutRate)),
        ("averageScore", r => Number(r.AverageScore)),
    ];

    public static async Task<IResult> GetAsync(HttpContext http, ISurveyStore store, string? by, string? from, string? to, string? format)
    {
        var name = Enum.GetNames<SurveyGrouping>().FirstOrDefault(n => n.Equals(by ?? "queue", StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            return Problem($"'by' must be queue, agent, brand or center, not '{by}'");
        }

        if (!Day(from, out var start) || !Day(to, out var end))
        {
            return Problem("'from' and 'to' are required, as ISO-8601 dates (2026-11-23); 'to' is not included");
        }

        if (start >= end || end.DayNumber - start.DayNumber > MaxDays)
        {
            return Problem($"'from' must be before 'to', and a report covers at most {MaxDays} days");
        }

        var csv = format?.ToLowerInvariant() switch
        {
            null => http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)),
            "csv" => true,
            "json" => false,
            _ => (bool?)null,
        };
        if (csv is null)
        {
            return Problem($"'format' must be json or csv, not '{format}'");
        }

        var rows = (await store.ReportAsync(Enum.Parse<SurveyGrouping>(name), start, end, http.RequestAborted)).Select(Row.From).ToList();
        if (csv == false)
        {
            return Results.Json(rows);
        }

        var text = KpiCsv.Line(Columns.Select(c => c.Name)) + string.Concat(rows.Select(r => KpiCsv.Line(Columns.Select(c => c.Value(r)))));
        return Results.File(System.Text.Encoding.UTF8.GetBytes(text), "text/csv; charset=utf-8", $"surveys-by-{name.ToLowerInvariant()}-{start:yyyyMMdd}-{end:yyyyMMdd}.csv");
    }

    private static bool Day(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static IResult Problem(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);
}
