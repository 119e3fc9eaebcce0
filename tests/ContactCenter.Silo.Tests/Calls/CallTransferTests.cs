using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Calls;

/// <summary>
/// A blind transfer asked from the agent's desk: who may ask, what is refused, the <c>transfer</c> command the
/// call's gateway gets, and what the gateway's <c>transferred</c> report then does: the caller waits in the new
/// queue and is offered there, the first agent goes to wrap-up, and the call counts one transfer.
/// </summary>
[Collection(EmbeddedHostCollection.Name)]
public sealed class CallTransferTests(EmbeddedHostFixture fixture) : IDisposable
{
    private readonly CenterClient _center = new(fixture.Host);
    private readonly HttpClient _supervisor = fixture.Host.Client(TestTokens.SupervisorToken);

    private string TransferPath(string agent) => $"/api/v1/agents/{_center.Id(agent)}/transfer";

    [Fact]
    public async Task TheAgentsCallGoesToTheOtherQueueThroughItsGatewayAndIsOfferedThere()
    {
        var call = _center.Id("c1");
        await _center.QueueAsync("first");
        await _center.QueueAsync("second");
        await _center.AgentAsync("a1", ready: true, "first");
        await _center.AgentAsync("a2", ready: true, "second");
        Assert.Contains("not on a call", await (await CenterClient.ExpectAsync(409, _supervisor.PostAsJsonAsync(TransferPath("a1"), new { toQueue = _center.Id("second") }))).Content.ReadAsStringAsync());
        await _center.QueueCallAsync("c1", "first");
        await _center.AcknowledgeAsync(await _center.CommandForAsync("c1", "connect"));
        Assert.Equal("accepted", (await new GatewayBatch().Event(call, 3, "answered", new { agent = _center.Id("a1") }).PostAsync(_center.Gateway)).Outcome(0));

        await CenterClient.ExpectAsync(400, _supervisor.PostAsJsonAsync(TransferPath("a1"), new { }));
        await _center.QueueAsync("nobody-home");
        Assert.Contains("nobody is logged in", await (await CenterClient.ExpectAsync(409, _supervisor.PostAsJsonAsync(TransferPath("a1"), new { toQueue = _center.Id("nobody-home") }))).Content.ReadAsStringAsync());
        Assert.Contains("no queue", await (await CenterClient.ExpectAsync(400, _supervisor.PostAsJsonAsync(TransferPath("a1"), new { toQueue = _center.Id("nowhere") }))).Content.ReadAsStringAsync());
        using (var otherDesk = fixture.Host.Client(TestTokens.DeskAgentToken))
        {
            await CenterClient.ExpectAsync(403, otherDesk.PostAsJsonAsync(TransferPath("a1"), new { toQueue = _center.Id("second") }));
        }

        await CenterClient.ExpectAsync(202, _supervisor.PostAsJsonAsync(TransferPath("a1"), new { toQueue = _center.Id("second") }));
        var transfer = (await _center.CommandForAsync("c1", "transfer"))!["command"]!;
        Assert.Equal((_center.Id("a1"), _center.Id("second"), "sup-1"), (Text(transfer, "fromAgent"), Text(transfer, "toQueue"), Text(transfer, "by")));
        var audited = (await _supervisor.GetFromJsonAsync<JsonObject>("/api/v1/audit?action=call_transfer&limit=1000"))!["entries"]!.AsArray()
            .Where(e => Text(e!, "targetId") == _center.Id("a1")).Select(e => Text(e!, "outcome")).ToList();
        Assert.Equal(1, audited.Count(o => o == "succeeded"));
        Assert.Contains("conflict", audited);

        // Nothing changes until the gateway says the call was transferred: then the second queue offers it.
        Assert.Equal("onCall", Text(await _center.AgentStatusAsync("a1"), "presence"));
        Assert.Equal("accepted", (await new GatewayBatch().Event(call, 4, "transferred", new { toQueue = _center.Id("second") }).PostAsync(_center.Gateway)).Outcome(0));
        var offer = (await _center.CommandForAsync("c1", "connect"))!["command"]!;
        Assert.Equal(_center.Id("a2"), Text(offer, "agentId"));
        Assert.Equal("wrapUp", Text(await _center.AgentStatusAsync("a1"), "presence"));
        Assert.Equal("accepted", (await new GatewayBatch().Event(call, 5, "answered", new { agent = _center.Id("a2") }).PostAsync(_center.Gateway)).Outcome(0));
        var snapshot = (await _supervisor.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{call}"))!;
        Assert.Equal((_center.Id("a2"), _center.Id("second"), 1), (Text(snapshot, "agent"), Text(snapshot, "queue"), snapshot["transferCount"]!.GetValue<int>()));
    }

    [Fact]
    public async Task ACallTransferredToAColleagueOfItsQueueGoesBackToThatQueueForThemAlone()
    {
        var call = _center.Id("c1");
        await _center.QueueAsync("first");
        await _center.QueueAsync("second");
        await _center.AgentAsync("a1", ready: true, "first");
        await _center.AgentAsync("colleague", ready: false, "first");
        await _center.AgentAsync("elsewhere", ready: true, "second");
        await _center.QueueCallAsync("c1", "first");
        await _center.AcknowledgeAsync(await _center.CommandForAsync("c1", "connect"));
        Assert.Equal("accepted", (await new GatewayBatch().Event(call, 3, "answered", new { agent = _center.Id("a1") }).PostAsync(_center.Gateway)).Outcome(0));

        Assert.Contains("not available", await ProblemAsync(409, new { toAgent = _center.Id("colleague") }));
        Assert.Contains("takes no calls of queue", await ProblemAsync(409, new { toAgent = _center.Id("elsewhere") }));
        Assert.Contains("themselves", await ProblemAsync(400, new { toAgent = _center.Id("a1") }));
        Assert.Contains("no agent", await ProblemAsync(400, new { toAgent = _center.Id("nobody") }));
        await _center.ReadyAsync("colleague");
        await CenterClient.ExpectAsync(202, _supervisor.PostAsJsonAsync(TransferPath("a1"), new { toAgent = _center.Id("colleague") }));
        var transfer = (await _center.CommandForAsync("c1", "transfer"))!["command"]!;
        Assert.Equal(_center.Id("first"), Text(transfer, "toQueue"));

        Assert.Equal("accepted", (await new GatewayBatch().Event(call, 4, "transferred", new { toQueue = _center.Id("first") }).PostAsync(_center.Gateway)).Outcome(0));
        var offer = (await _center.CommandForAsync("c1", "connect"))!["command"]!;
        Assert.Equal(_center.Id("colleague"), Text(offer, "agentId"));
    }

    private async Task<string> ProblemAsync(int status, object body) =>
        await (await CenterClient.ExpectAsync(status, _supervisor.PostAsJsonAsync(TransferPath("a1"), body))).Content.ReadAsStringAsync();

    public void Dispose() => _supervisor.Dispose();

    private static string Text(JsonNode node, string field) => node[field]?.GetValue<string>() ?? $"(no {field})";
}
