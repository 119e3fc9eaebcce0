using ContactCenter.GroupCommit;
using Npgsql;
using NpgsqlTypes;

namespace ContactCenter.GrainState;

/// <summary>Grain state on PostgreSQL: a whole batch of versioned writes in one statement.</summary>
public sealed class PostgresGrainStateStore(NpgsqlDataSource dataSource) : IGrainStateStore
{
    // Updates win only where the stored version is the expected one; inserts only where no row exists (expected 0).
    // Whatever comes back succeeded; a write missing from the result lost its race.
    private const string WriteBatch = """
        WITH input AS (
            SELECT * FROM unnest(@grain_id, @state_name, @expected, @payload) AS t(grain_id, state_name, expected, payload)
        ), updated AS (
            UPDATE grain_state g SET version = g.version + 1, payload = i.payload, updated_at = now()
            FROM input i
            WHERE i.expected > 0 AND g.grain_id = i.grain_id AND g.state_name = i.state_name AND g.version = i.expected
            RETURNING g.grain_id, g.state_name, g.version
        ), inserted AS (
            INSERT INTO grain_state (grain_id, state_name, version, payload)
            SELECT grain_id, state_name, 1, payload FROM input WHERE expected = 0
            ON CONFLICT DO NOTHING
            RETURNING grain_id, state_name, version
        )
        SELECT grain_id, state_name, version FROM updated
        UNION ALL
        SELECT grain_id, state_name, version FROM inserted
        """;

    public async Task<StoredState?> ReadAsync(string grainId, string stateName, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT version, payload FROM grain_state WHERE grain_id = @grain_id AND state_name = @state_name");
        command.Parameters.AddWithValue("grain_id", grainId);
        command.Parameters.AddWithValue("state_name", stateName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredState(reader.GetInt32(0), reader.GetFieldValue<byte[]>(1)) : null;
    }

    public async Task<IReadOnlyList<CommitOutcome<int>>> WriteBatchAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WriteBatch);
        command.Parameters.Add(new NpgsqlParameter("grain_id", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = writes.Select(w => w.GrainId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("state_name", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = writes.Select(w => w.StateName).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("expected", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = writes.Select(w => w.ExpectedVersion).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = writes.Select(w => w.Payload).ToArray() });

        // One statement is its own transaction: all of these rows commit together or none does.
        var versions = new Dictionary<(string, string), int>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                versions[(reader.GetString(0), reader.GetString(1))] = reader.GetInt32(2);
            }
        }

        return [.. writes.Select(w => versions.TryGetValue((w.GrainId, w.StateName), out var version)
            ? CommitOutcome<int>.Success(version)
            : CommitOutcome<int>.Failure(new StateVersionConflictException(w)))];
    }

    public async Task<bool> DeleteAsync(string grainId, string stateName, int expectedVersion, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM grain_state WHERE grain_id = @grain_id AND state_name = @state_name AND version = @version");
        command.Parameters.AddWithValue("grain_id", grainId);
        command.Parameters.AddWithValue("state_name", stateName);
        command.Parameters.AddWithValue("version", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
