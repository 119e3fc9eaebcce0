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
    /// <summary>Answered within the threshold / (answered + abandoned): short abandons are left out.</summary>
    public double? ServiceLevel => Ratio(AnsweredWithinThreshold, Answered + Abandoned);

    public double? AverageSpeedOfAnswerSeconds => Ratio(AnsweredWaitSeconds, Answered);

    /// <summary>
    /// (Talk + hold) / answered. Wrap-up belongs in handle time too, but it happens at the agent after the call
    /// has ended and its CDR is written, so history does not hold it yet.
    /// </summary>
    public double? AverageHandleTimeSeconds => Ratio(TalkSeconds + HoldSeconds, Answered);

    public double? AverageTalkSeconds => Ratio(TalkSeconds, Answered);

    public double? AverageHoldSeconds => Ratio(HoldSeconds, Answered);

    /// <summary>Abandoned / (offered - short abandoned).</summary>
    public double? AbandonRate => Ratio(Abandoned, Offered - ShortAbandoned);

    /// <summary>Answered / (offered - short abandoned): the completion rate.</summary>
    public double? AnswerRate => Ratio(Answered, Offered - ShortAbandoned);

    private static double? Ratio(double part, double whole) => whole > 0 ? part / whole : null;
}
