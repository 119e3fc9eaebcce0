using System.Net;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Observability;

/// <summary>
/// Prometheus scrapes /metrics as an operator; these tests scrape it while calls come and go and check that the
/// contact center's own figures move with them.
/// </summary>
[Collection(EmbeddedHostCollection.Name)]
[Slow("waits for new queues to join the wallboard's figures (its directory period, 10 s)")]
public sealed class MetricsTests(EmbeddedHostFixture fixture)
{
    [Fact]
    public async Task OnlyOperatorsMayScrape()
    {
        using var anonymous = fixture.Host.Client(token: null);
        using var gateway = fixture.Host.Client(TestTokens.NanjingToken);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task TheFiguresMoveWithTheCalls()
    {
        var center = new CenterClient(fixture.Host);
        await center.QueueAsync("billing");
        await center.AgentAsync("a1", ready: false, "billing");
        var queue = center.Id("billing");
        var before = await ScrapeAsync();

        await center.QueueCallAsync("c1", "billing");
        await center.QueueCallAsync("c2", "billing");
        var bad = await new GatewayBatch().Event(center.Id("c3"), 1, "no_such_type").PostAsync(center.Gateway);
        Assert.Equal("rejected", bad.Outcome(0));
        // The figures are the wallboard's: at most a second old, and a new queue joins them within the board's
        // directory period (10 s).
        var during = await ScrapeUntilAsync(scrape => scrape.Value("contact_center_queue_waiting", ("queue", queue)) == 2);

        // Two calls wait in the queue; its one agent is logged in and not ready.
        Assert.Equal(1, during.Value("contact_center_queue_agents", ("queue", queue), ("state", "not_ready")));
        Assert.Equal(0, during.Value("contact_center_queue_agents", ("queue", queue), ("state", "available")));
        Assert.True(during.Value("contact_center_queue_longest_wait_seconds", ("queue", queue)) >= 0);
        Assert.Equal(2, during.Value("contact_center_queue_offered_today", ("queue", queue)));
        // Four events accepted and one rejected, at least (other tests of the collection post too, never fewer).
        Assert.True(during.Value("contact_center_events_total", ("outcome", "accepted")) - before.Value("contact_center_events_total", ("outcome", "accepted")) >= 4);
        Assert.True(during.Value("contact_center_events_total", ("outcome", "rejected")) - before.Value("contact_center_events_total", ("outcome", "rejected")) >= 1);
        Assert.True(during.Value("contact_center_calls_live", ("phase", "queued")) >= 2);
        // The libraries' figures, and the dashboard's, are checked on silo processes of their own
        // (ContactCenter.Failover.Tests, MetricsScrapeTests): with several hosts in one test process, as here,
        // ASP.NET Core's and Orleans' figures of one host were seen to go missing from another's scrape.
        Assert.True(during.Has("group_commit_requests_total"));

        // The callers hang up within seconds: the queue is empty again, and they count as short abandons.
        foreach (var call in new[] { "c1", "c2" })
        {
            var ended = await new GatewayBatch().Event(center.Id(call), 3, "ended", new { cause = "normal", hungUpBy = "caller" }).PostAsync(center.Gateway);
            Assert.Equal("accepted", ended.Outcome(0));
        }

        var after = await ScrapeUntilAsync(scrape => scrape.Value("contact_center_queue_waiting", ("queue", queue)) == 0);
        Assert.Equal(2, after.Value("contact_center_queue_short_abandoned_today", ("queue", queue)));
        Assert.Equal(0, after.Value("contact_center_queue_abandoned_today", ("queue", queue)));
    }

    private Task<PrometheusScrape> ScrapeUntilAsync(Func<PrometheusScrape, bool> condition) => Eventually.ReadAsync(ScrapeAsync, condition);

    private async Task<PrometheusScrape> ScrapeAsync()
    {
        using var supervisor = fixture.Host.Client(TestTokens.SupervisorToken);
        return await PrometheusScrape.ReadAsync(supervisor);
    }
}
