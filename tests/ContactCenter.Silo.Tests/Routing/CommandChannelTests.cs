using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Routing;

/// <summary>Routing decisions reach the gateway that owns the call, at least once, until it acknowledges them.</summary>
[Collection(EmbeddedHostCollection.Name)]
[Slow("waits out real timeouts and polls")]
public sealed class CommandChannelTests(EmbeddedHostFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

    [Fact]
    public async Task AQueuedCallIsConnectedToAnIdleAgentThroughTheGateway()
    {
        await _center.QueueAsync("gotone");
        await _center.AgentAsync("a1", ready: true, "gotone");

        await _center.QueueCallAsync("c1", "gotone", caller: "+8613912345678");

        var connect = await _center.CommandForAsync("c1", "connect");
        Assert.NotNull(connect);
        Assert.Equal((_center.Id("a1"), _center.Endpoint("a1"), 1), (connect["command"]!["agentId"]!.GetValue<string>(), connect["command"]!["endpoint"]!.GetValue<string>(), connect["deliveries"]!.GetValue<int>()));
        var screenPop = await _center.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/agents/{_center.Id("a1")}/screen-pop");
        Assert.Equal(("+8613912345678", false), (screenPop!["profile"]!["number"]!.GetValue<string>(), screenPop["profile"]!["known"]!.GetValue<bool>()));

        Assert.Equal(1, await _center.AcknowledgeAsync(connect));
        Assert.Equal(0, await _center.AcknowledgeAsync(connect));
        // Acknowledged: not delivered again, even after the redelivery time (1 s in tests) has passed.
        Assert.Null(await _center.CommandForAsync("c1", "connect", waitSeconds: 3));
    }

    [Fact]
    public async Task ACommandNotAcknowledgedIsDeliveredAgain()
    {
        await _center.QueueAsync("gotone");
        await _center.AgentAsync("a1", ready: true, "gotone");
        await _center.QueueCallAsync("c1", "gotone");
        var first = await _center.CommandForAsync("c1", "connect");
        Assert.NotNull(first);

        // Delivered and not yet acknowledged: invisible to other polls until the redelivery time (1 s here) passes.
        Assert.DoesNotContain(await _center.PollAsync(), c => _center.IsFor(c, "c1", "connect"));
        var again = await _center.CommandForAsync("c1", "connect");

        Assert.NotNull(again);
        Assert.Equal(first["id"]!.GetValue<long>(), again["id"]!.GetValue<long>());
        Assert.Equal(2, again["deliveries"]!.GetValue<int>());
        await _center.AcknowledgeAsync(again);
    }

    [Fact]
    public async Task AQueueWithNobodyLoggedInAnswersTheGatewayAtOnce()
    {
        await _center.QueueAsync("night");

        await _center.QueueCallAsync("c1", "night");

        var announcement = await _center.CommandForAsync("c1", "play_announcement");
        Assert.Equal("no_agents", announcement!["command"]!["announcement"]!.GetValue<string>());
        await _center.AcknowledgeAsync(announcement);
    }

    [Fact]
    public async Task AGatewaySeesOnlyItsOwnCommands()
    {
        await _center.QueueAsync("night");
        await _center.QueueCallAsync("c1", "night");
        Assert.NotNull(await _center.CommandForAsync("c1", "play_announcement"));

        using var huaian = fixture.Host.Client(TestTokens.HuaianToken);
        var page = await huaian.GetFromJsonAsync<JsonObject>("/api/v1/gateway/commands?wait=0");

        Assert.DoesNotContain(page!["commands"]!.AsArray(), c => c!["command"]!["callId"]!.GetValue<string>() == _center.Id("c1"));
        using var supervisor = fixture.Host.Client(TestTokens.SupervisorToken);
        Assert.Equal(403, (int)(await supervisor.GetAsync("/api/v1/gateway/commands?wait=0")).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/gateway/commands?wait=61")]
    [InlineData("/api/v1/gateway/commands?max=0")]
    public async Task APollOutOfBoundsIsRefused(string path) =>
        await CenterClient.ExpectAsync(400, _center.Gateway.GetAsync(path));

    [Fact]
    public async Task AnEmptyAcknowledgementIsRefused() =>
        await CenterClient.ExpectAsync(400, _center.Gateway.PostAsJsonAsync("/api/v1/gateway/commands/ack", new { ids = Array.Empty<long>() }));
}
