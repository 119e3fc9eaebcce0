using ContactCenter.Kpis;
using ContactCenter.Queues;
using ContactCenter.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Tests.Routing;

/// <summary>A queue's figures are its KPI counters of today: one set of counters, started again at the center's midnight.</summary>
[Collection(ClusterCollection.Name)]
public sealed class QueueFiguresTests(ClusterFixture fixture)
{
    private readonly RoutingScenario _world = new(fixture);

    [Fact]
    public async Task TheFiguresAreTodaysKpiCountersAndStartAgainAtTheCentersMidnight()
    {
        var queue = await _world.QueueAsync("daily", c => c with { MaxLength = 1 });
        await _world.AgentAsync("a1", ready: false, ("daily", 1));
        await queue.EnqueueAsync(_world.Call("waits"));
        await queue.EnqueueAsync(_world.Call("turned-away"));
        _world.Advance(TimeSpan.FromSeconds(30));
        await queue.RemoveAsync(_world.Id("waits"), QueueExit.Abandoned, _world.Now);

        var figures = (await queue.GetStatusAsync()).Figures;
        var today = (await queue.GetKpisAsync()).Counters.Today;
        Assert.Equal((1, 1, 1), (figures.Offered, figures.Abandoned, figures.Refused));
        Assert.Equal((today.Offered, today.Abandoned, today.Refused), (figures.Offered, figures.Abandoned, figures.Refused));

        var calendar = fixture.Cluster.GetSiloServiceProvider(fixture.Cluster.Silos[0].SiloAddress).GetRequiredService<CenterCalendar>();
        _world.Advance(calendar.StartOfDay(_world.Now).AddDays(1) - _world.Now + TimeSpan.FromMinutes(1));

        Assert.Equal(new QueueFigures(), (await queue.GetStatusAsync()).Figures);
    }
}
