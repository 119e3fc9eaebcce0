using ContactCenter.Calls;
using ContactCenter.Kpis;
using ContactCenter.Surveys;

namespace ContactCenter.Tests.Surveys;

/// <summary>
/// An IVR survey's life on a fake clock: started at the answer, it asks the call's gateway at once; the call's end
/// tells it whether the caller was kept for the question; the gateway's report scores it, or says the caller was not
/// asked; a call that never ends, or a report that never comes, fails it without counting the subscriber as surveyed.
/// </summary>
public sealed class AfterCallSurveyLifeTests
{
    private static readonly CenterCalendar Shanghai = CenterCalendar.For("Asia/Shanghai");
    private static readonly SurveyRequest Request = new("c1", "+8613912345678", "billing", "a1", null, At(23, 50), SurveyChannel.Ivr, "", "edge-1");

    private readonly SurveyPolicyOptions _policy = new() { Enabled = true, Delay = TimeSpan.FromMinutes(5) };

    private SurveyLife Life => new(
        _policy, new QuietHours(_policy.QuietFrom, _policy.QuietUntil, Shanghai), new QuietHours(_policy.Callback.AllowedUntil, _policy.Callback.AllowedFrom, Shanghai));

    private static DateTimeOffset At(int hour, int minute, int day = 8) => new(2026, 12, day, hour, minute, 0, TimeSpan.FromHours(8));

    /// <summary>Answered at 23:50 (in the night: the line is open, no quiet hours), the gateway asked.</summary>
    private SurveyRecord Asked()
    {
        var step = Life.Due(Life.Schedule(Request, Shanghai.DayOf(At(23, 50)), At(23, 50)), At(23, 50));
        Assert.NotNull(step.AfterCall);
        return Life.GatewayAsked(step.Record!, At(23, 50));
    }

    private SurveyRecord EndedWithCallerKept() =>
        Life.AfterCallEnded(Asked(), new SurveyCallEnd("billing-vip", "a2", At(0, 5, day: 9), CallerKept: true), Shanghai.DayOf(At(0, 5, day: 9)), At(0, 5, day: 9));

    [Fact]
    public void TheGatewayIsAskedAtOnceWithoutTheSmsDelayOrQuietHours()
    {
        var survey = Life.Schedule(Request, Shanghai.DayOf(At(23, 50)), At(23, 50));
        Assert.Equal(At(23, 50), survey.WakeAt);

        var step = Life.Due(survey, At(23, 50));

        Assert.Equal(new Gateways.SurveyAfterCall("c1", _policy.Ivr.Prompt, 1, _policy.Ivr.DigitSeconds), step.AfterCall);
        Assert.Equal((SurveyStatus.Scheduled, At(23, 50)), (step.Record!.Status, step.Record.GatewayAskedAt));
    }

    [Fact]
    public void TheGatewayIsAskedAgainAtTheRetryWaitUnlessTheSendWasRecorded()
    {
        var step = Life.Due(Life.Schedule(Request, Shanghai.DayOf(At(23, 50)), At(23, 50)), At(23, 50));

        // Recorded as asked before the send: a send that failed is made again at the retry wait.
        Assert.Equal(At(23, 50) + _policy.RetryAfter, step.Record!.WakeAt);
        Assert.NotNull(Life.Due(step.Record, step.Record.WakeAt!.Value).AfterCall);
        var sent = Life.GatewayAsked(step.Record, At(23, 50));
        Assert.Equal(At(23, 50) + _policy.Ivr.LongestCall, sent.WakeAt);
        Assert.Null(Life.Due(sent, At(23, 52)).AfterCall);
    }

    [Fact]
    public void ASurveyClosedByAnOptOutWhileTheGatewayKeepsTheCallerLetsTheCallerGo()
    {
        var asked = Asked();

        var (optedOut, _) = Life.Reply(asked, new IncomingSms(Request.Subscriber, "TD", At(23, 55), null), At(23, 55));

        Assert.Equal(SurveyStatus.OptedOut, optedOut.Status);
        Assert.True(SurveyLife.ClosedWhileGatewayAsked(asked, optedOut));
        // Once the caller is kept for the question, it has begun: nothing to tell.
        var kept = EndedWithCallerKept();
        Assert.False(SurveyLife.ClosedWhileGatewayAsked(kept, Life.Due(kept, kept.WakeAt!.Value).Record!));
    }

    [Fact]
    public void TheKeyAfterTheCallIsTheScoreAboutTheAgentAndQueueOfTheEndOnItsDay()
    {
        var kept = EndedWithCallerKept();
        Assert.Equal((SurveyStatus.Scheduled, At(0, 5, day: 9) + _policy.Ivr.AnswerWithin), (kept.Status, kept.WakeAt));
        Assert.Equal(("billing-vip", "a2", new DateOnly(2026, 12, 9)), (kept.Request.Queue, kept.Request.Agent, kept.Day));

        var (answered, outcome) = Life.AfterCallAnswered(kept, "edge-1", new AfterCallAnswer(true, "1", "completed", At(0, 6, day: 9)), At(0, 6, day: 9));

        Assert.Equal(AfterCallAnswerOutcome.Taken, outcome);
        Assert.Equal((SurveyStatus.Answered, 1, true), (answered.Status, answered.Score, answered.FollowUp));
        Assert.Equal(At(0, 5, day: 9), answered.SentAt);
        Assert.Equal(At(0, 6, day: 9), answered.WakeAt); // the low score's work order, at once
        Assert.Equal(new SurveyCounters { Sent = 1, Answered = 1, LowScores = 1, ScoreSum = 1 }, SurveyTally.Of(answered));
        // The same report again is taken again; another one is not.
        Assert.Equal(AfterCallAnswerOutcome.Taken, Life.AfterCallAnswered(answered, "edge-1", new AfterCallAnswer(true, "1", "completed", At(0, 6, day: 9)), At(0, 7, day: 9)).Outcome);
        Assert.Equal(AfterCallAnswerOutcome.Closed, Life.AfterCallAnswered(answered, "edge-1", new AfterCallAnswer(true, "5", "completed", At(0, 7, day: 9)), At(0, 7, day: 9)).Outcome);
    }

    [Fact]
    public void ACallerWhoHearsTheQuestionAndKeysNoScoreWasSurveyedAndDidNotAnswer()
    {
        var (expired, _) = Life.AfterCallAnswered(EndedWithCallerKept(), "edge-1", new AfterCallAnswer(true, "9", "completed", At(0, 6, day: 9)), At(0, 6, day: 9));
        var (hungUp, _) = Life.AfterCallAnswered(EndedWithCallerKept(), "edge-1", new AfterCallAnswer(true, "", "hung_up", At(0, 6, day: 9)), At(0, 6, day: 9));

        Assert.Equal((SurveyStatus.Expired, "9"), (expired.Status, expired.Reply));
        Assert.Equal(SurveyStatus.Expired, hungUp.Status);
        Assert.Contains("hung up", hungUp.Failure, StringComparison.Ordinal);
        Assert.Equal(new SurveyCounters { Sent = 1 }, SurveyTally.Of(hungUp));
    }

    [Fact]
    public void ACallerWhoHungUpFirstOrWasNotAskedIsNotSurveyed()
    {
        var callerHungUp = Life.AfterCallEnded(Asked(), new SurveyCallEnd(null, null, At(23, 55), CallerKept: false), Shanghai.DayOf(At(23, 55)), At(23, 55));
        var (notAsked, outcome) = Life.AfterCallAnswered(EndedWithCallerKept(), "edge-1", new AfterCallAnswer(false, null, "unknown_prompt", At(0, 5, day: 9)), At(0, 5, day: 9));

        Assert.Equal((SurveyStatus.Failed, null, "a1"), (callerHungUp.Status, callerHungUp.SentAt, callerHungUp.Request.Agent));
        Assert.Equal((AfterCallAnswerOutcome.Taken, SurveyStatus.Failed, null), (outcome, notAsked.Status, notAsked.SentAt));
        Assert.Contains("unknown_prompt", notAsked.Failure, StringComparison.Ordinal);
        Assert.Equal(SurveyCounters.Zero, SurveyTally.Of(callerHungUp));
        Assert.Equal(SurveyCounters.Zero, SurveyTally.Of(notAsked));
        // The end told again, after the survey closed, changes nothing.
        Assert.Same(callerHungUp, Life.AfterCallEnded(callerHungUp, new SurveyCallEnd(null, null, At(23, 55), CallerKept: true), Shanghai.DayOf(At(23, 55)), At(23, 56)));
    }

    [Fact]
    public void AReportFromAnotherGatewayOrForAnotherChannelIsNotTaken()
    {
        var kept = EndedWithCallerKept();
        var sms = Life.Schedule(Request with { Channel = SurveyChannel.Sms }, Shanghai.DayOf(At(23, 50)), At(23, 50));

        Assert.Equal(AfterCallAnswerOutcome.WrongGateway, Life.AfterCallAnswered(kept, "edge-2", new AfterCallAnswer(true, "5", "completed", At(0, 6, day: 9)), At(0, 6, day: 9)).Outcome);
        Assert.Equal(AfterCallAnswerOutcome.NoSurvey, Life.AfterCallAnswered(sms, "edge-1", new AfterCallAnswer(true, "5", "completed", At(0, 6, day: 9)), At(0, 6, day: 9)).Outcome);
    }

    [Fact]
    public void ACallThatNeverEndsOrAReportThatNeverComesFailsTheSurveyInTime()
    {
        var asked = Asked();
        var neverEnded = Life.Due(asked, asked.WakeAt!.Value).Record!;
        var kept = EndedWithCallerKept();
        var noReport = Life.Due(kept, kept.WakeAt!.Value).Record!;

        Assert.Equal((SurveyStatus.Failed, null), (neverEnded.Status, neverEnded.SentAt));
        Assert.Contains("did not end", neverEnded.Failure, StringComparison.Ordinal);
        Assert.Equal((SurveyStatus.Failed, null), (noReport.Status, noReport.WakeAt));
        Assert.Contains("no report", noReport.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyCallsAnIvrRuleOfTheirQueueCouldHaveDrawnAreLookedUpAtTheirEnd()
    {
        var call = new CallSnapshot
        {
            CallId = "c1",
            GatewayId = "edge-1",
            Phase = CallPhase.Talking,
            LastSequence = 3,
            Caller = "+8613912345678",
            Dialled = "10086",
            Region = "nanjing",
            OfferedAt = At(9, 59),
            AnsweredAt = At(10, 0),
            Queue = "billing",
        };
        var policy = new SurveyPolicyOptions { Enabled = true, Default = new SurveyRule { Channel = SurveyChannel.Sms } };
        Assert.False(policy.MayHaveSurveyAfterCall(call));

        policy.Rules.Add(new SurveyRule { Queue = "billing", Channel = SurveyChannel.Ivr, SampleRate = 1 });

        Assert.True(policy.MayHaveSurveyAfterCall(call));
        Assert.False(policy.MayHaveSurveyAfterCall(call with { Queue = "sales" }));
        Assert.False(policy.MayHaveSurveyAfterCall(call with { AnsweredAt = null }));
        Assert.False(policy.MayHaveSurveyAfterCall(call with { Caller = PhoneNumbers.Withheld }));
    }
}
