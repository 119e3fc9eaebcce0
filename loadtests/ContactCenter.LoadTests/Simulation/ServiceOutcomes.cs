namespace ContactCenter.LoadTests.Simulation;

/// <summary>
/// The service the simulated callers got, as they saw it, in simulated seconds, counted over the calls that first
/// queued inside the measured window: answered (and how fast), abandoned, turned away by the center. Formulas as
/// docs/kpis.md gives them, so the figures can be set beside the wallboard's. Used by the simulation loop only.
/// </summary>
public sealed class ServiceOutcomes
{
    private double _waitSum;

    public long Queued { get; private set; }

    public long Answered { get; private set; }

    public long AnsweredWithinThreshold { get; private set; }

    public long Abandoned { get; private set; }

    /// <summary>Callers who gave up before the short-abandon threshold (5 s): left out of service level and abandon rate.</summary>
    public long ShortAbandoned { get; private set; }

    /// <summary>Calls the center ended: queue full, no agents, the maximum wait reached.</summary>
    public long TurnedAway { get; private set; }

    public void CountQueued() => Queued++;

    public void CountAnswered(double waitSeconds, double thresholdSeconds)
    {
        Answered++;
        _waitSum += waitSeconds;
        if (waitSeconds <= thresholdSeconds)
        {
            AnsweredWithinThreshold++;
        }
    }

    public void CountAbandoned(double waitSeconds, double shortAbandonSeconds)
    {
        if (waitSeconds < shortAbandonSeconds)
        {
            ShortAbandoned++;
        }
        else
        {
            Abandoned++;
        }
    }

    public void CountTurnedAway() => TurnedAway++;

    public ServiceLevelReport Report() => new(
        Queued, Answered, Abandoned, ShortAbandoned, TurnedAway,
        ServiceLevel: Answered + Abandoned == 0 ? null : Math.Round((double)AnsweredWithinThreshold / (Answered + Abandoned), 4),
        AverageSpeedOfAnswerSeconds: Answered == 0 ? null : Math.Round(_waitSum / Answered, 1),
        AbandonRate: Queued - ShortAbandoned <= 0 ? null : Math.Round((double)Abandoned / (Queued - ShortAbandoned), 4));
}

/// <summary>The simulated center's service, as the report gives it.</summary>
public sealed record ServiceLevelReport(
    long Queued, long Answered, long Abandoned, long ShortAbandoned, long TurnedAway,
    double? ServiceLevel, double? AverageSpeedOfAnswerSeconds, double? AbandonRate);
