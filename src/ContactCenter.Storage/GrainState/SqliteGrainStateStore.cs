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
        command.CommandText = "SELECT version, payload FROM grain_state WHERE grain_id = $grain_id AND state_name = $state_name";
        command.Parameters.AddWithValue("$grain_id", grainId);
        command.Parameters.AddWithValue("$state_name", stateName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredState(reader.GetInt32(0), (byte[])reader.GetValue(1)) : null;
    }

    public async Task<IReadOnlyList<CommitOutcome<int>>> WriteBatchAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = """
            UPDATE grain_state SET version = version + 1, payload = $payload, updated_at = $now
            WHERE grain_id = $grain_id AND state_name = $state_name AND version = $expected
            """;
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT OR IGNORE INTO grain_state (grain_id, state_name, version, payload, updated_at)
            VALUES ($grain_id, $state_name, 1, $payload, $now)
            """;

        var now = DateTimeOffset.UtcNow.ToString("O");
        var outcomes = new List<CommitOutcome<int>>(writes.Count);
        foreach (var write in writes)
        {
            var command = write.ExpectedVersion == 0 ? insert : update;
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$grain_id", write.GrainId);
            command.Parameters.AddWithValue("$state_name", write.StateName);
            command.Parameters.AddWithValue("$expected", write.ExpectedVersion);
            command.Parameters.AddWithValue("$payload", write.Payload);
            command.Parameters.AddWithValue("$now", now);
            outcomes.Add(await command.ExecuteNonQueryAsync(cancellationToken) == 1
                ? CommitOutcome<int>.Success(write.ExpectedVersion + 1)
                : CommitOutcome<int>.Failure(new StateVersionConflictException(write)));
        }

        await transaction.CommitAsync(cancellationToken);
        return outcomes;
    }

    public async Task<bool> DeleteAsync(string grainId, string stateName, int expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM grain_state WHERE grain_id = $grain_id AND state_name = $state_name AND version = $version";
        command.Parameters.AddWithValue("$grain_id", grainId);
        command.Parameters.AddWithValue("$state_name", stateName);
        command.Parameters.AddWithValue("$version", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
