using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Routing;

/// <summary>Managing queues and agents: wrong definitions are refused whole, with every reason.</summary>
[Collection(EmbeddedHostCollection.Name)]
public sealed class CenterAdminTests(EmbeddedHostFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

    [Fact]
    public async Task AQueueDefinitionWithMistakesIsRefusedWithEachReason()
    {
        var response = await CenterClient.ExpectAsync(400, _center.Admin.PutAsJsonAsync($"/api/v1/admin/queues/{_center.Id("q")}", new
        {
            name = "q",
            region = "nanjing",
            tiers = Array.Empty<object>(),
            overflowQueue = "nowhere",
            overflowAfterSeconds = 60,
        }));

        var problems = (await response.Content.ReadFromJsonAsync<JsonObject>())!["problems"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Assert.Contains(problems, p => p.Contains("overflows to 'nowhere', which is not a queue"));
        Assert.Contains(problems, p => p.Contains("a queue needs at least one tier"));
        await CenterClient.ExpectAsync(404, _center.Admin.GetAsync($"/api/v1/queues/{_center.Id("q")}"));
    }

    [Fact]
    public async Task ACenterWithOneBadAgentChangesNothing()
    {
        var response = await CenterClient.ExpectAsync(400, _center.Admin.PostAsJsonAsync("/api/v1/admin/center", new
        {
            queues = new[] { new { id = _center.Id("good"), name = "good", region = "nanjing", tiers = new[] { new { tier = 1, afterSeconds = 0 } } } },
            agentGroups = new[] { new { idPrefix = _center.Id("team-"), count = 3, region = "nanjing", skills = new[] { new { queue = "missing", tier = 1 } } } },
        }));

        Assert.Contains("has a skill for 'missing', which is not a queue", await response.Content.ReadAsStringAsync());
        await CenterClient.ExpectAsync(404, _center.Admin.GetAsync($"/api/v1/queues/{_center.Id("good")}"));
    }

    [Fact]
    public async Task ACenterDefinitionConfiguresQueuesAndExpandsAgentGroups()
    {
        await CenterClient.ExpectAsync(200, _center.Admin.PostAsJsonAsync("/api/v1/admin/center", new
        {
            queues = new[] { new { id = _center.Id("billing"), name = "billing", region = "huaian", tiers = new[] { new { tier = 1, afterSeconds = 0 }, new { tier = 2, afterSeconds = 20 } } } },
            agentGroups = new[] { new { idPrefix = _center.Id("team") + "-", count = 3, region = "huaian", skills = new[] { new { queue = _center.Id("billing"), tier = 2 } } } },
        }));

        var queue = await _center.QueueStatusAsync("billing");
        Assert.Equal(20, queue["configuration"]!["tiers"]![1]!["afterSeconds"]!.GetValue<double>());
        var agent = await _center.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/agents/{_center.Id("team")}-003");
        Assert.Equal(2, agent!["profile"]!["skills"]![0]!["tier"]!.GetValue<int>());
        var directory = await _center.Admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/center");
        Assert.Contains(directory!["agents"]!.AsArray(), a => a!.GetValue<string>() == $"{_center.Id("team")}-001");
    }

    [Fact]
    public async Task OnlyAdminsManageTheCenter()
    {
        using var supervisor = fixture.Host.Client(TestTokens.SupervisorToken);

        await CenterClient.ExpectAsync(403, supervisor.PutAsJsonAsync($"/api/v1/admin/queues/{_center.Id("q")}", new { name = "q", region = "nanjing" }));
        await CenterClient.ExpectAsync(401, fixture.Host.Client(token: null).GetAsync("/api/v1/admin/center"));
    }
}
