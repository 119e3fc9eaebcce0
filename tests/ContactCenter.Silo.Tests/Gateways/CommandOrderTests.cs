using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Gateways;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Tests.Gateways;

/// <summary>
/// The commands about one call reach its gateway in order, and one a later command made stale is never delivered:
/// driven through the real silo's HTTP command channel, on SQLite and on PostgreSQL.
/// </summary>
[Collection(GatewayHostsCollection.Name)]
[Slow("a private PostgreSQL")]
public sealed class CommandOrderTests(GatewayHosts hosts)
{
    [Theory]
    [InlineData(GatewayHosts.Sqlite)]
    [InlineData(GatewayHosts.PostgreSql)]
    public async Task AConnectCancelledAfterItsDeliveryIsNeverDeliveredAgain(string database)
    {
        var center = new CenterClient(hosts.On(database));
        await center.QueueAsync("gotone");
        await center.AgentAsync("a1", ready: true, "gotone");
        await center.QueueCallAsync("c1", "gotone");
        var connect = await center.CommandForAsync("c1", "connect");
        Assert.NotNull(connect); // taken, and never acknowledged: the gateway's answer was lost, say

        await NotReadyAsync(center, "a1");

        var cancel = await center.CommandForAsync("c1", "cancel_connect");
        Assert.NotNull(cancel);
        Assert.Equal(1, await center.AcknowledgeAsync(cancel));
        // Past the redelivery time the connect would ring the agent again, for a call back in the queue.
        var later = await PollForAsync(center, TimeSpan.FromSeconds(GatewayHosts.RedeliverySeconds * 2.5));
        Assert.DoesNotContain(later, c => center.IsFor(c, "c1", "connect"));
    }

    [Theory]
    [InlineData(GatewayHosts.Sqlite)]
    [InlineData(GatewayHosts.PostgreSql)]
    public async Task AConnectCancelledBeforeTheGatewayTookItIsNotDeliveredNorIsItsCancel(string database)
    {
        var center = new CenterClient(hosts.On(database));
        await center.QueueAsync("gotone");
        await center.AgentAsync("a1", ready: true, "gotone");
        await center.QueueCallAsync("c1", "gotone");
        await UntilAsync(async () => (await OfferedToAsync(center, "gotone", "c1")) == center.Id("a1"));

        await NotReadyAsync(center, "a1");
        await UntilAsync(async () => (await OfferedToAsync(center, "gotone", "c1")) is null);

        // The gateway never rang the agent: there is nothing to ring, and nothing to stop ringing.
        var delivered = await PollForAsync(center, TimeSpan.FromSeconds(GatewayHosts.RedeliverySeconds * 1.5));
        Assert.DoesNotContain(delivered, c => c!["command"]!["callId"]!.GetValue<string>() == center.Id("c1"));
        var connectId = await CommandIdAsync(database, center.Id("c1"), "connect_to_agent");
        Assert.False(await hosts.On(database).Services.GetRequiredService<IGatewayCommands>().WasDeliveredAsync(connectId));
    }

    [Theory]
    [InlineData(GatewayHosts.Sqlite)]
    [InlineData(GatewayHosts.PostgreSql)]
    public async Task ALaterCommandForACallWaitsForTheEarlierOneAndFollowsItsRedelivery(string database)
    {
        var host = hosts.On(database);
        var center = new CenterClient(host);
        await TalkingCallAsync(center, "c1");
        using var supervisor = host.Client(TestTokens.SupervisorToken);
        using var admin = host.Client(TestTokens.AdminToken);

        await CenterClient.ExpectAsync(202, supervisor.PostAsJsonAsync($"/api/v1/supervisor/calls/{center.Id("c1")}/monitor", new { endpoint = "sip:sup-1@pbx.test" }));
        var first = await center.CommandForAsync("c1", "join_as_supervisor");
        Assert.Equal("sup-1", first!["command"]!["supervisor"]!.GetValue<string>());
        await CenterClient.ExpectAsync(202, admin.PostAsJsonAsync($"/api/v1/supervisor/calls/{center.Id("c1")}/barge", new { endpoint = "sip:admin-1@pbx.test" }));

        // The first is out with the gateway, unacknowledged: the second is held back behind it.
        Assert.DoesNotContain(await center.PollAsync(), c => center.IsFor(c, "c1", "join_as_supervisor"));
        // Redelivered, the first goes again, and the second after it, in one page.
        var page = await PageWithAsync(center, "c1", "join_as_supervisor", TimeSpan.FromSeconds(GatewayHosts.RedeliverySeconds * 3));
        var joins = page.Where(c => center.IsFor(c, "c1", "join_as_supervisor")).ToList();
        Assert.Equal([("sup-1", 2), ("admin-1", 1)], joins.Select(c => (c!["command"]!["supervisor"]!.GetValue<string>(), c["deliveries"]!.GetValue<int>())).ToList());
        Assert.Equal(first["id"]!.GetValue<long>(), joins[0]!["id"]!.GetValue<long>());
        await center.AcknowledgeAsync([.. joins]);
    }

    [Theory]
    [InlineData(GatewayHosts.Sqlite)]
    [InlineData(GatewayHosts.PostgreSql)]
    public async Task AnAcknowledgementLetsTheCallsNextCommandGoAtOnce(string database)
    {
        var host = hosts.On(database);
        var center = new CenterClient(host);
        await TalkingCallAsync(center, "c1");
        using var supervisor = host.Client(TestTokens.SupervisorToken);
        using var admin = host.Client(TestTokens.AdminToken);
        await CenterClient.ExpectAsync(202, supervisor.PostAsJsonAsync($"/api/v1/supervisor/calls/{center.Id("c1")}/monitor", new { endpoint = "sip:sup-1@pbx.test" }));
        var first = await center.CommandForAsync("c1", "join_as_supervisor");
        await CenterClient.ExpectAsync(202, admin.PostAsJsonAsync($"/api/v1/supervisor/calls/{center.Id("c1")}/whisper", new { endpoint = "sip:admin-1@pbx.test" }));
        Assert.DoesNotContain(await center.PollAsync(), c => center.IsFor(c, "c1", "join_as_supervisor"));

        Assert.Equal(1, await center.AcknowledgeAsync(first));

        var second = (await center.PollAsync()).Single(c => center.IsFor(c, "c1", "join_as_supervisor"));
        Assert.Equal(("admin-1", 1), (second!["command"]!["supervisor"]!.GetValue<string>(), second["deliveries"]!.GetValue<int>()));
        await center.AcknowledgeAsync(second);
    }

    [Theory]
    [InlineData(GatewayHosts.Sqlite)]
    [InlineData(GatewayHosts.PostgreSql)]
    public async Task ASupervisorsJoinIsNotRedeliveredAfterTheirLeave(string database)
    {
        var host = hosts.On(database);
        var center = new CenterClient(host);
        await TalkingCallAsync(center, "c1");
        using var supervisor = host.Client(TestTokens.SupervisorToken);
        await CenterClient.ExpectAsync(202, supervisor.PostAsJsonAsync($"/api/v1/supervisor/calls/{center.Id("c1")}/monitor", new { endpoint = "sip:sup-1@pbx.test" }));
        Assert.NotNull(await center.CommandForAsync("c1", "join_as_supervisor"));

        await CenterClient.ExpectAsync(202, supervisor.PostAsync($"/api/v1/supervisor/calls/{center.Id("c1")}/leave", null));

        var leave = await center.CommandForAsync("c1", "leave_as_supervisor");
        Assert.NotNull(leave);
        await center.AcknowledgeAsync(leave);
        var later = await PollForAsync(center, TimeSpan.FromSeconds(GatewayHosts.RedeliverySeconds * 2.5));
        Assert.DoesNotContain(later, c => center.IsFor(c, "c1", "join_as_supervisor"));
    }

    /// <summary>A call an agent answered: its connect taken and acknowledged, so only what follows is in flight.</summary>
    private static async Task TalkingCallAsync(CenterClient center, string call)
    {
        await center.QueueAsync("gotone");
        await center.AgentAsync("a1", ready: true, "gotone");
        await center.QueueCallAsync(call, "gotone");
        var connect = await center.CommandForAsync(call, "connect");
        await center.AcknowledgeAsync(connect);
        var answered = await new GatewayBatch().Event(center.Id(call), 3, "answered", new { agent = center.Id("a1") }).PostAsync(center.Gateway);
        Assert.Equal(1, answered.Count("acknowledged"));
    }

    private static Task NotReadyAsync(CenterClient center, string agent) =>
        CenterClient.ExpectAsync(200, center.Admin.PostAsJsonAsync($"/api/v1/agents/{center.Id(agent)}/not-ready", new { reason = "break" }));

    private static async Task<string?> OfferedToAsync(CenterClient center, string queue, string call) =>
        (await center.QueueStatusAsync(queue))["waiting"]!.AsArray().Single(w => w!["callId"]!.GetValue<string>() == center.Id(call))!["offeredTo"]?.GetValue<string>();

    /// <summary>Everything delivered over this long, acknowledging nothing.</summary>
    private static async Task<List<JsonNode?>> PollForAsync(CenterClient center, TimeSpan duration)
    {
        var delivered = new List<JsonNode?>();
        var deadline = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < deadline)
        {
            delivered.AddRange(await center.PollAsync(1));
        }

        return delivered;
    }

    /// <summary>The first page delivering a command of this kind for the call.</summary>
    private static async Task<JsonArray> PageWithAsync(CenterClient center, string call, string kind, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var page = await center.PollAsync(1);
            if (page.Any(c => center.IsFor(c, call, kind)))
            {
                return page;
            }
        }

        throw new TimeoutException($"no {kind} for {call} within {within}");
    }

    /// <param name="kind">As the table stores it: the command type's name in snake case.</param>
    private async Task<long> CommandIdAsync(string database, string callId, string kind) =>
        Convert.ToInt64(
            await hosts.ScalarAsync(database, hosts.ConnectionStringOf(database),
                "SELECT command_id FROM gateway_commands WHERE call_id = @call AND kind = @kind ORDER BY command_id LIMIT 1", ("@call", callId), ("@kind", kind))
                ?? throw new InvalidOperationException($"no {kind} command for {callId}"),
            System.Globalization.CultureInfo.InvariantCulture);

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true within 10 s");
            await Task.Delay(50);
        }
    }
}
