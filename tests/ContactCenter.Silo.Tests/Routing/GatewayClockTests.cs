using System.Net.Http.Json;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Routing;

/// <summary>Queues decide by the silo's clock: a gateway whose clock lags or runs ahead neither times its callers out nor jumps them ahead.</summary>
[Collection(EmbeddedHostCollection.Name)]
[Slow("waits out real timeouts and polls")]
public sealed class GatewayClockTests(EmbeddedHostFixture fixture)
{
    /// <summary>Well within the skew the ingest accepts, far beyond the queue's maximum wait.</summary>
    private static readonly TimeSpan Lag = TimeSpan.FromMinutes(2);

    private readonly CenterClient _center = new(fixture.Host);

    [Fact]
    public async Task ACallFromAGatewayWhoseClockLagsIsNotTimedOutAtOnce()
    {
        await QueueWithMaxWaitAsync("billing", maxWaitSeconds: 60);
        await _center.AgentAsync("a1", ready: false, "billing");

        await QueueCallAtAsync("c1", "billing", DateTimeOffset.UtcNow - Lag);

        Assert.Null(await _center.CommandForAsync("c1", "play_announcement", waitSeconds: 3));
        Assert.Single((await _center.QueueStatusAsync("billing"))["waiting"]!.AsArray());
    }

    [Fact]
    public async Task ACallStampedEarlierByItsGatewayDoesNotJumpAheadOfOneThatWaitedLonger()
    {
        await QueueWithMaxWaitAsync("billing", maxWaitSeconds: 600);
        await _center.AgentAsync("a1", ready: false, "billing");
        await QueueCallAtAsync("first", "billing", DateTimeOffset.UtcNow);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await QueueCallAtAsync("backdated", "billing", DateTimeOffset.UtcNow - Lag);

        await _center.ReadyAsync("a1");

        Assert.NotNull(await _center.CommandForAsync("first", "connect"));
    }

    private async Task QueueWithMaxWaitAsync(string name, int maxWaitSeconds)
    {
        using var response = await _center.Admin.PutAsJsonAsync($"/api/v1/admin/queues/{_center.Id(name)}", new
        {
            name,
            region = "nanjing",
            maxWaitSeconds,
            tiers = new[] { new { tier = 1, afterSeconds = 0 } },
        });
        Assert.Equal(200, (int)response.StatusCode);
    }

    private async Task QueueCallAtAsync(string callName, string queueName, DateTimeOffset gatewayNow)
    {
        var at = gatewayNow.ToString("O");
        var reply = await new GatewayBatch()
            .Event(_center.Id(callName), 1, "offered", new { caller = "+8613812345678", dialled = "10086", region = "nanjing", occurredAt = at })
            .Event(_center.Id(callName), 2, "queued", new { queue = _center.Id(queueName), occurredAt = at })
            .PostAsync(_center.Gateway);
        Assert.Equal(2, reply.Count("acknowledged"));
    }
}
