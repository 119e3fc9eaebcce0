using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Tests.Reports;

/// <summary>The report API's surface: CSV, refusals of bad requests with their reason, and who may read reports.</summary>
[Collection(ReportsCollection.Name)]
[Slow("a private PostgreSQL")]
public sealed class KpiReportApiTests(ReportHosts hosts)
{
    private const string Header =
        "group,bucketStart,offered,answered,answeredWithinThreshold,abandoned,shortAbandoned,serviceLevel," +
        "averageSpeedOfAnswerSeconds,averageHandleTimeSeconds,averageTalkSeconds,averageHoldSeconds,abandonRate,answerRate," +
        "maxWaitSeconds,totalTalkSeconds,totalHoldSeconds";

    private readonly string _id = Guid.NewGuid().ToString("N")[..8];

    [Theory]
    [InlineData(ReportHosts.Sqlite)]
    [InlineData(ReportHosts.PostgreSql)]
    public async Task CsvHasTheSameRowsQuotedAsRfc4180Asks(string database)
    {
        var host = hosts.On(database);
        var (awkward, plain, queue) = ($"Su\"zhou, north {_id}", $"plain-{_id}", $"csv-{_id}");
        var at = new DateTimeOffset(2031, 3, 25, 9, 0, 0, TimeSpan.FromHours(8));
        await new EndedCalls(host)
            .Answered(queue, "agent-a", at, wait: 10, talk: 100, region: awkward)
            .Answered(queue, "agent-a", at, wait: 25, talk: 100, region: awkward)
            .Abandoned(queue, at, wait: 4, region: plain)
            .WriteAsync();
        using var supervisor = host.Client(TestTokens.SupervisorToken);

        using var response = await CenterClient.ExpectAsync(200, supervisor.GetAsync("/api/v1/reports/kpis?by=region&interval=day&from=2031-03-25&to=2031-03-26&format=csv"));
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("kpis-by-region-day-20310325-20310326.csv", response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var lines = csv.Split("\r\n");
        Assert.Equal(Header, lines[0]);
        Assert.Equal("", lines[^1]);                              // every record ends with CRLF, the last one too
        Assert.Contains($"\"Su\"\"zhou, north {_id}\",2031-03-25T00:00:00+08:00,2,2,1,0,0,0.5,17.5,100,100,0,0,1,25,200,0", lines);
        Assert.Contains($"plain-{_id},2031-03-25T00:00:00+08:00,1,0,0,0,1,,,,,,,,4,0,0", lines);

        // Asking by Accept header gives the same document; JSON has the same rows.
        using var byAccept = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/kpis?by=region&interval=day&from=2031-03-25&to=2031-03-26");
        byAccept.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var accepted = await supervisor.SendAsync(byAccept);
        Assert.Equal(csv, await accepted.Content.ReadAsStringAsync());
        var json = await ReportHosts.KpisAsync(host, "by=region&interval=day&from=2031-03-25&to=2031-03-26");
        Assert.Equal(lines.Length - 2, json.Count);
    }

    [Theory]
    [InlineData("by=team&interval=day&from=2031-01-01&to=2031-01-02", "'by' must be queue, agent, region or center")]
    [InlineData("by=queue,agent&from=2031-01-01&to=2031-01-02", "'by' must be queue, agent, region or center")]
    [InlineData("by=1&from=2031-01-01&to=2031-01-02", "'by' must be queue, agent, region or center")]
    [InlineData("interval=week&from=2031-01-01&to=2031-01-02", "'interval' must be day or hour")]
    [InlineData("format=xml&from=2031-01-01&to=2031-01-02", "'format' must be json or csv")]
    [InlineData("from=2031-01-02&to=2031-01-02", "'from' (2031-01-02T00:00:00+08:00) must be before 'to' (2031-01-02T00:00:00+08:00)")]
    [InlineData("from=2031-01-03&to=2031-01-02", "must be before 'to'")]
    [InlineData("from=2031-01-02T08:00&to=2031-01-02T00:00:00Z", "must be before 'to'")]   // 08:00 local is midnight UTC
    [InlineData("interval=hour&from=2031-01-01&to=2031-04-05", "an hourly report covers at most 93 days; this range is 94 days")]
    [InlineData("interval=day&from=2031-01-01&to=2032-02-06", "a daily report covers at most 400 days; this range is 401 days")]
    [InlineData("from=yesterday&to=2031-01-02", "'from' is not an ISO-8601 date")]
    [InlineData("from=2031-02-30&to=2031-03-02", "'from' is not an ISO-8601 date")]
    [InlineData("from=2031-01-01", "'to' is required")]
    public async Task ABadRequestIsRefusedWithItsReason(string query, string reason)
    {
        using var supervisor = hosts.On(ReportHosts.Sqlite).Client(TestTokens.SupervisorToken);

        using var response = await CenterClient.ExpectAsync(400, supervisor.GetAsync($"/api/v1/reports/kpis?{query}"));

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
        Assert.Contains(reason, detail);
    }

    [Theory]
    [InlineData("interval=hour&from=2031-01-01&to=2031-04-04")]     // 93 days
    [InlineData("interval=day&from=2031-01-01&to=2032-02-05")]      // 400 days
    [InlineData("by=CENTER&interval=Hour&from=2031-01-01T00:00&to=2031-01-01T00:00:01")]
    public async Task TheLongestRangesAndAnyCaseAreAccepted(string query) =>
        Assert.NotNull(await ReportHosts.KpisAsync(hosts.On(ReportHosts.Sqlite), query));

    [Theory]
    [InlineData(null, 401)]
    [InlineData(TestTokens.NanjingToken, 403)]
    [InlineData(TestTokens.DeskAgentToken, 403)]
    [InlineData(TestTokens.SupervisorToken, 200)]
    [InlineData(TestTokens.AdminToken, 200)]
    public async Task ReportsAreForSupervisorsAndAdmins(string? token, int status)
    {
        using var client = hosts.On(ReportHosts.Sqlite).Client(token);

        using var response = await CenterClient.ExpectAsync(status, client.GetAsync("/api/v1/reports/kpis?from=2031-01-01&to=2031-01-02"));
    }
}
