using ContactCenter.GatewayClient.Tests.Infrastructure;

namespace ContactCenter.GatewayClient.Tests.Commands;

/// <summary>The cluster's decisions reach the gateway's handler through the client, and are acknowledged.</summary>
[Collection(TwoRegionsCollection.Name)]
[Slow("waits out real timeouts and polls")]
public sealed class CommandLoopTests(TwoRegionsFixture regions)
{
    [Fact]
    public async Task AConnectCommandForAQueuedCallReachesTheHandlerAndIsAcknowledged()
    {
        var center = new CenterClient(regions.Nanjing);
        await center.QueueAsync("gotone");
        await center.AgentAsync("a1", ready: true, "gotone");
        await using var client = new ContactCenterClient(TwoRegionsFixture.Options(regions.NanjingRegion, regions.HuaianRegion));
        var call = center.Id("c1");
        var at = DateTimeOffset.UtcNow;
        GatewayCommand connect;
        await using (var commands = new CommandRecorder(client, call))
        {
            await client.SendBatchAsync(
            [
                GatewayEvent.Offered($"{call}-1", call, at, "+8613812345678", "10086", "nanjing"),
                GatewayEvent.Queued($"{call}-2", call, 2, at, center.Id("gotone")),
            ]);
            connect = await commands.NextAsync();
            // Redelivery comes after 1 s in tests: past it, an acknowledged command is not delivered again.
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            Assert.False(commands.TryNext(out _));
        }

        Assert.Equal((CommandKinds.Connect, center.Id("a1"), center.Endpoint("a1"), center.Id("gotone"), 1, "nanjing"),
            (connect.Kind, connect.Field("agentId"), connect.Field("endpoint"), connect.Field("queue"), connect.Deliveries, connect.Region.Name));
        Assert.DoesNotContain(await center.PollAsync(), c => center.IsFor(c, "c1", CommandKinds.Connect));
        Assert.Equal((0L, 0L), (client.Counters.CommandsFailed, client.Counters.FailedRequests));
    }

    [Fact]
    public async Task ACommandWhoseHandlerFailedIsDeliveredAgain()
    {
        var center = new CenterClient(regions.Nanjing);
        await center.QueueAsync("night");
        await using var client = new ContactCenterClient(TwoRegionsFixture.Options(regions.NanjingRegion));
        await using var commands = new CommandRecorder(client, center.Id("c1"), command =>
        {
            if (command.Deliveries == 1)
            {
                throw new InvalidOperationException("the media server did not answer");
            }
        });

        // Nobody serves the queue: the gateway is told at once to play the no_agents announcement.
        await center.QueueCallAsync("c1", "night");
        var announcement = await commands.NextAsync();

        Assert.Equal((CommandKinds.PlayAnnouncement, "no_agents", 2), (announcement.Kind, announcement.Field("announcement"), announcement.Deliveries));
        Assert.Equal(1L, client.Counters.CommandsFailed);
    }
}
