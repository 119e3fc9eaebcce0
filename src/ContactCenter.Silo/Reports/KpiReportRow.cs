namespace ContactCenter.Reports;

/// <summary>
/// A report row as the API returns it, in JSON and (the same fields, in this order) in CSV. Rates are shares
/// from 0 to 1, rounded to 4 places; durations are seconds, rounded to 3. A ratio whose denominator is 0 is null.
/// Handle time is talk + hold: wrap-up is not in the CDRs.
/// </summary>
public sealed record KpiReportRow(
    string? Group,
    DateTimeOffset BucketStart,
    long Offered,
    long Answered,
    long AnsweredWithinThreshold,
    long Abandoned,
    long ShortAbandoned,
    double? ServiceLevel,
    double? AverageSpeedOfAnswerSeconds,
    double? AverageHandleTimeSeconds,
    double? AverageTalkSeconds,
    double? AverageHoldSeconds,
    double? AbandonRate,
    double? AnswerRate,
    double MaxWaitSeconds,
    double TotalTalkSeconds,
    double TotalHoldSeconds)
{
    public static KpiReportRow From(KpiRow row) => new(
        row.Group, row.BucketStart, row.Offered, row.Answered, row.AnsweredWithinThreshold, row.Abandoned, row.ShortAbandoned,
        Rate(row.ServiceLevel), Seconds(row.AverageSpeedOfAnswerSeconds), Seconds(row.AverageHandleTimeSeconds),
        Seconds(row.AverageTalkSeconds), Seconds(row.AverageHoldSeconds), Rate(row.AbandonRate), Rate(row.AnswerRate),
        Seconds(row.MaxWaitSeconds), Seconds(row.TalkSeconds), Seconds(row.HoldSeconds));

    private static double? Rate(double? share) => share is { } value ? Math.Round(value, 4, MidpointRounding.AwayFromZero) : null;

    private static double? Seconds(double? seconds) => seconds is { } value ? Math.Round(value, 3, MidpointRounding.AwayFromZero) : null;

    private static double Seconds(double seconds) => Math.Round(seconds, 3, MidpointRounding.AwayFromZero);
}
