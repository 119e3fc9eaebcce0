using ContactCenter.Calls;
using ContactCenter.Customers;
using ContactCenter.Kpis;
using ContactCenter.Surveys;

namespace ContactCenter.Tests.Surveys;

/// <summary>
/// A survey's life on a fake clock: sent after its delay and never at night, reminded once, expired after its reply
/// window (a later reply kept, not counted), retried with a growing wait while the SMS gateway is down and failed
/// after the give-up time, a send a lost silo interrupted confirmed by its delivery report or sent again, and the
/// durable wake time always the earliest thing due.
/// </summary>
public sealed class SurveyLifeTests
{
    private static readonly CenterCalendar Shanghai = CenterCalendar.For("Asia/Shanghai");
    private static readonly SurveyRequest Request = new("c1", "+8613912345678", "billing", "a1", "全球通", At(10, 0), SurveyChannel.Sms, "rate us 1-5");

    private readonly SurveyPolicyOptions _policy = new()
    {
        Enabled = true,
        Delay = TimeSpan.FromMinutes(1),
        ReplyWindow = TimeSpan.FromHours(24),
        ReminderAfter = TimeSpan.FromHours(4),
    };

    private SurveyLife Life => new(
        _policy, new QuietHours(_policy.QuietFrom, _policy.QuietUntil, Shanghai), new QuietHours(_policy.Callback.AllowedUntil, _policy.Callback.AllowedFrom, Shanghai));

    /// <summary>A moment of 2026-12-08 in Shanghai.</summary>
    private static DateTimeOffset At(int hour, int minute, int day = 8) => new(2026, 12, day, hour, minute, 0, TimeSpan.FromHours(8));

    private SurveyRecord Scheduled(DateTimeOffset now) => Life.Schedule(Request, Shanghai.DayOf(now), now);

    private (SurveyRecord Survey, SurveyMessage Message) SendDue(SurveyRecord survey, DateTimeOffset now)
    {
        var step = Life.Due(survey, now);
        Assert.NotNull(step.Message);
        return (step.Record!, step.Message);
    }

    private SurveyRecord SentAt(DateTimeOffset now)
    {
        var (sending, message) = SendDue(Scheduled(now - _policy.Delay), now);
        return Life.Sent(sending, message, now);
    }

    [Fact]
    public void TheQuestionIsDueAfterTheDelayAndNotBefore()
    {
        var survey = Scheduled(At(10, 0));
        Assert.Equal(At(10, 1), survey.WakeAt);
        Assert.Same(SurveyStep.Nothing, Life.Due(survey, At(10, 0).AddSeconds(30)));

        var (sending, message) = SendDue(survey, At(10, 1));

        Assert.Equal((SurveyMessageKind.Question, 1), (message.Kind, message.Number));
        Assert.Equal(message, sending.Pending);
        var sent = Life.Sent(sending, message, At(10, 1));
        Assert.Equal(SurveyStatus.Sent, sent.Status);
        Assert.Equal(At(14, 1), sent.WakeAt); // the reminder, before the expiry
        Assert.Equal(At(10, 1).AddHours(24), sent.ExpiresAt);
    }

    [Fact]
    public void ACallThatEndsAtNightIsAskedWhenTheNightEnds()
    {
        var survey = Scheduled(At(22, 30));

        var step = Life.Due(survey, At(22, 31));

        Assert.Null(step.Message);
        Assert.Equal(At(8, 0, day: 9), step.Record!.WakeAt);
        Assert.NotNull(Life.Due(step.Record, At(8, 0, day: 9)).Message);
    }

    [Fact]
    public void ATimerThatFiresIntoTheNightAfterAClockStepSendsNothing()
    {
        // Due at 20:59; the silo's clock stepped, and the wake comes at 03:00: it is night, so it waits for 08:00.
        var survey = Scheduled(At(20, 58));

        var step = Life.Due(survey, At(3, 0, day: 9));

        Assert.Null(step.Message);
        Assert.Equal(At(8, 0, day: 9), step.Record!.WakeAt);
    }

    [Fact]
    public void QuietHoursAcrossADaylightSavingChangeEndAtTheLocalMorningOfTheNewOffset()
    {
        // Berlin moves from +1 to +2 at 02:00 on 2027-03-28: the night of the 27th ends at 08:00 +2.
        var berlin = new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0), CenterCalendar.For("Europe/Berlin"));

        Assert.Equal(new DateTimeOffset(2027, 3, 28, 8, 0, 0, TimeSpan.FromHours(2)), berlin.NextAllowed(new DateTimeOffset(2027, 3, 27, 23, 0, 0, TimeSpan.FromHours(1))));
        Assert.True(berlin.IsQuiet(new DateTimeOffset(2027, 3, 28, 7, 30, 0, TimeSpan.FromHours(2))));
        Assert.False(berlin.IsQuiet(new DateTimeOffset(2027, 3, 28, 8, 0, 0, TimeSpan.FromHours(2))));
        // A night that ends in a skipped hour ends at the first moment after it.
        var skipped = new QuietHours(new TimeOnly(1, 0), new TimeOnly(2, 30), CenterCalendar.For("Europe/Berlin"));
        Assert.Equal(new DateTimeOffset(2027, 3, 28, 3, 0, 0, TimeSpan.FromHours(2)), skipped.NextAllowed(new DateTimeOffset(2027, 3, 28, 1, 30, 0, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void AnUnansweredSurveyIsRemindedOnceThenExpiresAndALateReplyIsKeptNotCounted()
    {
        var sent = SentAt(At(10, 1));

        var (reminding, reminder) = SendDue(sent, At(14, 1));
        Assert.Equal((SurveyMessageKind.Reminder, 2), (reminder.Kind, reminder.Number));
        var reminded = Life.Sent(reminding, reminder, At(14, 1));
        Assert.Equal(SurveyStatus.Reminded, reminded.Status);
        Assert.Equal(reminded.ExpiresAt, reminded.WakeAt);

        var expired = Life.Due(reminded, reminded.ExpiresAt!.Value).Record!;
        Assert.Equal(SurveyStatus.Expired, expired.Status);
        Assert.Null(expired.WakeAt);

        var (late, outcome) = Life.Reply(expired, new IncomingSms(Request.Subscriber, "5", At(12, 0, day: 9), null), At(12, 0, day: 9));
        Assert.Equal(ReplyOutcome.Late, outcome);
        Assert.Equal("5", late.LateReply);
        Assert.Equal(SurveyCounters.Zero with { Sent = 1 }, SurveyTally.Of(late));
    }

    [Fact]
    public void AReminderDueAtNightWaitsForTheMorningButTheExpiryDoesNot()
    {
        _policy.ReminderAfter = TimeSpan.FromHours(12);
        var sent = SentAt(At(10, 1));

        var step = Life.Due(sent, At(22, 1));

        Assert.Null(step.Message);
        Assert.Equal(At(8, 0, day: 9), step.Record!.WakeAt);
        _policy.ReplyWindow = TimeSpan.FromHours(2);
        var expiring = SentAt(At(20, 30));
        Assert.Equal(At(22, 30), expiring.WakeAt);
        Assert.Equal(SurveyStatus.Expired, Life.Due(expiring, At(22, 30)).Record!.Status);
    }

    [Fact]
    public void WhileTheGatewayIsDownTheMessageWaitsLongerEachTimeAndTheSurveyFailsAtTheQuestionsDeadline()
    {
        var (sending, message) = SendDue(Scheduled(At(10, 0)), At(10, 1));

        var first = Life.GatewayDown(sending, message, "connection refused", At(10, 1));
        Assert.Equal(SurveyStatus.Scheduled, first.Status);
        Assert.Equal(At(10, 1) + _policy.RetryAfter, first.WakeAt);
        var (again, retry) = SendDue(first, first.WakeAt!.Value);
        Assert.Equal(2, retry.Number);
        var second = Life.GatewayDown(again, retry, "connection refused", first.WakeAt!.Value);
        Assert.Equal(first.WakeAt + 2 * _policy.RetryAfter, second.WakeAt);

        var deadline = Request.CallEndedAt + _policy.SendWithin;
        var (last, final) = SendDue(second with { OutboxAt = deadline - TimeSpan.FromSeconds(1), WakeAt = deadline - TimeSpan.FromSeconds(1) }, deadline - TimeSpan.FromSeconds(1));
        var failed = Life.GatewayDown(last, final, "connection refused", deadline);
        Assert.Equal(SurveyStatus.Failed, failed.Status);
        Assert.Contains("unavailable", failed.Failure);
        Assert.Null(failed.WakeAt);
    }

    [Fact]
    public void ASendWithNoAnswerIsConfirmedByItsDeliveryReportOrSentAgainAfterTheGrace()
    {
        // What the record says while the hand-over's answer is outstanding, and what it stays at if none comes.
        var (interrupted, message) = SendDue(Scheduled(At(10, 0)), At(10, 1));
        Assert.Equal(At(10, 1) + _policy.UnconfirmedSendGrace, interrupted.WakeAt);

        var confirmed = Life.Delivery(interrupted, message.Number, delivered: false, failed: false, At(10, 2));
        Assert.Equal(SurveyStatus.Sent, confirmed.Status);
        Assert.Null(confirmed.Pending);

        var unconfirmed = Life.Due(interrupted, interrupted.WakeAt!.Value).Record!;
        Assert.Null(unconfirmed.Pending);
        Assert.Equal(SurveyMessageKind.Question, unconfirmed.Outbox);
        Assert.Equal(2, SendDue(unconfirmed, unconfirmed.WakeAt!.Value).Message.Number);
    }

    [Fact]
    public void AFailedDeliveryOfTheQuestionFailsTheSurveyAndRepeatedReportsChangeNothing()
    {
        var sent = SentAt(At(10, 1));
        var delivered = Life.Delivery(sent, 1, delivered: true, failed: false, At(10, 2));
        Assert.Equal(At(10, 2), delivered.DeliveredAt);
        Assert.Same(delivered, Life.Delivery(delivered, 1, delivered: true, failed: false, At(10, 3)));

        var failed = Life.Delivery(sent, 1, delivered: false, failed: true, At(10, 2));
        Assert.Equal(SurveyStatus.Failed, failed.Status);
        Assert.Same(failed, Life.Delivery(failed, 1, delivered: false, failed: true, At(10, 3)));
        Assert.Same(sent, Life.Delivery(sent, 7, delivered: false, failed: true, At(10, 2))); // not the question's
    }

    [Fact]
    public void ARefusedQuestionFailsTheSurveyButARefusedReminderOnlyDropsTheReminder()
    {
        var (sending, question) = SendDue(Scheduled(At(10, 0)), At(10, 1));
        Assert.Equal(SurveyStatus.Failed, Life.Refused(sending, question, "bad number", At(10, 1)).Status);

        var (reminding, reminder) = SendDue(SentAt(At(10, 1)), At(14, 1));
        var dropped = Life.Refused(reminding, reminder, "throttled", At(14, 1));
        Assert.Equal(SurveyStatus.Sent, dropped.Status);
        Assert.Equal(dropped.ExpiresAt, dropped.WakeAt);
    }

    [Fact]
    public void ScoresOptOutsAndUnreadableRepliesChangeTheSurveyAsTheyShould()
    {
        var sent = SentAt(At(10, 1));
        IncomingSms Sms(string text) => new(Request.Subscriber, text, At(10, 5), null);

        var (low, scored) = Life.Reply(sent, Sms("1"), At(10, 5));
        Assert.Equal((ReplyOutcome.Scored, SurveyStatus.Answered, 1, true), (scored, low.Status, low.Score, low.FollowUp));
        Assert.Equal(new SurveyCounters { Sent = 1, Answered = 1, LowScores = 1, ScoreSum = 1 }, SurveyTally.Of(low));
        // Closed, the low score's work order still to open: due at once, and nothing more once it is.
        Assert.Equal(At(10, 5), low.WakeAt);
        Assert.Equal(SurveyLife.WorkOrderIdOf(Request.CallId), Life.Due(low, At(10, 5)).WorkOrder);
        var ordered = SurveyLife.WorkOrderOpened(low, SurveyLife.WorkOrderIdOf(Request.CallId), At(10, 5));
        Assert.Null(ordered.WakeAt);
        Assert.Same(SurveyStep.Nothing, Life.Due(ordered, At(10, 6)));

        var (optedOut, outcome) = Life.Reply(sent, Sms("TD"), At(10, 5));
        Assert.Equal((ReplyOutcome.OptedOut, SurveyStatus.OptedOut), (outcome, optedOut.Status));

        var (asking, asked) = Life.Reply(sent, Sms("what?"), At(10, 5));
        Assert.Equal(ReplyOutcome.AskedAgain, asked);
        Assert.Equal(At(10, 5), asking.WakeAt);
        var (askingAgain, message) = SendDue(asking, At(10, 5));
        Assert.Equal(SurveyMessageKind.AskAgain, message.Kind);
        var askedOnce = Life.Sent(askingAgain, message, At(10, 5));
        var (_, unreadable) = Life.Reply(askedOnce, Sms("still what?"), At(10, 6));
        Assert.Equal(ReplyOutcome.Unreadable, unreadable);
        Assert.Equal(ReplyOutcome.Scored, Life.Reply(askedOnce, Sms("满意"), At(10, 7)).Outcome);
    }

    [Fact]
    public void AReplyBeforeTheQuestionWasSentIsNotAnAnswerButAnOptOutStopsTheQuestion()
    {
        var scheduled = Scheduled(At(22, 0)); // waiting for the morning
        var (survey, outcome) = Life.Reply(scheduled, new IncomingSms(Request.Subscriber, "5", At(22, 5), null), At(22, 5));
        Assert.Equal(ReplyOutcome.NotAsked, outcome);
        Assert.Equal(SurveyStatus.Scheduled, survey.Status);

        var (optedOut, stop) = Life.Reply(scheduled, new IncomingSms(Request.Subscriber, "退订", At(22, 5), null), At(22, 5));
        Assert.Equal((ReplyOutcome.OptedOut, SurveyStatus.OptedOut), (stop, optedOut.Status));
        Assert.Null(optedOut.WakeAt);
        Assert.Same(SurveyStep.Nothing, Life.Due(optedOut, At(8, 0, day: 9)));
    }

    [Fact]
    public void AQuestionNotSentWithinItsDeadlineIsNotSentAtAll()
    {
        // Surveys were switched off for two days (or the silo's timers stood still): the old call is not asked about.
        var step = Life.Due(Scheduled(At(10, 0)), At(10, 0, day: 10));

        Assert.Null(step.Message);
        Assert.Equal(SurveyStatus.Failed, step.Record!.Status);
        Assert.Contains("not sent within", step.Record.Failure);
        Assert.Equal(SurveyCounters.Zero, SurveyTally.Of(step.Record));
    }

    [Fact]
    public void AfterAnyReplyNoReminderIsSent()
    {
        var sent = SentAt(At(10, 1));
        var (asking, _) = Life.Reply(sent, new IncomingSms(Request.Subscriber, "what?", At(13, 0), null), At(13, 0));
        var (askingAgain, message) = SendDue(asking, At(13, 0));
        var asked = Life.Sent(askingAgain, message, At(13, 0));

        Assert.Equal(asked.ExpiresAt, asked.WakeAt); // not the reminder at 14:01
        Assert.Null(Life.Due(asked, At(14, 1)).Message);
    }

    [Fact]
    public void AnUnreadableLongReplyStartingWithAnOptOutWordIsReadAsTheSubscribersGrainReadsIt()
    {
        var sent = SentAt(At(10, 1));
        var text = "TD " + new string('x', SurveyReplies.MaxLength);

        var (survey, outcome) = Life.Reply(sent, new IncomingSms(Request.Subscriber, text, At(10, 5), null), At(10, 5));

        Assert.Equal(SurveyReplies.Read(text).Kind == SurveyReplyKind.OptOut ? ReplyOutcome.OptedOut : ReplyOutcome.AskedAgain, outcome);
        Assert.Equal(SurveyReplies.MaxLength, survey.Reply!.Length);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 10_000)]
    [InlineData(0.1, 1_000)]
    public void TheSamplingDrawsTheRateAndTheSameCallAlwaysDrawsTheSame(double rate, int expected)
    {
        var drawn = Enumerable.Range(0, 10_000).Count(i => SurveySampling.Draws($"call-{i}", rate));
        Assert.InRange(drawn, expected * 0.9, expected * 1.1 + 1);
        Assert.Equal(SurveySampling.Draws("call-42", rate), SurveySampling.Draws("call-42", rate));
    }

    [Fact]
    public void ThePolicysFirstMatchingRuleDecidesAndOnlyCallsEndedTalkingToAnAgentAreSurveyed()
    {
        var policy = new SurveyPolicyOptions
        {
            Enabled = true,
            Rules = [new SurveyRule { Vip = true, Channel = null }, new SurveyRule { Queue = "billing", Question = "billing?" }],
            Default = new SurveyRule { SampleRate = 1, Question = "default?" },
        };
        var call = new CallSnapshot
        {
            CallId = "c1",
            GatewayId = "g",
            Phase = CallPhase.Talking,
            LastSequence = 3,
            Caller = "+8613912345678",
            Dialled = "10086",
            Region = "nanjing",
            OfferedAt = At(9, 58),
            Queue = "billing",
            Agent = "a1",
            AnsweredAt = At(10, 0),
        };
        var caller = new CustomerProfile("+8613912345678", true, "全球通", false, null, null, null, null);

        Assert.Equal("billing?", policy.PlanFor(call, caller, At(10, 5))!.Question);
        Assert.Equal("default?", policy.PlanFor(call with { Queue = "sales" }, caller, At(10, 5))!.Question);
        Assert.Null(policy.PlanFor(call, caller with { Vip = true }, At(10, 5)));
        Assert.Null(policy.PlanFor(call with { Phase = CallPhase.Queued, Agent = null }, caller, At(10, 5))); // hung up waiting
        Assert.Null(policy.PlanFor(call with { Phase = CallPhase.Ringing, Agent = "a2" }, caller, At(10, 5))); // a transfer's ring
        Assert.NotNull(policy.PlanFor(call with { Phase = CallPhase.OnHold }, caller, At(10, 5)));
        Assert.Null(policy.PlanFor(call with { Caller = PhoneNumbers.Withheld }, caller, At(10, 5)));
        Assert.Null(new SurveyPolicyOptions().PlanFor(call, caller, At(10, 5))); // surveys are off until enabled
    }
}
