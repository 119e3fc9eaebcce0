using System.Net;
using System.Net.Sockets;
using System.Text;
using ContactCenter.SipEdge.Hosting;
using ContactCenter.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Tests.Infrastructure;

/// <summary>
/// An edge for one test, started in the test process on free ports beside the collection's silo, with its own
/// recordings folder and the tones the sipp scenarios stream (made with sox, as a caller's and an agent's voice),
/// and a short question for outbound calls.
/// </summary>
public sealed class TestEdge : IAsyncDisposable
{
    private readonly ILoggerFactory _logs;

    private TestEdge(SipEdgeRuntime runtime, ILoggerFactory logs, CapturedLog log, string folder, SiloHost silo)
    {
        Runtime = runtime;
        _logs = logs;
        Log = log;
        Folder = folder;
        Silo = silo;
    }

    private bool _disposed;
    private WebApplication? _http;

    public const string QuestionPrompt = "question.wav";

    public const int QuestionSeconds = 2;

    public SipEdgeRuntime Runtime { get; }

    public CapturedLog Log { get; }

    /// <summary>The test's folder: sipp runs here (its tones and logs), the recordings are under <c>recordings/</c>.</summary>
    public string Folder { get; }

    public SiloHost Silo { get; }

    public string Address => $"127.0.0.1:{Runtime.SipPort}";

    public string RecordingsPath => Path.Combine(Folder, "recordings");

    public static Task<TestEdge> StartAsync(SiloHost silo, Action<SipEdgeOptions> configure) => StartAsync(silo, (options, _) => configure(options));

    /// <summary>An edge that dials its outbound calls to a subscriber's phone (sipp) on <paramref name="subscriberPort"/>, asking with <see cref="QuestionPrompt"/> as the prompt "satisfaction".</summary>
    public static Task<TestEdge> StartDiallingAsync(SiloHost silo, int subscriberPort, int maxCalls = 30) =>
        StartAsync(silo, (options, folder) =>
        {
            options.Outbound.Trunk = $"sip:{{number}}@127.0.0.1:{subscriberPort}";
            options.Outbound.Prompts["satisfaction"] = Path.Combine(folder, QuestionPrompt);
            options.Outbound.MaxCalls = maxCalls;
        });

    /// <param name="configure">Gets the test's folder too, for files the edge reads at start (menus, prompts).</param>
    public static async Task<TestEdge> StartAsync(SiloHost silo, Action<SipEdgeOptions, string> configure)
    {
        // The peers and tools of these tests, from Debian's packages (installed when missing and running as root).
        DebianPackages.Require(("sipp", "sip-tester"), ("sox", "sox"), ("soxi", "sox"), ("flite", "flite"));
        var folder = Directory.CreateTempSubdirectory("sip-edge-test-").FullName;
        await Sox.WriteToneAsync(Path.Combine(folder, "caller-tone.wav"), 1000, 60);
        await Sox.WriteToneAsync(Path.Combine(folder, "agent-tone.wav"), 400, 60);
        // A short question for outbound calls' prompts (the edge reads its prompts at start).
        await Sox.WriteToneAsync(Path.Combine(folder, QuestionPrompt), 600, QuestionSeconds, muLaw: false);
        var rtpFirst = 30_000 + (Random.Shared.Next(0, 300) * 100);
        var options = new SipEdgeOptions
        {
            Name = "test-edge",
            Cluster = [new ClusterRegion { Name = "nanjing", Url = silo.Address.ToString() }],
            GatewayToken = TestTokens.NanjingToken,
            SipPort = FreePorts.Next(),
            RtpPortFirst = rtpFirst,
            RtpPortLast = rtpFirst + 98,
            RecordingsPath = Path.Combine(folder, "recordings"),
        };
        configure(options, folder);
        var log = new CapturedLog();
        var logs = LoggerFactory.Create(builder => builder.AddProvider(log).SetMinimumLevel(LogLevel.Information));
        return new TestEdge(SipEdgeRuntime.Start(options, logs), logs, log, folder, silo);
    }

    /// <summary>Free ports for a sipp phone: SIP, and an even RTP port with the odd one above it free too.</summary>
    public static (int Sip, int Media) PhonePorts()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var media = 40_000 + (Random.Shared.Next(0, 10_000) * 2);
            using var probe = new UdpClient();
            try
            {
                probe.Client.Bind(new IPEndPoint(IPAddress.Loopback, media));
                using var rtcp = new UdpClient(new IPEndPoint(IPAddress.Loopback, media + 1));
                return (FreePorts.Next(), media);
            }
            catch (SocketException)
            {
                // taken; try another
            }
        }

        throw new InvalidOperationException("no free media ports");
    }

    /// <summary>The call detail records the silo wrote for the queue's calls (or another silo on the same database, e.g. one started again).</summary>
    public Task<List<Dictionary<string, object?>>> CdrsAsync(string queue, SiloHost? silo = null) =>
        QueryAsync(silo, "SELECT * FROM call_detail_records WHERE queue = $key ORDER BY call_id", queue);

    /// <summary>The call's journal as the silo committed it: its events in order (<c>event_type</c>, <c>payload</c>...).</summary>
    public Task<List<Dictionary<string, object?>>> JournalAsync(string callId) =>
        QueryAsync(null, "SELECT * FROM call_journal WHERE call_id = $key ORDER BY sequence", callId);

    private async Task<List<Dictionary<string, object?>>> QueryAsync(SiloHost? silo, string sql, string key)
    {
        var path = (silo ?? Silo).Services.GetRequiredService<ContactCenter.Hosting.ContactCenterOptions>().SqlitePath;
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        }

        return rows;
    }

    /// <summary>Sends one datagram to the edge's SIP port and returns the final answer, past any 1xx (null when none comes within the time).</summary>
    public async Task<string?> ExchangeAsync(string message, TimeSpan? within = null)
    {
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await client.SendAsync(Encoding.UTF8.GetBytes(message), new IPEndPoint(IPAddress.Loopback, Runtime.SipPort));
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(3));
        try
        {
            while (true)
            {
                var reply = Encoding.UTF8.GetString((await client.ReceiveAsync(timeout.Token)).Buffer);
                if (!reply.StartsWith("SIP/2.0 1", StringComparison.Ordinal))
                {
                    return reply;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Serves the edge's HTTP endpoints (its recordings among them) on <paramref name="port"/>, as Program.cs does.</summary>
    public async Task ServeHttpAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        _http = builder.Build();
        _http.MapEdgeEndpoints(Runtime);
        await _http.StartAsync();
    }

    public string Describe() => string.Join('\n', Log.Entries.TakeLast(60));

    /// <summary>Stops the edge; again, nothing (a test may stop an edge early and still dispose it on the way out).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_http is not null)
        {
            await _http.DisposeAsync();
        }

        await Runtime.DisposeAsync();
        _logs.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a sipp still writing its log; the temp folder is the system's to clean
        }
    }
}
