namespace ContactCenter.LoadTests.Simulation;

/// <summary>
/// What the gateways did with the cluster's offers: every <c>connect</c> rings the agent it names, every
/// <c>cancel_connect</c> stops that agent's ring. Counted by the simulation loop only; read once it has ended.
/// </summary>
public sealed class RingTally
{
    public long Connects { get; private set; }

    public long Rings { get; private set; }

    /// <summary>Rings of a call already offered to another agent in the same wait.</summary>
    public long Reoffers { get; private set; }

    /// <summary>Rings nobody was going to pick up, stopped by the cluster (its offer timed out).</summary>
    public long Missed { get; private set; }

    /// <summary>Rings the cluster stopped before a pick-up that was coming (the agent declined or went not ready).</summary>
    public long Cancelled { get; private set; }

    /// <summary>Calls answered by an agent offered after another agent's ring in the same wait.</summary>
    public long AnsweredAfterReoffer { get; private set; }

    /// <summary>Commands for calls this run does not carry (another run's, or ended here before the command came).</summary>
    public long ForCallsNotCarried { get; private set; }

    public void CountConnect() => Connects++;

    public void CountRing(bool reoffer)
    {
        Rings++;
        if (reoffer)
        {
            Reoffers++;
        }
    }

    public void CountStopped(bool missed)
    {
        if (missed)
        {
            Missed++;
        }
        else
        {
            Cancelled++;
        }
    }

    public void CountAnswered(bool afterReoffer)
    {
        if (afterReoffer)
        {
            AnsweredAfterReoffer++;
        }
    }

    public void CountNotCarried() => ForCallsNotCarried++;

    public RingReport Report() => new(Connects, Rings, Reoffers, Missed, Cancelled, AnsweredAfterReoffer, ForCallsNotCarried);
}

/// <summary>The offers and rings of the run, as the report gives them (the whole run, not only the measured window).</summary>
public sealed record RingReport(long Connects, long Rings, long Reoffers, long Missed, long Cancelled, long AnsweredAfterReoffer, long CommandsForCallsNotCarried);
