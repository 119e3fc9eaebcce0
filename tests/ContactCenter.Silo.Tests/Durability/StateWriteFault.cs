using Microsoft.Data.Sqlite;
using Npgsql;

namespace ContactCenter.Tests.Durability;

/// <summary>
/// Makes the real database refuse some writes, as a full disk, a lost connection or a constraint would: a trigger
/// that raises for rows of one table whose key column contains a given text. By default the grain-state writes of
/// grains whose id contains it; <see cref="OnCommands"/> the gateway commands of calls whose id contains it.
/// </summary>
internal abstract class StateWriteFault(string table, string column)
{
    public static StateWriteFault For(string database, string connectionString) => For(database, connectionString, "grain_state", "grain_id");

    public static StateWriteFault OnCommands(string database, string connectionString) => For(database, connectionString, "gateway_commands", "call_id");

    private static StateWriteFault For(string database, string connectionString, string table, string column) => database switch
    {
        "sqlite" => new SqliteFault(connectionString, table, column),
        "postgresql" => new PostgresFault(connectionString, table, column),
        _ => throw new ArgumentOutOfRangeException(nameof(database), database, "sqlite or postgresql"),
    };

    protected string Table => table;

    protected string Column => column;

    /// <summary>From now on, writes of rows whose key contains <paramref name="keyPart"/> fail.</summary>
    public abstract Task FailWritesOfAsync(string keyPart);

    /// <summary>Writes succeed again.</summary>
    public abstract Task HealAsync();

    private sealed class SqliteFault(string connectionString, string table, string column) : StateWriteFault(table, column)
    {
        public override Task FailWritesOfAsync(string keyPart) => ExecuteAsync($"""
            CREATE TRIGGER fail_state_insert BEFORE INSERT ON {Table} WHEN instr(NEW.{Column}, '{keyPart}') > 0
            BEGIN SELECT RAISE(ABORT, 'injected write failure'); END;
            CREATE TRIGGER fail_state_update BEFORE UPDATE ON {Table} WHEN instr(NEW.{Column}, '{keyPart}') > 0
            BEGIN SELECT RAISE(ABORT, 'injected write failure'); END;
            """);

        public override Task HealAsync() => ExecuteAsync("DROP TRIGGER fail_state_insert; DROP TRIGGER fail_state_update;");

        private async Task ExecuteAsync(string sql)
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }

    private sealed class PostgresFault(string connectionString, string table, string column) : StateWriteFault(table, column)
    {
        public override Task FailWritesOfAsync(string keyPart) => ExecuteAsync($"""
            CREATE FUNCTION fail_state_write() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF strpos(NEW.{Column}, '{keyPart}') > 0 THEN RAISE EXCEPTION 'injected write failure'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER fail_state_write BEFORE INSERT OR UPDATE ON {Table} FOR EACH ROW EXECUTE FUNCTION fail_state_write();
            """);

        public override Task HealAsync() => ExecuteAsync($"DROP TRIGGER fail_state_write ON {Table}; DROP FUNCTION fail_state_write();");

        private async Task ExecuteAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
