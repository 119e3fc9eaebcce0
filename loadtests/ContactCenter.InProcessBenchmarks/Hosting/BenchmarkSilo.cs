using ContactCenter.Gateways;
using ContactCenter.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Benchmarks.Hosting;

/// <summary>
/// The real silo (the same host Program.cs runs) in this process, on the database the benchmark names, with
/// its gateway commands watched so a benchmark sees the moment a routing decision became durable.
/// </summary>
public sealed class BenchmarkSilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchmarkSilo(WebApplication app, CommandWatch commands)
    {
        _app = app;
        Commands = commands;
    }

    /// <summary>The operator token the benchmark's wallboard pages use.</summary>
    public const string SupervisorToken = "bench-supervisor-token";

    /// <summary>The silo's HTTP address (a free port chosen at start).</summary>
    public Uri Address => new(_app.Urls.First());

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public CommandWatch Commands { get; }

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <param name="postgres">A PostgreSQL connection string (cluster mode), or null for embedded SQLite in <paramref name="folder"/>.</param>
    public static async Task<BenchmarkSilo> StartAsync(string? postgres, string folder)
    {
        var app = ContactCenterHost.Build(
            [],
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Urls"] = "http://127.0.0.1:0",
                ["ContactCenter:Mode"] = postgres is null ? "Embedded" : "Cluster",
                ["ContactCenter:PostgreSql"] = postgres,
                ["ContactCenter:SqlitePath"] = Path.Combine(folder, "benchmark.db"),
                ["ContactCenter:ClusterId"] = $"bench-{Guid.NewGuid():N}",
                ["ContactCenter:SiloPort"] = FreePort(),
                ["ContactCenter:CenterFile"] = "",
                ["Serilog:MinimumLevel:Default"] = "Warning",
                ["ContactCenter:Access:Operators:0:Name"] = "bench-supervisor",
                ["ContactCenter:Access:Operators:0:Token"] = SupervisorToken,
                ["ContactCenter:Access:Operators:0:Role"] = "supervisor",
            }),
            services =>
            {
                // Every grain sends commands through the watch, which forwards them to the real outbox.
                services.AddSingleton(sp => new CommandWatch(sp.GetRequiredService<GatewayCommandOutbox>()));
                services.AddSingleton<IGatewayCommands>(sp => sp.GetRequiredService<CommandWatch>());
            });
        await ContactCenterHost.StartAsync(app);
        return new BenchmarkSilo(app, app.Services.GetRequiredService<CommandWatch>());
    }

    private static string FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
