using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ContactCenter.Schema;

/// <summary>
/// Brings a database up to the newest schema: applies, in version order, each script of deploy/sql not yet
/// recorded in <c>schema_version</c>, each in its own transaction together with its record. Safe to run
/// again, and from two silos at once (PostgreSQL: an advisory lock; SQLite: an immediate transaction).
/// </summary>
public sealed partial class SchemaMigrator(DatabaseTarget target, ILogger<SchemaMigrator> logger)
{
    // Any fixed number: it names this lock among the session-level advisory locks of the database.
    private const long MigrationLockKey = 0x636f6e7461637443;

    private const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    integer NOT NULL PRIMARY KEY,
            script     text    NOT NULL,
            applied_at text    NOT NULL
        )
        """;

    /// <summary>Applies what is missing; returns the scripts applied now (empty when already current).</summary>
    public async Task<IReadOnlyList<SchemaScript>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, CreateVersionTable, cancellationToken);
        if (target.Kind == DatabaseKind.PostgreSql)
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
        }

        try
        {
            var applied = await AppliedVersionsAsync(connection, cancellationToken);
            var missing = SchemaScript.For(target.Kind).Where(s => !applied.Contains(s.Version)).ToList();
            foreach (var script in missing)
            {
                await ApplyAsync(connection, script, cancellationToken);
                LogApplied(script.Name, script.Version);
            }

            return missing;
        }
        finally
        {
            if (target.Kind == DatabaseKind.PostgreSql)
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
        }
    }

    /// <summary>The highest version applied, or 0 on an empty database.</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, CreateVersionTable, cancellationToken);
        var applied = await AppliedVersionsAsync(connection, cancellationToken);
        return applied.Count == 0 ? 0 : applied.Max();
    }

    private async Task ApplyAsync(DbConnection connection, SchemaScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
        await using var record = connection.CreateCommand();
        record.Transaction = transaction;
        record.CommandText = "INSERT INTO schema_version (version, script, applied_at) VALUES (@version, @script, @applied_at)";
        AddParameter(record, "@version", script.Version);
        AddParameter(record, "@script", script.Name);
        AddParameter(record, "@applied_at", DateTimeOffset.UtcNow.ToString("O"));
        await record.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<HashSet<int>> AppliedVersionsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return versions;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (target.Kind == DatabaseKind.Sqlite)
        {
            return await SqliteConnections.OpenAsync(target.ConnectionString, cancellationToken);
        }

        var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema script {Script} (version {Version})")]
    private partial void LogApplied(string script, int version);
}
