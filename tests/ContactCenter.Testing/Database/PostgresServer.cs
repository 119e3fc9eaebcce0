using System.Diagnostics;
using Npgsql;

namespace ContactCenter.Testing;

/// <summary>
/// A private PostgreSQL for the test run: a fresh data folder and a free loopback port, started with the same
/// script developers use (deploy/postgres/local-postgres.sh), stopped and deleted at the end.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-pg-").FullName;

    public PostgresServer()
    {
        // Run as root, the script hands the data folder to the postgres user, who must be able to reach it.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_folder, (UnixFileMode)0b111_101_101);
        }
    }
    private readonly int _port = FreePorts.Next();
    private string _adminConnectionString = "";

    private string DataFolder => Path.Combine(_folder, "data");

    public async Task InitializeAsync() => _adminConnectionString = (await RunScriptAsync("start")).Trim();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunScriptAsync("stop");
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A new empty database on the server; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>A new database with the project's schema, as a silo would migrate it; its connection string.</summary>
    public async Task<string> CreateMigratedDatabaseAsync()
    {
        var connectionString = await CreateDatabaseAsync();
        await new ContactCenter.Schema.SchemaMigrator(new DatabaseTarget(DatabaseKind.PostgreSql, connectionString),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ContactCenter.Schema.SchemaMigrator>.Instance).MigrateAsync();
        return connectionString;
    }

    private async Task<string> RunScriptAsync(string command)
    {
        var script = Path.Combine(RepositoryFolder.Root(), "deploy", "postgres", "local-postgres.sh");
        var start = new ProcessStartInfo("bash", [script, command, "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", DataFolder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"local-postgres.sh {command} failed ({process.ExitCode}): {await errors}");
        }

        return await output;
    }
}
