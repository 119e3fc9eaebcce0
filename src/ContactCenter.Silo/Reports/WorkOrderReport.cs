using ContactCenter.WorkOrders;

namespace ContactCenter.Reports;

/// <summary>
/// Work-order history for operators: <c>GET /api/v1/reports/work-orders?by=department|category|center&amp;from=&amp;to=</c>,
/// one row per group and center-local day of the orders' opening (<c>to</c> excluded), as JSON or CSV. The figures are
/// those of docs/kpis.md ("Work orders"); a rate whose denominator is 0 is null.
/// </summary>
public static class WorkOrderReport
{
    /// <param name="Timeliness">In time over decided: the share of the day's orders replied within 48 h, of those whose 48 h are over.</param>
    public sealed record Row(string Group, DateOnly Day, int Opened, int Decided, int InTime, int WentOverdue, int WentProblem, int Closed, double? Timeliness)
    {
        public static Row From(WorkOrderReportRow r) => new(r.Group, r.Day, r.Opened, r.Decided, r.InTime, r.WentOverdue, r.WentProblem, r.Closed,
            r.Decided == 0 ? null : Math.Round((double)r.InTime / r.Decided, 4, MidpointRounding.AwayFromZero));
    }

    private static readonly (string Name, Func<Row, string?> Value)[] Columns =
    [
        ("group", r => r.Group),
        ("day", r => DailyReportRequest.DayText(r.Day)),
        ("opened", r => DailyReportRequest.Number(r.Opened)),
        ("decided", r => DailyReportRequest.Number(r.Decided)),
        ("inTime", r => DailyReportRequest.Number(r.InTime)),
        ("wentOverdue", r => DailyReportRequest.Number(r.WentOverdue)),
        ("wentProblem", r => DailyReportRequest.Number(r.WentProblem)),
        ("closed", r => DailyReportRequest.Number(r.Closed)),
        ("timeliness", r => DailyReportRequest.Number(r.Timeliness)),
    ];

    public static async Task<IResult> GetAsync(HttpContext http, IWorkOrderStore store, TimeProvider clock, string? by, string? from, string? to, string? format)
    {
        var (request, problem) = DailyReportRequest.Read(http, ["department", "category", "center"], by, from, to, format);
        if (request is null)
        {
            return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }

        var grouping = Enum.Parse<WorkOrderGrouping>(request.By, ignoreCase: true);
        var rows = (await store.ReportAsync(grouping, request.From, request.To, clock.GetUtcNow(), http.RequestAborted)).Select(Row.From).ToList();
        return request.Answer("work-orders", rows, Columns);
    }
}
