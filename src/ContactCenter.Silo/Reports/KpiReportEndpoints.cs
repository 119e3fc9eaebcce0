using System.Globalization;
using System.Text.Json;
using ContactCenter.Center;
using ContactCenter.Hosting;
using ContactCenter.Kpis;
using ContactCenter.Queues;
using ContactCenter.Security;

namespace ContactCenter.Reports;

/// <summary>
/// KPI history for operators: <c>GET /api/v1/reports/kpis?by=queue|agent|region|center&amp;interval=day|hour&amp;from=&amp;to=</c>,
/// as JSON or CSV (<c>format=csv</c>, or <c>Accept: text/csv</c>).
/// </summary>
public static class KpiReportEndpoints
{
    // Null KPIs are written as null, not left out: every row has every field, as in the CSV.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapReports(this IEndpointRouteBuilder api)
    {
        var reports = api.MapGroup("/reports").RequireAuthorization(AccessPolicies.Operator).WithTags(ApiTags.Reports);
        reports.MapGet("/kpis", GetKpisAsync)
            .WithSummary("KPI history from the call detail records, by queue, agent, region or the center, per day or hour")
            .WithDescription("JSON rows, or CSV with format=csv or Accept: text/csv (a file to download). Days and hours are the center's time zone.")
            .Produces<IReadOnlyList<KpiReportRow>>()
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        reports.MapGet("/surveys", SurveyReport.GetAsync)
            .WithSummary("Survey figures (sent, answered, CSAT, response and opt-out rates) by queue, agent, brand or the center, per day of the surveyed calls")
            .WithDescription("JSON rows, or CSV with format=csv or Accept: text/csv. 'from' and 'to' are dates of the center's calendar; 'to' is not included.")
            .Produces<IReadOnlyList<SurveyReport.Row>>()
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        reports.MapGet("/work-orders", WorkOrderReport.GetAsync)
            .WithSummary("Work-order figures (opened, timeliness, gone overdue and problem, closed) by department, category or the center, per day of opening")
            .WithDescription("JSON rows, or CSV with format=csv or Accept: text/csv. 'from' and 'to' are dates of the center's calendar; 'to' is not included.")
            .Produces<IReadOnlyList<WorkOrderReport.Row>>()
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> GetKpisAsync(
        HttpContext http, IKpiReportStore store, IGrainFactory grains, CenterCalendar calendar,
        string? by, string? interval, string? from, string? to, string? format)
    {
        var acceptsCsv = http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
        var (request, problem) = KpiReportRequest.Parse(by, interval, from, to, format, acceptsCsv, calendar);
        if (request is null)
        {
            return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }

        var query = new KpiReportQuery(request.By, request.Interval, request.From, request.To, calendar, await CurrentThresholdsAsync(grains));
        var rows = await StartAsync(store.QueryAsync(query, http.RequestAborted).Select(KpiReportRow.From), http.RequestAborted);
        return request.Csv
            ? Results.Stream(body => KpiCsv.WriteAsync(body, rows, http.RequestAborted), "text/csv; charset=utf-8", FileName(request, calendar))
            : Results.Json(rows, Json);
    }

    /// <summary>
    /// Every queue's thresholds as configured now: a call is measured against its own queue's, whatever the
    /// report groups by. History is judged by today's thresholds; a queue no longer in the center gets the defaults.
    /// </summary>
    private static async Task<IReadOnlyList<QueueThresholds>> CurrentThresholdsAsync(IGrainFactory grains)
    {
        var directory = await grains.GetGrain<ICenterDirectoryGrain>(ICenterDirectoryGrain.Key).GetAsync();
        if (directory.Queues.IsDefaultOrEmpty)
        {
            return [];
        }

        var statuses = await Task.WhenAll(directory.Queues.Select(id => grains.GetGrain<IQueueGrain>(id).GetStatusAsync()));
        return [.. statuses.Where(s => s.Configuration is not null).Select(s => QueueThresholds.From(s.QueueId, s.Configuration!))];
    }

    /// <summary>
    /// Runs the query up to its first row before the response starts, so a database failure is an error status
    /// rather than a 200 cut short; the rest streams.
    /// </summary>
    private static async Task<IAsyncEnumerable<T>> StartAsync<T>(IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        var enumerator = rows.GetAsyncEnumerator(cancellationToken);
        try
        {
            return Continue(enumerator, await enumerator.MoveNextAsync());
        }
        catch
        {
            await enumerator.DisposeAsync();
            throw;
        }

        static async IAsyncEnumerable<T> Continue(IAsyncEnumerator<T> started, bool any)
        {
            await using (started)
            {
                for (var more = any; more; more = await started.MoveNextAsync())
                {
                    yield return started.Current;
                }
            }
        }
    }

    private static string FileName(KpiReportRequest request, CenterCalendar calendar)
    {
        static string Stamp(DateTimeOffset local) =>
            local.ToString(local.TimeOfDay == TimeSpan.Zero ? "yyyyMMdd" : "yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture);

        var by = request.By.ToString().ToLowerInvariant();
        var interval = request.Interval.ToString().ToLowerInvariant();
        return $"kpis-by-{by}-{interval}-{Stamp(calendar.Local(request.From))}-{Stamp(calendar.Local(request.To))}.csv";
    }
}
