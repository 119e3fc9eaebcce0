using Npgsql;

namespace ContactCenter.Audit;

/// <summary>The audit log on PostgreSQL. One statement per entry, not group-committed: supervisors act at human speed.</summary>
public sealed class PostgresSupervisorAuditLog(NpgsqlDataSource dataSource) : ISupervisorAuditLog
{
    public async Task<long> AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, AuditRows.Insert, "@details::jsonb"));
        command.Parameters.AddWithValue("at", record.At.ToUniversalTime());
        command.Parameters.AddWithValue("actor", record.Actor);
        command.Parameters.AddWithValue("role", record.Role);
        command.Parameters.AddWithValue("action", record.Action);
        command.Parameters.AddWithValue("target_kind", record.TargetKind);
        command.Parameters.AddWithValue("target_id", record.TargetId);
        command.Parameters.AddWithValue("details", record.Details);
        command.Parameters.AddWithValue("outcome", record.Outcome);
        command.Parameters.AddWithValue("reason", (object?)record.Reason ?? DBNull.Value);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task CompleteAsync(long id, AuditCompletion completion, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, AuditRows.Complete, "@details::jsonb"));
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("outcome", completion.Outcome);
        command.Parameters.AddWithValue("reason", (object?)completion.Reason ?? DBNull.Value);
        command.Parameters.AddWithValue("details", completion.Details);
        command.Parameters.AddWithValue("completed_at", completion.At.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var (sql, parameters) = AuditRows.Select(query, "details::text", time => time.ToUniversalTime());
        await using var command = dataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await AuditRows.ReadAsync(reader, (row, column) => row.GetFieldValue<DateTimeOffset>(column), cancellationToken);
    }
}
