using ContactCenter.GroupCommit;
using Microsoft.Data.Sqlite;

namespace ContactCenter.GrainState;

/// <summary>Grain state in the embedded database: a batch of versioned writes in one transaction.</summary>
public sealed class SqliteGrainStateStore(string connectionString) : IGrainStateStore
{
    public async Task<StoredState?> ReadAsync(string grainId, string stateName, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT version, snapshot_version, payload FROM grain_state WHERE grain_id = $grain_id AND state_name = $state_name;
            SELECT c.payload FROM grain_state_change c JOIN grain_state g ON g.grain_id = c.grain_id AND g.state_name = c.state_name
            WHERE c.grain_id = $grain_id AND c.state_name = $state_name AND c.version > g.snapshot_version
            ORDER BY c.version;
            """;
        command.Parameters.AddWithValue("$grain_id", grainId);
        command.Parameters.AddWithValue("$state_name", stateName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var version = reader.GetInt32(0);
        int? snapshotVersion = reader.IsDBNull(1) ? null : reader.GetInt32(1);
        var payload = (byte[])reader.GetValue(2);
        await reader.NextResultAsync(cancellationToken);
        var changes = new List<byte[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add((byte[])reader.GetValue(0));
        }

        return StoredState.Checked(grainId, stateName, version, snapshotVersion, payload, changes);
    }

    public async Task<IReadOnlyList<CommitOutcome<int>>> WriteBatchAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow.ToString("O");
        var outcomes = new List<CommitOutcome<int>>(writes.Count);
        foreach (var write in writes)
        {
            // A change keeps the row's payload (the snapshot) and goes into the log; a snapshot empties the log.
            var row = write switch
            {
                { ExpectedVersion: 0 } => """
                    INSERT OR IGNORE INTO grain_state (grain_id, state_name, version, snapshot_version, payload, updated_at)
                    VALUES ($grain_id, $state_name, 1, 1, $payload, $now)
                    """,
                { Kind: StateWriteKind.Change } => """
                    UPDATE grain_state SET version = version + 1, snapshot_version = coalesce(snapshot_version, version), updated_at = $now
                    WHERE grain_id = $grain_id AND state_name = $state_name AND version = $expected
                    """,
                _ => """
                    UPDATE grain_state SET version = version + 1, snapshot_version = version + 1, payload = $payload, updated_at = $now
                    WHERE grain_id = $grain_id AND state_name = $state_name AND version = $expected
                    """,
            };
            var log = write switch
            {
                { ExpectedVersion: 0 } or { Kind: StateWriteKind.Whole } => null,
                { Kind: StateWriteKind.Change } => "INSERT INTO grain_state_change (grain_id, state_name, version, payload) VALUES ($grain_id, $state_name, $expected + 1, $payload)",
                _ => "DELETE FROM grain_state_change WHERE grain_id = $grain_id AND state_name = $state_name",
            };

            var won = await ExecuteAsync(connection, transaction, row, write, now, cancellationToken) == 1;
            if (won && log is not null)
            {
                await ExecuteAsync(connection, transaction, log, write, now, cancellationToken);
            }

            outcomes.Add(won
                ? CommitOutcome<int>.Success(write.ExpectedVersion + 1)
                : CommitOutcome<int>.Failure(new StateVersionConflictException(write)));
        }

        await transaction.CommitAsync(cancellationToken);
        return outcomes;
    }

    public async Task<bool> DeleteAsync(string grainId, string stateName, int expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var write = new StateWrite(grainId, stateName, expectedVersion, []);
        var deleted = await ExecuteAsync(connection, transaction,
            "DELETE FROM grain_state WHERE grain_id = $grain_id AND state_name = $state_name AND version = $expected", write, "", cancellationToken) == 1;
        if (deleted)
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM grain_state_change WHERE grain_id = $grain_id AND state_name = $state_name", write, "", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, StateWrite write, string now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$grain_id", write.GrainId);
        command.Parameters.AddWithValue("$state_name", write.StateName);
        command.Parameters.AddWithValue("$expected", write.ExpectedVersion);
        command.Parameters.AddWithValue("$payload", write.Payload);
        command.Parameters.AddWithValue("$now", now);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
