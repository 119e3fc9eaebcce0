using System.Globalization;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>
/// What one caller will do, and how long the agents who take the call will need, in simulated seconds. Drawn
/// once when the call arrives; the live call then plays it against what the cluster decides (which agent, when).
/// </summary>
public sealed record CallPlan(
    string Caller,
    string Region,
    IReadOnlyList<CallPlan.MenuVisit> Menus,
    double LeavesIvrAt,
    string? Queue,
    double Patience,
    IReadOnlyList<AgentLeg> Legs)
{
    /// <summary>A voice-menu node the caller enters, <see cref="At"/> seconds after the call arrived.</summary>
    public sealed record MenuVisit(double At, string Menu);

    /// <summary>True for the 95.6% of calls the voice menus finish.</summary>
    public bool IvrOnly => Queue is null;
}

/// <summary>
/// One agent's part of a call: how long they talk, whether and when they put the caller on hold, who hangs up,
/// and whether they transfer the call to another queue instead of ending it. Whoever that agent turns out to be:
/// how long each offered agent lets their phone ring, or whether they pick up at all, is drawn when it rings
/// (<see cref="CallBehaviour.DrawPickUp"/>).
/// </summary>
public sealed record AgentLeg(double Talk, double? HoldAfter, double HoldFor, bool AgentHangsUp, string? TransferTo);

/// <summary>
/// The distributions calls are drawn from. Defaults follow the reference center: 4.4% of calls reach an agent;
/// self-service callers visit the main menu and 4.6 more nodes on average (a provincial hotline's menus are deep),
/// about 14 s each (7.6 events a call, 7.7 over the whole mix, so 4,583 calls/s make about 35,000 events/s);
/// talk is log-normal with a 48 s mean and a long tail, 12% of answered calls are put on hold (30 s on average),
/// 3% are transferred to another line; callers waiting for an agent give up after 90 s on average; 2% of the
/// agents whose phone rings are away from their desk and do not pick up, so the queue's offer times out and the
/// call is offered to the next agent (what a carrier's center reports as ring-no-answer). With the
/// center's 1,500 seats and wrap-up these keep the month-end busy hour's human queues near full occupancy, as the
/// reference describes bill days.
/// </summary>
public sealed record CallBehaviour
{
    public double AgentShare { get; init; } = 0.044;
    public double SelfServiceExtraMenusMean { get; init; } = 4.6;
    public double AgentBoundExtraMenusMean { get; init; } = 1.0;
    public double MenuSecondsMean { get; init; } = 14;
    public double TalkSecondsMean { get; init; } = 48;
    public double HoldShare { get; init; } = 0.12;
    public double HoldSecondsMean { get; init; } = 30;
    public double TransferShare { get; init; } = 0.03;
    public double AgentHangsUpShare { get; init; } = 0.4;
    public double RingSecondsMean { get; init; } = 4;
    public double MissedRingShare { get; init; } = 0.02;
    public double PatienceSecondsMean { get; init; } = 90;

    private static readonly string[] SelfServiceMenus =
        ["balance", "bill-query", "bill-detail", "top-up", "data-plan", "roaming", "outage-info", "points", "package-change", "language"];

    public CallPlan Draw(Random random, SubscriberPopulation subscribers, IReadOnlyList<QueueDemand> queues, double nanjingShare = 0.55)
    {
        var caller = subscribers.Number(subscribers.NextRank(random));
        var toAgent = random.Chance(AgentShare);
        var menus = new List<CallPlan.MenuVisit> { new(0.5, "main") };
        var extra = Math.Min(12, random.Poisson(toAgent ? AgentBoundExtraMenusMean : SelfServiceExtraMenusMean));
        var at = 0.5;
        for (var i = 0; i < extra; i++)
        {
            at += random.LogNormal(MenuSecondsMean, 0.6);
            menus.Add(new(at, SelfServiceMenus[random.Next(SelfServiceMenus.Length)]));
        }

        var leavesIvrAt = at + random.LogNormal(MenuSecondsMean, 0.6);
        if (!toAgent)
        {
            return new CallPlan(caller, random.Chance(nanjingShare) ? "nanjing" : "huaian", menus, leavesIvrAt, null, 0, []);
        }

        var queue = PickQueue(random, queues);
        var legs = new List<AgentLeg> { DrawLeg(random, random.Chance(TransferShare) ? PickQueue(random, queues).Queue : null) };
        if (legs[0].TransferTo is not null)
        {
            legs.Add(DrawLeg(random, transferTo: null));
        }

        return new CallPlan(caller, queue.Region, menus, leavesIvrAt, queue.Queue, random.LogNormal(PatienceSecondsMean, 1.0), legs);
    }

    /// <summary>Mean events per call of these distributions, for the report's expected load.</summary>
    public double MeanEventsPerCall()
    {
        // offered, main menu, extra menus, ended
        var selfService = 3 + SelfServiceExtraMenusMean;
        // offered, main, extra menus, ivr_exited, queued, ringing, answered, recording started/stopped, ended,
        // and held/resumed for some; a transfer adds transferred and a second ringing/answered; and a further
        // ringing for each ring nobody picked up (the call is offered again: geometric).
        var extraRingsPerLeg = MissedRingShare / (1 - MissedRingShare);
        var agentBound = 9 + AgentBoundExtraMenusMean + 2 * HoldShare + TransferShare * (3 + 2 * HoldShare) + (1 + TransferShare) * extraRingsPerLeg;
        return (1 - AgentShare) * selfService + AgentShare * agentBound;
    }

    /// <summary>
    /// An offered agent's phone rings: after how many simulated seconds they pick up, or null when they are away
    /// and never do (the queue's offer timeout then ends the ring).
    /// </summary>
    public double? DrawPickUp(Random random) =>
        random.Chance(MissedRingShare) ? null : Math.Min(12, random.LogNormal(RingSecondsMean, 0.5));

    private AgentLeg DrawLeg(Random random, string? transferTo)
    {
        var talk = random.LogNormal(TalkSecondsMean, 0.9);
        var hold = random.Chance(HoldShare);
        return new AgentLeg(
            Talk: talk,
            HoldAfter: hold ? talk * (0.3 + 0.4 * random.NextDouble()) : null,
            HoldFor: hold ? random.LogNormal(HoldSecondsMean, 0.7) : 0,
            AgentHangsUp: random.Chance(AgentHangsUpShare),
            TransferTo: transferTo);
    }

    private static QueueDemand PickQueue(Random random, IReadOnlyList<QueueDemand> queues)
    {
        var ticket = random.NextDouble();
        foreach (var queue in queues)
        {
            ticket -= queue.Share;
            if (ticket < 0)
            {
                return queue;
            }
        }

        return queues[^1];
    }

    /// <summary>The call id for the run's n-th call: letters, digits and '-', unique across runs on one database.</summary>
    public static string CallId(string runId, long index) => $"sim-{runId}-{index.ToString("D9", CultureInfo.InvariantCulture)}";
}
