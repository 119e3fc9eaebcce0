using ContactCenter.Calls;
using ContactCenter.Journal;
using ContactCenter.Tests.Infrastructure;
using Npgsql;

namespace ContactCenter.Tests.Durability;

/// <summary>
/// The journal's batch on PostgreSQL is one implicit transaction in one round trip: a replayed batch writes
/// nothing twice, an append whose sequence number another event holds is a conflict without costing the rest of
/// its batch, and a batch that fails leaves none of its rows (events, live calls, CDRs) behind.
/// </summary>
[Collection(PostgresCollection.Name)]
[Slow("a private PostgreSQL")]
public sealed class PostgresJournalStoreTests(PostgresServer postgres)
{
    [Fact]
    public async Task AReplayedBatchIsWrittenOnceAndItsLiveCallsAndCdrsStayRight()
    {
        var (store, database) = await StoreAsync();
        var live = Append("live", Offered("live"), Queued("live"));
        var ended = Append("ended", Offered("ended"), Ended("ended"));

        Assert.Empty(await store.WriteBatchAsync([live, ended], CancellationToken.None));
        Assert.Empty(await store.WriteBatchAsync([live, ended], CancellationToken.None));

        Assert.Equal((4L, 1L, 1L), await CountsAsync(database));
    }

    [Fact]
    public async Task AnAppendWhoseSequenceIsTakenIsAConflictAndTheRestOfItsBatchIsWritten()
    {
        var (store, database) = await StoreAsync();
        Assert.Empty(await store.WriteBatchAsync([Append("taken", Offered("taken"))], CancellationToken.None));

        var rival = Append("taken", Offered("taken") with { EventId = "taken-other-offer" });
        var newcomer = Append("newcomer", Offered("newcomer"), Queued("newcomer"));
        var sameBatchRival = Append("newcomer", Offered("newcomer") with { EventId = "newcomer-other-offer" });
        var conflicts = await store.WriteBatchAsync([rival, newcomer, sameBatchRival], CancellationToken.None);

        Assert.Equal([0, 2], conflicts.Order());
        Assert.Equal((3L, 2L, 0L), await CountsAsync(database));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var eventIds = new NpgsqlCommand("SELECT string_agg(event_id, ',' ORDER BY call_id, sequence) FROM call_journal", connection);
        Assert.Equal("newcomer-e1,newcomer-e2,taken-e1", await eventIds.ExecuteScalarAsync());
    }

    private async Task<(PostgresJournalStore Store, string ConnectionString)> StoreAsync()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync();
        return (new PostgresJournalStore(NpgsqlDataSource.Create(connectionString)), connectionString);
    }

    private static async Task<(long Events, long LiveCalls, long Cdrs)> CountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM call_journal), (SELECT count(*) FROM active_calls), (SELECT count(*) FROM call_detail_records)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private static readonly DateTimeOffset Start = new(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);

    private static CallOffered Offered(string call) => new($"{call}-e1", call, 1, Start, "+8613812345678", "10086", "nanjing");

    private static CallQueued Queued(string call) => new($"{call}-e2", call, 2, Start.AddSeconds(5), "billing");

    private static CallEnded Ended(string call) => new($"{call}-e2", call, 2, Start.AddSeconds(9), "normal", HangupSide.Caller);

    private static JournalAppend Append(string call, params CallEvent[] events)
    {
        CallSnapshot? state = null;
        foreach (var e in events)
        {
            var transition = CallStateMachine.Apply(state, TestTokens.NanjingGateway, e);
            Assert.True(transition.IsValid, transition.Error);
            state = transition.Next;
        }

        return new JournalAppend(TestTokens.NanjingGateway, events, state!, state!.IsEnded ? CallDetailRecord.From(state) : null);
    }
}
