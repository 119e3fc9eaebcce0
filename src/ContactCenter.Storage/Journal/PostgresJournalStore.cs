using ContactCenter.ActiveCalls;
using ContactCenter.Calls;
using Npgsql;
using NpgsqlTypes;

namespace ContactCenter.Journal;

/// <summary>
/// The journal on PostgreSQL. A batch is one transaction and one round trip: each table is written by a single
/// statement over column arrays (<c>unnest</c>), so the cost per batch hardly depends on how many calls it holds.
/// The statements go out as one <see cref="NpgsqlBatch"/> without an explicit transaction: PostgreSQL runs what
/// arrives before one Sync as one implicit transaction, which commits at its end or, if any statement fails, is
/// rolled back whole. So there is no separate <c>BEGIN</c> or <c>COMMIT</c> to wait for.
/// </summary>
public sealed class PostgresJournalStore(NpgsqlDataSource dataSource) : IJournalStore
{
    private const string InsertEvents = """
        INSERT INTO call_journal (call_id, sequence, event_id, event_type, gateway_id, occurred_at, payload)
        SELECT * FROM unnest(@call_id, @sequence, @event_id, @event_type, @gateway_id, @occurred_at, @payload::json[])
        """;

    private const string UpsertActive = """
        INSERT INTO active_calls (call_id, gateway_id, region, queue, agent, phase, caller, offered_at, updated_at)
        SELECT * FROM unnest(@call_id, @gateway_id, @region, @queue, @agent, @phase, @caller, @offered_at, @updated_at)
        ON CONFLICT (call_id) DO UPDATE SET queue = excluded.queue, agent = excluded.agent,
            phase = excluded.phase, updated_at = excluded.updated_at
        """;

    private const string DeleteActive = "DELETE FROM active_calls WHERE call_id = ANY(@call_id)";

    private const string InsertCdrs = """
        INSERT INTO call_detail_records (call_id, gateway_id, caller, dialled, region, queue, agent, offered_at,
            queued_at, answered_at, ended_at, wait_seconds, talk_seconds, hold_seconds, disposition, abandoned,
            end_cause, hung_up_by, transfer_count, recordings)
        SELECT * FROM unnest(@call_id, @gateway_id, @caller, @dialled, @region, @queue, @agent, @offered_at,
            @queued_at, @answered_at, @ended_at, @wait, @talk, @hold, @disposition, @abandoned,
            @end_cause, @hung_up_by, @transfer_count, @recordings::json[])
        ON CONFLICT (call_id) DO NOTHING
        """;

    public async Task<IReadOnlySet<int>> WriteBatchAsync(IReadOnlyList<JournalAppend> batch, CancellationToken cancellationToken)
    {
        var conflicts = new HashSet<int>();
        var alreadyJournaled = new HashSet<(string CallId, int Sequence)>();
        while (true)
        {
            var included = Enumerable.Range(0, batch.Count).Where(i => !conflicts.Contains(i)).Select(i => batch[i]).ToList();
            if (included.Count == 0)
            {
                return conflicts;
            }

            if (await TryCommitAsync(included, alreadyJournaled, cancellationToken))
            {
                return conflicts;
            }

            // Some sequence numbers were taken (only possible while two activations of one call briefly
            // coexist during a failure, or when a batch is retried after its commit went unanswered). Rows
            // identical to ours are a harmless replay and are left out of the retry; any other makes that append
            // a conflict. Retry the rest without it.
            await ClassifyExistingRowsAsync(batch, conflicts, alreadyJournaled, cancellationToken);
        }
    }

    /// <summary>Writes the batch; false when a journal row's (call, sequence) was already taken, and nothing was written.</summary>
    private async Task<bool> TryCommitAsync(List<JournalAppend> appends, HashSet<(string CallId, int Sequence)> alreadyJournaled, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);

        AddEvents(batch, appends, alreadyJournaled);
        var (live, ended) = JournalRows.ActiveCallChanges(appends);
        AddActiveCalls(batch, live);
        if (ended.Count > 0)
        {
            batch.BatchCommands.Add(Command(DeleteActive, Text("call_id", ended)));
        }

        var cdrs = appends.Where(a => a.Cdr is not null).Select(a => a.Cdr!).ToList();
        if (cdrs.Count > 0)
        {
            AddCdrs(batch, cdrs);
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "call_journal" })
        {
            return false; // the implicit transaction is rolled back: none of the batch's statements took effect
        }
    }

    private async Task ClassifyExistingRowsAsync(
        IReadOnlyList<JournalAppend> batch, HashSet<int> conflicts, HashSet<(string, int)> alreadyJournaled, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<(string CallId, int Sequence), string>();
        await using (var command = dataSource.CreateCommand(
            "SELECT call_id, sequence, event_id FROM call_journal WHERE call_id = ANY(@call_id)"))
        {
            command.Parameters.Add(Text("call_id", batch.Select(a => a.CallId).Distinct().ToList()));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                existing[(reader.GetString(0), reader.GetInt32(1))] = reader.GetString(2);
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            foreach (var e in batch[i].Events)
            {
                if (!existing.TryGetValue((batch[i].CallId, e.Sequence), out var eventId))
                {
                    continue;
                }

                if (eventId == e.EventId)
                {
                    alreadyJournaled.Add((batch[i].CallId, e.Sequence));
                }
                else
                {
                    conflicts.Add(i);
                }
            }
        }

        // Two appends of this very batch may claim one sequence number (two activations of one call, each
        // appending): the first keeps it, the later is a conflict, or the retry would meet the same violation.
        var claimed = new HashSet<(string, int)>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (!conflicts.Contains(i) && batch[i].Events.Any(e => !alreadyJournaled.Contains((batch[i].CallId, e.Sequence)) && !claimed.Add((batch[i].CallId, e.Sequence))))
            {
                conflicts.Add(i);
            }
        }
    }

    private static void AddEvents(NpgsqlBatch batch, List<JournalAppend> appends, HashSet<(string CallId, int Sequence)> alreadyJournaled)
    {
        var rows = appends.SelectMany(a => a.Events.Select(e => (a.GatewayId, Event: e)))
            .Where(r => !alreadyJournaled.Contains((r.Event.CallId, r.Event.Sequence))).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var command = Command(InsertEvents,
            Text("call_id", rows.ConvertAll(r => r.Event.CallId)),
            Array("sequence", NpgsqlDbType.Integer, rows.ConvertAll(r => r.Event.Sequence)),
            Text("event_id", rows.ConvertAll(r => r.Event.EventId)),
            Text("event_type", rows.ConvertAll(r => r.Event.Kind)),
            Text("gateway_id", rows.ConvertAll(r => r.GatewayId)),
            Time("occurred_at", rows.ConvertAll(r => (DateTimeOffset?)r.Event.OccurredAt)),
            Text("payload", rows.ConvertAll(r => JournalJson.Serialize(r.Event))));
        batch.BatchCommands.Add(command);
    }

    private static void AddActiveCalls(NpgsqlBatch batch, IReadOnlyCollection<CallSnapshot> live)
    {
        if (live.Count == 0)
        {
            return;
        }

        var calls = live.ToList();
        batch.BatchCommands.Add(Command(UpsertActive,
            Text("call_id", calls.ConvertAll(c => c.CallId)),
            Text("gateway_id", calls.ConvertAll(c => c.GatewayId)),
            Text("region", calls.ConvertAll(c => c.Region)),
            Text("queue", calls.ConvertAll(c => c.Queue)),
            Text("agent", calls.ConvertAll(c => c.Agent)),
            Text("phase", calls.ConvertAll(JournalRows.Phase)),
            Text("caller", calls.ConvertAll(c => c.Caller)),
            Time("offered_at", calls.ConvertAll(c => (DateTimeOffset?)c.OfferedAt)),
            Time("updated_at", calls.ConvertAll(c => (DateTimeOffset?)c.LastEventAt))));
    }

    private static void AddCdrs(NpgsqlBatch batch, List<CallDetailRecord> cdrs) =>
        batch.BatchCommands.Add(Command(InsertCdrs,
            Text("call_id", cdrs.ConvertAll(c => c.CallId)),
            Text("gateway_id", cdrs.ConvertAll(c => c.GatewayId)),
            Text("caller", cdrs.ConvertAll(c => c.Caller)),
            Text("dialled", cdrs.ConvertAll(c => c.Dialled)),
            Text("region", cdrs.ConvertAll(c => c.Region)),
            Text("queue", cdrs.ConvertAll(c => c.Queue)),
            Text("agent", cdrs.ConvertAll(c => c.Agent)),
            Time("offered_at", cdrs.ConvertAll(c => (DateTimeOffset?)c.OfferedAt)),
            Time("queued_at", cdrs.ConvertAll(c => c.QueuedAt)),
            Time("answered_at", cdrs.ConvertAll(c => c.AnsweredAt)),
            Time("ended_at", cdrs.ConvertAll(c => (DateTimeOffset?)c.EndedAt)),
            Array("wait", NpgsqlDbType.Double, cdrs.ConvertAll(c => c.WaitTime.TotalSeconds)),
            Array("talk", NpgsqlDbType.Double, cdrs.ConvertAll(c => c.TalkTime.TotalSeconds)),
            Array("hold", NpgsqlDbType.Double, cdrs.ConvertAll(c => c.HoldTime.TotalSeconds)),
            Text("disposition", cdrs.ConvertAll(c => JsonNames.Of(c.Disposition))),
            Array("abandoned", NpgsqlDbType.Boolean, cdrs.ConvertAll(c => c.Abandoned)),
            Text("end_cause", cdrs.ConvertAll(c => c.EndCause)),
            Text("hung_up_by", cdrs.ConvertAll(c => JsonNames.Of(c.HungUpBy))),
            Array("transfer_count", NpgsqlDbType.Integer, cdrs.ConvertAll(c => c.TransferCount)),
            Text("recordings", cdrs.ConvertAll(JournalRows.Recordings))));

    public async Task<IReadOnlyDictionary<string, List<JournaledEvent>>> ReadManyAsync(IReadOnlyList<string> callIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT call_id, gateway_id, payload::text, recorded_at FROM call_journal WHERE call_id = ANY(@call_ids) ORDER BY call_id, sequence");
        command.Parameters.Add(Text("call_ids", [.. callIds.Distinct(StringComparer.Ordinal)]));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var journals = new Dictionary<string, List<JournaledEvent>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var callId = reader.GetString(0);
            if (!journals.TryGetValue(callId, out var events))
            {
                journals[callId] = events = [];
            }

            events.Add(new JournaledEvent(reader.GetString(1), JournalJson.Deserialize(reader.GetString(2)), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return journals;
    }

    public async Task<ActiveCallPage> QueryActiveCallsAsync(ActiveCallQuery query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT call_id, gateway_id, region, queue, agent, phase, caller, offered_at, updated_at
            FROM active_calls
            WHERE (@queue::text IS NULL OR queue = @queue) AND (@region::text IS NULL OR region = @region)
              AND (@gateway::text IS NULL OR gateway_id = @gateway) AND (@after::text IS NULL OR call_id > @after)
              AND (@caller::text IS NULL OR caller = @caller)
            ORDER BY call_id
            LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<string?>("queue", NpgsqlDbType.Text) { TypedValue = query.Queue });
        command.Parameters.Add(new NpgsqlParameter<string?>("region", NpgsqlDbType.Text) { TypedValue = query.Region });
        command.Parameters.Add(new NpgsqlParameter<string?>("gateway", NpgsqlDbType.Text) { TypedValue = query.GatewayId });
        command.Parameters.Add(new NpgsqlParameter<string?>("after", NpgsqlDbType.Text) { TypedValue = query.After });
        command.Parameters.Add(new NpgsqlParameter<string?>("caller", NpgsqlDbType.Text) { TypedValue = query.Caller });
        command.Parameters.AddWithValue("limit", query.Limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ActiveCallPages.ReadAsync(reader, query.Limit, (row, column) => row.GetFieldValue<DateTimeOffset>(column), cancellationToken);
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Text(string name, IReadOnlyCollection<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };

    private static NpgsqlParameter Time(string name, List<DateTimeOffset?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = values.ConvertAll(v => v?.ToUniversalTime()).ToArray() };

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, List<T> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };
}
