using System.Collections.Concurrent;
using ContactCenter.GatewayClient.Tests.Infrastructure;

namespace ContactCenter.GatewayClient.Tests.Regions;

/// <summary>When the home region is down, events go to the next region; when it is back, the client returns.</summary>
[Collection(TwoRegionsCollection.Name)]
[Slow("waits out real timeouts and polls")]
public sealed class FailoverTests(TwoRegionsFixture regions)
{
    [Fact]
    public async Task WithTheHomeRegionDownEventsAreAcknowledgedByTheNextRegion()
    {
        var home = new Region("nanjing", TwoRegionsFixture.ClosedAddress());
        await using var client = new ContactCenterClient(TwoRegionsFixture.Options(home, regions.HuaianRegion));
        var changes = new ConcurrentQueue<RegionChange>();
        client.RegionChanged += changes.Enqueue;
        var calls = new[] { TestCalls.NewId("away"), TestCalls.NewId("away") };

        var receipts = await client.SendBatchAsync(TestCalls.Short(calls));

        Assert.All(receipts, r => Assert.Equal((EventOutcome.Accepted, "huaian"), (r.Outcome, r.Region!.Name)));
        var change = Assert.Single(changes);
        Assert.Equal((RegionChangeKind.Failover, "nanjing", "huaian"), (change.Kind, change.From.Name, change.To.Name));
        var counters = client.Counters;
        Assert.Equal((1L, "huaian", change.At), (counters.Failovers, counters.CurrentRegion.Name, counters.LastFailoverAt));
        Assert.Equal(3, (await TwoRegionsFixture.CallAsync(regions.Huaian.Address, calls[1]))!["lastSequence"]!.GetValue<int>());
    }

    [Fact]
    public async Task ARegionThatStopsAnsweringIsLeftAfterTwoTimeoutsInARow()
    {
        using var silent = new SilentRegion();
        await using var client = new ContactCenterClient(
            TwoRegionsFixture.Options(new Region("nanjing", silent.Address), regions.HuaianRegion) with { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        var changes = new ConcurrentQueue<RegionChange>();
        client.RegionChanged += changes.Enqueue;

        var receipts = await client.SendBatchAsync(TestCalls.Short(TestCalls.NewId("slow")));

        Assert.All(receipts, r => Assert.Equal((EventOutcome.Accepted, "huaian"), (r.Outcome, r.Region!.Name)));
        // The first event is in every request (a batch takes a prefix of the call); the later ones may have been
        // appended just after the first request left, so they can have one transmission less.
        Assert.Equal(3, receipts[0].Transmissions);
        Assert.Contains("2 failed request(s) in a row, the last: no answer within 0.3 s", Assert.Single(changes).Reason);
        Assert.Equal((2L, 1L), (client.Counters.FailedRequests, client.Counters.Failovers));
    }

    [Fact]
    public async Task TheCommandLoopFailsOverOnItsOwn()
    {
        var center = new CenterClient(regions.Nanjing);
        await center.QueueAsync("night");
        await using var client = new ContactCenterClient(TwoRegionsFixture.Options(new Region("down", TwoRegionsFixture.ClosedAddress()), regions.NanjingRegion));
        await using var commands = new CommandRecorder(client, center.Id("c1"));

        await center.QueueCallAsync("c1", "night");
        var command = await commands.NextAsync();

        Assert.Equal((CommandKinds.PlayAnnouncement, "nanjing"), (command.Kind, command.Region.Name));
        Assert.Equal(1L, client.Counters.Failovers);
    }

    [Fact]
    public async Task AClientFailsOverWhenItsHomeSiloStopsAndFailsBackWhenItIsReadyAgain()
    {
        var homeAddress = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        var homeDatabase = Path.Combine(regions.Folder, $"home-{Guid.NewGuid():N}.db");
        var home = await TwoRegionsFixture.StartAtAsync(homeAddress, homeDatabase);
        await using var client = new ContactCenterClient(TwoRegionsFixture.Options(new Region("nanjing", homeAddress), regions.HuaianRegion));
        var changes = new ConcurrentQueue<RegionChange>();
        client.RegionChanged += changes.Enqueue;
        var (before, during, after) = (TestCalls.NewId("before"), TestCalls.NewId("during"), TestCalls.NewId("after"));

        Assert.All(await client.SendBatchAsync(TestCalls.Short(before)), r => Assert.Equal("nanjing", r.Region!.Name));
        await home.DisposeAsync();
        Assert.All(await client.SendBatchAsync(TestCalls.Short(during)), r => Assert.Equal((EventOutcome.Accepted, "huaian"), (r.Outcome, r.Region!.Name)));

        await using var restarted = await TwoRegionsFixture.StartAtAsync(homeAddress, homeDatabase);
        var failedBack = await WaitForAsync(() => client.CurrentRegion.Name == "nanjing", TimeSpan.FromSeconds(10));
        var receipts = await client.SendBatchAsync(TestCalls.Short(after));

        Assert.True(failedBack, "the client did not go back to its home region");
        Assert.Equal([RegionChangeKind.Failover, RegionChangeKind.Failback], changes.Select(c => c.Kind));
        Assert.Equal(("huaian", "nanjing"), (changes.Last().From.Name, changes.Last().To.Name));
        Assert.All(receipts, r => Assert.Equal((EventOutcome.Accepted, "nanjing"), (r.Outcome, r.Region!.Name)));
        Assert.NotNull(await TwoRegionsFixture.CallAsync(homeAddress, before));
        Assert.NotNull(await TwoRegionsFixture.CallAsync(homeAddress, after));
        Assert.Null(await TwoRegionsFixture.CallAsync(homeAddress, during));
        Assert.Equal((1L, 1L), (client.Counters.Failovers, client.Counters.Failbacks));
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return condition();
    }
}
