using ContactCenter.LoadTests.Simulation;

namespace ContactCenter.LoadTests.Tests.Simulation;

public sealed class CallBehaviourTests
{
    private static readonly QueueDemand[] Queues = [new("billing", "nanjing", 0.75), new("vip", "huaian", 0.25)];

    [Fact]
    public void About_one_call_in_twenty_three_asks_for_an_agent_and_the_rest_end_in_the_menus()
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
    public void The_mix_makes_about_seven_point_seven_events_a_call_so_ten_times_the_busy_hour_is_about_35000_events_a_second()
    {
        var eventsPerCall = new CallBehaviour().MeanEventsPerCall();

        Assert.InRange(eventsPerCall, 7.5, 7.9);
        Assert.InRange(10 * new TrafficProfile().CallsPerSecondAt(new TrafficProfile().MonthEndBusyHour(2026, 11)) * eventsPerCall, 34_000, 37_000);
    }
}
