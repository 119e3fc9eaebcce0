using ContactCenter.Kpis;
using ContactCenter.Outbound;
using ContactCenter.Surveys;

namespace ContactCenter.Tests.Surveys;

/// <summary>
/// A satisfaction callback's life on a fake clock: placed only in the allowed hours, under an id per attempt; looked at
/// while it goes on; scored by the key pressed; called again after no answer or busy with a doubling wait, up to the
/// attempts allowed; never placed after the question's deadline.
/// </summary>
public sealed class CallbackSurveyLifeTests
{
    private static readonly CenterCalendar Shanghai = CenterCalendar.For("Asia/Shanghai");
    private static readonly SurveyRequest Request = new("c1", "+8613912345678", "billing", "a1", null, At(10, 0), SurveyChannel.Callback, "");

    private readonly SurveyPolicyOptions _policy = new() { Enabled = true, Delay = TimeSpan.FromMinutes(1) };

    private SurveyLife Life => new(
        _policy, new QuietHours(_policy.QuietFrom, _policy.QuietUntil, Shanghai), new QuietHours(_policy.Callback.AllowedUntil, _policy.Callback.AllowedFrom, Shanghai));

    private static DateTimeOffset At(int hour, int minute, int day = 8) => new(2026, 12, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static OutboundCallSnapshot Call(string id, OutboundCallResult result, string? digits = null, bool dialled = true) => new(
        id, new OutboundCallRequest(Request.Subscriber, "satisfaction", 1, 8, 30, null), "edge", OutboundCallPhase.Finished, result, digits, "completed", null,
        At(10, 1), dialled ? At(10, 1) : null, result == OutboundCallResult.Answered ? At(10, 1) : null, At(10, 2));

    [Fact]
    public void TheCallbackIsPlacedAfterTheDelayUnderAnIdOfItsAttemptAndLookedAtWhileItGoesOn()
    {
        var survey = Life.Schedule(Request, Shanghai.DayOf(At(10, 0)), At(10, 0));

        var step = Life.Due(survey, At(10, 1));

        Assert.Equal(SurveyLife.CallbackCallId("c1", 1), step.CallbackCall);
        Assert.Equal((Request.Subscriber, "satisfaction", 1), (step.Callback!.To, step.Callback.Prompt, step.Callback.MaxDigits));
        Assert.Equal(At(10, 1) + SurveyLife.CallbackPollPeriod, step.Record!.WakeAt);
        var polled = Life.Due(step.Record, step.Record.WakeAt!.Value);
        Assert.Equal(step.CallbackCall, polled.CallbackCall);
        Assert.Null(polled.Callback);
    }

    [Fact]
    public void ACallbackDueOutsideTheAllowedHoursWaitsForThem()
    {
        var survey = Life.Schedule(Request with { CallEndedAt = At(19, 59) }, Shanghai.DayOf(At(19, 59)), At(19, 59));

        var step = Life.Due(survey, At(20, 0));

        Assert.Null(step.Callback);
        Assert.Equal(At(9, 0, day: 9), step.Record!.WakeAt);
    }

    [Fact]
    public void TheKeyPressedIsTheScoreAndAnAnswerWithoutOneExpiresTheSurvey()
    {
        var placed = Life.Due(Life.Schedule(Request, Shanghai.DayOf(At(10, 0)), At(10, 0)), At(10, 1)).Record!;

        var scored = Life.CallbackFinished(placed, Call(placed.CallbackCall!, OutboundCallResult.Answered, "2"), At(10, 2));
        Assert.Equal((SurveyStatus.Answered, 2, true), (scored.Status, scored.Score, scored.FollowUp));
        Assert.Equal(new SurveyCounters { Sent = 1, Answered = 1, LowScores = 1, ScoreSum = 2 }, SurveyTally.Of(scored));
        Assert.NotNull(Life.Due(scored, At(10, 2)).WorkOrder); // its low score's work order, the one thing still due

        var silent = Life.CallbackFinished(placed, Call(placed.CallbackCall!, OutboundCallResult.Answered, null), At(10, 2));
        Assert.Equal(SurveyStatus.Expired, silent.Status);
        Assert.Equal(SurveyCounters.Zero with { Sent = 1 }, SurveyTally.Of(silent));
    }

    [Fact]
    public void NoAnswerOrBusyIsCalledAgainWithADoublingWaitUpToTheAttemptsAllowed()
    {
        var first = Life.Due(Life.Schedule(Request, Shanghai.DayOf(At(10, 0)), At(10, 0)), At(10, 1)).Record!;

        var retry = Life.CallbackFinished(first, Call(first.CallbackCall!, OutboundCallResult.NoAnswer), At(10, 2));
        Assert.Equal(At(10, 2) + _policy.Callback.RetryAfter, retry.WakeAt);
        var second = Life.Due(retry, retry.WakeAt!.Value);
        Assert.Equal(SurveyLife.CallbackCallId("c1", 2), second.CallbackCall);

        var again = Life.CallbackFinished(second.Record!, Call(second.CallbackCall!, OutboundCallResult.Busy), At(11, 0));
        Assert.Equal(At(11, 0) + 2 * _policy.Callback.RetryAfter, again.WakeAt);
        var third = Life.Due(again, again.WakeAt!.Value).Record!;

        var failed = Life.CallbackFinished(third, Call(third.CallbackCall!, OutboundCallResult.NoAnswer), At(12, 30));
        Assert.Equal(SurveyStatus.Failed, failed.Status);
        Assert.Contains("not reached in 3", failed.Failure);
        Assert.Equal(SurveyCounters.Zero, SurveyTally.Of(failed));
    }

    [Fact]
    public void ACallbackPutOffWaitsAndNoneIsPlacedAfterTheQuestionsDeadline()
    {
        var survey = Life.Schedule(Request, Shanghai.DayOf(At(10, 0)), At(10, 0));
        var putOff = Life.CallbackPutOff(survey, At(10, 3), At(10, 1));
        Assert.Equal(At(10, 3), putOff.WakeAt);
        Assert.Null(putOff.CallbackCall);

        var late = Life.Due(survey, At(10, 0, day: 9) + TimeSpan.FromMinutes(1));
        Assert.Null(late.Callback);
        Assert.Equal(SurveyStatus.Failed, late.Record!.Status);
    }

    [Theory]
    [InlineData(OutboundCallResult.Declined, true, false)]
    [InlineData(OutboundCallResult.Unreachable, true, false)]
    [InlineData(OutboundCallResult.Failed, true, false)] // dialled, then lost to the center: perhaps reached, not called twice
    [InlineData(OutboundCallResult.Failed, false, true)] // never dialled (the edge never claimed it): called again
    public void OnlyACallThatDidNotReachTheSubscriberIsPlacedAgain(OutboundCallResult result, bool dialled, bool callAgain)
    {
        var placed = Life.Due(Life.Schedule(Request, Shanghai.DayOf(At(10, 0)), At(10, 0)), At(10, 1)).Record!;

        var over = Life.CallbackFinished(placed, Call(placed.CallbackCall!, result, dialled: dialled), At(10, 2));

        Assert.Equal(callAgain ? SurveyStatus.Scheduled : SurveyStatus.Failed, over.Status);
        Assert.Equal(callAgain, over.WakeAt is not null);
    }

    [Fact]
    public void AnAttemptRecordedAndNeverPlacedIsPlacedAgainUnderItsOwnIdThroughTheChecks()
    {
        var placed = Life.Due(Life.Schedule(Request, Shanghai.DayOf(At(19, 50)), At(19, 50)), At(19, 59)).Record!;

        var again = Life.CallbackNeverPlaced(placed, At(20, 2));

        var step = Life.Due(again, At(20, 2));
        Assert.Null(step.Callback); // past the allowed hours now: it waits for the morning
        Assert.Equal(At(9, 0, day: 9), step.Record!.WakeAt);
        Assert.Equal(SurveyLife.CallbackCallId("c1", 1), Life.Due(step.Record, At(9, 0, day: 9)).CallbackCall);
    }
}
