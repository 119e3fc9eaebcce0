using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Routing;

/// <summary>A call its queue did not keep says so, in its own state and in the list of active calls: it waits nowhere.</summary>
[Collection(EmbeddedHostCollection.Name)]
[Slow("waits out real timeouts and polls")]
public sealed class RefusedCallTests(EmbeddedHostFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

    [Fact]
    public async Task ACallRefusedForWantOfAgentsIsListedAsRefusedWithItsReason()
    {
        await _center.QueueAsync("night");
        await _center.QueueCallAsync("c1", "night");

        var listed = await EventuallyListedAsync("night", "c1", "refused");

        Assert.Equal("refused", listed["phase"]!.GetValue<string>());
        var call = (await _center.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{_center.Id("c1")}"))!;
        Assert.Equal(("no_agents", _center.Id("night")), (call["refusal"]!["reason"]!.GetValue<string>(), call["refusal"]!["queue"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ACallLetGoAtTheMaximumWaitIsListedAsRefusedAndANewQueueingIsANewTry()
    {
        using var configured = await _center.Admin.PutAsJsonAsync($"/api/v1/admin/queues/{_center.Id("short")}", new
        {
            name = "short",
            region = "nanjing",
            maxWaitSeconds = 1,
            tiers = new[] { new { tier = 1, afterSeconds = 0 } },
        });
        Assert.Equal(200, (int)configured.StatusCode);
        await _center.AgentAsync("a1", ready: false, "short");
        await _center.QueueCallAsync("c1", "short");

        await EventuallyListedAsync("short", "c1", "refused");
        var call = (await _center.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{_center.Id("c1")}"))!;
        Assert.Equal("max_wait", call["refusal"]!["reason"]!.GetValue<string>());

        var again = await new GatewayBatch().Event(_center.Id("c1"), 3, "queued", new { queue = _center.Id("short") }).PostAsync(_center.Gateway);
        Assert.Equal(1, again.Count("acknowledged"));
        var requeued = (await _center.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{_center.Id("c1")}"))!;
        Assert.Null(requeued["refusal"]);
    }

    private async Task<JsonObject> EventuallyListedAsync(string queueName, string callName, string phase)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var page = (await _center.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/calls?queue={_center.Id(queueName)}"))!;
            var listed = page["calls"]!.AsArray().OfType<JsonObject>().SingleOrDefault(c => c["callId"]!.GetValue<string>() == _center.Id(callName));
            if (listed?["phase"]?.GetValue<string>() == phase || DateTime.UtcNow > deadline)
            {
                Assert.NotNull(listed);
                return listed;
            }

            await Task.Delay(200);
        }
    }
}
