using ContactCenter.Surveys;

namespace ContactCenter.Reports;

/// <summary>
/// Survey history for operators: <c>GET /api/v1/reports/surveys?by=queue|agent|brand|center&amp;from=&amp;to=</c>, one row
/// per group and center-local day of the surveyed calls' end (<c>to</c> excluded), as JSON or CSV. The figures are
/// those of docs/kpis.md ("Surveys"); a rate whose denominator is 0 is null.
/// </summary>
public static class SurveyReport
{
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
        ("day", r => DailyReportRequest.DayText(r.Day)),
        ("sent", r => DailyReportRequest.Number(r.Sent)),
        ("answered", r => DailyReportRequest.Number(r.Answered)),
        ("satisfied", r => DailyReportRequest.Number(r.Satisfied)),
        ("lowScores", r => DailyReportRequest.Number(r.LowScores)),
        ("optedOut", r => DailyReportRequest.Number(r.OptedOut)),
        ("csat", r => DailyReportRequest.Number(r.Csat)),
        ("responseRate", r => DailyReportRequest.Number(r.ResponseRate)),
        ("optOutRate", r => DailyReportRequest.Number(r.OptOutRate)),
        ("averageScore", r => DailyReportRequest.Number(r.AverageScore)),
    ];

    public static async Task<IResult> GetAsync(HttpContext http, ISurveyStore store, string? by, string? from, string? to, string? format)
    {
        var (request, problem) = DailyReportRequest.Read(http, ["queue", "agent", "brand", "center"], by, from, to, format);
        if (request is null)
        {
            return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }

        var grouping = Enum.Parse<SurveyGrouping>(request.By, ignoreCase: true);
        var rows = (await store.ReportAsync(grouping, request.From, request.To, http.RequestAborted)).Select(Row.From).ToList();
        return request.Answer("surveys", rows, Columns);
    }
}
