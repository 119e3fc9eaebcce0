using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Calls;

[Collection(EmbeddedHostCollection.Name)]
public sealed class CallQueryTests(EmbeddedHostFixture fixture)
{
    private SiloHost Host => fixture.Host;

    [Fact]
    public async Task CallStateShowsTheAcceptedEvents()
    {
        var center = new CenterClient(Host);
        await center.QueueAsync("gotone");
        var call = $"query-{Guid.NewGuid():N}";
        await new GatewayBatch().Offered(call).Event(call, 2, "queued", new { queue = center.Id("gotone") }).Event(call, 3, "agent_ringing", new { agent = "a7" }).PostAsync(Host.Client());

        var state = await Host.Client().GetFromJsonAsync<JsonObject>($"/api/v1/calls/{call}");

        Assert.Equal("ringing", state!["phase"]!.GetValue<string>());
        Assert.Equal((center.Id("gotone"), "a7", 3), (state["queue"]!.GetValue<string>(), state["agent"]!.GetValue<string>(), state["lastSequence"]!.GetValue<int>()));
    }

    [Fact]
    public async Task UnknownCallIsNotFound()
    {
        using var response = await Host.Client().GetAsync($"/api/v1/calls/none-{Guid.NewGuid():N}");
        Assert.Equal(404, (int)response.StatusCode);
    }

    [Fact]
    public async Task GatewayCannotReadAnotherGatewaysCallButASupervisorCan()
    {
        var call = $"query-{Guid.NewGuid():N}";
        await new GatewayBatch().Offered(call).PostAsync(Host.Client());

        using var foreign = await Host.Client(TestTokens.HuaianToken).GetAsync($"/api/v1/calls/{call}");
        using var supervisor = await Host.Client(TestTokens.SupervisorToken).GetAsync($"/api/v1/calls/{call}");

        Assert.Equal((403, 200), ((int)foreign.StatusCode, (int)supervisor.StatusCode));
    }

    [Fact]
    public async Task ActiveCallsAreFilteredByQueueAndPaged()
    {
        var center = new CenterClient(Host);
        await center.QueueAsync("q");
        var queue = center.Id("q");
        var calls = Enumerable.Range(0, 5).Select(i => $"page-{queue}-{i}").ToList();
        var batch = new GatewayBatch();
        foreach (var call in calls)
        {
            batch.Offered(call).Event(call, 2, "queued", new { queue });
        }

        var ended = $"page-{queue}-ended";
        batch.Offered(ended).Event(ended, 2, "queued", new { queue }).Event(ended, 3, "ended", new { cause = "normal", hungUpBy = "caller" });
        await batch.PostAsync(Host.Client());

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Host.Client(TestTokens.SupervisorToken).GetFromJsonAsync<JsonObject>($"/api/v1/calls?queue={queue}&limit=2{(cursor is null ? "" : $"&after={cursor}")}");
            seen.AddRange(page!["calls"]!.AsArray().Select(c => c!["callId"]!.GetValue<string>()));
            cursor = page["next"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(calls, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task GatewaySeesOnlyItsOwnActiveCalls()
    {
        var region = $"r{Guid.NewGuid():N}"[..12];
        await new GatewayBatch().Offered($"mine-{region}", region: region).PostAsync(Host.Client());
        await new GatewayBatch().Offered($"theirs-{region}", region: region).PostAsync(Host.Client(TestTokens.HuaianToken));

        var page = await Host.Client().GetFromJsonAsync<JsonObject>($"/api/v1/calls?region={region}");
        using var forbidden = await Host.Client().GetAsync($"/api/v1/calls?gateway={TestTokens.HuaianGateway}");

        Assert.Equal([$"mine-{region}"], page!["calls"]!.AsArray().Select(c => c!["callId"]!.GetValue<string>()));
        Assert.Equal(403, (int)forbidden.StatusCode);
    }

    [Fact]
    public async Task PageSizeIsBounded()
    {
        using var response = await Host.Client().GetAsync("/api/v1/calls?limit=100000");
        Assert.Equal(400, (int)response.StatusCode);
    }

    [Fact]
    public async Task HealthEndpointsAnswer()
    {
        using var live = await Host.Client(token: null).GetAsync("/health/live");
        using var ready = await Host.Client(token: null).GetAsync("/health/ready");
        Assert.Equal((200, 200), ((int)live.StatusCode, (int)ready.StatusCode));
    }

    [Fact]
    public async Task DashboardRequiresAnOperator()
    {
        using var anonymous = await Host.Client(token: null).GetAsync("/dashboard/");
        using var gateway = await Host.Client().GetAsync("/dashboard/");
        using var supervisor = await Host.Client(TestTokens.SupervisorToken).GetAsync("/dashboard/");

        Assert.Equal((403, 200), ((int)gateway.StatusCode, (int)supervisor.StatusCode));
        // A browser without a session is sent to the operators' sign-in page, and back to the dashboard after it.
        Assert.Equal("/wallboard/login", anonymous.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("dashboard", Uri.UnescapeDataString(anonymous.RequestMessage.RequestUri.Query));
        Assert.Contains("<html", await supervisor.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
