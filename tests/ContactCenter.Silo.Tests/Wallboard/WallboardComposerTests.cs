using System.Collections.Immutable;
using ContactCenter.Agents;
using ContactCenter.Kpis;
using ContactCenter.Wallboard;

namespace ContactCenter.Tests.Wallboard;

/// <summary>How a frame is put together from what queues and agents report: sums of counters, agents once, alerts per queue.</summary>
public sealed class WallboardComposerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void AnAgentServingTwoQueuesCountsOnceWithItsNewestState()
    {
        // q1 heard a1 go on a call (version 7); q2's picture is one notification behind (version 6, available).
        var q1 = Queue("q1", "nanjing", [new AgentPresenceView("a1", AgentPresence.OnCall, Now.AddSeconds(-30), 7)]);
        var q2 = Queue("q2", "huaian", [new AgentPresenceView("a1", AgentPresence.Available, Now.AddMinutes(-2), 6)]);

        var frame = Compose([q1, q2]);

        var agent = Assert.Single(frame.Agents);
        Assert.Equal((AgentPresence.OnCall, 30.0), (agent.Presence, agent.SecondsInState));
        Assert.Equal(1, frame.Center.Agents.OnCall);
        Assert.Equal(0, frame.Center.Agents.Available);
        Assert.Equal(1, frame.Queues.Single(q => q.QueueId == "q2").Tile.Agents.OnCall);
    }

    [Fact]
    public void TheCenterIsASumOfCountersNotAnAverageOfServiceLevels()
    {
        // q1: 9 of 10 answered within threshold (90%); q2: 0 of 1 answered, 1 abandoned (0%).
        // An average of the two would say 45%; the center answered 9 within threshold of 12 answered or abandoned.
        var q1 = Queue("q1", "nanjing", [], new KpiCounters { Offered = 10, Answered = 10, AnsweredWithinThreshold = 9 });
        var q2 = Queue("q2", "nanjing", [], new KpiCounters { Offered = 2, Answered = 1, Abandoned = 1 });

        var frame = Compose([q1, q2]);

        Assert.Equal(9.0 / 12, frame.Center.Last15Minutes.ServiceLevel!.Value, 6);
        Assert.Equal(12, Assert.Single(frame.Regions).Last15Minutes.Offered);
    }

    [Fact]
    public void AQueueUnderItsTargetOrWithACallerWaitingTooLongRaisesItsAlerts()
    {
        var late = Queue("late", "nanjing", [], new KpiCounters { Offered = 4, Answered = 4, AnsweredWithinThreshold = 3 }, longestWait: TimeSpan.FromSeconds(61));
        var fine = Queue("fine", "nanjing", [], new KpiCounters { Offered = 5, Answered = 5, AnsweredWithinThreshold = 5 }, longestWait: TimeSpan.FromSeconds(59));

        var alerts = Compose([late, fine]).Alerts;

        Assert.Equal(["late/serviceLevel", "late/longestWait"], alerts.Select(a => $"{a.QueueId}/{a.Kind}"));
        Assert.Contains("75%", alerts[0].Message);
    }

    private static WallboardFrame Compose(IReadOnlyList<QueueKpis> queues) =>
        WallboardComposer.Compose(Now, DateOnly.FromDateTime(Now.DateTime), queues, ImmutableDictionary<string, AgentKpis>.Empty, _ => "nanjing");

    private static QueueKpis Queue(
        string id, string region, ImmutableArray<AgentPresenceView> agents, KpiCounters? last15 = null, TimeSpan? longestWait = null) => new(
        id, id, region, region, TimeSpan.FromSeconds(20), 0.8, TimeSpan.FromSeconds(60), 0, longestWait ?? TimeSpan.Zero, agents,
        new KpiSnapshot(last15 ?? KpiCounters.Zero, last15 ?? KpiCounters.Zero), Now);
}
