using System.Net.Http.Headers;
using ContactCenter.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Testing;

/// <summary>
/// The real silo process (Orleans, Kestrel, the journal) started in the test process on free loopback ports,
/// exactly as Program.cs starts it, with settings given by the test.
/// </summary>
public sealed class SiloHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SiloHost(WebApplication app, Uri address, SiloLog log)
    {
        _app = app;
        Address = address;
        Log = log;
    }

    public Uri Address { get; }

    /// <summary>What the silo logged (its Serilog events), for tests that assert it logged no error.</summary>
    public SiloLog Log { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The port the silo talks to other silos on.</summary>
    public int SiloPort => Services.GetRequiredService<ContactCenterOptions>().SiloPort;

    /// <summary>The configuration the silo runs with, for tests that change a setting while it runs.</summary>
    public IConfigurationRoot Configuration => (IConfigurationRoot)Services.GetRequiredService<IConfiguration>();

    /// <summary>An embedded-mode silo on the given SQLite file.</summary>
    public static Task<SiloHost> StartEmbeddedAsync(string sqlitePath) => StartAsync(
        new("ContactCenter:Mode", "Embedded"),
        new("ContactCenter:SqlitePath", sqlitePath));

    /// <summary>A cluster-mode silo on the given PostgreSQL database.</summary>
    public static Task<SiloHost> StartClusterAsync(string connectionString, string clusterId) => StartAsync(
        new("ContactCenter:Mode", "Cluster"),
        new("ContactCenter:PostgreSql", connectionString),
        new("ContactCenter:ClusterId", clusterId));

    /// <summary>A silo with the test defaults, overridden by <paramref name="settings"/>.</summary>
    public static Task<SiloHost> StartAsync(params KeyValuePair<string, string?>[] settings) => StartWithArgumentsAsync([], settings);

    /// <summary>A silo in the named host environment (tests run in Production unless they say otherwise).</summary>
    public static Task<SiloHost> StartInEnvironmentAsync(string environment, params KeyValuePair<string, string?>[] settings) =>
        StartWithArgumentsAsync([$"--environment={environment}"], settings);

    private static async Task<SiloHost> StartWithArgumentsAsync(string[] args, KeyValuePair<string, string?>[] settings)
    {
        // A free port can be taken between being picked and being bound (by another test's silo, or as the local
        // port of some outgoing connection): a start that lost its ports so tries again with new ones. Not when
        // the test chose the ports itself, as the tests of a port in use do.
        var portsChosenByTest = settings.Any(s => s.Key is "Urls" or "ContactCenter:SiloPort");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(args, settings);
            }
            catch (Exception ex) when (!portsChosenByTest && attempt < 3 && IsAddressInUse(ex))
            {
                // picked again below
            }
        }
    }

    private static bool IsAddressInUse(Exception ex) =>
        ex is Microsoft.AspNetCore.Connections.AddressInUseException
        || ex is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse }
        || (ex.InnerException is { } inner && IsAddressInUse(inner))
        || (ex is AggregateException aggregate && aggregate.InnerExceptions.Any(IsAddressInUse));

    private static async Task<SiloHost> StartOnceAsync(string[] args, KeyValuePair<string, string?>[] settings)
    {
        // A test that gives the address (to start a silo again where it was) is served there.
        var address = new Uri(settings.LastOrDefault(s => s.Key == "Urls").Value ?? $"http://127.0.0.1:{FreePorts.Next()}");
        var log = SiloLog.Open();
        var configuration = new Dictionary<string, string?>(
        [
            new("Urls", address.ToString()),
            new("ContactCenter:SiloPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Serilog:MinimumLevel:Default", "Warning"),
            // Tests build their own center; the one that loads the sample says so.
            new("ContactCenter:CenterFile", ""),
            new("ContactCenter:CommandRedeliverySeconds", "1"),
            // The test gateway (its token is Client()'s) places the outbound calls.
            new("ContactCenter:OutboundGateways:0", TestTokens.NanjingGateway),
            // Every test signs in from 127.0.0.1: the per-address limit would make unrelated tests on one host wait for each other.
            new("ContactCenter:RateLimits:SignInAttemptsPerWindow", "1000"),
            .. TestTokens.Settings(),
            // Every test silo speaks mutual TLS to its peers, as a cluster-mode silo must.
            .. TestCertificates.Settings(),
            .. log.Settings(),
        ]);
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        WebApplication? app = null;
        try
        {
            app = ContactCenterHost.Build(args, builder => builder.Configuration.AddInMemoryCollection(configuration));
            await ContactCenterHost.StartAsync(app);
        }
        catch
        {
            // A start that a test expects to fail must not leave the silo's ports, timers and log behind.
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            log.Close();
            throw;
        }

        return new SiloHost(app, address, log);
    }

    /// <summary>A client that authenticates with <paramref name="token"/> (none when null).</summary>
    public HttpClient Client(string? token = TestTokens.NanjingToken)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Log.Close();
        SqliteConnection.ClearAllPools();
    }
}
