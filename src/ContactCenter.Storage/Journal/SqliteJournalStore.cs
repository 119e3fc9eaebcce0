using System.Globalization;
using ContactCenter.ActiveCalls;
using ContactCenter.Calls;
using Microsoft.Data.Sqlite;

namespace ContactCenter.Journal;

/// <summary>
/// The journal in the embedded mode. SQLite commits are cheap once inside a transaction, so a batch is one
/// transaction of prepared single-row statements, with a savepoint per append so that one conflicting call
/// cannot sink the others.
/// </summary>
public sealed class SqliteJournalStore(string connectionString) : IJournalStore
{
    public async Task<IReadOnlySet<int>> WriteBatchAsync(IReadOnlyList<JournalAppend> batch, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        using var statements = new Statements(connection, transaction);
        var conflicts = new HashSet<int>();
        for (var i = 0; i < batch.Count; i++)
        {
            transaction.Save("append");
            if (await statements.TryInsertEventsAsync(batch[i], cancellationToken))
            {
                transaction.Release("append");
            }
            else
            {
                transaction.Rollback("append");
                conflicts.Add(i);
            }
        }

        var committed = Enumerable.Range(0, batch.Count).Where(i => !conflicts.Contains(i)).Select(i => batch[i]).ToList();
        var (live, ended) = JournalRows.ActiveCallChanges(committed);
        foreach (var call in live)
        {
            await statements.UpsertActiveAsync(call, cancellationToken);
        }

        foreach (var callId in ended)
        {
            await statements.DeleteActiveAsync(callId, cancellationToken);
        }

        foreach (var cdr in committed.Where(a => a.Cdr is not null).Select(a => a.Cdr!))
        {
            await statements.InsertCdrAsync(cdr, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return conflicts;
    }

    public async Task<IReadOnlyDictionary<string, List<JournaledEvent>>> ReadManyAsync(IReadOnlyList<string> callIds, CancellationToken cancellationToken)
    {
        // SQLite is in the process: one connection and one prepared statement for the batch is the saving.
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT gateway_id, payload, recorded_at FROM call_journal WHERE call_id = $call_id ORDER BY sequence";
        var callId = command.Parameters.Add("$call_id", SqliteType.Text);
        var journals = new Dictionary<string, List<JournaledEvent>>(StringComparer.Ordinal);
        foreach (var id in callIds.Distinct(StringComparer.Ordinal))
        {
            callId.Value = id;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var events = new List<JournaledEvent>();
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(new JournaledEvent(reader.GetString(0), JournalJson.Deserialize(reader.GetString(1)), ParseTime(reader.GetString(2))));
            }

            if (events.Count > 0)
            {
                journals[id] = events;
            }
        }

        return journals;
    }

    public async Task<ActiveCallPage> QueryActiveCallsAsync(ActiveCallQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT call_id, gateway_id, region, queue, agent, phase, caller, offered_at, updated_at
            FROM active_calls
            WHERE ($queue IS NULL OR queue = $queue) AND ($region IS NULL OR region = $region)
              AND ($gateway IS NULL OR gateway_id = $gateway) AND ($after IS NULL OR call_id > $after)
              AND ($caller IS NULL OR caller = $caller)
            ORDER BY call_id
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$queue", (object?)query.Queue ?? DBNull.Value);
        command.Parameters.AddWithValue("$region", (object?)query.Region ?? DBNull.Value);
        command.Parameters.AddWithValue("$gateway", (object?)query.GatewayId ?? DBNull.Value);
        command.Parameters.AddWithValue("$after", (object?)query.After ?? DBNull.Value);
        command.Parameters.AddWithValue("$caller", (object?)query.Caller ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", query.Limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ActiveCallPages.ReadAsync(reader, query.Limit, (row, column) => ParseTime(row.GetString(column)), cancellationToken);
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";
        await command.ExecuteScalarAsync(cancellationToken);
    }

    internal static string FormatTime(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) ?? "";

    internal static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>The batch's prepared statements, created once per transaction and rebound per row.</summary>
    private sealed class Statements(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
    {
        private readonly SqliteCommand _insertEvent = Prepare(connection, transaction, """
            INSERT OR IGNORE INTO call_journal (call_id, sequence, event_id, event_type, gateway_id, occurred_at, recorded_at, payload)
            VALUES ($call_id, $sequence, $event_id, $event_type, $gateway_id, $occurred_at, $recorded_at, $payload)
            """);

        private readonly SqliteCommand _existingEventId = Prepare(connection, transaction,
            "SELECT event_id FROM call_journal WHERE call_id = $call_id AND sequence = $sequence");

        private readonly SqliteCommand _upsertActive = Prepare(connection, transaction, """
            INSERT INTO active_calls (call_id, gateway_id, region, queue, agent, phase, caller, offered_at, updated_at)
            VALUES ($call_id, $gateway_id, $region, $queue, $agent, $phase, $caller, $offered_at, $updated_at)
            ON CONFLICT (call_id) DO UPDATE SET queue = excluded.queue, agent = excluded.agent,
                phase = excluded.phase, updated_at = excluded.updated_at
            """);

        private readonly SqliteCommand _deleteActive = Prepare(connection, transaction, "DELETE FROM active_calls WHERE call_id = $call_id");

        private readonly SqliteCommand _insertCdr = Prepare(connection, transaction, """
            INSERT OR IGNORE INTO call_detail_records (call_id, gateway_id, caller, dialled, region, queue, agent,
                offered_at, queued_at, answered_at, ended_at, wait_seconds, talk_seconds, hold_seconds, disposition,
                abandoned, end_cause, hung_up_by, transfer_count, recordings)
            VALUES ($call_id, $gateway_id, $caller, $dialled, $region, $queue, $agent, $offered_at, $queued_at,
                $answered_at, $ended_at, $wait, $talk, $hold, $disposition, $abandoned, $end_cause, $hung_up_by,
                $transfer_count, $recordings)
            """);

        /// <summary>Inserts the append's events; false when a sequence number holds a different event.</summary>
        public async Task<bool> TryInsertEventsAsync(JournalAppend append, CancellationToken cancellationToken)
        {
            var recordedAt = FormatTime(DateTimeOffset.UtcNow);
            foreach (var e in append.Events)
            {
                Bind(_insertEvent, ("$call_id", e.CallId), ("$sequence", e.Sequence), ("$event_id", e.EventId),
                    ("$event_type", e.Kind), ("$gateway_id", append.GatewayId), ("$occurred_at", FormatTime(e.OccurredAt)),
                    ("$recorded_at", recordedAt), ("$payload", JournalJson.Serialize(e)));
                if (await _insertEvent.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    continue;
                }

                Bind(_existingEventId, ("$call_id", e.CallId), ("$sequence", e.Sequence));
                if (await _existingEventId.ExecuteScalarAsync(cancellationToken) as string != e.EventId)
                {
                    return false;
                }
            }

            return true;
        }

        public Task UpsertActiveAsync(CallSnapshot call, CancellationToken cancellationToken)
        {
            Bind(_upsertActive, ("$call_id", call.CallId), ("$gateway_id", call.GatewayId), ("$region", call.Region),
                ("$queue", call.Queue), ("$agent", call.Agent), ("$phase", JournalRows.Phase(call)),
                ("$caller", call.Caller), ("$offered_at", FormatTime(call.OfferedAt)), ("$updated_at", FormatTime(call.LastEventAt)));
            return _upsertActive.ExecuteNonQueryAsync(cancellationToken);
        }

        public Task DeleteActiveAsync(string callId, CancellationToken cancellationToken)
        {
            Bind(_deleteActive, ("$call_id", callId));
            return _deleteActive.ExecuteNonQueryAsync(cancellationToken);
        }

        public Task InsertCdrAsync(CallDetailRecord cdr, CancellationToken cancellationToken)
        {
            Bind(_insertCdr, ("$call_id", cdr.CallId), ("$gateway_id", cdr.GatewayId), ("$caller", cdr.Caller),
                ("$dialled", cdr.Dialled), ("$region", cdr.Region), ("$queue", cdr.Queue), ("$agent", cdr.Agent),
                ("$offered_at", FormatTime(cdr.OfferedAt)), ("$queued_at", NullableTime(cdr.QueuedAt)),
                ("$answered_at", NullableTime(cdr.AnsweredAt)), ("$ended_at", FormatTime(cdr.EndedAt)),
                ("$wait", cdr.WaitTime.TotalSeconds), ("$talk", cdr.TalkTime.TotalSeconds), ("$hold", cdr.HoldTime.TotalSeconds),
                ("$disposition", JsonNames.Of(cdr.Disposition)), ("$abandoned", cdr.Abandoned),
                ("$end_cause", cdr.EndCause), ("$hung_up_by", JsonNames.Of(cdr.HungUpBy)),
                ("$transfer_count", cdr.TransferCount), ("$recordings", JournalRows.Recordings(cdr)));
            return _insertCdr.ExecuteNonQueryAsync(cancellationToken);
        }

        public void Dispose()
        {
            foreach (var command in new[] { _insertEvent, _existingEventId, _upsertActive, _deleteActive, _insertCdr })
            {
                command.Dispose();
            }
        }

        private static string? NullableTime(DateTimeOffset? time) => time is null ? null : FormatTime(time);

        private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            return command;
        }

        private static void Bind(SqliteCommand command, params (string Name, object? Value)[] values)
        {
            command.Parameters.Clear();
            foreach (var (name, value) in values)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
        }
    }
}
