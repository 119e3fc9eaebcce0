using ContactCenter.GroupCommit;
using Npgsql;
using NpgsqlTypes;

namespace ContactCenter.Gateways;

public sealed class PostgresGatewayCommandStore(NpgsqlDataSource dataSource) : IGatewayCommandStore
{
    public async Task<IReadOnlyList<CommitOutcome<long>>> InsertBatchAsync(IReadOnlyList<OutgoingCommand> commands, CancellationToken cancellationToken)
    {
        // Identity values are handed out in insertion order, and the ORDER BY fixes that order to the input's:
        // the sorted returned ids therefore line up with the commands.
        await using var command = dataSource.CreateCommand("""
            INSERT INTO gateway_commands (gateway_id, call_id, kind, payload)
            SELECT g, c, k, p::json FROM unnest(@gateway_id, @call_id, @kind, @payload) WITH ORDINALITY AS t(g, c, k, p, n)
            ORDER BY n
            RETURNING command_id
            """);
        command.Parameters.Add(Texts("gateway_id", commands.Select(c => c.GatewayId)));
        command.Parameters.Add(Texts("call_id", commands.Select(c => c.Command.CallId)));
        command.Parameters.Add(Texts("kind", commands.Select(c => GatewayCommandJson.KindOf(c.Command))));
        command.Parameters.Add(Texts("payload", commands.Select(c => GatewayCommandJson.Serialize(c.Command))));
        var ids = new List<long>(commands.Count);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        ids.Sort();
        return ids.ConvertAll(CommitOutcome<long>.Success);
    }

    public async Task<IReadOnlyList<DeliveredCommand>> TakePendingAsync(string gatewayId, int limit, TimeSpan redeliverAfter, CancellationToken cancellationToken)
    {
        // SKIP LOCKED: two polls of one gateway (e.g. through both regions) share the work instead of waiting.
        await using var command = dataSource.CreateCommand("""
            UPDATE gateway_commands SET delivered_at = now(), deliveries = deliveries + 1
            WHERE command_id IN (
                SELECT command_id FROM gateway_commands
                WHERE gateway_id = @gateway_id AND acknowledged_at IS NULL
                  AND (delivered_at IS NULL OR delivered_at < now() - @redeliver_after)
                ORDER BY command_id
                LIMIT @limit
                FOR UPDATE SKIP LOCKED)
            RETURNING command_id, payload::text, created_at, deliveries
            """);
        command.Parameters.AddWithValue("gateway_id", gatewayId);
        command.Parameters.AddWithValue("redeliver_after", redeliverAfter);
        command.Parameters.AddWithValue("limit", limit);
        var delivered = new List<DeliveredCommand>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            delivered.Add(new DeliveredCommand(reader.GetInt64(0), GatewayCommandJson.Deserialize(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt32(3)));
        }

        return [.. delivered.OrderBy(d => d.Id)];
    }

    public async Task<int> AcknowledgeAsync(string gatewayId, IReadOnlyCollection<long> commandIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE gateway_commands SET acknowledged_at = now()
            WHERE gateway_id = @gateway_id AND command_id = ANY(@ids) AND acknowledged_at IS NULL
            """);
        command.Parameters.AddWithValue("gateway_id", gatewayId);
        command.Parameters.AddWithValue("ids", commandIds.ToArray());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Texts(string name, IEnumerable<string> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };
}
