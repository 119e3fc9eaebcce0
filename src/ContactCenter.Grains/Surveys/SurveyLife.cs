using ContactCenter.Gateways;
using ContactCenter.Outbound;

namespace ContactCenter.Surveys;

/// <summary>
/// A survey's life as a function of its record and the time: what is due when it wakes, what a sent, refused or
/// failed message, a reply and a delivery report make of it. The grain carries the steps out (saves, sends); this
/// decides them, and sets every step's <see cref="SurveyRecord.WakeAt"/> (one rule: <see cref="NextWake"/>).
/// </summary>
/// <param name="quiet">The night of SMS surveys.</param>
/// <param name="callbackNight">The hours outside which callbacks are placed (<see cref="SurveyCallbackOptions.AllowedFrom"/> to <see cref="SurveyCallbackOptions.AllowedUntil"/>).</param>
public sealed class SurveyLife(SurveyPolicyOptions policy, QuietHours quiet, QuietHours callbackNight)
{
    /// <summary>How often a callback in progress is looked at: the outbound call's result reaches the survey this late at most.</summary>
    public static readonly TimeSpan CallbackPollPeriod = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a callback holds its place in the trunk's share without looking at its call (it takes it again each
    /// time it does): the edge's time to claim it, ringing, the question and the keys, and room.
    /// </summary>
    public TimeSpan CallbackHold => OutboundCallLife.ClaimWithin + TimeSpan.FromSeconds(policy.Callback.RingSeconds + policy.Callback.DigitSeconds + 120);

    /// <summary>The outbound call a callback survey places: the subscriber, the edge's prompt, one key.</summary>
    public OutboundCallRequest CallbackRequest(SurveyRecord survey) =>
        new(survey.Request.Subscriber, policy.Callback.Prompt, MaxDigits: 1, policy.Callback.DigitSeconds, policy.Callback.RingSeconds, CallerId: null);

    /// <summary>The outbound call ids of callback surveys begin so; the outbound call API keeps them for the surveys.</summary>
    public const string CallbackCallPrefix = "survey-callback-";

    /// <summary>The outbound call of a callback survey's attempt: its id makes placing it again (after a lost answer) place nothing new.</summary>
    public static string CallbackCallId(string callId, int attempt) => $"{CallbackCallPrefix}{attempt}-{callId}";

    /// <summary>How long a subscriber's reply goes to a survey that closed, as a late reply.</summary>
    public static readonly TimeSpan LateReplyWindow = TimeSpan.FromDays(7);

    /// <summary>The longest a survey can stay open: its question's last chance, the reply window after it, and a day to spare.</summary>
    public static TimeSpan LongestOpen(SurveyPolicyOptions policy) => policy.SendWithin + policy.ReplyWindow + policy.UnconfirmedSendGrace + TimeSpan.FromDays(1);

    /// <summary>
    /// A new survey. An IVR survey, started at the answer, asks its gateway at once (the agent may hang up any moment)
    /// and gives its call <see cref="SurveyIvrOptions.LongestCall"/> to end.
    /// </summary>
    public SurveyRecord Schedule(SurveyRequest request, DateOnly day, DateTimeOffset now) => Woken(new SurveyRecord
    {
        Request = request,
        Day = day,
        Status = SurveyStatus.Scheduled,
        Outbox = SurveyMessageKind.Question,
        OutboxAt = request.Channel == SurveyChannel.Ivr ? now : now + policy.Delay,
        ExpiresAt = request.Channel == SurveyChannel.Ivr ? now + policy.Ivr.LongestCall : null,
        UpdatedAt = now,
    });

    /// <summary>The ids of the orders low scores open begin so; the work-order API keeps them for the surveys.</summary>
    public const string WorkOrderPrefix = "survey-";

    /// <summary>
    /// The work order a survey's low score opens: its id makes opening it again (after a lost answer) open nothing new.
    /// The call's own id when it fits an order's path; a hash of it when it is too long or holds a '/'.
    /// </summary>
    public static string WorkOrderIdOf(string callId) =>
        callId.Length <= 100 && !callId.Contains('/', StringComparison.Ordinal)
            ? WorkOrderPrefix + callId
            : WorkOrderPrefix + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(callId)))[..32];

    /// <summary>What the survey does when woken at <paramref name="now"/>.</summary>
    public SurveyStep Due(SurveyRecord survey, DateTimeOffset now)
    {
        if (survey.WakeAt is null || survey.WakeAt > now)
        {
            return SurveyStep.Nothing; // final, or woken early (a repeated or stale wake)
        }

        if (!survey.IsOpen)
        {
            // Closed with a low score whose work order is not open yet: the one thing a closed survey still does (and
            // nothing, its wake cleared, once orders from low scores are switched off).
            return NeedsWorkOrder(survey) ? SurveyStep.OpenWorkOrder(WorkOrderIdOf(survey.Request.CallId)) : SurveyStep.Save(survey with { WakeAt = null, UpdatedAt = now });
        }

        if (survey.Request.Channel == SurveyChannel.Callback)
        {
            return DueCallback(survey, now);
        }

        if (survey.Request.Channel == SurveyChannel.Ivr)
        {
            return DueAfterCall(survey, now);
        }

        if (survey.Pending is { } pending)
        {
            // A hand-over that had no answer (timed out, or a lost silo's): no delivery report named it within the
            // grace time (the wake is set to its end), so it was not sent.
            return SurveyStep.Save(Woken(survey with { Pending = null, Outbox = pending.Kind, OutboxAt = now, UpdatedAt = now }));
        }

        if (survey.ExpiresAt <= now)
        {
            return SurveyStep.Save(Close(survey with { Status = SurveyStatus.Expired, Outbox = null }, now));
        }

        if (survey.Outbox == SurveyMessageKind.Question && now >= QuestionDeadline(survey))
        {
            return SurveyStep.Save(Close(survey with { Status = SurveyStatus.Failed, Outbox = null, Failure = $"not sent within {policy.SendWithin} of the call" }, now));
        }

        var outbox = survey.Outbox;
        if (outbox is null && ReminderDue(survey) <= now)
        {
            outbox = SurveyMessageKind.Reminder;
        }

        if (outbox is null || survey.Outbox is not null && survey.OutboxAt > now)
        {
            return SurveyStep.Save(Woken(survey with { UpdatedAt = now }));
        }

        if (quiet.IsQuiet(now))
        {
            return SurveyStep.Save(Woken(survey with { Outbox = outbox, OutboxAt = quiet.NextAllowed(now), UpdatedAt = now }));
        }

        var message = new SurveyMessage(outbox.Value, survey.Messages + 1, now);
        return SurveyStep.Send(
            Woken(survey with { Outbox = null, OutboxAt = null, Pending = message, Messages = message.Number, UpdatedAt = now }),
            message,
            Text(survey, outbox.Value));
    }

    /// <summary>
    /// A callback survey that is due: its call in progress looked at, or the next call placed (allowed hours, the
    /// question's deadline permitting). What can still keep it from being placed (the subscriber on a call with the
    /// center, no room in the trunk's share, no gateway) the grain asks before it places it (<see cref="CallbackPutOff"/>).
    /// </summary>
    private SurveyStep DueCallback(SurveyRecord survey, DateTimeOffset now)
    {
        if (survey.CallbackCall is { } call)
        {
            return SurveyStep.Poll(call);
        }

        if (survey.Outbox is null || survey.OutboxAt > now)
        {
            return SurveyStep.Save(Woken(survey with { UpdatedAt = now }));
        }

        if (now >= QuestionDeadline(survey))
        {
            return SurveyStep.Save(Close(survey with { Status = SurveyStatus.Failed, Outbox = null, Failure = $"not called within {policy.SendWithin} of the call" }, now));
        }

        if (callbackNight.IsQuiet(now))
        {
            return SurveyStep.Save(Woken(survey with { OutboxAt = callbackNight.NextAllowed(now), UpdatedAt = now }));
        }

        var attempt = survey.CallbackAttempts + 1;
        var id = CallbackCallId(survey.Request.CallId, attempt);
        return SurveyStep.Dial(
            survey with { Outbox = null, OutboxAt = null, CallbackAttempts = attempt, CallbackCall = id, WakeAt = now + CallbackPollPeriod, UpdatedAt = now },
            id,
            CallbackRequest(survey));
    }

    /// <summary>
    /// An IVR survey that is due: its gateway asked to keep the caller for the question, or its time is up (the call did
    /// not end in time, or the gateway's report did not come after it ended).
    /// </summary>
    private SurveyStep DueAfterCall(SurveyRecord survey, DateTimeOffset now)
    {
        if (survey.ExpiresAt <= now)
        {
            var why = survey.CallerKeptAt is null
                ? $"not asked: the call did not end within {policy.Ivr.LongestCall} of its answer"
                : $"no report from the gateway within {policy.Ivr.AnswerWithin} of the call's end";
            return SurveyStep.Save(Close(survey with { Status = SurveyStatus.Failed, Outbox = null, Failure = why }, now));
        }

        if (survey.Outbox is null || survey.OutboxAt > now)
        {
            return SurveyStep.Save(Woken(survey with { UpdatedAt = now }));
        }

        if (survey.Request.GatewayId is null)
        {
            return SurveyStep.Save(Close(survey with { Status = SurveyStatus.Failed, Outbox = null, Failure = "not asked: the call's gateway is not known" }, now));
        }

        // Recorded as asked before the command is sent, and still due again after the retry wait: should the send fail
        // (or its answer be lost), the gateway is asked again then, and at worst twice (it does the same twice once).
        var ask = new SurveyAfterCall(survey.Request.CallId, policy.Ivr.Prompt, MaxDigits: 1, policy.Ivr.DigitSeconds);
        return SurveyStep.AskGateway(Woken(survey with { OutboxAt = now + policy.RetryAfter, GatewayAskedAt = now, UpdatedAt = now }), ask);
    }

    /// <summary>The gateway's command is durable: nothing more to send.</summary>
    public SurveyRecord GatewayAsked(SurveyRecord survey, DateTimeOffset now) =>
        Woken(survey with { Outbox = null, OutboxAt = null, UpdatedAt = now });

    /// <summary>
    /// Whether a wake or a reply closed the survey (<paramref name="before"/> to <paramref name="after"/>) while its gateway
    /// was asked to keep the caller and the call goes on: the gateway must be told to let the caller go after all, or a
    /// subscriber who opted out would still be asked on the line.
    /// </summary>
    public static bool ClosedWhileGatewayAsked(SurveyRecord before, SurveyRecord after) =>
        before is { IsOpen: true, Request.Channel: SurveyChannel.Ivr, GatewayAskedAt: not null, CallerKeptAt: null } && !after.IsOpen;

    /// <summary>
    /// The IVR survey's call ended: the survey is about the agent and queue of the end, and counts for its day. With the
    /// caller kept on the line, the gateway's report is awaited; otherwise the caller was not asked, and the survey fails
    /// without having surveyed them. A repeated end, or one after the report, changes nothing.
    /// </summary>
    public SurveyRecord AfterCallEnded(SurveyRecord survey, SurveyCallEnd end, DateOnly day, DateTimeOffset now)
    {
        if (survey.Request.Channel != SurveyChannel.Ivr || !survey.IsOpen || survey.CallerKeptAt is not null)
        {
            return survey;
        }

        var ended = survey with { Request = survey.Request with { Agent = end.Agent ?? survey.Request.Agent, Queue = end.Queue ?? survey.Request.Queue, CallEndedAt = end.EndedAt }, Day = day, UpdatedAt = now };
        if (!end.CallerKept || survey.GatewayAskedAt is null)
        {
            var why = end.CallerKept ? "not asked: the gateway was not asked before the call ended" : "not asked: the call did not end with the agent hanging up on the caller";
            return Close(ended with { Status = SurveyStatus.Failed, Outbox = null, Failure = why }, now);
        }

        return Woken(ended with { CallerKeptAt = end.EndedAt, ExpiresAt = now + policy.Ivr.AnswerWithin });
    }

    /// <summary>
    /// The gateway's report of the question put after the call: a key 1-5 is the score; heard and no score, the survey
    /// expires (the caller was asked); not put at all, it fails (they were not). The same report again is taken again.
    /// </summary>
    public (SurveyRecord Survey, AfterCallAnswerOutcome Outcome) AfterCallAnswered(SurveyRecord survey, string gatewayId, AfterCallAnswer answer, DateTimeOffset now)
    {
        if (survey.Request.Channel != SurveyChannel.Ivr)
        {
            return (survey, AfterCallAnswerOutcome.NoSurvey);
        }

        if (survey.Request.GatewayId != gatewayId)
        {
            return (survey, AfterCallAnswerOutcome.WrongGateway);
        }

        if (!survey.IsOpen)
        {
            return (survey, survey.AnswerReportedAt == answer.At ? AfterCallAnswerOutcome.Taken : AfterCallAnswerOutcome.Closed);
        }

        var reported = survey with { AnswerReportedAt = answer.At, Reply = answer.Digits, Outbox = null, UpdatedAt = now };
        if (!answer.Asked)
        {
            return (Close(reported with { Status = SurveyStatus.Failed, Failure = $"not asked: {answer.Cause}" }, now), AfterCallAnswerOutcome.Taken);
        }

        var asked = reported with { Status = SurveyStatus.Sent, SentAt = survey.CallerKeptAt ?? now };
        if (KeyedScore(answer.Digits) is { } score)
        {
            return (Close(asked with { Status = SurveyStatus.Answered, Score = score, AnsweredAt = now, FollowUp = score <= policy.LowScoreAtMost }, now), AfterCallAnswerOutcome.Taken);
        }

        var none = answer.Cause == "hung_up" ? "hung up after the question without keying a score" : "heard the question and keyed no score";
        return (Close(asked with { Status = SurveyStatus.Expired, Failure = none }, now), AfterCallAnswerOutcome.Taken);
    }

    /// <summary>The score a subscriber keyed on the phone: the first key, when it is 1-5.</summary>
    private static int? KeyedScore(string? digits) => digits is [var key and >= '1' and <= '5', ..] ? key - '0' : null;

    /// <summary>
    /// The attempt was recorded and its call never placed (the silo lost in between, or the placement failed): it is
    /// placed again under the same id, through every check a first placement passes (hours, deadline, the subscriber,
    /// the trunk's share, a gateway).
    /// </summary>
    public SurveyRecord CallbackNeverPlaced(SurveyRecord survey, DateTimeOffset now) =>
        Woken(survey with { CallbackCall = null, CallbackAttempts = survey.CallbackAttempts - 1, Outbox = SurveyMessageKind.Question, OutboxAt = now, UpdatedAt = now });

    /// <summary>The callback's id is another outbound call's (an operator's placed under it): not this survey's to follow.</summary>
    public SurveyRecord CallbackIdTaken(SurveyRecord survey, string id, DateTimeOffset now) =>
        Close(survey with { CallbackCall = null, Status = SurveyStatus.Failed, Failure = $"the callback's id {id} is taken by another outbound call" }, now);

    /// <summary>The callback could not be placed now (the subscriber is on a call with the center, the trunk's share is taken, no gateway): tried again at <paramref name="at"/>.</summary>
    public SurveyRecord CallbackPutOff(SurveyRecord survey, DateTimeOffset at, DateTimeOffset now) =>
        Woken(survey with { OutboxAt = at, UpdatedAt = now });

    /// <summary>The callback in progress is not over: looked at again shortly.</summary>
    public SurveyRecord CallbackGoingOn(SurveyRecord survey, DateTimeOffset now) =>
        survey with { WakeAt = now + CallbackPollPeriod, UpdatedAt = now };

    /// <summary>
    /// The callback's call is over. Answered with a key 1-5: the score; answered without one: the subscriber was asked
    /// and gave none, and the survey expires. Not answered or busy, or not dialled at all (the edge never claimed it):
    /// called again after a doubling wait, up to the attempts allowed. Declined or unreachable: not called again. Dialled
    /// and then lost to the center (the edge restarted, no result came): whether the subscriber was reached is not
    /// known, and they are not called a second time about the same call.
    /// </summary>
    public SurveyRecord CallbackFinished(SurveyRecord survey, OutboundCallSnapshot call, DateTimeOffset now)
    {
        var over = survey with { CallbackCall = null, UpdatedAt = now };
        if (call.Result == OutboundCallResult.Answered || call.AnsweredAt is not null)
        {
            over = over with { Status = SurveyStatus.Sent, SentAt = call.AnsweredAt ?? now, Reply = call.Digits };
            if (call.Result == OutboundCallResult.Answered && KeyedScore(call.Digits) is { } score)
            {
                return Close(over with { Status = SurveyStatus.Answered, Score = score, AnsweredAt = now, FollowUp = score <= policy.LowScoreAtMost }, now);
            }

            return Close(over with { Status = SurveyStatus.Expired, Failure = "answered the callback and keyed no score" }, now);
        }

        var callAgain = call.Result is OutboundCallResult.NoAnswer or OutboundCallResult.Busy
            || call.Result == OutboundCallResult.Failed && call.DialedAt is null;
        var callback = policy.Callback;
        if (!callAgain || survey.CallbackAttempts >= callback.MaxAttempts)
        {
            var why = callAgain ? $"not reached in {survey.CallbackAttempts} call(s)" : "not called again";
            return Close(over with { Status = SurveyStatus.Failed, Failure = $"{why}; the last: {call.Result} ({call.Cause})" }, now);
        }

        var wait = TimeSpan.FromTicks(callback.RetryAfter.Ticks << Math.Min(survey.CallbackAttempts - 1, 10));
        return Woken(over with { Outbox = SurveyMessageKind.Question, OutboxAt = now + wait });
    }

    /// <summary>The gateway took the message.</summary>
    public SurveyRecord Sent(SurveyRecord survey, SurveyMessage message, DateTimeOffset now)
    {
        var sent = survey with { Pending = null, SendFailures = 0, FailingSince = null, UpdatedAt = now };
        sent = message.Kind switch
        {
            SurveyMessageKind.Question => sent with
            {
                Status = SurveyStatus.Sent,
                SentAt = now,
                QuestionMessage = message.Number,
                ExpiresAt = now + policy.ReplyWindow,
            },
            SurveyMessageKind.Reminder => sent with { Status = SurveyStatus.Reminded, RemindedAt = now },
            _ => sent with { AskedAgain = true },
        };
        return Woken(sent);
    }

    /// <summary>The gateway refused the message for good (a bad number, bad credentials).</summary>
    public SurveyRecord Refused(SurveyRecord survey, SurveyMessage message, string reason, DateTimeOffset now)
    {
        var refused = survey with { Pending = null, SendFailures = 0, FailingSince = null, UpdatedAt = now };
        return message.Kind switch
        {
            SurveyMessageKind.Question => Close(refused with { Status = SurveyStatus.Failed, Outbox = null, Failure = reason }, now),
            // A reminder or a question asked again that is refused is not tried again; the survey waits for its answer.
            SurveyMessageKind.Reminder => Woken(refused with { RemindedAt = survey.RemindedAt ?? now }),
            _ => Woken(refused with { AskedAgain = true }),
        };
    }

    /// <summary>
    /// The gateway could not be reached or failed: the message is tried again later, with a doubling wait. A question
    /// the gateway does not take before its deadline fails the survey; another message is tried until the survey expires.
    /// </summary>
    public SurveyRecord GatewayDown(SurveyRecord survey, SurveyMessage message, string error, DateTimeOffset now)
    {
        if (message.Kind == SurveyMessageKind.Question && now >= QuestionDeadline(survey))
        {
            return Refused(survey, message, $"the SMS gateway was unavailable until {policy.SendWithin} after the call: {error}", now);
        }

        var failures = survey.SendFailures + 1;
        var wait = TimeSpan.FromTicks(Math.Min(policy.RetryAtMost.Ticks, policy.RetryAfter.Ticks << Math.Min(failures - 1, 20)));
        return Woken(survey with
        {
            Pending = null,
            Outbox = message.Kind,
            OutboxAt = now + wait,
            SendFailures = failures,
            FailingSince = survey.FailingSince ?? now,
            UpdatedAt = now,
        });
    }

    /// <summary>A delivery report for message <paramref name="number"/>; repeated reports change nothing.</summary>
    public SurveyRecord Delivery(SurveyRecord survey, int number, bool delivered, bool failed, DateTimeOffset now)
    {
        if (survey.Pending is { Number: var pending } message && pending == number && !failed)
        {
            // The report of a message whose send a lost silo interrupted: it was taken after all.
            survey = Sent(survey, message, now);
        }

        if (number != survey.QuestionMessage)
        {
            return survey;
        }

        if (delivered && survey.DeliveredAt is null)
        {
            return survey with { DeliveredAt = now, UpdatedAt = now };
        }

        return failed && survey.Status is SurveyStatus.Sent or SurveyStatus.Reminded
            ? Close(survey with { Status = SurveyStatus.Failed, Failure = "the SMS center could not deliver the message" }, now)
            : survey;
    }

    /// <summary>A subscriber's text for this survey.</summary>
    public (SurveyRecord Survey, ReplyOutcome Outcome) Reply(SurveyRecord survey, IncomingSms sms, DateTimeOffset now)
    {
        // Read whole, as the subscriber's grain reads it (an opt-out is one for both); kept cut to a bounded length.
        var reply = SurveyReplies.Read(sms.Text);
        var text = sms.Text.Length > SurveyReplies.MaxLength ? sms.Text[..SurveyReplies.MaxLength] : sms.Text;
        if (survey.Status == SurveyStatus.Expired)
        {
            return (survey with { LateReply = text, UpdatedAt = now }, ReplyOutcome.Late);
        }

        if (survey.Status == SurveyStatus.Scheduled)
        {
            // Not asked yet: no score can answer it, but an opt-out stops it before it is sent.
            return reply.Kind == SurveyReplyKind.OptOut
                ? (Close(survey with { Status = SurveyStatus.OptedOut, Outbox = null, Reply = text }, now), ReplyOutcome.OptedOut)
                : (survey, ReplyOutcome.NotAsked);
        }

        if (!survey.IsOpen)
        {
            return (survey, ReplyOutcome.NoSurvey); // answered, opted out or failed: not an answer to this survey
        }

        var replied = survey with { Reply = text, UpdatedAt = now };
        switch (reply.Kind)
        {
            case SurveyReplyKind.Score:
                var score = reply.Score!.Value;
                return (Close(replied with
                {
                    Status = SurveyStatus.Answered,
                    Score = score,
                    AnsweredAt = now,
                    FollowUp = score <= policy.LowScoreAtMost,
                    Outbox = null,
                }, now), ReplyOutcome.Scored);
            case SurveyReplyKind.OptOut:
                return (Close(replied with { Status = SurveyStatus.OptedOut, Outbox = null }, now), ReplyOutcome.OptedOut);
            default:
                // Asked again once, at once (quiet hours permitting); a reminder still waiting is not sent after a reply.
                return survey.AskedAgain || survey.Outbox == SurveyMessageKind.AskAgain
                    ? (Woken(replied), ReplyOutcome.Unreadable)
                    : (Woken(replied with { Outbox = SurveyMessageKind.AskAgain, OutboxAt = now }), ReplyOutcome.AskedAgain);
        }
    }

    /// <summary>A supervisor dealt with the low score.</summary>
    public static SurveyRecord FollowedUp(SurveyRecord survey, string by, DateTimeOffset now) =>
        survey with { FollowUpClosedAt = now, FollowUpClosedBy = by, UpdatedAt = now };

    private string Text(SurveyRecord survey, SurveyMessageKind kind) => kind switch
    {
        SurveyMessageKind.Question => survey.Request.Question,
        SurveyMessageKind.Reminder => policy.Reminder,
        _ => policy.AskAgain,
    };

    /// <summary>When the reminder is due: sent, never reminded, and no reply of any kind (an unreadable one was asked again).</summary>
    private DateTimeOffset? ReminderDue(SurveyRecord survey) =>
        survey is { Status: SurveyStatus.Sent, RemindedAt: null, SentAt: { } sent, Reply: null, AskedAgain: false } && policy.ReminderAfter > TimeSpan.Zero
            ? sent + policy.ReminderAfter
            : null;

    private DateTimeOffset QuestionDeadline(SurveyRecord survey) => survey.Request.CallEndedAt + policy.SendWithin;

    /// <summary>Final: nothing more is due, but the work order of a low score, at once (the timers open it, and again until it is).</summary>
    private SurveyRecord Close(SurveyRecord survey, DateTimeOffset now) =>
        survey with { Pending = null, OutboxAt = null, WakeAt = NeedsWorkOrder(survey) ? now : null, UpdatedAt = now };

    private bool NeedsWorkOrder(SurveyRecord survey) => policy.LowScoreOpensWorkOrder && survey is { FollowUp: true, WorkOrderId: null };

    /// <summary>The low score's work order is open.</summary>
    public static SurveyRecord WorkOrderOpened(SurveyRecord survey, string id, DateTimeOffset now) =>
        survey with { WorkOrderId = id, WakeAt = null, UpdatedAt = now };

    /// <summary>The record with its next wake: the earliest of what is due (a send, a reminder, the expiry, an unconfirmed send's grace).</summary>
    private SurveyRecord Woken(SurveyRecord survey) => survey with { WakeAt = NextWake(survey) };

    private DateTimeOffset? NextWake(SurveyRecord survey)
    {
        if (!survey.IsOpen)
        {
            return null;
        }

        if (survey.Pending is { } pending)
        {
            return pending.Since + policy.UnconfirmedSendGrace;
        }

        // A message in the outbox (a reminder put off by the night, too) is due at its own time.
        DateTimeOffset?[] due = survey.Outbox is null ? [ReminderDue(survey), survey.ExpiresAt] : [survey.OutboxAt, survey.ExpiresAt];
        return due.Where(d => d is not null).Min();
    }
}

/// <summary>
/// What a woken survey does: nothing; save a new record; save it and send a message; save it and place a callback
/// (<see cref="Callback"/>, under the id <see cref="CallbackCall"/>); look at its callback in progress; or ask its
/// call's gateway to put the question after the call (<see cref="AfterCall"/>), and save it; or, closed with a low score,
/// open its work order (<see cref="WorkOrder"/>, the order's id).
/// </summary>
public sealed record SurveyStep(
    SurveyRecord? Record, SurveyMessage? Message, string? Text, string? CallbackCall = null, OutboundCallRequest? Callback = null, SurveyAfterCall? AfterCall = null, string? WorkOrder = null)
{
    public static SurveyStep AskGateway(SurveyRecord record, SurveyAfterCall command) => new(record, null, null, AfterCall: command);

    public static readonly SurveyStep Nothing = new(null, null, null);

    public static SurveyStep Save(SurveyRecord record) => new(record, null, null);

    public static SurveyStep Send(SurveyRecord record, SurveyMessage message, string text) => new(record, message, text);

    public static SurveyStep Dial(SurveyRecord record, string callId, OutboundCallRequest request) => new(record, null, null, callId, request);

    public static SurveyStep Poll(string callId) => new(null, null, null, callId);

    public static SurveyStep OpenWorkOrder(string id) => new(null, null, null, WorkOrder: id);
}
