using System.Net;
using ContactCenter.GatewayClient;
using ContactCenter.SipEdge.Calls;
using ContactCenter.SipEdge.Media;
using ContactCenter.SipEdge.Outbound;
using ContactCenter.SipEdge.Sip;
using ContactCenter.SipEdge.Sip.Dialogs;
using ContactCenter.SipEdge.Sip.Registration;
using ContactCenter.SipEdge.Sip.Transactions;
using ContactCenter.SipEdge.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Hosting;

/// <summary>
/// The running edge: the signalling loop, the SIP transports (UDP and TCP on one port), the transaction layer, the
/// user agent with its registrar, the media clock and ports, the calls, and the gateway client that reports their
/// events and brings the cluster's commands. Built and started in one place, for the program and the tests alike.
/// </summary>
public sealed class SipEdgeRuntime : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<ISipTransport> _transports = [];
    private Task? _commands;
    private Task? _restartReport;
    private RecordingRetention? _retention;

    private SipEdgeRuntime(SipEdgeOptions options, ILoggerFactory logs, TimeProvider time)
    {
        Options = options;
        var log = logs.CreateLogger("ContactCenter.SipEdge");
        Loop = new SignallingLoop(time, log);
        Layer = new TransactionLayer(Loop, SipTimerSettings.Rfc3261, options.Advertised, logs.CreateLogger<TransactionLayer>());
        Registrar = new Registrar(options.Phones.ToDictionary(p => p.User, p => p.Password, StringComparer.OrdinalIgnoreCase), new DigestAuthentication(options.Realm, time), time);
        var trunks = new TrunkList(options.Trunks);
        UserAgent = new SipUserAgent(Layer, Registrar, trunks.Contains, logs.CreateLogger<SipUserAgent>());
        Clock = new MediaClock(logs.CreateLogger<MediaClock>());
        Client = new ContactCenterClient(new GatewayClientOptions
        {
            Regions = [.. options.Cluster.Select(r => new Region(r.Name, new Uri(r.Url)))],
            Token = options.GatewayToken,
        });
        Reporter = new CallEventReporter(Client, logs.CreateLogger<CallEventReporter>());
        var services = new CallServices
        {
            Signalling = UserAgent,
            Loop = Loop,
            Clock = Clock,
            Ports = new RtpPortPool(options.Listen, options.RtpPortFirst, options.RtpPortLast),
            Prompts = new Prompts(options.Prompts, options.Outbound.Prompts),
            Reporter = Reporter,
            MediaAddress = IPAddress.Parse(options.Advertised),
            Region = options.Region,
            RecordingsPath = Path.GetFullPath(options.RecordingsPath),
            RecordCalls = options.RecordCalls,
            AgentRingSeconds = options.AgentRingSeconds,
            Numbers = options.Numbers,
            Time = time,
            Log = logs.CreateLogger<EdgeCall>(),
        };
        Media = services.Media;
        if (options.RecordingRetentionDays > 0)
        {
            _retention = new RecordingRetention(services.RecordingsPath, TimeSpan.FromDays(options.RecordingRetentionDays), time, logs.CreateLogger<RecordingRetention>());
        }

        Outbound = new OutboundDialer(services, options.Outbound, Client, _stopping.Token);
        Director = new CallDirector(services, options, Outbound);
        UserAgent.Accept(Director.OnIncoming);
    }

    public SipEdgeOptions Options { get; }

    public SignallingLoop Loop { get; }

    public TransactionLayer Layer { get; }

    public Registrar Registrar { get; }

    public SipUserAgent UserAgent { get; }

    public MediaClock Clock { get; }

    public ContactCenterClient Client { get; }

    public CallEventReporter Reporter { get; }

    public CallDirector Director { get; }

    public OutboundDialer Outbound { get; }

    public MediaCounters Media { get; }

    /// <summary>The SIP port bound (UDP and TCP): the configured one, or the one the system chose for port 0.</summary>
    public int SipPort { get; private set; }

    public static SipEdgeRuntime Start(SipEdgeOptions options, ILoggerFactory logs, TimeProvider? time = null)
    {
        options.Validate();
        var clock = time ?? TimeProvider.System;
        // Before the first call: every call the cluster still has from this edge's identity, offered before now, went with an earlier process.
        var startedAt = clock.GetUtcNow();
        var runtime = new SipEdgeRuntime(options, logs, clock);
        try
        {
            runtime.Listen(logs);
        }
        catch
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        runtime._commands = runtime.Client.RunCommandsAsync(runtime.Director.HandleAsync, runtime._stopping.Token);
        runtime._restartReport = runtime.ReportRestartAsync(startedAt, logs.CreateLogger<SipEdgeRuntime>());
        return runtime;
    }

    /// <summary>
    /// The calls of an earlier run of this edge went with its process: the cluster is told, so it ends them now
    /// (their agents freed, their queue places given up) instead of when they time out. Retried until a region answers.
    /// </summary>
    private async Task ReportRestartAsync(DateTimeOffset startedAt, ILogger log)
    {
        try
        {
            var ended = await Client.ReportRestartAsync(startedAt, _stopping.Token);
            log.Log(ended > 0 ? LogLevel.Warning : LogLevel.Information, "the cluster ended {Count} calls this edge had before it started", ended);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // stopped before any region answered
        }
        catch (InvalidOperationException ex)
        {
            log.LogError(ex, "the cluster would not end the calls this edge had before it started");
        }
    }

    private void Listen(ILoggerFactory logs)
    {
        var udp = new UdpSipTransport(new IPEndPoint(Options.Listen, Options.SipPort), Layer.Receive, logs.CreateLogger<UdpSipTransport>());
        _transports.Add(udp);
        SipPort = udp.LocalEndPoint.Port;
        var tcp = new TcpSipTransport(new IPEndPoint(Options.Listen, SipPort), Layer.Receive, logs.CreateLogger<TcpSipTransport>());
        _transports.Add(tcp);
        Layer.AddTransport(udp);
        Layer.AddTransport(tcp);
    }

    /// <summary>What the edge is doing, for /status and the tests.</summary>
    public Task<EdgeStatus> StatusAsync() => Loop.InvokeAsync(() => new EdgeStatus(
        Director.Calls,
        UserAgent.Dialogs,
        Layer.ServerTransactions,
        Layer.ClientTransactions,
        Registrar.Count,
        Outbound.Active,
        Outbound.Waiting,
        Layer.Counters.MalformedMessages,
        Layer.Counters.ShedMessages + Loop.Dropped,
        Reporter.Refused,
        Clock.LateTicks,
        Media.Relayed,
        Media.NotRelayed,
        Media.DelayPercentileMicroseconds(0.5),
        Media.DelayPercentileMicroseconds(0.99),
        Media.DelayPercentileMicroseconds(0.9999),
        Media.DelayBuckets(),
        Client.CurrentRegion.Name));

    public async ValueTask DisposeAsync()
    {
        // Calls in progress are ended and reported before the client stops, so the cluster does not wait for the gateway to be lost.
        try
        {
            await Loop.InvokeAsync(() =>
            {
                Director.AbortAll();
                return true;
            }).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // the loop is already gone
        }

        await Reporter.DisposeAsync();
        // The last events (the aborted calls' ends) get a few seconds to reach a region.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Client.Counters.Pending > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await _stopping.CancelAsync();
        foreach (var work in new[] { _commands, _restartReport })
        {
            if (work is not null)
            {
                await work.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        foreach (var transport in _transports)
        {
            await transport.DisposeAsync();
        }

        Clock.Dispose();
        _retention?.Dispose();
        await Client.DisposeAsync();
        await Loop.DisposeAsync();
        _stopping.Dispose();
    }
}

/// <summary>
/// What the edge carries now and has counted since it started (the relay-delay percentiles and buckets too: a
/// benchmark reads the buckets twice and takes the difference for its own window).
/// </summary>
public sealed record EdgeStatus(
    int Calls,
    int Dialogs,
    int ServerTransactions,
    int ClientTransactions,
    int Registrations,
    int OutboundCalls,
    int OutboundWaiting,
    long MalformedMessages,
    long ShedMessages,
    long RefusedEvents,
    long LateMediaTicks,
    long RtpRelayed,
    long RtpNotRelayed,
    int? RelayDelayP50Microseconds,
    int? RelayDelayP99Microseconds,
    int? RelayDelayP9999Microseconds,
    long[] RelayDelayBuckets,
    string Region);
