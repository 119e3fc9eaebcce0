namespace ContactCenter.Kpis;

/// <summary>
/// The raw counts and durations behind every KPI, for one queue, agent, region or the center over one window.
/// Counters add up (a region is the sum of its queues), ratios do not, so only counters are kept and the KPIs
/// are derived on reading. The formulas are written down in docs/kpis.md, one line each.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.KpiCounters")]
public sealed record KpiCounters
{
    public static KpiCounters Zero { get; } = new();

    /// <summary>Calls that entered the queue, including those that arrived by overflow.</summary>
    [Id(0)] public int Offered { get; init; }
    /// <summary>Of <see cref="Offered"/>, the calls another queue overflowed here: counted once more at the center.</summary>
    [Id(1)] public int ArrivedByOverflow { get; init; }
    [Id(2)] public int Answered { get; init; }
    [Id(3)] public int AnsweredWithinThreshold { get; init; }
    /// <summary>Callers who hung up while waiting or ringing, after the short-abandon threshold.</summary>
    [Id(4)] public int Abandoned { get; init; }
    /// <summary>Callers who hung up sooner than the short-abandon threshold: excluded from the rates.</summary>
    [Id(5)] public int ShortAbandoned { get; init; }
    /// <summary>Calls that left for another queue by overflow.</summary>
    [Id(6)] public int Overflowed { get; init; }
    /// <summary>Total wait of the answered calls, from their first queueing.</summary>
    [Id(7)] public TimeSpan AnswerWait { get; init; }
    /// <summary>Calls whose handling (talk, hold, wrap-up) finished.</summary>
    [Id(8)] public int Handled { get; init; }
    [Id(9)] public TimeSpan Talk { get; init; }
    [Id(10)] public TimeSpan Hold { get; init; }
    [Id(11)] public TimeSpan WrapUp { get; init; }
    /// <summary>Agents' time available or ringing: staffed and waiting for work.</summary>
    [Id(12)] public TimeSpan Idle { get; init; }
    /// <summary>Agents' time on a call or in wrap-up.</summary>
    [Id(13)] public TimeSpan Busy { get; init; }
    [Id(14)] public TimeSpan NotReady { get; init; }
    /// <summary>Offers an agent let ring out.</summary>
    [Id(15)] public int Missed { get; init; }
    /// <summary>Calls the queue turned away as they arrived: full, or nobody logged in.</summary>
    [Id(16)] public int Refused { get; init; }
    /// <summary>Offers of the queue's calls that rang out unanswered, whoever's fault (the agent's, or a gateway that never rang).</summary>
    [Id(17)] public int OfferTimeouts { get; init; }
    /// <summary>An agent's sign-ins (from logged out).</summary>
    [Id(18)] public int Logins { get; init; }

    /// <summary>Share answered within the threshold of those answered or abandoned (short abandons excluded).</summary>
    public double? ServiceLevel => Ratio(AnsweredWithinThreshold, Answered + Abandoned);

    public TimeSpan? AverageSpeedOfAnswer => Answered == 0 ? null : AnswerWait / Answered;

    public TimeSpan? AverageHandleTime => Handled == 0 ? null : (Talk + Hold + WrapUp) / Handled;

    public double? AbandonRate => Ratio(Abandoned, Offered - ShortAbandoned);

    public double? AnswerRate => Ratio(Answered, Offered - ShortAbandoned);

    /// <summary>Share of staffed, ready time spent on calls and wrap-up.</summary>
    public double? Occupancy => Busy + Idle <= TimeSpan.Zero ? null : Busy / (Busy + Idle);

    public KpiCounters Plus(KpiCounters other) => new()
    {
        Offered = Offered + other.Offered,
        ArrivedByOverflow = ArrivedByOverflow + other.ArrivedByOverflow,
        Answered = Answered + other.Answered,
        AnsweredWithinThreshold = AnsweredWithinThreshold + other.AnsweredWithinThreshold,
        Abandoned = Abandoned + other.Abandoned,
        ShortAbandoned = ShortAbandoned + other.ShortAbandoned,
        Overflowed = Overflowed + other.Overflowed,
        AnswerWait = AnswerWait + other.AnswerWait,
        Handled = Handled + other.Handled,
        Talk = Talk + other.Talk,
        Hold = Hold + other.Hold,
        WrapUp = WrapUp + other.WrapUp,
        Idle = Idle + other.Idle,
        Busy = Busy + other.Busy,
        NotReady = NotReady + other.NotReady,
        Missed = Missed + other.Missed,
        Refused = Refused + other.Refused,
        OfferTimeouts = OfferTimeouts + other.OfferTimeouts,
        Logins = Logins + other.Logins,
    };

    /// <summary>
    /// The queues' counters as one center (or region): a call overflowed from one queue to another was offered
    /// to the center once, not twice.
    /// </summary>
    public static KpiCounters AcrossQueues(IEnumerable<KpiCounters> queues)
    {
        var sum = queues.Aggregate(Zero, (total, queue) => total.Plus(queue));
        return sum with { Offered = sum.Offered - sum.ArrivedByOverflow, ArrivedByOverflow = 0, Overflowed = 0 };
    }

    private static double? Ratio(int part, int whole) => whole <= 0 ? null : (double)part / whole;
}

/// <summary>One subject's counters over the rolling window and today.</summary>
[GenerateSerializer, Immutable, Alias("cc.KpiSnapshot")]
public sealed record KpiSnapshot([property: Id(0)] KpiCounters Last15Minutes, [property: Id(1)] KpiCounters Today)
{
    public static KpiSnapshot Zero { get; } = new(KpiCounters.Zero, KpiCounters.Zero);

    public KpiSnapshot Plus(KpiSnapshot other) => new(Last15Minutes.Plus(other.Last15Minutes), Today.Plus(other.Today));
}

/// <summary>One call's handling by an agent, known once wrap-up ends: what handle time is made of.</summary>
/// <param name="Queue">The queue that offered the call; null for a call the agent took directly.</param>
[GenerateSerializer, Immutable, Alias("cc.HandledCall")]
public sealed record HandledCall(
    [property: Id(0)] string CallId,
    [property: Id(1)] string? Queue,
    [property: Id(2)] TimeSpan Talk,
    [property: Id(3)] TimeSpan Hold,
    [property: Id(4)] TimeSpan WrapUp,
    [property: Id(5)] DateTimeOffset At);
