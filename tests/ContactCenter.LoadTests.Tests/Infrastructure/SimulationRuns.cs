using ContactCenter.LoadTests.Cli;
using ContactCenter.LoadTests.Simulation;
using Microsoft.Data.Sqlite;

namespace ContactCenter.LoadTests.Tests.Infrastructure;

/// <summary>Short simulations against a test silo: a quiet night hour at 20x, the test tokens, the loss check on the silo's SQLite file.</summary>
public static class SimulationRuns
{
    /// <summary>
    /// The test run's options with <paramref name="more"/> added: a single-valued option given there replaces the
    /// default one (the command line takes each such option once), a repeatable one (--silo, --gateway, --watch) adds.
    /// </summary>
    public static SimulationOptions Options(SiloHost silo, string databasePath, params string[] more)
    {
        (string Name, string Value)[] defaults =
        [
            ("--silo", silo.Address.ToString()), ("--speed", "20"), ("--at", "2026-11-15T07:00:00+08:00"),
            ("--warmup", "3"), ("--seconds", "12"), ("--drain", "5"), ("--seats", "60"), ("--clients", "1"),
            ("--gateway", $"nanjing={TestTokens.NanjingToken}"), ("--gateway", $"huaian={TestTokens.HuaianToken}"),
            ("--operator-token", TestTokens.AdminToken), ("--database", $"sqlite:{databasePath}"), ("--seed", "5"),
        ];
        string[] repeatable = ["--silo", "--gateway", "--watch"];
        var replaced = more.Where(word => word.StartsWith("--", StringComparison.Ordinal) && !repeatable.Contains(word)).ToHashSet();
        return SimulateCli.Parse([.. defaults.Where(d => !replaced.Contains(d.Name)).SelectMany(d => new[] { d.Name, d.Value }), .. more]);
    }

    /// <summary>The run's journal rows of the given types, call by call in sequence order: (call, type, agent or null).</summary>
    public static async Task<List<(string CallId, string Type, string? Agent)>> JournalAsync(string databasePath, string runId, params string[] types)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT call_id, event_type, json_extract(payload, '$.agent') FROM call_journal
            WHERE call_id LIKE $prefix AND event_type IN ({string.Join(", ", types.Select((_, i) => $"$t{i}"))})
            ORDER BY call_id, sequence
            """;
        command.Parameters.AddWithValue("$prefix", CallBehaviour.CallId(runId, 0)[..^9] + "%");
        for (var i = 0; i < types.Length; i++)
        {
            command.Parameters.AddWithValue($"$t{i}", types[i]);
        }

        var rows = new List<(string, string, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return rows;
    }
}
