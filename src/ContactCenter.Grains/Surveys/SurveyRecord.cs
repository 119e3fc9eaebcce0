namespace ContactCenter.Surveys;

/// <summary>
/// One survey's durable record: the survey grain's whole state, and a row of the surveys table that the reports
/// count. <see cref="WakeAt"/> is the survey's durable timer: the silos' <c>SurveyTimers</c> wake the survey when it
/// is due, whichever silo it lives on and after any crash, so nothing holds an activation while a survey waits.
/// </summary>
public sealed record SurveyRecord
{
    public required SurveyRequest Request { get; init; }
    /// <summary>The center's local day of the call's end: the day the survey counts for.</summary>
    public required DateOnly Day { get; init; }
    public required SurveyStatus Status { get; init; }
    /// <summary>Messages handed to the gateway so far (the survey, its reminder, the question asked again): each one's delivery reports name its number.</summary>
    public int Messages { get; init; }
    /// <summary>Failed tries to hand the current message to the gateway (it was down).</summary>
    public int SendFailures { get; init; }
    /// <summary>The message due to be sent at <see cref="WakeAt"/> (quiet hours and the gateway permitting).</summary>
    public SurveyMessageKind? Outbox { get; init; }
    /// <summary>When <see cref="Outbox"/> is due.</summary>
    public DateTimeOffset? OutboxAt { get; init; }
    /// <summary>
    /// The message handed to the gateway, its answer not yet known: a silo lost meanwhile leaves it here, and the
    /// survey waits for its delivery report a while before taking it for unsent.
    /// </summary>
    public SurveyMessage? Pending { get; init; }
    /// <summary>The number of the message that carried the question (its delivery reports decide whether the survey failed).</summary>
    public int? QuestionMessage { get; init; }
    /// <summary>When the first try to send the current message failed (the gateway is down since).</summary>
    public DateTimeOffset? FailingSince { get; init; }
    /// <summary>Calls placed for a callback survey so far.</summary>
    public int CallbackAttempts { get; init; }
    /// <summary>The outbound call of a callback survey in progress (its id: <see cref="SurveyLife.CallbackCallId"/>).</summary>
    public string? CallbackCall { get; init; }
    /// <summary>When an IVR survey's gateway was asked (durably) to put the question after the call.</summary>
    public DateTimeOffset? GatewayAskedAt { get; init; }
    /// <summary>When an IVR survey's call ended with the caller kept on the line for the question.</summary>
    public DateTimeOffset? CallerKeptAt { get; init; }
    /// <summary>The time (the gateway's) of the gateway's report on an IVR survey's question: the same report again is recognised.</summary>
    public DateTimeOffset? AnswerReportedAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public DateTimeOffset? RemindedAt { get; init; }
    public bool AskedAgain { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
    public int? Score { get; init; }
    /// <summary>The last text the subscriber sent in reply, as sent (bounded).</summary>
    public string? Reply { get; init; }
    public string? LateReply { get; init; }
    public string? Failure { get; init; }
    /// <summary>A low score awaiting a supervisor's follow-up.</summary>
    public bool FollowUp { get; init; }
    /// <summary>The work order the low score opened (its id: <see cref="SurveyLife.WorkOrderIdOf"/>); null before it is.</summary>
    public string? WorkOrderId { get; init; }
    public DateTimeOffset? FollowUpClosedAt { get; init; }
    public string? FollowUpClosedBy { get; init; }
    /// <summary>When the survey is next due to act; null once it is final.</summary>
    public DateTimeOffset? WakeAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Incremented by every save: a save that finds another version was overtaken by another activation.</summary>
    public long Version { get; init; }

    public bool IsOpen => Status is SurveyStatus.Scheduled or SurveyStatus.Sent or SurveyStatus.Reminded;

    public SurveyView View() => new(
        Request.CallId, Request.Subscriber, Request.Queue, Request.Agent, Status, Score, Request.CallEndedAt, SentAt, AnsweredAt, Failure, FollowUp && FollowUpClosedAt is null, LateReply, DeliveredAt);
}

/// <summary>Which message a survey sends: the question, its one reminder, or the question asked again after an unreadable reply.</summary>
public enum SurveyMessageKind
{
    Question,
    Reminder,
    AskAgain,
}

/// <param name="Number">The message's number on the survey (1 for the first), which its delivery reports carry.</param>
public sealed record SurveyMessage(SurveyMessageKind Kind, int Number, DateTimeOffset Since);
