using Microsoft.Data.Sqlite;

namespace ContactCenter;

/// <summary>Opens SQLite connections with the settings every user of the embedded database relies on.</summary>
public static class SqliteConnections
{
    public static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragmas = connection.CreateCommand();
        // WAL lets readers (journal replay, queries) run beside the one writer; synchronous=FULL makes a
        // commit durable against power loss, not only a crash, because acknowledged events must never be lost.
        // The busy timeout covers Orleans' grain-state writes, which share the file with the journal.
        pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;";
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
