using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Tests.Gateways;

namespace ContactCenter.Tests.Outbound;

/// <summary>
/// Outbound calls through the real silo's HTTP API, with the test as the gateway: placed once under the
/// requester's id, delivered as <c>place_call</c>, claimed by one attempt only, and followed to a result, on
/// SQLite and on PostgreSQL. The SIP edge's side (dialling, prompts, keys) is tested in the edge's tests.
/// </summary>
[Collection(GatewayHostsCollection.Name)]
[Slow("a private PostgreSQL")]
public sealed class OutboundCallTests(GatewayHosts hosts)
{
    private static object Request(string to = "+8613912345678", string prompt = "satisfaction", int maxDigits = 1) =>
        new { to, prompt, maxDigits, digitSeconds = 8, ringSeconds = 30 };

    private static object Progress(string step, string attempt, string? result = null, string? digits = null, string? cause = null, int? sipStatus = null) =>
        new { step, attempt, at = DateTimeOffset.UtcNow, result, digits, cause, sipStatus };

    private static Task<HttpResponseMessage> ReportAsync(HttpClient gateway, string id, object progress) =>
        gateway.PostAsJsonAsync($"/api/v1/gateway/outbound-calls/{id}/progress", progress);

    [Theory]
    [InlineData(GatewayHosts.Sqlite)]
    [InlineData(GatewayHosts.PostgreSql)]
    public async Task ACallIsPlacedOnceUnderItsIdClaimedByOneAttemptAndFollowedToItsResult(string database)
    {
        var host = hosts.On(database);
        var center = new CenterClient(host);
        var id = center.Id("callback");

        using var placed = await center.Admin.PutAsJsonAsync($"/api/v1/outbound-calls/{id}", Request());
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        var call = (await placed.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("placed", TestTokens.NanjingGateway), (call["phase"]!.GetValue<string>(), call["gatewayId"]!.GetValue<string>()));

        // Asked again (the answer was lost, say): the same call, nothing new placed. Another request under the id is refused.
        using var again = await center.Admin.PutAsJsonAsync($"/api/v1/outbound-calls/{id}", Request());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(call["placedAt"]!.GetValue<DateTimeOffset>(), (await again.Content.ReadFromJsonAsync<JsonObject>())!["placedAt"]!.GetValue<DateTimeOffset>());
        using var other = await center.Admin.PutAsJsonAsync($"/api/v1/outbound-calls/{id}", Request(to: "+8613900000000"));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);

        var command = await center.CommandForAsync("callback", "place_call");
        Assert.NotNull(command);
        var fields = command["command"]!;
        Assert.Equal(("+8613912345678", "satisfaction", 1, 30), (fields["to"]!.GetValue<string>(), fields["prompt"]!.GetValue<string>(), fields["maxDigits"]!.GetValue<int>(), fields["ringSeconds"]!.GetValue<int>()));
        await center.AcknowledgeAsync(command);
        Assert.DoesNotContain(await center.PollAsync(), c => center.IsFor(c, "callback", "place_call"));

        // The first attempt's claim is granted, again when repeated; a second attempt (a redelivery) may not dial.
        using (var claim = await ReportAsync(center.Gateway, id, Progress("dialing", "attempt-1")))
        {
            Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        }

        using (var repeat = await ReportAsync(center.Gateway, id, Progress("dialing", "attempt-1")))
        {
            Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        }

        using (var second = await ReportAsync(center.Gateway, id, Progress("dialing", "attempt-2")))
        {
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            Assert.Contains("attempt-1", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var stranger = await ReportAsync(center.Gateway, id, Progress("ringing", "attempt-2")))
        {
            Assert.Equal(HttpStatusCode.Conflict, stranger.StatusCode);
        }

        foreach (var step in new[] { Progress("ringing", "attempt-1"), Progress("answered", "attempt-1"), Progress("finished", "attempt-1", "answered", "4", "completed") })
        {
            using var reported = await ReportAsync(center.Gateway, id, step);
            Assert.Equal(HttpStatusCode.OK, reported.StatusCode);
        }

        var finished = (await center.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/outbound-calls/{id}"))!;
        Assert.Equal(("finished", "answered", "4", "completed"),
            (finished["phase"]!.GetValue<string>(), finished["result"]!.GetValue<string>(), finished["digits"]!.GetValue<string>(), finished["cause"]!.GetValue<string>()));
        Assert.NotNull(finished["answeredAt"]);

        // The same end again is a repeat; a different one is refused, and the result stands.
        using (var sameEnd = await ReportAsync(center.Gateway, id, Progress("finished", "attempt-1", "answered", "4", "completed")))
        {
            Assert.Equal(HttpStatusCode.OK, sameEnd.StatusCode);
        }

        using (var otherEnd = await ReportAsync(center.Gateway, id, Progress("finished", "attempt-1", "busy", cause: "busy", sipStatus: 486)))
        {
            Assert.Equal(HttpStatusCode.Conflict, otherEnd.StatusCode);
        }

        Assert.Equal("answered", (await center.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/outbound-calls/{id}"))!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task AGatewayThatStartsAgainHasTheCallsItHadClaimedFinishedAtOnceAndKeepsTheRest()
    {
        // A silo of its own: the restart ends every call of the gateway from before, the other tests' too.
        var center = new CenterClient((await hosts.StartAsync(GatewayHosts.Sqlite)).Host);
        var (dialling, placed, claimedSince) = (center.Id("dialling"), center.Id("placed"), center.Id("claimed-since"));
        foreach (var id in new[] { dialling, placed, claimedSince })
        {
            using var put = await center.Admin.PutAsJsonAsync($"/api/v1/outbound-calls/{id}", Request());
            Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        }

        (await ReportAsync(center.Gateway, dialling, Progress("dialing", "old-process"))).Dispose();
        (await ReportAsync(center.Gateway, dialling, Progress("ringing", "old-process"))).Dispose();
        await Task.Delay(50);
        var startedAt = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        (await ReportAsync(center.Gateway, claimedSince, Progress("dialing", "new-process"))).Dispose();

        var restarted = await CenterClient.ExpectAsync(200, center.Gateway.PostAsJsonAsync("/api/v1/gateway/restarted", new { startedAt }));
        Assert.Equal(1, (await restarted.Content.ReadFromJsonAsync<JsonObject>())!["outboundFinished"]!.GetValue<int>());

        var ended = (await center.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/outbound-calls/{dialling}"))!;
        Assert.Equal(("finished", "failed", "gateway_restarted"), (ended["phase"]!.GetValue<string>(), ended["result"]!.GetValue<string>(), ended["cause"]!.GetValue<string>()));
        Assert.Equal("placed", (await center.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/outbound-calls/{placed}"))!["phase"]!.GetValue<string>());
        Assert.Equal("dialing", (await center.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/outbound-calls/{claimedSince}"))!["phase"]!.GetValue<string>());
        // The old process's late report is refused; said again, the restart finishes nothing more of these.
        using (var late = await ReportAsync(center.Gateway, dialling, Progress("answered", "old-process")))
        {
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        }

        var again = await CenterClient.ExpectAsync(200, center.Gateway.PostAsJsonAsync("/api/v1/gateway/restarted", new { startedAt }));
        Assert.Equal(0, (await again.Content.ReadFromJsonAsync<JsonObject>())!["outboundFinished"]!.GetValue<int>());
        Assert.Equal("dialing", (await center.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/outbound-calls/{claimedSince}"))!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task ACallNotAnsweredCarriesItsSipStatusAndOnlyItsOwnGatewayMayReportIt()
    {
        var host = hosts.On(GatewayHosts.Sqlite);
        var center = new CenterClient(host);
        var id = center.Id("busy-callback");
        using var placed = await center.Admin.PutAsJsonAsync($"/api/v1/outbound-calls/{id}", Request());
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);

        using var huaian = host.Client(TestTokens.HuaianToken);
        using (var foreign = await ReportAsync(huaian, id, Progress("dialing", "attempt-1")))
        {
            Assert.Equal(HttpStatusCode.Conflict, foreign.StatusCode);
            Assert.Contains(TestTokens.NanjingGateway, await foreign.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        (await ReportAsync(center.Gateway, id, Progress("dialing", "attempt-1"))).Dispose();
        using (var busy = await ReportAsync(center.Gateway, id, Progress("finished", "attempt-1", "busy", cause: "busy", sipStatus: 486)))
        {
            Assert.Equal(HttpStatusCode.OK, busy.StatusCode);
        }

        var call = (await center.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/outbound-calls/{id}"))!;
        Assert.Equal(("busy", 486), (call["result"]!.GetValue<string>(), call["sipStatus"]!.GetValue<int>()));
        Assert.Null(call["digits"]);
    }

    [Theory]
    [InlineData("""{"to":"13912345678","prompt":"satisfaction"}""", "E.164")]
    [InlineData("""{"to":"+8613912345678","prompt":"Satisfaction!"}""", "'prompt'")]
    [InlineData("""{"to":"+8613912345678","prompt":"satisfaction","maxDigits":17}""", "'maxDigits'")]
    [InlineData("""{"to":"+8613912345678","prompt":"satisfaction","ringSeconds":1}""", "'ringSeconds'")]
    [InlineData("""{"to":"+8613912345678","prompt":"satisfaction","callerId":"x"}""", "'callerId'")]
    [InlineData("""{"to":"+8613912345678","prompt":"satisfaction","maxDigits":"1"}""", "$.maxDigits")]
    [InlineData("""{"to":""", "this request's JSON")]
    public async Task ABadRequestIsRefusedWithItsReasonAndPlacesNothing(string body, string reason)
    {
        var center = new CenterClient(hosts.On(GatewayHosts.Sqlite));
        var id = center.Id("bad");
        using var refused = await center.Admin.PutAsync($"/api/v1/outbound-calls/{id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(reason, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var none = await center.Admin.GetAsync($"/api/v1/outbound-calls/{id}");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task TheSatisfactionCallbacksIdsAreTheirsAlone()
    {
        var center = new CenterClient(hosts.On(GatewayHosts.Sqlite));
        var id = $"survey-callback-1-{center.Id("call")}";
        using var refused = await center.Admin.PutAsJsonAsync($"/api/v1/outbound-calls/{id}", new { to = "+8613912345678", prompt = "satisfaction" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("satisfaction callbacks", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"step":"dialing","at":"2026-12-04T10:00:00Z"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"step":"placed","attempt":"a","at":"2026-12-04T10:00:00Z"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"step":"finished","attempt":"a","at":"2026-12-04T10:00:00Z"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"step":"finished","attempt":"a","at":"2026-12-04T10:00:00Z","result":"answered","digits":"12x"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"step":"ringing","attempt":"a","at":"2026-12-04T10:00:00Z","sipStatus":200}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"step":"hovering","attempt":"a","at":"2026-12-04T10:00:00Z"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"step":"dialing","attempt":"a","at":"2026-12-04T10:00:00Z"}""", HttpStatusCode.Conflict)] // no such call
    public async Task ABadOrUnknownReportIsRefusedWithItsReason(string body, HttpStatusCode expected)
    {
        var center = new CenterClient(hosts.On(GatewayHosts.Sqlite));
        using var refused = await center.Gateway.PostAsync($"/api/v1/gateway/outbound-calls/{center.Id("never-placed")}/progress", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(expected, refused.StatusCode);
        Assert.Contains("\"detail\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyOperatorsPlaceCallsAndOnlyGatewaysReportThem()
    {
        var host = hosts.On(GatewayHosts.Sqlite);
        var center = new CenterClient(host);
        using var byGateway = await center.Gateway.PutAsJsonAsync($"/api/v1/outbound-calls/{center.Id("x")}", Request());
        Assert.Equal(HttpStatusCode.Forbidden, byGateway.StatusCode);
        using var byOperator = await center.Admin.PostAsJsonAsync($"/api/v1/gateway/outbound-calls/{center.Id("x")}/progress", Progress("dialing", "a"));
        Assert.Equal(HttpStatusCode.Forbidden, byOperator.StatusCode);
    }
}
