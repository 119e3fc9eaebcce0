using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.WorkOrders;

/// <summary>
/// The work-order flow through the API, party by party: the agent who takes the complaint opens it and owns it, the
/// department that owns its category replies, the agent confirms and closes; each sees and does only what is theirs;
/// bad input is a clear 400, an unknown order 404, a change its state does not take 409.
/// </summary>
[Collection(EmbeddedHostCollection.Name)]
public sealed class WorkOrderApiTests(EmbeddedHostFixture fixture) : IDisposable
{
    private readonly HttpClient _agent = fixture.Host.Client(TestTokens.DeskAgentToken);
    private readonly HttpClient _otherAgent = fixture.Host.Client(TestTokens.OtherAgentToken);
    private readonly HttpClient _itCenter = fixture.Host.Client(TestTokens.ItCenterToken);
    private readonly HttpClient _network = fixture.Host.Client(TestTokens.NetworkMaintenanceToken);
    private readonly HttpClient _supervisor = fixture.Host.Client(TestTokens.SupervisorToken);
    private readonly HttpClient _gateway = fixture.Host.Client();
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8];

    private string Id(string name) => $"{_prefix}-{name}";

    private Task<HttpResponseMessage> OpenAsync(HttpClient by, string name, string category = "fees_and_business", string summary = "charged twice for a data pack", string? owner = null) =>
        by.PostAsJsonAsync("/api/v1/work-orders", new { id = Id(name), subscriber = "+8613912345678", category, summary, callId = "c-77", owner });

    private static async Task<JsonObject> ReadAsync(Task<HttpResponseMessage> request, int status)
    {
        using var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private Task<HttpResponseMessage> ChangeAsync(HttpClient by, string name, string change, string? text = "done") =>
        by.PostAsJsonAsync($"/api/v1/work-orders/{Id(name)}/{change}", new { text });

    [Fact]
    public async Task TheComplaintGoesFromTheAgentToItsDepartmentAndBackToTheCustomer()
    {
        var opened = await ReadAsync(OpenAsync(_agent, "w1"), 201);
        Assert.Equal(("dispatched", "it_center", TestTokens.DeskAgent), (opened["state"]!.GetValue<string>(), opened["department"]!.GetValue<string>(), opened["owner"]!.GetValue<string>()));
        Assert.Equal(("agent", "c-77"), (opened["source"]!.GetValue<string>(), opened["callId"]!.GetValue<string>()));
        Assert.NotNull(opened["replyDueAt"]);

        // The department's desk lists it; the other department's does not, and may not read it.
        var desk = await _itCenter.GetFromJsonAsync<JsonArray>("/api/v1/work-orders?limit=500");
        Assert.Contains(desk!, o => o!["id"]!.GetValue<string>() == Id("w1"));
        Assert.DoesNotContain((await _network.GetFromJsonAsync<JsonArray>("/api/v1/work-orders?department=it_center&limit=500"))!, o => o!["id"]!.GetValue<string>() == Id("w1"));
        await ReadAsync(_network.GetAsync($"/api/v1/work-orders/{Id("w1")}"), 403);
        await ReadAsync(_otherAgent.GetAsync($"/api/v1/work-orders/{Id("w1")}"), 403);

        await ReadAsync(ChangeAsync(_agent, "w1", "reply"), 403);
        await ReadAsync(ChangeAsync(_network, "w1", "reply"), 403);
        var replied = await ReadAsync(ChangeAsync(_itCenter, "w1", "reply", "refunded 30 yuan"), 200);
        Assert.Equal(("replied", true), (replied["state"]!.GetValue<string>(), replied["repliedInTime"]!.GetValue<bool>()));
        await ReadAsync(ChangeAsync(_itCenter, "w1", "reply", "again"), 409);
        await ReadAsync(ChangeAsync(_itCenter, "w1", "confirm"), 403);

        await ReadAsync(ChangeAsync(_agent, "w1", "confirm", "told the customer"), 200);
        var closed = await ReadAsync(ChangeAsync(_agent, "w1", "close", null), 200);
        Assert.Equal("closed", closed["state"]!.GetValue<string>());
        var reason = await ReadAsync(ChangeAsync(_itCenter, "w1", "notes", "a late word"), 409);
        Assert.Contains("closed", reason["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var history = closed["history"]!.AsArray().Select(e => (e!["kind"]!.GetValue<string>(), e["by"]!.GetValue<string>())).ToList();
        Assert.Equal(
            [("opened", $"agent:{TestTokens.DeskAgent}"), ("dispatched", "system"), ("replied", "department:it_center"), ("confirmed", $"agent:{TestTokens.DeskAgent}"), ("closed", $"agent:{TestTokens.DeskAgent}")],
            history);
    }

    [Fact]
    public async Task AnOpeningSentAgainOpensNothingNewAndAnotherComplaintUnderItsIdIsAConflict()
    {
        await ReadAsync(OpenAsync(_agent, "w2"), 201);

        await ReadAsync(OpenAsync(_agent, "w2"), 200);
        await ReadAsync(OpenAsync(_agent, "w2", summary: "something else"), 409);
        await ReadAsync(OpenAsync(_otherAgent, "w2"), 409);
    }

    [Fact]
    public async Task AnAgentOpensOnlyAsThemselvesADepartmentOpensNoneASupervisorForAnyone()
    {
        await ReadAsync(OpenAsync(_agent, "w3", owner: TestTokens.OtherAgent), 403);
        await ReadAsync(OpenAsync(_itCenter, "w3"), 403);

        var forOther = await ReadAsync(OpenAsync(_supervisor, "w3", owner: TestTokens.OtherAgent), 201);
        Assert.Equal((TestTokens.OtherAgent, "api"), (forOther["owner"]!.GetValue<string>(), forOther["source"]!.GetValue<string>()));
        var mine = await _otherAgent.GetFromJsonAsync<JsonArray>("/api/v1/work-orders?owner=someone-else&limit=500");
        Assert.Contains(mine!, o => o!["id"]!.GetValue<string>() == Id("w3")); // an agent lists their own, whatever they ask
        var audited = (await _supervisor.GetFromJsonAsync<JsonObject>("/api/v1/audit?action=work_order_open&limit=1000"))!["entries"]!.AsArray();
        Assert.Contains(audited, e => e!["details"]!.ToJsonString().Contains(Id("w3"), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"subscriber":"13912345678","category":"fees_and_business","summary":"x"}""", "'subscriber'")]
    [InlineData("""{"subscriber":"+8613912345678","category":"weather","summary":"x"}""", "'category' is one of")]
    [InlineData("""{"subscriber":"+8613912345678","category":"fees_and_business","summary":""}""", "'summary'")]
    [InlineData("""{"subscriber":"+8613912345678","category":"fees_and_business","summary":"x","id":"has space"}""", "'id'")]
    [InlineData("""{"subscriber":"+8613912345678","category":3,"summary":"x"}""", "category")]
    [InlineData("""[]""", "")]
    [InlineData("""{"subscriber":"+8613912345678","category":"fees_and_business","summary":"x","id":"survey-c1"}""", "low satisfaction scores")]
    [InlineData("""{"subscriber":"+8613912345678","category":"fees_and_business","summary":"x","id":"a/b"}""", "'id'")]
    [InlineData("""{"subscriber":"+8613912345678","category":"fees_and_business","summary":"nul \u0000 in it"}""", "'summary'")]
    [InlineData("""{"subscriber":"+8613912345678","category":"fees_and_business","summary":"lone \ud800"}""", "JSON")] // the reader refuses it before the endpoint sees it
    public async Task ABadOpeningIsAClear400(string body, string reason)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var problem = await ReadAsync(_agent.PostAsync("/api/v1/work-orders", content), 400);
        Assert.Contains(reason, problem["detail"]?.GetValue<string>() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownOrderIs404AnOversizedNote400AndAGatewayMayNotTouchOrders()
    {
        await ReadAsync(_agent.GetAsync($"/api/v1/work-orders/{Id("none")}"), 404);
        await ReadAsync(ChangeAsync(_supervisor, "none", "notes", "hello"), 404);
        await ReadAsync(OpenAsync(_agent, "w4"), 201);
        await ReadAsync(ChangeAsync(_agent, "w4", "notes", new string('x', 2_001)), 400);
        await ReadAsync(ChangeAsync(_agent, "w4", "notes", " "), 400);
        await ReadAsync(_agent.GetAsync("/api/v1/work-orders?limit=0"), 400);
        using var refused = await _gateway.GetAsync($"/api/v1/work-orders/{Id("w4")}");
        Assert.Equal(403, (int)refused.StatusCode);
        await ReadAsync(_agent.GetAsync("/api/v1/work-orders/figures"), 403);
    }

    [Fact]
    public async Task OnlyASupervisorClosesAnOrderItsDepartmentNeverAnswered()
    {
        await ReadAsync(OpenAsync(_agent, "w6"), 201);

        await ReadAsync(ChangeAsync(_agent, "w6", "close", null), 409);
        var withdrawn = await ReadAsync(ChangeAsync(_supervisor, "w6", "close", "a duplicate of another order"), 200);

        Assert.Equal("closed", withdrawn["state"]!.GetValue<string>());
        await ReadAsync(ChangeAsync(_agent, "w6", "notes", "bell \u0007"), 400);
    }

    [Fact]
    public async Task TheFiguresCountTodaysOrdersByDepartmentAndCategory()
    {
        await ReadAsync(OpenAsync(_agent, "w5", category: "basic_communication"), 201);

        var figures = await ReadAsync(_supervisor.GetAsync("/api/v1/work-orders/figures"), 200);

        var network = figures["byDepartment"]!.AsArray().Single(d => d!["department"]!.GetValue<string>() == "network_maintenance")!;
        Assert.True(network["open"]!.GetValue<int>() >= 1 && network["opened"]!.GetValue<int>() >= 1);
        Assert.True(figures["center"]!["open"]!.GetValue<int>() >= network["open"]!.GetValue<int>());
    }

    [Fact]
    public async Task TheDailyReportIsJsonOrCsvForOperatorsAndItsBadRequestsAre400()
    {
        await ReadAsync(OpenAsync(_agent, "w7", category: "group_business"), 201);
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var tomorrow = DateTime.UtcNow.AddHours(32).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var rows = await _supervisor.GetFromJsonAsync<JsonArray>($"/api/v1/reports/work-orders?by=department&from={today}&to={tomorrow}");
        var group = rows!.Single(r => r!["group"]!.GetValue<string>() == "group_customers")!;
        Assert.True(group["opened"]!.GetValue<int>() >= 1);
        var csv = await _supervisor.GetStringAsync($"/api/v1/reports/work-orders?by=category&from={today}&to={tomorrow}&format=csv");
        Assert.StartsWith("group,day,opened,decided,inTime,wentOverdue,wentProblem,closed,timeliness", csv, StringComparison.Ordinal);
        Assert.Contains($"group_business,{today},", csv, StringComparison.Ordinal);

        await ReadAsync(_supervisor.GetAsync($"/api/v1/reports/work-orders?by=weather&from={today}&to={tomorrow}"), 400);
        await ReadAsync(_supervisor.GetAsync($"/api/v1/reports/work-orders?from={tomorrow}&to={today}"), 400);
        await ReadAsync(_supervisor.GetAsync("/api/v1/reports/work-orders?from=yesterday&to=today"), 400);
        using var refused = await _agent.GetAsync($"/api/v1/reports/work-orders?from={today}&to={tomorrow}");
        Assert.Equal(403, (int)refused.StatusCode);
    }

    [Fact]
    public async Task TheCallersScreenPopListsTheirOpenOrdersOnly()
    {
        var center = new CenterClient(fixture.Host, _prefix);
        var subscriber = $"+86139{Random.Shared.Next(10_000_000, 99_999_999)}";
        await ReadAsync(_supervisor.PostAsJsonAsync("/api/v1/work-orders", new { id = Id("pop-open"), subscriber, category = "marketing", summary = "wrong offer" }), 201);
        await ReadAsync(_supervisor.PostAsJsonAsync("/api/v1/work-orders", new { id = Id("pop-done"), subscriber, category = "fees_and_business", summary = "fixed" }), 201);
        await ReadAsync(ChangeAsync(_itCenter, "pop-done", "reply"), 200);
        await ReadAsync(ChangeAsync(_supervisor, "pop-done", "close"), 200);
        await center.QueueAsync("gotone");
        await center.AgentAsync("a1", ready: true, "gotone");

        await center.QueueCallAsync("c1", "gotone", caller: subscriber);

        Assert.NotNull(await center.CommandForAsync("c1", "connect"));
        var screenPop = await center.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/agents/{center.Id("a1")}/screen-pop");
        var orders = screenPop!["openWorkOrders"]!.AsArray();
        Assert.Equal([(Id("pop-open"), "marketing_support", "dispatched")], orders.Select(o => (o!["id"]!.GetValue<string>(), o["department"]!.GetValue<string>(), o["state"]!.GetValue<string>())));
    }

    public void Dispose()
    {
        foreach (var client in new[] { _agent, _otherAgent, _itCenter, _network, _supervisor, _gateway })
        {
            client.Dispose();
        }
    }
}
