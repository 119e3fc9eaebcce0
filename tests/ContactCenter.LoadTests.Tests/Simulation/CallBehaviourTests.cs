using ContactCenter.LoadTests.Simulation;

namespace ContactCenter.LoadTests.Tests.Simulation;

public sealed class CallBehaviourTests
{
    private static readonly QueueDemand[] Queues = [new("billing", "nanjing", 0.75), new("vip", "huaian", 0.25)];

    [Fact]
    public void AboutOneCallInTwentyThreeAsksForAnAgentAndTheRestEndInTheMenus()
    {
        var behaviour = new CallBehaviour();
        var random = new Random(11);
        var plans = Enumerable.Range(0, 100_000).Select(_ => behaviour.Draw(random, new SubscriberPopulation(), Queues)).ToList();

        var toAgent = plans.Where(p => !p.IvrOnly).ToList();
        Assert.InRange(toAgent.Count / (double)plans.Count, 0.040, 0.048);
        Assert.All(toAgent, p => Assert.NotEmpty(p.Legs));
        Assert.All(plans.Where(p => p.IvrOnly), p => Assert.Empty(p.Legs));
        // Calls for an agent go to the queues by their share, and to the queue's own region.
        Assert.InRange(toAgent.Count(p => p.Queue == "billing") / (double)toAgent.Count, 0.72, 0.78);
        Assert.All(toAgent, p => Assert.Equal(p.Queue == "billing" ? "nanjing" : "huaian", p.Region));
        // Menus are visited in time order, before the caller leaves the menus.
        Assert.All(plans, p => Assert.True(p.Menus.Zip(p.Menus.Skip(1)).All(m => m.First.At < m.Second.At) && p.Menus[^1].At < p.LeavesIvrAt));
    }

    [Fact]
    public void TheMixMakesAboutSevenPointSevenEventsACallSoTenTimesTheBusyHourIsAbout35000EventsASecond()
    {
        var eventsPerCall = new CallBehaviour().MeanEventsPerCall();

        Assert.InRange(eventsPerCall, 7.5, 7.9);
        Assert.InRange(10 * new TrafficProfile().CallsPerSecondAt(new TrafficProfile().MonthEndBusyHour(2026, 11)) * eventsPerCall, 34_000, 37_000);
    }
}
