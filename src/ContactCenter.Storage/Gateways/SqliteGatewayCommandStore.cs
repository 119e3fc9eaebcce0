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
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO gateway_commands (gateway_id, call_id, kind, payload, created_at)
            VALUES ($gateway_id, $call_id, $kind, $payload, $now)
            RETURNING command_id
            """;
        var now = SqliteJournalStore.FormatTime(DateTimeOffset.UtcNow);
        var ids = new List<CommitOutcome<long>>(commands.Count);
        foreach (var outgoing in commands)
        {
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$gateway_id", outgoing.GatewayId);
            insert.Parameters.AddWithValue("$call_id", outgoing.Command.CallId);
            insert.Parameters.AddWithValue("$kind", GatewayCommandJson.KindOf(outgoing.Command));
            insert.Parameters.AddWithValue("$payload", GatewayCommandJson.Serialize(outgoing.Command));
            insert.Parameters.AddWithValue("$now", now);
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
        command.CommandText = """
            UPDATE gateway_commands SET delivered_at = $now, deliveries = deliveries + 1
            WHERE command_id IN (
                SELECT command_id FROM gateway_commands
                WHERE gateway_id = $gateway_id AND acknowledged_at IS NULL AND (delivered_at IS NULL OR delivered_at < $redeliver_before)
                ORDER BY command_id
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
}
