using System.Collections.Immutable;
using Orleans.Concurrency;

namespace ContactCenter.Surveys;

/// <summary>How a surveyed subscriber is asked.</summary>
public enum SurveyChannel
{
    /// <summary>A text message; the subscriber replies with a score.</summary>
    Sms,
    /// <summary>An outbound call through the SIP edge: the subscriber hears the question and keys a score.</summary>
    Callback,
    /// <summary>
    /// On the same line, after the call: the caller who stays on when the agent hangs up hears the question and keys a
    /// score. The survey starts when the agent answers, so the gateway knows before the agent hangs up.
    /// </summary>
    Ivr,
}

/// <summary>
/// Where a survey is in its life. Scheduled, sent and reminded are open (the subscriber may still answer); the
/// others are final.
/// </summary>
public enum SurveyStatus
{
    /// <summary>Not sent yet: its delay, quiet hours, or a retry after the SMS gateway failed.</summary>
    Scheduled,
    Sent,
    /// <summary>Sent, unanswered, and asked once more.</summary>
    Reminded,
    Answered,
    /// <summary>Not answered within the reply window.</summary>
    Expired,
    /// <summary>The subscriber replied with an unsubscribe word: not surveyed again.</summary>
    OptedOut,
    /// <summary>Could not be sent (refused by the gateway, undeliverable, or the gateway down for too long).</summary>
    Failed,
}

/// <summary>
/// What the call tells its survey: who to ask about whom, and where the call was. For an <see cref="SurveyChannel.Ivr"/>
/// survey, started at the answer, <see cref="CallEndedAt"/> and <see cref="Agent"/> are the answer's until the call ends.
/// </summary>
/// <param name="GatewayId">The gateway that has the call: the one an IVR survey asks to put the question.</param>
[GenerateSerializer, Immutable, Alias("cc.SurveyRequest")]
public sealed record SurveyRequest(
    [property: Id(0)] string CallId,
    [property: Id(1)] string Subscriber,
    [property: Id(2)] string Queue,
    [property: Id(3)] string Agent,
    [property: Id(4)] string? Brand,
    [property: Id(5)] DateTimeOffset CallEndedAt,
    [property: Id(6)] SurveyChannel Channel,
    [property: Id(7)] string Question,
    [property: Id(8)] string? GatewayId = null);

/// <summary>How the call of an IVR survey ended: whether its caller was left on the line for the question.</summary>
/// <param name="Queue">The call's queue at its end; null: the one it was answered in.</param>
/// <param name="Agent">The agent the caller talked to last, the one the survey is about; null: the one who answered.</param>
/// <param name="CallerKept">The agent hung up while talking to the caller: the gateway keeps the caller and asks.</param>
[GenerateSerializer, Immutable, Alias("cc.SurveyCallEnd")]
public sealed record SurveyCallEnd(
    [property: Id(0)] string? Queue,
    [property: Id(1)] string? Agent,
    [property: Id(2)] DateTimeOffset EndedAt,
    [property: Id(3)] bool CallerKept);

/// <summary>What the gateway reports of an IVR survey's question, put to the caller after the agent hung up.</summary>
/// <param name="Asked">The caller heard the question (or its start); false when the gateway could not put it (see the cause).</param>
/// <param name="Digits">The keys the caller pressed, in order.</param>
/// <param name="Cause">How it ended, in the gateway's words (<c>completed</c>, <c>no_keys</c>, <c>hung_up</c>, <c>unknown_prompt</c>...).</param>
[GenerateSerializer, Immutable, Alias("cc.AfterCallAnswer")]
public sealed record AfterCallAnswer(
    [property: Id(0)] bool Asked,
    [property: Id(1)] string? Digits,
    [property: Id(2)] string Cause,
    [property: Id(3)] DateTimeOffset At);

/// <summary>What became of a gateway's report of an IVR survey.</summary>
public enum AfterCallAnswerOutcome
{
    /// <summary>Taken (or the same report again).</summary>
    Taken,
    /// <summary>The call has no IVR survey.</summary>
    NoSurvey,
    /// <summary>The survey is closed already (its time ran out, or another report closed it).</summary>
    Closed,
    /// <summary>Another gateway has the call.</summary>
    WrongGateway,
}

/// <summary>A survey as supervisors and reports see it.</summary>
[GenerateSerializer, Immutable, Alias("cc.SurveyView")]
public sealed record SurveyView(
    [property: Id(0)] string CallId,
    [property: Id(1)] string Subscriber,
    [property: Id(2)] string Queue,
    [property: Id(3)] string Agent,
    [property: Id(4)] SurveyStatus Status,
    [property: Id(5)] int? Score,
    [property: Id(6)] DateTimeOffset CallEndedAt,
    [property: Id(7)] DateTimeOffset? SentAt,
    [property: Id(8)] DateTimeOffset? AnsweredAt,
    [property: Id(9)] string? Failure,
    [property: Id(10)] bool FollowUp,
    [property: Id(11)] string? LateReply,
    [property: Id(12)] DateTimeOffset? DeliveredAt);

/// <summary>A text a subscriber sent to the center's number, as the SMS gateway passed it on.</summary>
/// <param name="MessageId">The gateway's id for the message, when it gives one: a repeated delivery of it is recognised.</param>
[GenerateSerializer, Immutable, Alias("cc.IncomingSms")]
public sealed record IncomingSms(
    [property: Id(0)] string From,
    [property: Id(1)] string Text,
    [property: Id(2)] DateTimeOffset ReceivedAt,
    [property: Id(3)] string? MessageId);

/// <summary>What became of a subscriber's text.</summary>
public enum ReplyOutcome
{
    /// <summary>A score for the subscriber's open survey.</summary>
    Scored,
    /// <summary>The subscriber opted out of surveys (whether or not one was open).</summary>
    OptedOut,
    /// <summary>Not readable as a score: the subscriber is asked once more.</summary>
    AskedAgain,
    /// <summary>Unreadable again, after being asked once more: kept on the survey, nothing else.</summary>
    Unreadable,
    /// <summary>The survey had expired: the reply is kept on it, not counted.</summary>
    Late,
    /// <summary>The subscriber has no survey to reply to.</summary>
    NoSurvey,
    /// <summary>The subscriber's survey has not asked its question yet: the text is not an answer to it.</summary>
    NotAsked,
    /// <summary>The same message delivered again by the gateway: already taken.</summary>
    Duplicate,
    /// <summary>Too many messages from this number in a short time: not read.</summary>
    Flooding,
}

/// <summary>One surveyed call, keyed by call id. Every step is durable; every request is idempotent.</summary>
[Alias("cc.ISurveyGrain")]
public interface ISurveyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Schedules the survey, for the subscriber's grain that claimed the subscriber for it (the only caller); a survey
    /// that already exists (a repeated effect) is left as it is.
    /// </summary>
    [Alias("Start")]
    Task StartAsync(SurveyRequest request);

    /// <summary>The survey's durable timer fired: it does what is due (send, remind, expire), or nothing if nothing is.</summary>
    [Alias("Wake")]
    Task WakeAsync();

    /// <summary>The subscriber's reply, matched to this survey by <see cref="ISubscriberSurveysGrain"/>.</summary>
    [Alias("Reply")]
    Task<ReplyOutcome> ReplyAsync(IncomingSms reply);

    /// <summary>A delivery report for the survey's message number <paramref name="attempt"/>; repeats change nothing.</summary>
    [Alias("DeliveryReport")]
    Task DeliveryReportAsync(int attempt, bool delivered, bool failed);

    /// <summary>The call of an IVR survey ended (a repeated effect changes nothing).</summary>
    [Alias("CallEnded")]
    Task CallEndedAsync(SurveyCallEnd end);

    /// <summary>The gateway <paramref name="gatewayId"/> put the question of an IVR survey to the caller, or could not.</summary>
    [Alias("AfterCallAnswer")]
    Task<AfterCallAnswerOutcome> AfterCallAnswerAsync(string gatewayId, AfterCallAnswer answer);

    [Alias("Get")]
    Task<SurveyView?> GetAsync();

    /// <summary>A supervisor dealt with the survey's low score: the survey, or null when it has none open (never had one, or already closed).</summary>
    [Alias("CloseFollowUp")]
    Task<SurveyView?> CloseFollowUpAsync(string by);
}

/// <summary>Whether a subscriber may be surveyed about a call.</summary>
public enum SurveyClaim
{
    Granted,
    /// <summary>Surveyed within the policy's number of days.</summary>
    RecentlySurveyed,
    /// <summary>Another survey of theirs is still open: their next reply must not be taken for the wrong call.</summary>
    SurveyOpen,
    OptedOut,
}

/// <summary>
/// One subscriber's part in the surveys, keyed by E.164 number: when they were last surveyed, whether they opted out,
/// the survey their next reply answers, the messages they sent lately. It serialises a subscriber's surveys, so two
/// calls ending at once never both survey them. It calls their surveys (to start one, to pass a reply on); a survey
/// tells it only one-way when it closed, so the two never wait on each other.
/// </summary>
[Alias("cc.ISubscriberSurveysGrain")]
public interface ISubscriberSurveysGrain : IGrainWithStringKey
{
    /// <summary>
    /// A call of the subscriber ended and its survey was drawn: the subscriber is claimed for it and the survey started,
    /// unless the policy says no. Asking again for the same call gives the same answer.
    /// </summary>
    [Alias("StartSurvey")]
    Task<SurveyClaim> StartSurveyAsync(SurveyRequest request);

    /// <summary>
    /// The survey of <paramref name="callId"/> is closed: replies no longer go to it, except as late replies. One that
    /// was never sent (<paramref name="wasSent"/> false) does not count as surveying the subscriber.
    /// </summary>
    [Alias("Closed"), OneWay]
    Task SurveyClosedAsync(string callId, DateTimeOffset at, bool wasSent);

    /// <summary>A text from the subscriber: matched to their open survey, opt-out words honoured in any case.</summary>
    [Alias("Reply")]
    Task<ReplyOutcome> ReplyAsync(IncomingSms sms);

    [Alias("IsOptedOut")]
    Task<bool> IsOptedOutAsync();
}

/// <summary>The surveys' figures for one queue, agent or day: counters, from which the rates are derived (docs/kpis.md).</summary>
[GenerateSerializer, Immutable, Alias("cc.SurveyCounters")]
public sealed record SurveyCounters
{
    public static SurveyCounters Zero { get; } = new();

    /// <summary>Surveys whose message was taken by the SMS gateway.</summary>
    [Id(0)] public int Sent { get; init; }
    /// <summary>Surveys answered with a score in time.</summary>
    [Id(1)] public int Answered { get; init; }
    /// <summary>Of <see cref="Answered"/>, scores of 4 or 5.</summary>
    [Id(2)] public int Satisfied { get; init; }
    /// <summary>Of <see cref="Answered"/>, scores at or below the follow-up threshold.</summary>
    [Id(3)] public int LowScores { get; init; }
    [Id(4)] public int OptedOut { get; init; }
    [Id(5)] public long ScoreSum { get; init; }

    /// <summary>Customer satisfaction: the share of 4-5 among the scores.</summary>
    public double? Csat => Answered == 0 ? null : (double)Satisfied / Answered;

    public double? ResponseRate => Sent == 0 ? null : (double)Answered / Sent;

    public double? OptOutRate => Sent == 0 ? null : (double)OptedOut / Sent;

    public double? AverageScore => Answered == 0 ? null : (double)ScoreSum / Answered;

    public SurveyCounters Plus(SurveyCounters other) => Combine(other, 1);

    public SurveyCounters Minus(SurveyCounters other) => Combine(other, -1);

    private SurveyCounters Combine(SurveyCounters other, int sign) => new()
    {
        Sent = Sent + sign * other.Sent,
        Answered = Answered + sign * other.Answered,
        Satisfied = Satisfied + sign * other.Satisfied,
        LowScores = LowScores + sign * other.LowScores,
        OptedOut = OptedOut + sign * other.OptedOut,
        ScoreSum = ScoreSum + sign * other.ScoreSum,
    };
}

/// <summary>The center's survey figures for today, live: each queue's and the whole center's.</summary>
[GenerateSerializer, Immutable, Alias("cc.SurveyFigures")]
public sealed record SurveyFigures(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] SurveyCounters Center,
    [property: Id(2)] ImmutableDictionary<string, SurveyCounters> ByQueue,
    [property: Id(3)] ImmutableDictionary<string, SurveyCounters> ByAgent);

/// <summary>
/// Today's survey counters of the center, kept live as surveys are sent and answered (told one-way), for the
/// wallboard; the reports read the surveys table itself. A survey counts for the day its call ended.
/// </summary>
[Alias("cc.ISurveyFiguresGrain")]
public interface ISurveyFiguresGrain : IGrainWithStringKey
{
    /// <summary>
    /// One survey step's change of figures, written to the surveys table at <paramref name="at"/>: a change the grain's
    /// last reading of the table already holds (an older one) is not counted again.
    /// </summary>
    [Alias("Count"), OneWay]
    Task CountAsync(string queue, string agent, DateOnly day, DateTimeOffset at, SurveyCounters change);

    [Alias("GetToday")]
    Task<SurveyFigures> GetTodayAsync();
}
