using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Routing;

/// <summary>The agent API: presence changes, who may make them, and clear answers to wrong ones.</summary>
[Collection(EmbeddedHostCollection.Name)]
public sealed class AgentApiTests(EmbeddedHostFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

    [Fact]
    public async Task AnAgentLogsInGoesReadyTakesABreakAndLogsOut()
    {
        await _center.QueueAsync("gotone");
        await _center.AgentAsync("a1", ready: false, "gotone");
        var path = $"/api/v1/agents/{_center.Id("a1")}";
        Assert.Equal(("notReady", "login"), Presence(await _center.AgentStatusAsync("a1")));

        await _center.ReadyAsync("a1");
        Assert.Equal("available", (await _center.AgentStatusAsync("a1"))["presence"]!.GetValue<string>());
        await CenterClient.ExpectAsync(200, _center.Admin.PostAsJsonAsync($"{path}/not-ready", new { reason = "meal" }));
        Assert.Equal(("notReady", "meal"), Presence(await _center.AgentStatusAsync("a1")));
        await CenterClient.ExpectAsync(200, _center.Admin.PostAsync($"{path}/logout", null));

        Assert.Equal("loggedOut", (await _center.AgentStatusAsync("a1"))["presence"]!.GetValue<string>());
        Assert.Equal(0, (await _center.QueueStatusAsync("gotone"))["loggedInAgents"]!.GetValue<int>());
    }

    [Fact]
    public async Task AChangeTheStateDoesNotAllowIsAConflictWithItsReason()
    {
        var response = await CenterClient.ExpectAsync(409, _center.Admin.PostAsync($"/api/v1/agents/{_center.Id("never-logged-in")}/ready", null));

        Assert.Contains("cannot become ready", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnAgentDeskActsOnlyForItsOwnAgent()
    {
        using var desk = fixture.Host.Client(TestTokens.DeskAgentToken);

        await CenterClient.ExpectAsync(200, desk.PostAsJsonAsync($"/api/v1/agents/{TestTokens.DeskAgent}/login", new { endpoint = "sip:1001@pbx" }));
        await CenterClient.ExpectAsync(403, desk.PostAsJsonAsync($"/api/v1/agents/{_center.Id("someone-else")}/login", new { endpoint = "sip:1002@pbx" }));
        await CenterClient.ExpectAsync(403, _center.Gateway.GetAsync($"/api/v1/agents/{TestTokens.DeskAgent}"));
        await CenterClient.ExpectAsync(403, desk.GetAsync("/api/v1/queues"));
    }

    [Theory]
    [InlineData("login", "{\"endpoint\":\"\"}")]
    [InlineData("not-ready", "{\"reason\":\"coffee break!\"}")]
    [InlineData("not-ready", "{}")]
    public async Task AMalformedRequestIsRefused(string action, string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        await CenterClient.ExpectAsync(400, _center.Admin.PostAsync($"/api/v1/agents/{_center.Id("a1")}/{action}", content));
    }

    [Fact]
    public async Task AnAgentWithNoCallHasNoScreenPop() =>
        await CenterClient.ExpectAsync(404, _center.Admin.GetAsync($"/api/v1/agents/{_center.Id("idle")}/screen-pop"));

    private static (string, string?) Presence(JsonObject status) =>
        (status["presence"]!.GetValue<string>(), status["reason"]?.GetValue<string>());
}
