using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using ContactCenter.GatewayClient.Tests.Infrastructure;

namespace ContactCenter.GatewayClient.Tests.Regions;

/// <summary>
/// A region that answers 429 Too Many Requests is up and asks for patience: the client waits the
/// <c>Retry-After</c> and asks the same region again, delivering everything there, and never fails over for it.
/// Every client here fails over after a single failure, so one 429 taken for a failure would show.
/// </summary>
[Collection(TwoRegionsCollection.Name)]
[Slow("waits out real timeouts and polls")]
public sealed class ThrottlingTests(TwoRegionsFixture regions)
{
    [Fact]
    public async Task AClientRefusedByTheSilosLimiterWaitsAndDeliversEveryEventAtHome()
    {
        await using var home = await LimitedHomeAsync("GatewayConcurrentEventRequests");
        // Another client of the same gateway has the one batch in progress the silo allows it.
        await using var busy = await HeldRequest.StartAsync(home.Address, TestTokens.NanjingToken, "/api/v1/gateway/events", new GatewayBatch().Offered(TestCalls.NewId("busy")).Json());
        await using var client = new ContactCenterClient(OptionsWithHomeAt(home));
        var changes = new ConcurrentQueue<RegionChange>();
        client.RegionChanged += changes.Enqueue;
        var calls = new[] { TestCalls.NewId("patient"), TestCalls.NewId("patient") };

        var sending = client.SendBatchAsync(TestCalls.Short(calls));
        Assert.True(await WaitForAsync(() => client.Counters.ThrottledRequests > 0), "the silo never refused the client");
        Assert.False(sending.IsCompleted);
        Assert.Equal(HttpStatusCode.OK, await busy.FinishAsync());
        var receipts = await sending;

        Assert.All(receipts, r => Assert.Equal((EventOutcome.Accepted, "nanjing"), (r.Outcome, r.Region!.Name)));
        Assert.Empty(changes);
        Assert.Equal((0L, 0L), (client.Counters.Failovers, client.Counters.FailedRequests));
        foreach (var call in calls)
        {
            Assert.Equal(3, (await TwoRegionsFixture.CallAsync(home.Address, call))!["lastSequence"]!.GetValue<int>());
            Assert.Null(await TwoRegionsFixture.CallAsync(regions.Huaian.Address, call));
        }
    }

    [Fact]
    public async Task ACommandPollRefusedByTheSilosLimiterWaitsAndGetsItsCommandFromHome()
    {
        await using var home = await LimitedHomeAsync("GatewayConcurrentCommandRequests");
        var center = new CenterClient(home);
        await center.QueueAsync("night");
        // The one command request the silo allows the gateway is in progress: an acknowledgement still being sent
        // (of an id no command has, so it cannot take the test's command away).
        await using var busy = await HeldRequest.StartAsync(home.Address, TestTokens.NanjingToken, "/api/v1/gateway/commands/ack", """{"ids":[9223372036854775807]}""");
        await using var client = new ContactCenterClient(OptionsWithHomeAt(home));
        await using var commands = new CommandRecorder(client, center.Id("c1"));

        Assert.True(await WaitForAsync(() => client.Counters.ThrottledRequests > 0), "the silo never refused the poll");
        await center.QueueCallAsync("c1", "night");
        Assert.Equal(HttpStatusCode.OK, await busy.FinishAsync());
        var command = await commands.NextAsync();

        Assert.Equal((CommandKinds.PlayAnnouncement, "nanjing"), (command.Kind, command.Region.Name));
        Assert.Equal((0L, 0L), (client.Counters.Failovers, client.Counters.FailedRequests));
    }

    [Theory]
    [InlineData("date")]
    [InlineData("none")]
    public async Task ARetryAfterAsADateOrNoneAtAllIsWaitedOutAtTheSameRegion(string form)
    {
        using var proxy = new ThrottledIngest(times: 3, () => form == "date" ? new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(1)) : null);
        await using var client = new ContactCenterClient(
            TwoRegionsFixture.Options(regions.NanjingRegion, regions.HuaianRegion) with { FailoverAfterFailures = 1 }, proxy);
        var call = TestCalls.NewId("paced");

        var receipts = await client.SendBatchAsync(TestCalls.Short(call));

        Assert.All(receipts, r => Assert.Equal((EventOutcome.Accepted, "nanjing"), (r.Outcome, r.Region!.Name)));
        // The first event went in every request: three refused, one answered.
        Assert.Equal(4, receipts[0].Transmissions);
        var counters = client.Counters;
        Assert.Equal((3L, 0L, 0L), (counters.ThrottledRequests, counters.FailedRequests, counters.Failovers));
        Assert.True(counters.Resends >= 3, $"{counters.Resends} resends");
    }

    /// <summary>A region stuck answering 429 (a proxy gone wrong) is left once one request has waited longer than MaxThrottledWait.</summary>
    [Fact]
    public async Task ARegionThatNeverStopsThrottlingIsLeftAfterMaxThrottledWait()
    {
        using var proxy = new ThrottledIngest(times: int.MaxValue, () => new RetryConditionHeaderValue(TimeSpan.FromMilliseconds(100)), onlyTo: regions.Nanjing.Address);
        await using var client = new ContactCenterClient(
            TwoRegionsFixture.Options(regions.NanjingRegion, regions.HuaianRegion) with { FailoverAfterFailures = 1, MaxThrottledWait = TimeSpan.FromSeconds(1) }, proxy);
        var call = TestCalls.NewId("stuck");
        // Without the bound the client would wait at nanjing for good: the test fails instead of hanging.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var receipts = await client.SendBatchAsync(TestCalls.Short(call), giveUp.Token);

        Assert.All(receipts, r => Assert.Equal((EventOutcome.Accepted, "huaian"), (r.Outcome, r.Region!.Name)));
        Assert.True(proxy.Throttled > 1, $"{proxy.Throttled} throttled");
        Assert.True(client.Counters.Failovers >= 1);
    }

    /// <summary>A home silo of its own whose per-gateway limit <paramref name="limit"/> is 1, refused with Retry-After: 1.</summary>
    private Task<SiloHost> LimitedHomeAsync(string limit) => SiloHost.StartAsync(
        new("ContactCenter:Mode", "Embedded"),
        new("ContactCenter:SqlitePath", Path.Combine(regions.Folder, $"limited-{Guid.NewGuid():N}.db")),
        new($"ContactCenter:RateLimits:{limit}", "1"),
        new("ContactCenter:RateLimits:GatewayRetryAfterSeconds", "1"));

    private GatewayClientOptions OptionsWithHomeAt(SiloHost home) =>
        TwoRegionsFixture.Options(new Region("nanjing", home.Address), regions.HuaianRegion) with { FailoverAfterFailures = 1 };

    private static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(20))
        {
            if (condition())
            {
                return true;
            }
        }

        return condition();
    }
}
