using ContactCenter.Outbound;

namespace ContactCenter.Tests.Outbound;

public sealed class OutboundCallLifeTests
{
    private static readonly DateTimeOffset PlacedAt = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static readonly OutboundCallSnapshot Placed = new(
        "cb-1", new OutboundCallRequest("+8613912345678", "satisfaction", 1, 8, 30, null), "edge-1",
        OutboundCallPhase.Placed, null, null, null, null, PlacedAt, null, null, null);

    private static OutboundProgress Step(OutboundCallPhase step, string attempt = "a1", OutboundCallResult? result = null) =>
        new(step, attempt, PlacedAt.AddSeconds(5), result, result == OutboundCallResult.Answered ? "5" : null, "completed", null);

    [Fact]
    public void AClaimLaterThanTheClaimTimeIsRefusedAndTheCallFailsAsExpired()
    {
        var (call, refusal) = OutboundCallLife.Apply(Placed, null, Step(OutboundCallPhase.Dialing), PlacedAt + OutboundCallLife.ClaimWithin + TimeSpan.FromSeconds(1));

        Assert.Contains("expired", refusal, StringComparison.Ordinal);
        Assert.Equal((OutboundCallPhase.Finished, OutboundCallResult.Failed, OutboundCallLife.ExpiredCause), (call.Phase, call.Result, call.Cause));
    }

    [Fact]
    public void AGatewayRestartFinishesOnlyTheCallsItsOldProcessHadClaimed()
    {
        var startedAt = PlacedAt.AddSeconds(10);
        var claimedBefore = Placed with { Phase = OutboundCallPhase.Ringing, DialedAt = PlacedAt.AddSeconds(2) };
        var claimedSince = Placed with { Phase = OutboundCallPhase.Dialing, DialedAt = PlacedAt.AddSeconds(11) };

        var ended = OutboundCallLife.AfterGatewayRestart(claimedBefore, startedAt, startedAt);

        Assert.Equal((OutboundCallPhase.Finished, OutboundCallResult.Failed, "gateway_restarted"), (ended.Phase, ended.Result, ended.Cause));
        Assert.Same(Placed, OutboundCallLife.AfterGatewayRestart(Placed, startedAt, startedAt));
        Assert.Same(claimedSince, OutboundCallLife.AfterGatewayRestart(claimedSince, startedAt, startedAt));
        Assert.Same(ended, OutboundCallLife.AfterGatewayRestart(ended, startedAt.AddMinutes(1), startedAt.AddMinutes(1)));
    }

    [Fact]
    public void AClaimInTimeIsGrantedAndMovesTheCallToDialing()
    {
        var (call, refusal) = OutboundCallLife.Apply(Placed, null, Step(OutboundCallPhase.Dialing), PlacedAt + OutboundCallLife.ClaimWithin);

        Assert.Null(refusal);
        Assert.Equal(OutboundCallPhase.Dialing, call.Phase);
    }

    [Fact]
    public void NoStepCountsBeforeAClaimAndARingingAfterTheAnswerChangesNothing()
    {
        Assert.NotNull(OutboundCallLife.Apply(Placed, null, Step(OutboundCallPhase.Answered), PlacedAt).Refusal);

        var answered = Placed with { Phase = OutboundCallPhase.Answered, AnsweredAt = PlacedAt.AddSeconds(3) };
        var (call, refusal) = OutboundCallLife.Apply(answered, "a1", Step(OutboundCallPhase.Ringing), PlacedAt);
        Assert.Null(refusal);
        Assert.Same(answered, call);
    }

    [Fact]
    public void ACallWithoutAResultIsGivenUpAfterItsRingWaitAndConversationTime()
    {
        var giveUp = OutboundCallLife.GiveUpAt(Placed);
        Assert.Equal(PlacedAt + OutboundCallLife.ClaimWithin + TimeSpan.FromSeconds(38) + OutboundCallLife.LongestConversation, giveUp);

        var dialing = Placed with { Phase = OutboundCallPhase.Dialing };
        var given = OutboundCallLife.GiveUp(dialing, giveUp);
        Assert.Equal((OutboundCallResult.Failed, OutboundCallLife.NoResultCause, giveUp), (given.Result, given.Cause, given.FinishedAt));
        Assert.Equal(OutboundCallLife.ExpiredCause, OutboundCallLife.GiveUp(Placed, giveUp).Cause);
    }
}
