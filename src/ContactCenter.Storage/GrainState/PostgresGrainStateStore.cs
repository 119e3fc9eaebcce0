using ContactCenter.GroupCommit;
using Npgsql;
using NpgsqlTypes;

namespace ContactCenter.GrainState;

/// <summary>Grain state on PostgreSQL: a whole batch of versioned writes in one statement.</summary>
public sealed class PostgresGrainStateStore(NpgsqlDataSource dataSource) : IGrainStateStore
{
    // Updates win only where the stored version is the expected one; inserts only where no row exists (expected 0).
    // Whatever comes back succeeded; a write missing from the result lost its race. A change leaves the row's
    // payload (the snapshot) as it is and goes into the log; a snapshot empties the log. Only writes that won touch
    // the log, since both log statements read from the rows "updated" returned.
    private const string WriteBatch = """
        WITH input AS (
            SELECT * FROM unnest(@grain_id, @state_name, @expected, @kind, @payload) AS t(grain_id, state_name, expected, kind, payload)
        ), updated AS (
            UPDATE grain_state g SET
                version = g.version + 1,
                payload = CASE WHEN i.kind = 2 THEN g.payload ELSE i.payload END,
                snapshot_version = CASE WHEN i.kind = 2 THEN coalesce(g.snapshot_version, g.version) ELSE g.version + 1 END,
                updated_at = now()
            FROM input i
            WHERE i.expected > 0 AND g.grain_id = i.grain_id AND g.state_name = i.state_name AND g.version = i.expected
            RETURNING g.grain_id, g.state_name, g.version, i.kind, i.payload
        ), inserted AS (
            INSERT INTO grain_state (grain_id, state_name, version, snapshot_version, payload)
            SELECT grain_id, state_name, 1, 1, payload FROM input WHERE expected = 0
            ON CONFLICT DO NOTHING
            RETURNING grain_id, state_name, version
        ), appended AS (
            INSERT INTO grain_state_change (grain_id, state_name, version, payload)
            SELECT grain_id, state_name, version, payload FROM updated WHERE kind = 2
        ), emptied AS (
            DELETE FROM grain_state_change c USING updated u
            WHERE u.kind = 1 AND c.grain_id = u.grain_id AND c.state_name = u.state_name
        )
        SELECT grain_id, state_name, version FROM updated
        UNION ALL
        SELECT grain_id, state_name, version FROM inserted
        """;

    private const string Read = """
        SELECT g.version, g.snapshot_version, g.payload,
            ARRAY(SELECT c.payload FROM grain_state_change c
                  WHERE c.grain_id = g.grain_id AND c.state_name = g.state_name AND c.version > g.snapshot_version
                  ORDER BY c.version)
        FROM grain_state g
        WHERE g.grain_id = @grain_id AND g.state_name = @state_name
        """;

    public async Task<StoredState?> ReadAsync(string grainId, string stateName, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Read);
        command.Parameters.AddWithValue("grain_id", grainId);
        command.Parameters.AddWithValue("state_name", stateName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return StoredState.Checked(
            grainId,
            stateName,
            reader.GetInt32(0),
            reader.IsDBNull(1) ? null : reader.GetInt32(1),
            reader.GetFieldValue<byte[]>(2),
            reader.GetFieldValue<byte[][]>(3));
    }

    public async Task<IReadOnlyList<CommitOutcome<int>>> WriteBatchAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WriteBatch);
        command.Parameters.Add(new NpgsqlParameter("grain_id", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = writes.Select(w => w.GrainId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("state_name", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = writes.Select(w => w.StateName).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("expected", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = writes.Select(w => w.ExpectedVersion).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("kind", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { Value = writes.Select(w => (short)w.Kind).ToArray() });
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
        await using var command = dataSource.CreateCommand("""
            WITH deleted AS (
                DELETE FROM grain_state WHERE grain_id = @grain_id AND state_name = @state_name AND version = @version
                RETURNING grain_id, state_name
            ), emptied AS (
                DELETE FROM grain_state_change c USING deleted d WHERE c.grain_id = d.grain_id AND c.state_name = d.state_name
            )
            SELECT count(*) FROM deleted
            """);
        command.Parameters.AddWithValue("grain_id", grainId);
        command.Parameters.AddWithValue("state_name", stateName);
        command.Parameters.AddWithValue("version", expectedVersion);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }
}
