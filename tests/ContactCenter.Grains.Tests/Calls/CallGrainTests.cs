using System.Collections.Immutable;
using ContactCenter.Calls;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Calls;

[Collection(ClusterCollection.Name)]
public sealed class CallGrainTests(ClusterFixture fixture)
{
    private const string Gateway = "gw-nanjing-1";

    [Fact]
    public async Task AcceptedEventsAreAppliedInOrder()
    {
        var script = CallScript.New();
        var results = await Send(script.CallId, script.Offered(), script.IvrEntered(), script.Queued("gotone"));

        Assert.All(results, r => Assert.Equal(EventOutcome.Accepted, r.Outcome));
        var call = await Grain(script.CallId).GetSnapshotAsync();
        Assert.Equal((CallPhase.Queued, "gotone", 3), (call!.Phase, call.Queue, call.LastSequence));
    }

    [Fact]
    public async Task DuplicateEventIsAcknowledgedOnceAndAppliedOnce()
    {
        var script = CallScript.New();
        var offered = script.Offered();
        var answered = script.Answered("a1");
        var held = script.Held();
        await Send(script.CallId, offered, answered, held);

        var again = await Send(script.CallId, held, answered);

        Assert.All(again, r => Assert.Equal(EventOutcome.Duplicate, r.Outcome));
        Assert.Equal(1, (await Grain(script.CallId).GetSnapshotAsync())!.HoldCount);
        Assert.Equal(3, await JournalRows(script.CallId));
    }

    [Fact]
    public async Task EventAheadOfAGapIsHeldUntilTheGapFills()
    {
        var script = CallScript.New();
        var offered = script.Offered();
        var queued = script.Queued();
        var answered = script.Answered("a1");

        var early = await Send(script.CallId, offered, answered);
        Assert.Equal([EventOutcome.Accepted, EventOutcome.Held], early.Select(r => r.Outcome));
        Assert.Equal(1, await JournalRows(script.CallId));

        var filled = await Send(script.CallId, queued);
        Assert.Equal(EventOutcome.Accepted, filled.Single().Outcome);
        Assert.Equal(CallPhase.Talking, (await Grain(script.CallId).GetSnapshotAsync())!.Phase);
        Assert.Equal(3, await JournalRows(script.CallId));

        // The gateway resends what was only held: now it is acknowledged.
        Assert.Equal(EventOutcome.Duplicate, (await Send(script.CallId, answered)).Single().Outcome);
    }

    [Fact]
    public async Task EventsOfOneBatchAreOrderedBySequence()
    {
        var script = CallScript.New();
        var offered = script.Offered();
        var queued = script.Queued();
        var ringing = script.Ringing("a1");

        var results = await Send(script.CallId, ringing, offered, queued);

        Assert.All(results, r => Assert.Equal(EventOutcome.Accepted, r.Outcome));
        Assert.Equal(ringing.EventId, results[0].EventId);
    }

    [Fact]
    public async Task ReusedSequenceNumberWithANewEventIdIsRejected()
    {
        var script = CallScript.New();
        await Send(script.CallId, script.Offered(), script.Queued());
        var impostor = new CallHeld("other-event", script.CallId, 2, script.Now);

        var result = (await Send(script.CallId, impostor)).Single();

        Assert.Equal(EventOutcome.Rejected, result.Outcome);
        Assert.Contains("sequence 2 was already used", result.Reason);
    }

    [Fact]
    public async Task EventFarAheadIsRejectedNotHeld()
    {
        var script = CallScript.New();
        await Send(script.CallId, script.Offered());
        var far = new CallHeld("far", script.CallId, 2 + CallGrain.MaxSequenceGap, script.Now);

        var result = (await Send(script.CallId, far)).Single();

        Assert.Equal(EventOutcome.Rejected, result.Outcome);
        Assert.Contains("too far ahead", result.Reason);
    }

    [Fact]
    public async Task ImpossibleTransitionIsRejectedAndTheRestOfTheBatchGoesOn()
    {
        var script = CallScript.New();
        await Send(script.CallId, script.Offered(), script.Queued());
        var held = script.Held();

        var outcome = (await Send(script.CallId, held)).Single();
        Assert.Equal(EventOutcome.Rejected, outcome.Outcome);
        Assert.Contains("not allowed while the call is Queued", outcome.Reason);
        // Its place is taken by the refusal, on record; the call is as it was.
        Assert.Equal(3, await JournalRows(script.CallId));
        Assert.Equal((CallPhase.Queued, 3), ((await Grain(script.CallId).GetSnapshotAsync())!.Phase, (await Grain(script.CallId).GetSnapshotAsync())!.LastSequence));
    }

    [Fact]
    public async Task ARefusedEventDoesNotHoldTheCallsLaterEventsForEverAndIsRefusedAgainWhenResent()
    {
        var script = CallScript.New();
        await Send(script.CallId, script.Offered(), script.Queued());
        var impossible = script.Held();
        var ended = script.After(5).Ended();
        Assert.Equal(EventOutcome.Held, (await Send(script.CallId, ended)).Single().Outcome);

        var refused = (await Send(script.CallId, impossible)).Single();

        Assert.Equal(EventOutcome.Rejected, refused.Outcome);
        Assert.Equal(CallPhase.Ended, (await Grain(script.CallId).GetSnapshotAsync())!.Phase);
        Assert.Equal(1L, await fixture.CountAsync("SELECT count(*) FROM call_detail_records WHERE call_id = $id", ("$id", script.CallId)));
        Assert.Equal(EventOutcome.Duplicate, (await Send(script.CallId, ended)).Single().Outcome);
        // Sent again, after the call was rebuilt from its journal too: refused again, for its own reason.
        await fixture.Cluster.DeactivateAsync(Grain(script.CallId));
        var again = (await Send(script.CallId, impossible)).Single();
        Assert.Equal((EventOutcome.Rejected, refused.Reason), (again.Outcome, again.Reason));
        Assert.Equal(4, await JournalRows(script.CallId));
    }

    [Fact]
    public async Task ARefusalTakesTheEventsPlaceAndTheEventsAfterItApply()
    {
        var script = CallScript.New();
        await Send(script.CallId, script.Offered());
        var refused = new EventRefused("bad-2", script.CallId, 2, script.Now, "'queue': unknown queue 'nope'");
        script.Queued(); // sequence 2 is the refused event's

        var results = await Send(script.CallId, script.After(3).Ended(), refused);

        Assert.Equal([EventOutcome.Accepted, EventOutcome.Rejected], results.Select(r => r.Outcome));
        Assert.Equal((CallPhase.Ended, 3), ((await Grain(script.CallId).GetSnapshotAsync())!.Phase, (await Grain(script.CallId).GetSnapshotAsync())!.LastSequence));
    }

    [Fact]
    public async Task AnEventReusingAnotherEventsIdIsRefusedAndStillTakesItsPlace()
    {
        var script = CallScript.New();
        var offered = script.Offered();
        await Send(script.CallId, offered, script.Queued());
        var reused = new CallHeld(offered.EventId, script.CallId, script.Held().Sequence, script.Now); // sequence 3, under the id of sequence 1

        var results = await Send(script.CallId, reused, script.After(2).Ended());

        Assert.Equal((EventOutcome.Rejected, EventOutcome.Accepted), (results[0].Outcome, results[1].Outcome));
        Assert.Contains("already used for sequence 1", results[0].Reason, StringComparison.Ordinal);
        Assert.Equal((CallPhase.Ended, 4), ((await Grain(script.CallId).GetSnapshotAsync())!.Phase, (await Grain(script.CallId).GetSnapshotAsync())!.LastSequence));
    }

    [Fact]
    public async Task NothingTakesAPlaceAfterTheCallEndedOrBeforeItBegan()
    {
        var script = CallScript.New();
        await Send(script.CallId, script.Offered(), script.Ended());

        Assert.Equal(EventOutcome.Rejected, (await Send(script.CallId, script.Held())).Single().Outcome);
        Assert.Equal(2, await JournalRows(script.CallId));
        var never = CallScript.New();
        Assert.Equal(EventOutcome.Rejected, (await Send(never.CallId, never.Queued())).Single().Outcome);
        Assert.Equal(0, await JournalRows(never.CallId));
    }

    [Fact]
    public async Task AnotherGatewayCannotReportOnTheCall()
    {
        var script = CallScript.New();
        await Send(script.CallId, script.Offered());

        var results = await Grain(script.CallId).ProcessAsync("gw-huaian-1", [script.Queued()]);

        Assert.Equal(EventOutcome.Forbidden, results.Single().Outcome);
        Assert.Equal(CallPhase.Pending, (await Grain(script.CallId).GetSnapshotAsync())!.Phase);
    }

    [Fact]
    public async Task CallRebuildsItselfFromTheJournalAfterDeactivation()
    {
        var script = CallScript.New();
        await Send(script.CallId, script.Offered(), script.Queued("q1"), script.After(10).Answered("a1"), script.RecordingStarted("rec-1"), script.After(5).Held());
        var before = await Grain(script.CallId).GetSnapshotAsync();

        await fixture.Cluster.DeactivateAsync(Grain(script.CallId));

        var after = (await Grain(script.CallId).GetSnapshotAsync())!;
        // Record equality compares immutable arrays by reference; everything else must be identical.
        Assert.Equal(before, after with { Recordings = before!.Recordings, Participants = before.Participants });
        Assert.Equal((CallPhase.OnHold, RecordingStatus.Recording, 5), (after.Phase, after.Recording, after.LastSequence));
        var resumed = await Send(script.CallId, script.After(3).Resumed());
        Assert.Equal(EventOutcome.Accepted, resumed.Single().Outcome);
    }

    [Fact]
    public async Task EndedCallWritesExactlyOneCdrAndLeavesTheActiveIndex()
    {
        var script = CallScript.New();
        await Send(script.CallId, script.Offered(), script.Queued());
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM active_calls WHERE call_id = $id", ("$id", script.CallId)));

        var ended = script.After(30).Ended();
        await Send(script.CallId, ended);
        await Send(script.CallId, ended);

        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM call_detail_records WHERE call_id = $id AND abandoned = 1", ("$id", script.CallId)));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM active_calls WHERE call_id = $id", ("$id", script.CallId)));
        Assert.Equal(CallPhase.Ended, (await Grain(script.CallId).GetSnapshotAsync())!.Phase);
    }

    [Fact]
    public async Task UnknownCallHasNoSnapshot() =>
        Assert.Null(await Grain($"never-{Guid.NewGuid():N}").GetSnapshotAsync());

    private ICallGrain Grain(string callId) => fixture.Grains.GetGrain<ICallGrain>(callId);

    private Task<ImmutableArray<EventResult>> Send(string callId, params CallEvent[] events) =>
        Grain(callId).ProcessAsync(Gateway, [.. events]);

    private Task<long> JournalRows(string callId) =>
        fixture.CountAsync("SELECT count(*) FROM call_journal WHERE call_id = $id", ("$id", callId));
}
