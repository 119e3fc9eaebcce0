using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ContactCenter.Tests.Gateways;

/// <summary>
/// Silos for the command channel's tests, on both databases: a shared pair (embedded on SQLite, cluster mode on a
/// private PostgreSQL) with the default liveness settings, and fresh ones with a short lost time for the liveness
/// tests, whose gateways are meant to fall silent.
/// </summary>
public sealed class GatewayHosts : IAsyncLifetime
{
    public const string Sqlite = "sqlite";
    public const string PostgreSql = "postgresql";

    /// <summary>Redelivery after 2 s: long enough to look at the channel in between, short enough to wait for.</summary>
    public const int RedeliverySeconds = 2;

    private readonly PostgresServer _postgres = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-gateways-").FullName;
    private readonly List<SiloHost> _started = [];
    private readonly Dictionary<string, (SiloHost Host, string ConnectionString)> _shared = [];

    public SiloHost On(string database) => _shared[database].Host;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _shared[Sqlite] = await StartAsync(Sqlite);
        _shared[PostgreSql] = await StartAsync(PostgreSql);
    }

    /// <summary>A fresh silo on a fresh database of the kind, with these settings on top of the shared hosts' ones.</summary>
    public async Task<(SiloHost Host, string ConnectionString)> StartAsync(string database, params KeyValuePair<string, string?>[] settings)
    {
        var (connection, mode) = database switch
        {
            Sqlite => (Path.Combine(_folder, $"{Guid.NewGuid():N}.db"), new KeyValuePair<string, string?>[] { new("ContactCenter:Mode", "Embedded") }),
            PostgreSql => (await _postgres.CreateDatabaseAsync(), [new("ContactCenter:Mode", "Cluster"), new("ContactCenter:ClusterId", $"gw-{Guid.NewGuid():N}")]),
            _ => throw new ArgumentOutOfRangeException(nameof(database), database, "sqlite or postgresql"),
        };
        var host = await SiloHost.StartAsync(
        [
            .. mode,
            new(database == Sqlite ? "ContactCenter:SqlitePath" : "ContactCenter:PostgreSql", connection),
            new("ContactCenter:CommandRedeliverySeconds", RedeliverySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            .. settings,
        ]);
        _started.Add(host);
        return (host, database == Sqlite ? $"Data Source={connection}" : connection);
    }

    /// <summary>Runs a scalar query on the database of a host this fixture started (<c>@name</c> parameters on both).</summary>
    public async Task<object?> ScalarAsync(string database, string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using DbConnection connection = database == Sqlite ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return await command.ExecuteScalarAsync();
    }

    public string ConnectionStringOf(string database) => _shared[database].ConnectionString;

    public async Task DisposeAsync()
    {
        foreach (var host in _started)
        {
            await host.DisposeAsync();
        }

        await _postgres.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayHostsCollection : ICollectionFixture<GatewayHosts>
{
    public const string Name = "gateway-hosts";
}
