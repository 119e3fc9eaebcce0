using System.Collections.Concurrent;
using ContactCenter.GatewayClient.Tests.Infrastructure;

namespace ContactCenter.GatewayClient.Tests.Events;

/// <summary>
/// A request that keeps failing with a 5xx is split until the event that breaks it is found; that event is
/// reported undeliverable and the rest of the stream is delivered. A region that fails every request is left,
/// and no event is blamed for it.
/// </summary>
[Collection(TwoRegionsCollection.Name)]
public sealed class PoisonEventTests(TwoRegionsFixture regions)
{
    [Fact]
    public async Task AnEventThatBreaksTheRegionsIngestIsIsolatedAndReportedAndTheRestIsDelivered()
    {
        using var ingest = new FailingIngest(regions.Nanjing.Address, poison: "menu-that-breaks-the-silo");
        await using var client = new ContactCenterClient(TwoRegionsFixture.Options(regions.NanjingRegion, regions.HuaianRegion), ingest);
        var changes = new ConcurrentQueue<RegionChange>();
        client.RegionChanged += changes.Enqueue;
        var calls = Enumerable.Range(0, 12).Select(_ => TestCalls.NewId("stream")).ToArray();
        var poisoned = TestCalls.NewId("poisoned");
        var at = DateTimeOffset.UtcNow;
        GatewayEvent[] events =
        [
            .. TestCalls.Short(calls[..6]),
            GatewayEvent.Offered($"{poisoned}-1", poisoned, at, "+8613812345678", "10086", "nanjing"),
            GatewayEvent.IvrEntered($"{poisoned}-2", poisoned, 2, at, "menu-that-breaks-the-silo"),
            GatewayEvent.Ended($"{poisoned}-3", poisoned, 3, at, "normal", HangupSide.Caller),
            .. TestCalls.Short(calls[6..]),
        ];

        var receipts = await client.SendBatchAsync(events).WaitAsync(TimeSpan.FromSeconds(30));

        var poison = receipts[19];
        Assert.Equal(EventOutcome.Undeliverable, poison.Outcome);
        Assert.Contains("nanjing failed every request that carried this event alone (HTTP 500", poison.Reason);
        Assert.Equal(EventOutcome.Blocked, receipts[20].Outcome);
        Assert.All(receipts.Where((_, i) => i is not (19 or 20)), r => Assert.Equal((EventOutcome.Accepted, "nanjing"), (r.Outcome, r.Region!.Name)));
        // The poison's offer went through before it: the call stays where the region's ingest could take it.
        Assert.Equal(1, (await TwoRegionsFixture.CallAsync(regions.Nanjing.Address, poisoned))!["lastSequence"]!.GetValue<int>());
        // Splitting is not failing over: the region answered all along.
        Assert.Empty(changes);
        Assert.Equal((0L, 0), (client.Counters.Failovers, client.Counters.Pending));
    }

    [Fact]
    public async Task ARegionWhoseIngestFailsEveryRequestIsLeftAndNoEventIsGivenUp()
    {
        using var ingest = new FailingIngest(regions.Nanjing.Address, poison: null);
        await using var client = new ContactCenterClient(TwoRegionsFixture.Options(regions.NanjingRegion, regions.HuaianRegion), ingest);
        var changes = new ConcurrentQueue<RegionChange>();
        client.RegionChanged += changes.Enqueue;
        var calls = Enumerable.Range(0, 5).Select(_ => TestCalls.NewId("broken")).ToArray();

        var receipts = await client.SendBatchAsync(TestCalls.Short(calls)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(receipts, r => Assert.Equal((EventOutcome.Accepted, "huaian"), (r.Outcome, r.Region!.Name)));
        // (Its readiness still answers 200, so the client may go back to it afterwards: that is the probe's business.)
        var change = changes.First();
        Assert.Equal((RegionChangeKind.Failover, "huaian"), (change.Kind, change.To.Name));
        Assert.Contains("HTTP 500", change.Reason);
        Assert.True(ingest.Failed > 2, $"{ingest.Failed} requests failed");
    }
}
