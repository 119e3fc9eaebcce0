using ContactCenter.Journal;
using Microsoft.Data.Sqlite;

namespace ContactCenter.Audit;

/// <summary>The audit log in the embedded SQLite file (synchronous=FULL: a written entry survives power loss).</summary>
public sealed class SqliteSupervisorAuditLog(string connectionString) : ISupervisorAuditLog
{
    public async Task<long> AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, AuditRows.Insert, "@details");
        command.Parameters.AddWithValue("@at", SqliteJournalStore.FormatTime(record.At));
        command.Parameters.AddWithValue("@actor", record.Actor);
        command.Parameters.AddWithValue("@role", record.Role);
        command.Parameters.AddWithValue("@action", record.Action);
        command.Parameters.AddWithValue("@target_kind", record.TargetKind);
        command.Parameters.AddWithValue("@target_id", record.TargetId);
        command.Parameters.AddWithValue("@details", record.Details);
        command.Parameters.AddWithValue("@outcome", record.Outcome);
        command.Parameters.AddWithValue("@reason", (object?)record.Reason ?? DBNull.Value);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task CompleteAsync(long id, AuditCompletion completion, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, AuditRows.Complete, "@details");
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@outcome", completion.Outcome);
        command.Parameters.AddWithValue("@reason", (object?)completion.Reason ?? DBNull.Value);
        command.Parameters.AddWithValue("@details", completion.Details);
        command.Parameters.AddWithValue("@completed_at", SqliteJournalStore.FormatTime(completion.At));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var (sql, parameters) = AuditRows.Select(query, "details", time => SqliteJournalStore.FormatTime(time));
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue("@" + name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await AuditRows.ReadAsync(reader, (row, column) => SqliteJournalStore.ParseTime(row.GetString(column)), cancellationToken);
    }
}
