using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Gateways;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Tests.Gateways;

/// <summary>
/// A gateway that stops polling for its commands is lost after the configured time (every silo reads it from the
/// database), and its calls end after the grace with the cause gateway_lost, CDR included. On SQLite and PostgreSQL.
/// </summary>
[Collection(GatewayHostsCollection.Name)]
[Slow("a private PostgreSQL")]
public sealed class GatewayLivenessTests(GatewayHosts hosts)
{
    private static readonly KeyValuePair<string, string?>[] ShortLiveness =
    [
        new("ContactCenter:GatewayLostAfterSeconds", "2"),
        new("ContactCenter:GatewayLostGraceSeconds", "1"),
    ];

    [Theory]
    [InlineData(GatewayHosts.Sqlite)]
    [InlineData(GatewayHosts.PostgreSql)]
    public async Task ALostGatewaysWaitingCallIsNotOfferedUntilItPollsAgain(string database)
    {
        var (host, _) = await hosts.StartAsync(database, [new("ContactCenter:GatewayLostAfterSeconds", "2"), new("ContactCenter:GatewayLostGraceSeconds", "600")]);
        var center = new CenterClient(host);
        using var supervisor = host.Client(TestTokens.SupervisorToken);
        await center.QueueAsync("billing");
        await center.AgentAsync("a1", ready: false, "billing");
        await center.PollAsync();
        await center.QueueCallAsync("c1", "billing");
        await UntilAsync(supervisor, TestTokens.NanjingGateway, g => g["lost"]!.GetValue<bool>(), TimeSpan.FromSeconds(10));

        // An agent becomes free while the call's gateway is gone: ringing them would ring nobody, and blame them.
        await center.ReadyAsync("a1");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal("available", (await center.AgentStatusAsync("a1"))["presence"]!.GetValue<string>());

        // The gateway polls again: the call is offered at once.
        Assert.NotNull(await center.CommandForAsync("c1", "connect"));
    }

    [Theory]
    [InlineData(GatewayHosts.Sqlite)]
    [InlineData(GatewayHosts.PostgreSql)]
    public async Task AGatewayThatStopsPollingIsLostAndItsCallsEndWithGatewayLost(string database)
    {
        var (host, connectionString) = await hosts.StartAsync(database, ShortLiveness);
        var center = new CenterClient(host);
        using var supervisor = host.Client(TestTokens.SupervisorToken);
        using var huaian = host.Client(TestTokens.HuaianToken);
        var call = center.Id("c1");
        var otherGatewaysCall = center.Id("h1");
        Assert.Equal(2, (await new GatewayBatch().Offered(call).Event(call, 2, "ivr_entered", new { menu = "main" }).PostAsync(center.Gateway)).Count("acknowledged"));
        Assert.Equal(1, (await new GatewayBatch().Offered(otherGatewaysCall).PostAsync(huaian)).Count("acknowledged"));

        await center.PollAsync(); // the only poll nanjing makes; huaian never polls
        var alive = await UntilAsync(supervisor, TestTokens.NanjingGateway, _ => true, TimeSpan.FromSeconds(5));
        Assert.False(alive["lost"]!.GetValue<bool>());
        Assert.NotNull(alive["lastPollAt"]);

        var lost = await UntilAsync(supervisor, TestTokens.NanjingGateway, g => g["lost"]!.GetValue<bool>(), TimeSpan.FromSeconds(10));
        Assert.True(lost["secondsSinceLastPoll"]!.GetValue<double>() >= 2);
        Assert.True(host.Services.GetRequiredService<IGatewayHealth>().IsLost(TestTokens.NanjingGateway));

        var ended = await UntilEndedAsync(center, call, TimeSpan.FromSeconds(15));
        Assert.Equal(("gateway_lost", "system", 3), (ended["endCause"]!.GetValue<string>(), ended["hungUpBy"]!.GetValue<string>(), ended["lastSequence"]!.GetValue<int>()));
        Assert.Equal("gateway_lost", await hosts.ScalarAsync(database, connectionString, "SELECT end_cause FROM call_detail_records WHERE call_id = @call", ("@call", call)));
        Assert.Equal(1L, Convert.ToInt64(await hosts.ScalarAsync(database, connectionString, "SELECT count(*) FROM call_detail_records WHERE call_id = @call", ("@call", call)), System.Globalization.CultureInfo.InvariantCulture));

        // The gateway comes back with events for the call: refused, and nothing changes.
        var late = await new GatewayBatch()
            .Event(call, 3, "ivr_exited", new { menuPath = "main" })
            .Event(call, 4, "ended", new { cause = "normal", hungUpBy = "caller" })
            .PostAsync(center.Gateway);
        Assert.Equal(("rejected", "rejected"), (late.Outcome(0), late.Outcome(1)));
        Assert.Contains("after the call ended", late.Reason(1));

        // A gateway no silo ever saw poll is not judged: its call goes on.
        var other = await huaian.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{otherGatewaysCall}");
        Assert.Equal("pending", other!["phase"]!.GetValue<string>());

        // Polling again, it is alive again.
        await center.PollAsync();
        Assert.False(host.Services.GetRequiredService<IGatewayHealth>().IsLost(TestTokens.NanjingGateway));
        await UntilAsync(supervisor, TestTokens.NanjingGateway, g => !g["lost"]!.GetValue<bool>(), TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(GatewayHosts.Sqlite)]
    [InlineData(GatewayHosts.PostgreSql)]
    public async Task AGatewayThatStartedAgainHasTheCallsItHadBeforeEndedAndKeepsTheNewOnes(string database)
    {
        var (host, connectionString) = await hosts.StartAsync(database, []);
        var center = new CenterClient(host);
        using var huaian = host.Client(TestTokens.HuaianToken);
        var (before, queued, after, otherGateways) = (center.Id("before"), center.Id("queued"), center.Id("after"), center.Id("huaian"));
        await center.QueueAsync("billing");
        await new GatewayBatch().Offered(before).PostAsync(center.Gateway);
        await center.QueueCallAsync("queued", "billing");
        await new GatewayBatch().Offered(otherGateways).PostAsync(huaian);
        await Task.Delay(50);
        var startedAt = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await new GatewayBatch().Offered(after).PostAsync(center.Gateway);

        var response = await CenterClient.ExpectAsync(200, center.Gateway.PostAsJsonAsync("/api/v1/gateway/restarted", new { startedAt }));
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonObject>())!["ended"]!.GetValue<int>());
        foreach (var call in new[] { before, queued })
        {
            var ended = await center.Gateway.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{call}");
            Assert.Equal(("ended", "gateway_restarted", "system"), (ended!["phase"]!.GetValue<string>(), ended["endCause"]!.GetValue<string>(), ended["hungUpBy"]!.GetValue<string>()));
        }

        Assert.Equal("gateway_restarted", await hosts.ScalarAsync(database, connectionString, "SELECT end_cause FROM call_detail_records WHERE call_id = @call", ("@call", queued)));
        Assert.Empty(await Eventually.ReadAsync(async () => (await center.QueueStatusAsync("billing"))["waiting"]!.AsArray(), waiting => waiting.Count == 0));
        Assert.Equal("pending", (await center.Gateway.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{after}"))!["phase"]!.GetValue<string>());
        Assert.Equal("pending", (await huaian.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{otherGateways}"))!["phase"]!.GetValue<string>());

        // Said again (the answer was lost): nothing more is ended.
        response = await CenterClient.ExpectAsync(200, center.Gateway.PostAsJsonAsync("/api/v1/gateway/restarted", new { startedAt }));
        Assert.Equal(0, (await response.Content.ReadFromJsonAsync<JsonObject>())!["ended"]!.GetValue<int>());
        // A start the gateway cannot have had, or none: refused with the reason, and nothing ended.
        var future = await CenterClient.ExpectAsync(400, center.Gateway.PostAsJsonAsync("/api/v1/gateway/restarted", new { startedAt = DateTimeOffset.UtcNow.AddHours(1) }));
        Assert.Contains("ahead of the cluster's clock", await future.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await CenterClient.ExpectAsync(400, center.Gateway.PostAsJsonAsync("/api/v1/gateway/restarted", new { }));
        await CenterClient.ExpectAsync(400, center.Gateway.PostAsync("/api/v1/gateway/restarted", new StringContent("{\"startedAt\": \"yesterday\"}", System.Text.Encoding.UTF8, "application/json")));
        Assert.Equal("pending", (await center.Gateway.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{after}"))!["phase"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(GatewayHosts.Sqlite)]
    [InlineData(GatewayHosts.PostgreSql)]
    public async Task AConnectTheGatewayNeverTookReportsNotDeliveredAndATakenOneDelivered(string database)
    {
        var (host, connectionString) = await hosts.StartAsync(database);
        var center = new CenterClient(host);
        await center.QueueAsync("gotone");
        await center.AgentAsync("a1", ready: true, "gotone");
        await center.QueueCallAsync("c1", "gotone");
        var commands = host.Services.GetRequiredService<IGatewayCommands>();
        long? connectId = null;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (connectId is null && DateTime.UtcNow < deadline)
        {
            connectId = await hosts.ScalarAsync(database, connectionString, "SELECT command_id FROM gateway_commands WHERE call_id = @call AND kind = 'connect_to_agent'", ("@call", center.Id("c1"))) is { } id
                ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture)
                : null;
            await Task.Delay(50);
        }

        Assert.NotNull(connectId);
        Assert.False(await commands.WasDeliveredAsync(connectId.Value));
        Assert.False(await commands.WasDeliveredAsync(connectId.Value + 1_000_000)); // unknown

        var taken = await center.CommandForAsync("c1", "connect");
        Assert.Equal(connectId, taken!["id"]!.GetValue<long>());
        Assert.True(await commands.WasDeliveredAsync(connectId.Value));
    }

    /// <summary>The gateway's tile on the wallboard; null while the frame (at most a second old) does not show it yet.</summary>
    private static async Task<JsonObject?> GatewayAsync(HttpClient supervisor, string gatewayId)
    {
        var frame = await supervisor.GetFromJsonAsync<JsonObject>("/api/v1/wallboard");
        return frame!["gateways"]!.AsArray().SingleOrDefault(g => g!["gatewayId"]!.GetValue<string>() == gatewayId)?.AsObject();
    }

    private static async Task<JsonObject> UntilAsync(HttpClient supervisor, string gatewayId, Func<JsonObject, bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var gateway = await GatewayAsync(supervisor, gatewayId);
            if (gateway is not null && condition(gateway))
            {
                return gateway;
            }

            Assert.True(DateTime.UtcNow < deadline, $"gateway {gatewayId} did not change as expected within {within}: {gateway}");
            await Task.Delay(200);
        }
    }

    private static async Task<JsonObject> UntilEndedAsync(CenterClient center, string callId, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var call = (await center.Gateway.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{callId}"))!;
            if (call["phase"]!.GetValue<string>() == "ended")
            {
                return call;
            }

            Assert.True(DateTime.UtcNow < deadline, $"call {callId} did not end within {within}: {call}");
            await Task.Delay(200);
        }
    }
}
