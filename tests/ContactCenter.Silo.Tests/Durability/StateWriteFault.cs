using Microsoft.Data.Sqlite;
using Npgsql;

namespace ContactCenter.Tests.Durability;

/// <summary>
/// Makes the real database refuse the grain-state writes of one grain, as a full disk, a lost connection or a
/// constraint would: a trigger on <c>grain_state</c> that raises for rows whose grain id contains a given text.
/// </summary>
internal abstract class StateWriteFault
{
    public static StateWriteFault For(string database, string connectionString) => database switch
    {
        "sqlite" => new SqliteFault(connectionString),
        "postgresql" => new PostgresFault(connectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(database), database, "sqlite or postgresql"),
    };

    /// <summary>From now on, writes of grains whose id contains <paramref name="grainIdPart"/> fail.</summary>
    public abstract Task FailWritesOfAsync(string grainIdPart);

    /// <summary>Writes succeed again.</summary>
    public abstract Task HealAsync();

    private sealed class SqliteFault(string connectionString) : StateWriteFault
    {
        public override Task FailWritesOfAsync(string grainIdPart) => ExecuteAsync($"""
            CREATE TRIGGER fail_state_insert BEFORE INSERT ON grain_state WHEN instr(NEW.grain_id, '{grainIdPart}') > 0
            BEGIN SELECT RAISE(ABORT, 'injected write failure'); END;
            CREATE TRIGGER fail_state_update BEFORE UPDATE ON grain_state WHEN instr(NEW.grain_id, '{grainIdPart}') > 0
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

    private sealed class PostgresFault(string connectionString) : StateWriteFault
    {
        public override Task FailWritesOfAsync(string grainIdPart) => ExecuteAsync($"""
            CREATE FUNCTION fail_state_write() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF strpos(NEW.grain_id, '{grainIdPart}') > 0 THEN RAISE EXCEPTION 'injected write failure'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER fail_state_write BEFORE INSERT OR UPDATE ON grain_state FOR EACH ROW EXECUTE FUNCTION fail_state_write();
            """);

        public override Task HealAsync() => ExecuteAsync("DROP TRIGGER fail_state_write ON grain_state; DROP FUNCTION fail_state_write();");

        private async Task ExecuteAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
