using ContactCenter.Agents;
using ContactCenter.Kpis;

namespace ContactCenter.Tests.Agents;

/// <summary>An agent's figures are its KPI counters of today: counted once, by the KPI rules, started again at midnight.</summary>
public sealed class AgentFiguresTests
{
    // 10:00 in the center's default time zone (Asia/Shanghai).
    private static readonly DateTimeOffset Morning = new(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AShiftsFiguresAreItsKpiCountersWithTheCurrentStateCountedUpToNow()
    {
        var agent = new AgentState { Profile = new AgentProfile("Ann", "nanjing", [new AgentSkill("billing", 1)]) };
        agent.Login("sip:ann@desk", Morning);
        agent.Ready(Morning.AddSeconds(60));
        var offer = new AgentOffer("c1", "billing", "gw", "+8613800000001", Morning.AddSeconds(120), Morning.AddSeconds(140), TimeSpan.FromSeconds(10));
        Assert.True(agent.TryReserve(offer, Morning.AddSeconds(120)));
        Assert.True(agent.Answer("c1", Morning.AddSeconds(130)));
        Assert.True(agent.ChangeHold("c1", onHold: true, Morning.AddSeconds(150)));
        Assert.True(agent.ChangeHold("c1", onHold: false, Morning.AddSeconds(165)));
        Assert.True(agent.EndCall("c1", Morning.AddSeconds(190)));
        Assert.True(agent.Evaluate(Morning.AddSeconds(200)));

        var now = Morning.AddSeconds(260);
        var figures = agent.ToStatus("ann", now).Figures;

        Assert.Equal(AgentFigures.Of(agent.KpisAt(now).Today), figures);
        Assert.Equal((1, 1, 1, 0), (figures.Logins, figures.Offered, figures.Handled, figures.Missed));
        Assert.Equal((TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10)), (figures.Talk, figures.Hold, figures.WrapUp));
        // Idle: ready 60 s before the offer, 10 s ringing, and the 60 s available now. Busy: the call and its wrap-up.
        Assert.Equal((TimeSpan.FromSeconds(130), TimeSpan.FromSeconds(70), TimeSpan.FromSeconds(60)), (figures.Idle, figures.Busy, figures.NotReady));
        Assert.Equal(70.0 / 200, figures.Occupancy!.Value, 6);
    }

    [Fact]
    public void TheFiguresStartAgainAtTheCentersMidnight()
    {
        var agent = new AgentState { Profile = new AgentProfile("Ann", "nanjing", [new AgentSkill("billing", 1)]) };
        agent.Login("sip:ann@desk", Morning);
        var offer = new AgentOffer("c1", "billing", "gw", "+8613800000001", Morning.AddSeconds(1), Morning.AddSeconds(20), TimeSpan.Zero);
        agent.Ready(Morning);
        Assert.True(agent.TryReserve(offer, Morning.AddSeconds(1)));
        Assert.True(agent.ReleaseOffer("c1", agentMissedIt: true, Morning.AddSeconds(20)));

        var nextMorning = Morning.AddDays(1);
        var figures = agent.ToStatus("ann", nextMorning).Figures;

        Assert.Equal((0, 0, 0), (figures.Logins, figures.Offered, figures.Missed));
        // Not ready since yesterday: only the part since midnight (10 hours) is today's.
        Assert.Equal(TimeSpan.FromHours(10), figures.NotReady);
        Assert.Equal(1, agent.ToStatus("ann", Morning.AddSeconds(30)).Figures.Missed);
    }
}
