using ContactCenter.GatewayClient.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace ContactCenter.GatewayClient.Tests.Events;

/// <summary>Events reach the home region in batches and each gets its final outcome.</summary>
[Collection(TwoRegionsCollection.Name)]
public sealed class EventDeliveryTests(TwoRegionsFixture regions)
{
    [Fact]
    public async Task ABatchForSeveralCallsIsAcknowledgedAndReadableOnTheSilo()
    {
        await using var client = new ContactCenterClient(TwoRegionsFixture.Options(regions.NanjingRegion, regions.HuaianRegion));
        var calls = Enumerable.Range(0, 4).Select(_ => TestCalls.NewId("batch")).ToArray();

        var receipts = await client.SendBatchAsync(TestCalls.Short(calls));

        Assert.All(receipts, r => Assert.Equal((EventOutcome.Accepted, "nanjing"), (r.Outcome, r.Region!.Name)));
        foreach (var call in calls)
        {
            var state = await TwoRegionsFixture.CallAsync(regions.Nanjing.Address, call);
            Assert.Equal(("ended", 3), (state!["phase"]!.GetValue<string>(), state["lastSequence"]!.GetValue<int>()));
        }

        Assert.Equal((12L, 12L, 0L, 0), (client.Counters.EventsSent, client.Counters.Acknowledged, client.Counters.Resends, client.Counters.Pending));
    }

    /// <summary>Events an outage of both regions kept in the outbox for an hour: the client's sentAt lets them in.</summary>
    [Fact]
    public async Task EventsAnHourOldAreAcknowledgedBecauseTheClientSaysWhenItSentThem()
    {
        await using var client = new ContactCenterClient(TwoRegionsFixture.Options(regions.NanjingRegion));
        var call = TestCalls.NewId("outbox");
        var anHourAgo = DateTimeOffset.UtcNow.AddHours(-1);

        var receipts = await client.SendBatchAsync(
        [
            GatewayEvent.Offered($"{call}-1", call, anHourAgo, "+8613812345678", "10086", "nanjing"),
            GatewayEvent.Ended($"{call}-2", call, 2, anHourAgo.AddSeconds(20), "normal", HangupSide.Caller),
        ]);

        Assert.All(receipts, r => Assert.Equal(EventOutcome.Accepted, r.Outcome));
    }

    [Fact]
    public async Task ARejectedEventIsReportedWithItsReasonAndTheRestOfTheBatchAndOfItsCallIsAcknowledged()
    {
        var center = new CenterClient(regions.Nanjing);
        await center.QueueAsync("gotone");
        await using var client = new ContactCenterClient(TwoRegionsFixture.Options(regions.NanjingRegion));
        var (good, bad) = (TestCalls.NewId("good"), TestCalls.NewId("bad"));
        var at = DateTimeOffset.UtcNow;

        var receipts = await client.SendBatchAsync(
        [
            .. TestCalls.Short(good),
            GatewayEvent.Offered($"{bad}-1", bad, at, "+8613812345678", "10086", "nanjing"),
            GatewayEvent.Queued($"{bad}-2", bad, 2, at, center.Id("gotone")),
            // Hold is for a caller talking to an agent, not for one waiting in a queue.
            GatewayEvent.Held($"{bad}-3", bad, 3, at),
            GatewayEvent.Ended($"{bad}-4", bad, 4, at, "normal", HangupSide.Caller),
        ]);

        Assert.All(receipts.Take(5), r => Assert.True(r.IsAcknowledged));
        var (held, ended) = (receipts[5], receipts[6]);
        Assert.Equal(EventOutcome.Rejected, held.Outcome);
        Assert.Contains("'held' is not allowed while the call is Queued", held.Reason);
        // The refused event keeps its place in the call: the call's next event is applied, and the call ends.
        Assert.True(ended.IsAcknowledged, $"{ended.Outcome}: {ended.Reason}");
        Assert.Equal((6L, 1L), (client.Counters.Acknowledged, client.Counters.Refused));
        var call = (await TwoRegionsFixture.CallAsync(regions.Nanjing.Address, bad))!;
        Assert.Equal(("ended", 4), (call["phase"]!.GetValue<string>(), call["lastSequence"]!.GetValue<int>()));
    }

    [Fact]
    public async Task AFullOutboxMakesTheGatewayWaitAndEveryCallStillArrivesInOrder()
    {
        // Room for 4 events, 3 per request: 10 calls of 3 events pass through only as earlier ones are acknowledged,
        // and a call's events are split across requests without ever arriving ahead of their turn.
        await using var client = new ContactCenterClient(TwoRegionsFixture.Options(regions.NanjingRegion) with { OutboxCapacity = 4, MaxBatchSize = 3 });
        var calls = Enumerable.Range(0, 10).Select(_ => TestCalls.NewId("bounded")).ToArray();

        var sending = client.SendBatchAsync(TestCalls.Short(calls));
        var observedPending = 0;
        while (!sending.IsCompleted)
        {
            observedPending = Math.Max(observedPending, client.Counters.Pending);
            await Task.Delay(1);
        }

        Assert.All(await sending, r => Assert.Equal(EventOutcome.Accepted, r.Outcome));
        Assert.InRange(observedPending, 1, 4);
        Assert.Equal((30L, 0L, 0L), (client.Counters.Acknowledged, client.Counters.HeldAnswers, client.Counters.Resends));
        // At most 3 events a request: 30 events need at least 10.
        Assert.InRange(client.Counters.BatchesSent, 10, 30);
    }

    [Fact]
    public async Task AResendAfterALostAnswerIsADuplicateAcknowledgedOnceAndAppliedOnce()
    {
        using var network = new LossyNetwork();
        await using var client = new ContactCenterClient(TwoRegionsFixture.Options(regions.NanjingRegion, regions.HuaianRegion), network);
        var call = TestCalls.NewId("lost");
        var events = TestCalls.Short(call);
        await client.SendBatchAsync(events[..^1]);

        // The call's last event: its commit also writes the call's CDR, which a second application would repeat.
        network.LoseNextEventsAnswer();
        var receipt = await client.SendAsync(events[^1]);

        Assert.Equal((EventOutcome.Duplicate, 2, "nanjing"), (receipt.Outcome, receipt.Transmissions, receipt.Region!.Name));
        var counters = client.Counters;
        // One lost answer is not enough to leave a region (two failures in a row are).
        Assert.Equal((3L, 1L, 1L, 1L, 0L), (counters.Acknowledged, counters.Duplicates, counters.Resends, counters.FailedRequests, counters.Failovers));
        Assert.Equal(1L, await CountCallDetailRecordsAsync(Path.Combine(regions.Folder, "nanjing.db"), call));
    }

    [Fact]
    public async Task AnEventHeldForASequenceTheClientNeverHadIsGivenUpAfterTheGapTimeout()
    {
        await using var client = new ContactCenterClient(TwoRegionsFixture.Options(regions.NanjingRegion) with { GapTimeout = TimeSpan.FromMilliseconds(500) });
        var call = TestCalls.NewId("gap");

        // Sequence 2 without sequence 1: the silo holds it, and nothing the client has can fill the gap.
        var receipt = await client.SendAsync(TestCalls.Short(call)[1]);

        Assert.Equal(EventOutcome.Blocked, receipt.Outcome);
        Assert.Contains("waiting for sequence 1", receipt.Reason);
        Assert.True(receipt.Transmissions > 2, $"sent {receipt.Transmissions} times");
        Assert.Equal(receipt.Transmissions, client.Counters.HeldAnswers);
    }

    [Fact]
    public async Task DisposingTheClientFailsTheEventsStillWithoutAnOutcome()
    {
        var client = new ContactCenterClient(TwoRegionsFixture.Options(new Region("nanjing", TwoRegionsFixture.ClosedAddress())));
        var sending = client.SendAsync(TestCalls.Short(TestCalls.NewId("gone"))[0]);
        await Task.Delay(200);

        await client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => sending);
        Assert.True(client.Counters.FailedRequests > 1);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.SendAsync(TestCalls.Short("late")[0]));
    }

    private static async Task<long> CountCallDetailRecordsAsync(string database, string callId)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM call_detail_records WHERE call_id = $call";
        count.Parameters.AddWithValue("$call", callId);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
