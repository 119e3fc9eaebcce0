using ContactCenter.Kpis;

namespace ContactCenter.Reports;

/// <summary>
/// One group's totals over one bucket, and the KPIs derived from them. A call counts in the bucket in which it
/// left the queue: when it was answered, or when it ended unanswered.
/// </summary>
/// <param name="Group">The queue, agent or region; "center" for the whole center; null for calls without one (no agent).</param>
/// <param name="BucketStart">The bucket's start in the center's local time, with its offset.</param>
/// <param name="Offered">Calls that reached a queue.</param>
/// <param name="Answered">Calls an agent answered.</param>
/// <param name="AnsweredWithinThreshold">Answered after waiting no longer than their queue's service-level threshold.</param>
/// <param name="Abandoned">Callers who hung up after waiting at least their queue's short-abandon threshold.</param>
/// <param name="ShortAbandoned">Callers who hung up sooner than that.</param>
/// <param name="AnsweredWaitSeconds">The answered calls' waits, summed.</param>
/// <param name="TalkSeconds">The answered calls' talk time, summed (hold excluded).</param>
/// <param name="HoldSeconds">The answered calls' hold time, summed.</param>
/// <param name="MaxWaitSeconds">The longest wait of any call in the bucket, answered or not.</param>
public sealed record KpiRow(
    string? Group,
    DateTimeOffset BucketStart,
    long Offered,
    long Answered,
    long AnsweredWithinThreshold,
    long Abandoned,
    long ShortAbandoned,
    double AnsweredWaitSeconds,
    double TalkSeconds,
    double HoldSeconds,
    double MaxWaitSeconds)
{
    /// <summary>
    /// The row as the live KPIs' counters, so history and the wallboard derive their KPIs from one set of formulas
    /// (docs/kpis.md). Every answered call counts as handled: its talk and hold are known, its wrap-up is not.
    /// </summary>
    public KpiCounters Counters => new()
    {
        Offered = checked((int)Offered),
        Answered = checked((int)Answered),
        AnsweredWithinThreshold = checked((int)AnsweredWithinThreshold),
        Abandoned = checked((int)Abandoned),
        ShortAbandoned = checked((int)ShortAbandoned),
        AnswerWait = TimeSpan.FromSeconds(AnsweredWaitSeconds),
        Handled = checked((int)Answered),
        Talk = TimeSpan.FromSeconds(TalkSeconds),
        Hold = TimeSpan.FromSeconds(HoldSeconds),
    };

    public double? ServiceLevel => Counters.ServiceLevel;

    public double? AverageSpeedOfAnswerSeconds => Counters.AverageSpeedOfAnswer?.TotalSeconds;

    /// <summary>
    /// (Talk + hold) / answered. Wrap-up belongs in handle time too, but it happens at the agent after the call
    /// has ended and its CDR is written, so history does not hold it yet.
    /// </summary>
    public double? AverageHandleTimeSeconds => Counters.AverageHandleTime?.TotalSeconds;

    public double? AverageTalkSeconds => Answered > 0 ? TalkSeconds / Answered : null;

    public double? AverageHoldSeconds => Answered > 0 ? HoldSeconds / Answered : null;

    public double? AbandonRate => Counters.AbandonRate;

    /// <summary>The completion rate.</summary>
    public double? AnswerRate => Counters.AnswerRate;
}
