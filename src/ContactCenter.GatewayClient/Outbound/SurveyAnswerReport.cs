namespace ContactCenter.GatewayClient;

/// <summary>
/// What the gateway did with a <c>survey_after_call</c> (<see cref="CommandKinds.SurveyAfterCall"/>), as
/// <see cref="ContactCenterClient.ReportSurveyAnswerAsync"/> sends it: the caller heard the question and keyed
/// <see cref="Digits"/> (maybe none), or was not asked, for <see cref="Cause"/>.
/// </summary>
/// <param name="Asked">The caller heard the question (or its start).</param>
/// <param name="Cause">How it ended: <c>completed</c>, <c>no_keys</c>, <c>hung_up</c>; or why it was not asked (<c>unknown_prompt</c>, <c>no_rtp</c>...).</param>
/// <param name="At">When it ended, by the gateway's clock; sent again, the report carries the same time.</param>
public sealed record SurveyAnswerReport(bool Asked, string Cause, DateTimeOffset At)
{
    /// <summary>The keys pressed, in order; only with <see cref="Asked"/>.</summary>
    public string? Digits { get; init; }
}

/// <summary>The cluster's answer to a <see cref="SurveyAnswerReport"/>.</summary>
/// <param name="Taken">Recorded (or a repeat of one recorded).</param>
/// <param name="Refusal">Why not: the call has no IVR survey, its survey closed already, or it is another gateway's call. Nothing to send again.</param>
public sealed record SurveyAnswerReceipt(bool Taken, string? Refusal);
