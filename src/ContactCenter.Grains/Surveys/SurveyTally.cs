namespace ContactCenter.Surveys;

/// <summary>
/// What one survey adds to its day's figures (docs/kpis.md, "Surveys"). The live figures add the difference a step
/// makes; the reports' SQL over the surveys table counts the same columns the same way.
/// </summary>
public static class SurveyTally
{
    /// <summary>A score counted satisfied: 4 or 5 of 5.</summary>
    public const int SatisfiedAtLeast = 4;

    public static SurveyCounters Of(SurveyRecord? survey) => survey is null ? SurveyCounters.Zero : new SurveyCounters
    {
        Sent = survey.SentAt is null ? 0 : 1,
        Answered = survey.Status == SurveyStatus.Answered ? 1 : 0,
        Satisfied = survey is { Status: SurveyStatus.Answered, Score: >= SatisfiedAtLeast } ? 1 : 0,
        LowScores = survey is { Status: SurveyStatus.Answered, FollowUp: true } ? 1 : 0,
        OptedOut = survey.Status == SurveyStatus.OptedOut ? 1 : 0,
        ScoreSum = survey.Status == SurveyStatus.Answered ? survey.Score ?? 0 : 0,
    };
}
