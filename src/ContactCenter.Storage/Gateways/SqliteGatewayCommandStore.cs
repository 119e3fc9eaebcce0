using System.Globalization;
using ContactCenter.GroupCommit;
using ContactCenter.Journal;
using Microsoft.Data.Sqlite;

namespace ContactCenter.Gateways;

public sealed class SqliteGatewayCommandStore(string connectionString) : IGatewayCommandStore
{
    public async Task<IReadOnlyList<CommitOutcome<long>>> InsertBatchAsync(IReadOnlyList<OutgoingCommand> commands, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var supersede = connection.CreateCommand();
        supersede.Transaction = transaction;
        // See GatewayCommandSupersession. Commands go in one at a time, so a batch's earlier commands are already
        // rows its later ones can make stale.
        supersede.CommandText = """
            UPDATE gateway_commands SET superseded_at = $now
            WHERE call_id = $call_id AND gateway_id = $gateway_id AND acknowledged_at IS NULL AND superseded_at IS NULL
              AND topic = $topic AND ($subject IS NULL OR subject = $subject)
            RETURNING subject, delivered_at IS NOT NULL
            """;
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO gateway_commands (gateway_id, call_id, kind, payload, created_at, topic, subject, superseded_at)
            VALUES ($gateway_id, $call_id, $kind, $payload, $now, $topic, $subject, $superseded_at)
            RETURNING command_id
            """;
        var now = SqliteJournalStore.FormatTime(DateTimeOffset.UtcNow);
        // What this batch made stale, by call and subject: a cancel_connect undoing only connects never delivered is pointless.
        var staled = new HashSet<(string GatewayId, string CallId, string Subject)>();
        var staledDelivered = new HashSet<(string GatewayId, string CallId, string Subject)>();
        var ids = new List<CommitOutcome<long>>(commands.Count);
        foreach (var outgoing in commands)
        {
            var rule = GatewayCommandSupersession.Of(outgoing.Command);
            if (rule.SupersedesTopic is not null)
            {
                supersede.Parameters.Clear();
                supersede.Parameters.AddWithValue("$now", now);
                supersede.Parameters.AddWithValue("$call_id", outgoing.Command.CallId);
                supersede.Parameters.AddWithValue("$gateway_id", outgoing.GatewayId);
                supersede.Parameters.AddWithValue("$topic", rule.SupersedesTopic);
                supersede.Parameters.AddWithValue("$subject", (object?)rule.SupersedesSubject ?? DBNull.Value);
                await using var reader = await supersede.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var key = (outgoing.GatewayId, outgoing.Command.CallId, reader.GetString(0));
                    staled.Add(key);
                    if (reader.GetBoolean(1))
                    {
                        staledDelivered.Add(key);
                    }
                }
            }

            var undone = (outgoing.GatewayId, outgoing.Command.CallId, rule.SupersedesSubject ?? "");
            var pointless = rule.PointlessWhenUndoneUndelivered && staled.Contains(undone) && !staledDelivered.Contains(undone);
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$gateway_id", outgoing.GatewayId);
            insert.Parameters.AddWithValue("$call_id", outgoing.Command.CallId);
            insert.Parameters.AddWithValue("$kind", GatewayCommandJson.KindOf(outgoing.Command));
            insert.Parameters.AddWithValue("$payload", GatewayCommandJson.Serialize(outgoing.Command));
            insert.Parameters.AddWithValue("$now", now);
            insert.Parameters.AddWithValue("$topic", (object?)rule.Topic ?? DBNull.Value);
            insert.Parameters.AddWithValue("$subject", (object?)rule.Subject ?? DBNull.Value);
            insert.Parameters.AddWithValue("$superseded_at", pointless ? now : DBNull.Value);
            ids.Add(CommitOutcome<long>.Success((long)(await insert.ExecuteScalarAsync(cancellationToken))!));
        }

        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    public async Task<IReadOnlyList<DeliveredCommand>> TakePendingAsync(string gatewayId, int limit, TimeSpan redeliverAfter, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        // In call order, as on PostgreSQL: nothing of a call while an earlier command of it is out with the
        // gateway. A writing statement holds the database's write lock from its start, so polls take turns.
        command.CommandText = """
            UPDATE gateway_commands SET delivered_at = $now, deliveries = deliveries + 1
            WHERE command_id IN (
                SELECT c.command_id FROM gateway_commands c
                WHERE c.gateway_id = $gateway_id AND c.acknowledged_at IS NULL AND c.superseded_at IS NULL
                  AND (c.delivered_at IS NULL OR c.delivered_at < $redeliver_before)
                  AND NOT EXISTS (
                      SELECT 1 FROM gateway_commands e
                      WHERE e.call_id = c.call_id AND e.command_id < c.command_id
                        AND e.acknowledged_at IS NULL AND e.superseded_at IS NULL
                        AND e.delivered_at >= $redeliver_before)
                ORDER BY c.command_id
                LIMIT $limit)
            RETURNING command_id, payload, created_at, deliveries
            """;
        command.Parameters.AddWithValue("$now", SqliteJournalStore.FormatTime(now));
        command.Parameters.AddWithValue("$gateway_id", gatewayId);
        command.Parameters.AddWithValue("$redeliver_before", SqliteJournalStore.FormatTime(now - redeliverAfter));
        command.Parameters.AddWithValue("$limit", limit);
        var delivered = new List<DeliveredCommand>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            delivered.Add(new DeliveredCommand(
                reader.GetInt64(0), GatewayCommandJson.Deserialize(reader.GetString(1)),
                DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), reader.GetInt32(3)));
        }

        return [.. delivered.OrderBy(d => d.Id)];
    }

    public async Task<int> AcknowledgeAsync(string gatewayId, IReadOnlyCollection<long> commandIds, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE gateway_commands SET acknowledged_at = $now
            WHERE gateway_id = $gateway_id AND acknowledged_at IS NULL
              AND command_id IN (SELECT value FROM json_each($ids))
            """;
        command.Parameters.AddWithValue("$now", SqliteJournalStore.FormatTime(DateTimeOffset.UtcNow));
        command.Parameters.AddWithValue("$gateway_id", gatewayId);
        command.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(commandIds));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> WasDeliveredAsync(long commandId, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT delivered_at IS NOT NULL OR acknowledged_at IS NOT NULL FROM gateway_commands WHERE command_id = $id";
        command.Parameters.AddWithValue("$id", commandId);
        return await command.ExecuteScalarAsync(cancellationToken) is long and not 0;
    }

    public async Task RecordPollsAsync(IReadOnlyCollection<string> gatewayIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO gateway_polls (gateway_id, last_poll_at) SELECT value, $now FROM json_each($ids) WHERE true
            ON CONFLICT (gateway_id) DO UPDATE SET last_poll_at = max(last_poll_at, excluded.last_poll_at)
            """;
        command.Parameters.AddWithValue("$now", SqliteJournalStore.FormatTime(now));
        command.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(gatewayIds));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<GatewayPollRecord>> ReadGatewaysAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT gateway_id, max(last_poll_at), sum(open) FROM (
                SELECT gateway_id, last_poll_at, 0 AS open FROM gateway_polls
                UNION ALL
                SELECT gateway_id, NULL, count(*) FROM gateway_commands WHERE acknowledged_at IS NULL AND superseded_at IS NULL GROUP BY gateway_id)
            GROUP BY gateway_id
            """;
        var records = new List<GatewayPollRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            TimeSpan? silentFor = reader.IsDBNull(1) ? null : now - SqliteJournalStore.ParseTime(reader.GetString(1));
            records.Add(new GatewayPollRecord(reader.GetString(0), silentFor < TimeSpan.Zero ? TimeSpan.Zero : silentFor, reader.GetInt32(2)));
        }

        return records;
    }
}
