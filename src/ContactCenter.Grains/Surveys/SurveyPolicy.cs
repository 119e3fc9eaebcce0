using ContactCenter.Calls;
using ContactCenter.Customers;

namespace ContactCenter.Surveys;

/// <summary>
/// Which answered calls are surveyed, how and with what question (section <c>ContactCenter:Surveys</c>). The first
/// rule that matches a call decides; a call no rule matches takes <see cref="Default"/>.
/// </summary>
public sealed class SurveyPolicyOptions
{
    public const string Section = "ContactCenter:Surveys";

    /// <summary>Off until an SMS gateway is configured: a survey that cannot be sent would only wait and retry.</summary>
    public bool Enabled { get; set; }

    public List<SurveyRule> Rules { get; set; } = [];

    public SurveyRule Default { get; set; } = new() { SampleRate = 0.1 };

    /// <summary>A subscriber is surveyed at most once in this many days, whichever call.</summary>
    public int CapDays { get; set; } = 30;

    /// <summary>How long after the call the question is sent.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long after it is sent the survey may be answered; a reply later is kept, not counted.</summary>
    public TimeSpan ReplyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An unanswered survey is sent once more this long after the question; zero sends no reminder.</summary>
    public TimeSpan ReminderAfter { get; set; } = TimeSpan.FromHours(4);

    /// <summary>The center's night, in its own time zone, when no survey message is sent (from, until).</summary>
    public TimeOnly QuietFrom { get; set; } = new(21, 0);

    public TimeOnly QuietUntil { get; set; } = new(8, 0);

    /// <summary>A score at or below this opens a follow-up for the call's queue and agent.</summary>
    public int LowScoreAtMost { get; set; } = 2;

    /// <summary>A low score also opens a work order (<c>ContactCenter:WorkOrders:LowScoreCategory</c>), which the department follows up.</summary>
    public bool LowScoreOpensWorkOrder { get; set; } = true;

    /// <summary>The first wait after the SMS gateway failed; each failure doubles it, up to <see cref="RetryAtMost"/>.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryAtMost { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The question is sent within this long of the call's end, or not at all (the survey fails): a gateway down that
    /// long, or surveys switched off and on again, must not ask about calls the subscriber has long forgotten.
    /// </summary>
    public TimeSpan SendWithin { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// A message whose hand-over had no answer (the gateway's answer timed out, or a lost silo interrupted it) is taken
    /// for unsent, and sent again, only when no delivery report named it for this long: Kannel reports "taken by the SMS
    /// center" within seconds of taking a message.
    /// </summary>
    public TimeSpan UnconfirmedSendGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How satisfaction callbacks are placed (rules with <see cref="SurveyChannel.Callback"/>).</summary>
    public SurveyCallbackOptions Callback { get; set; } = new();

    /// <summary>How IVR surveys put their question after the call (rules with <see cref="SurveyChannel.Ivr"/>).</summary>
    public SurveyIvrOptions Ivr { get; set; } = new();

    /// <summary>Whether any rule surveys by SMS (and an SMS gateway is needed).</summary>
    public bool UsesSms => Rules.Append(Default).Any(r => r.Channel == SurveyChannel.Sms);

    /// <summary>The highest sampling rate of the rules that may survey a call of <paramref name="queue"/> by IVR (whatever its caller); 0 when none.</summary>
    private double IvrRateAtMost(string? queue) => Rules.Append(Default)
        .Where(r => r.Channel == SurveyChannel.Ivr && (r.Queue is null || r.Queue == queue))
        .Select(r => r.SampleRate).DefaultIfEmpty(0).Max();

    public string Reminder { get; set; } = "您好，您还未对刚才的服务进行评价，请回复1-5（5非常满意，1非常不满意）。回复TD退订。";

    public string AskAgain { get; set; } = "抱歉，未能识别您的回复。请只回复一个数字1-5（5非常满意，1非常不满意）。回复TD退订。";

    /// <summary>The settings' mistakes, or null when they are usable.</summary>
    public string? Validate()
    {
        foreach (var rule in Rules.Append(Default))
        {
            if (rule.SampleRate is < 0 or > 1 || double.IsNaN(rule.SampleRate))
            {
                return $"a survey rule's SampleRate is {rule.SampleRate}; it must be between 0 and 1";
            }
        }

        return CapDays < 0 ? "CapDays must not be negative"
            : ReplyWindow <= TimeSpan.Zero ? "ReplyWindow must be positive"
            : ReminderAfter < TimeSpan.Zero || ReminderAfter >= ReplyWindow && ReminderAfter != TimeSpan.Zero ? "ReminderAfter must be zero (no reminder) or shorter than ReplyWindow"
            : Delay < TimeSpan.Zero ? "Delay must not be negative"
            : SendWithin <= Delay ? "SendWithin must be longer than Delay"
            : RetryAfter <= TimeSpan.Zero || RetryAtMost < RetryAfter ? "RetryAfter must be positive and RetryAtMost at least RetryAfter"
            : LowScoreAtMost is < 0 or > 5 ? "LowScoreAtMost must be between 0 and 5"
            : Callback.Validate() ?? Ivr.Validate();
    }

    /// <summary>
    /// Whether an answered call may have been drawn for an IVR survey, which is then told of the call's end: a call no
    /// IVR rule of its queue could have drawn is not (the draw only grows with the rate), so no survey is looked up for
    /// it, and most calls cost nothing. Decided before the master data is asked, so a rule's brand or class is not
    /// looked at. A call transferred out of an IVR-surveyed queue is not told at its end: its survey closes by the
    /// gateway's report, or after <see cref="SurveyIvrOptions.LongestCall"/>.
    /// </summary>
    public bool MayHaveSurveyAfterCall(CallSnapshot call) =>
        Enabled && call.AnsweredAt is not null && call.Caller != PhoneNumbers.Withheld && IvrRateAtMost(call.Queue) is > 0 and var rate && SurveySampling.Draws(call.CallId, rate);

    /// <summary>
    /// Whether the call may be surveyed at all, whatever the rules: surveys on, the number not withheld, and the call
    /// ended while the caller talked to an agent (or was on hold with them), who is the agent surveyed about. A caller
    /// who hung up waiting for another agent after a transfer is not asked about either.
    /// </summary>
    /// <param name="lastState">The call's state just before it ended.</param>
    public bool MaySurvey(CallSnapshot lastState) =>
        Enabled && lastState is { Phase: CallPhase.Talking or CallPhase.OnHold, Agent: not null, Queue: not null } && lastState.Caller != PhoneNumbers.Withheld;

    /// <summary>
    /// The survey of a call that ended, or null when it is not surveyed (<see cref="MaySurvey"/>, or not drawn by its
    /// rule's sampling). The draw is by the call id, so the same call always draws the same.
    /// </summary>
    /// <param name="call">The call's state just before it ended.</param>
    public SurveyRequest? PlanFor(CallSnapshot call, CustomerProfile? caller, DateTimeOffset endedAt)
    {
        if (!MaySurvey(call) || call is not { Agent: { } agent, Queue: { } queue })
        {
            return null;
        }

        var rule = Rules.FirstOrDefault(r => r.Matches(queue, caller)) ?? Default;
        if (rule.Channel is null || !SurveySampling.Draws(call.CallId, rule.SampleRate))
        {
            return null;
        }

        return new SurveyRequest(call.CallId, call.Caller, queue, agent, caller?.Brand, endedAt, rule.Channel.Value, rule.Question ?? SurveyRule.DefaultQuestion, call.GatewayId);
    }
}

/// <summary>Satisfaction callbacks (section <c>ContactCenter:Surveys:Callback</c>).</summary>
public sealed class SurveyCallbackOptions
{
    /// <summary>The SIP edge's outbound prompt that asks the question (<c>SipEdge:Outbound:Prompts</c>).</summary>
    public string Prompt { get; set; } = "satisfaction";

    /// <summary>The local hours in which a subscriber may be called (the center's time zone); equal times: any hour.</summary>
    public TimeOnly AllowedFrom { get; set; } = new(9, 0);

    public TimeOnly AllowedUntil { get; set; } = new(20, 0);

    /// <summary>Calls placed for one survey at most: the first, and the retries after no answer, busy or a failure.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before the first retry; each further retry waits twice as long.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromMinutes(30);

    public int RingSeconds { get; set; } = 30;

    /// <summary>How long a callback waits when the subscriber is on a call with the center (or no gateway can place it) before it looks again.</summary>
    public TimeSpan WaitWhileOnCall { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the subscriber has after the question to key a score.</summary>
    public int DigitSeconds { get; set; } = 8;

    /// <summary>The outbound trunk's channels, and the share of them callbacks may hold at once.</summary>
    public int TrunkChannels { get; set; } = 120;

    public double TrunkShare { get; set; } = 0.1;

    /// <summary>Callbacks in progress at once, center-wide: the share of the trunk, at least one.</summary>
    public int MaxConcurrent => Math.Max(1, (int)Math.Floor(TrunkChannels * TrunkShare));

    public string? Validate() =>
        MaxAttempts < 1 ? "Callback:MaxAttempts must be at least 1"
        : RetryAfter <= TimeSpan.Zero || WaitWhileOnCall <= TimeSpan.Zero ? "Callback:RetryAfter and Callback:WaitWhileOnCall must be positive"
        : RingSeconds is < 5 or > 120 || DigitSeconds is < 1 or > 60 ? "Callback:RingSeconds must be 5-120 and DigitSeconds 1-60"
        : TrunkChannels < 1 || TrunkShare is <= 0 or > 1 ? "Callback:TrunkChannels must be positive and TrunkShare in (0, 1]"
        : string.IsNullOrWhiteSpace(Prompt) ? "Callback:Prompt must name one of the SIP edge's outbound prompts"
        : null;
}

/// <summary>IVR surveys after the call (section <c>ContactCenter:Surveys:Ivr</c>).</summary>
public sealed class SurveyIvrOptions
{
    /// <summary>The SIP edge's prompt that asks the question (one of <c>SipEdge:Outbound:Prompts</c>, the prompts the cluster names).</summary>
    public string Prompt { get; set; } = "satisfaction";

    /// <summary>How long the caller has after the question to key a score.</summary>
    public int DigitSeconds { get; set; } = 8;

    /// <summary>How long after the call's end the gateway's report may come (the question, the keys, and room): later, the survey fails.</summary>
    public TimeSpan AnswerWithin { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an IVR survey waits for its call to end; a call talking longer than this is not asked.</summary>
    public TimeSpan LongestCall { get; set; } = TimeSpan.FromHours(4);

    public string? Validate() =>
        DigitSeconds is < 1 or > 60 ? "Ivr:DigitSeconds must be 1-60"
        : AnswerWithin <= TimeSpan.FromSeconds(DigitSeconds) ? "Ivr:AnswerWithin must be longer than Ivr:DigitSeconds"
        : LongestCall <= TimeSpan.Zero ? "Ivr:LongestCall must be positive"
        : string.IsNullOrWhiteSpace(Prompt) ? "Ivr:Prompt must name one of the SIP edge's prompts"
        : null;
}

/// <summary>One line of the survey policy: the calls it covers (unset fields match any) and how they are surveyed.</summary>
public sealed class SurveyRule
{
    public const string DefaultQuestion = "您好，请对刚才为您服务的客服代表进行评价：回复1-5（5非常满意，4满意，3一般，2不满意，1非常不满意）。回复TD退订。";

    public string? Queue { get; set; }

    /// <summary>The subscriber's brand in the master data (e.g. 全球通, 动感地带, 神州行).</summary>
    public string? Brand { get; set; }

    /// <summary>The customer class: VIP subscribers, or the others.</summary>
    public bool? Vip { get; set; }

    /// <summary>The share of the covered calls surveyed, 0 to 1.</summary>
    public double SampleRate { get; set; } = 1;

    /// <summary>How they are asked; null: these calls are not surveyed.</summary>
    public SurveyChannel? Channel { get; set; } = SurveyChannel.Sms;

    public string? Question { get; set; }

    public bool Matches(string queue, CustomerProfile? caller) =>
        (Queue is null || Queue == queue)
        && (Brand is null || Brand == caller?.Brand)
        && (Vip is null || Vip == (caller?.Vip ?? false));
}

/// <summary>The survey's draw: a hash of the call id against the sampling rate, the same wherever and however often it is drawn.</summary>
public static class SurveySampling
{
    public static bool Draws(string callId, double rate)
    {
        if (rate >= 1)
        {
            return true;
        }

        // FNV-1a over the id's UTF-16 units: stable across processes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var unit in callId)
        {
            hash = (hash ^ unit) * 16777619u;
        }

        return hash / (double)uint.MaxValue < rate;
    }
}
