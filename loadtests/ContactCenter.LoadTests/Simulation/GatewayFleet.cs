using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using ContactCenter.GatewayClient;
using ContactCenter.LoadTests.Measurement;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>
/// The simulated telephony gateways: per region, one gateway identity (an API token) served by several
/// <see cref="ContactCenterClient"/>s, as a gateway cluster with several media servers would be. A call's events
/// all go through one client, so they stay in sequence order. Each region's command channel is read by one
/// poller and its commands are handed to the simulation loop. Receipts are counted as they arrive: latency from
/// the moment the event happened (not from when the client took it, so a client that falls behind shows), the
/// call's acknowledged sequence in the ledger, and refusals by kind.
/// </summary>
public sealed class GatewayFleet : IAsyncDisposable
{
    private readonly Dictionary<string, ContactCenterClient[]> _clientsByRegion = [];
    private readonly List<SocketsHttpHandler> _connections = [];
    private readonly List<Task> _pollers = [];
    private readonly CancellationTokenSource _stopPolling = new();
    private readonly SimulationTimeline _timeline;
    private readonly CallLedger _ledger;
    private readonly Lock _errorsLock = new();
    private readonly ErrorTally _errors = new();
    private long _unsettled;
    private int _stopped;

    /// <param name="gateways">Per region (nanjing, huaian): its token and its regions' addresses, home first.</param>
    public GatewayFleet(IReadOnlyList<(string Region, string Token, IReadOnlyList<Region> Regions)> gateways, int clientsPerGateway,
        int batch, TimeSpan requestTimeout, SimulationTimeline timeline, CallLedger ledger)
    {
        _timeline = timeline;
        _ledger = ledger;
        foreach (var (region, token, regions) in gateways)
        {
            _clientsByRegion[region] = [.. Enumerable.Range(0, clientsPerGateway).Select(_ =>
            {
                var connection = new SocketsHttpHandler
                {
                    UseProxy = false,
                    UseCookies = false,
                    AutomaticDecompression = DecompressionMethods.None,
                    ConnectTimeout = TimeSpan.FromSeconds(5),
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                };
                _connections.Add(connection);
                return new ContactCenterClient(new GatewayClientOptions
                {
                    Regions = regions,
                    Token = token,
                    MaxBatchSize = batch,
                    RequestTimeout = requestTimeout,
                    // An open-loop simulation: events happen whether or not the cluster keeps up, and a backlog is a
                    // finding to show (as latency), not a reason to stop the callers.
                    OutboxCapacity = 1_000_000,
                }, connection);
            })];
        }
    }

    /// <summary>Commands from every region's channel, in the order they arrived; read by the simulation loop.</summary>
    public ConcurrentQueue<GatewayCommand> Commands { get; } = new();

    /// <summary>Events handed to the clients and not yet answered finally.</summary>
    public long Unsettled => Interlocked.Read(ref _unsettled);

    public IEnumerable<string> Regions => _clientsByRegion.Keys;

    public void StartCommandPolling()
    {
        foreach (var clients in _clientsByRegion.Values)
        {
            _pollers.Add(clients[0].RunCommandsAsync((command, _) =>
            {
                Commands.Enqueue(command);
                return Task.CompletedTask;
            }, _stopPolling.Token));
        }
    }

    /// <summary>Hands the call's event to its client; <paramref name="happenedAt"/> (a <see cref="Stopwatch"/> timestamp) is when it was due.</summary>
    public void Append(long callIndex, string region, GatewayEvent e, long happenedAt)
    {
        var clients = _clientsByRegion[region];
        var client = clients[callIndex % clients.Length];
        Interlocked.Increment(ref _unsettled);
        _timeline.Now.CountEventDue();
        var appending = client.AppendAsync(e);
        // The outbox is sized so this never waits; if it ever does, the loop waiting is the honest back-pressure.
        var receipt = appending.IsCompletedSuccessfully ? appending.Result : appending.AsTask().GetAwaiter().GetResult();
        receipt.ContinueWith(static (settled, state) => ((PendingEvent)state!).Settle(settled),
            new PendingEvent(this, callIndex, happenedAt), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits until every event handed over is answered, or the time is up; true when all were.</summary>
    public async Task<bool> WaitSettledAsync(TimeSpan limit)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Unsettled > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(100);
        }

        return Unsettled == 0;
    }

    /// <summary>Refusals and failures so far, with what the clients absorbed by resending or moving.</summary>
    public ErrorTally Errors()
    {
        var tally = new ErrorTally();
        lock (_errorsLock)
        {
            tally.AddFrom(_errors);
        }

        var counters = _clientsByRegion.Values.SelectMany(c => c).Select(c => c.Counters).ToList();
        AddIfAny(tally, ErrorKind.Held, "answered held (an earlier sequence missing); resent", counters.Sum(c => c.HeldAnswers));
        AddIfAny(tally, ErrorKind.Unavailable, "answered unavailable (the region could not commit); resent", counters.Sum(c => c.UnavailableAnswers));
        AddIfAny(tally, ErrorKind.FailedRequest, "request failed (timeout, connection, server error); batch resent", counters.Sum(c => c.FailedRequests));
        AddIfAny(tally, ErrorKind.Failover, "client moved to the next region", counters.Sum(c => c.Failovers));
        return tally;
    }

    /// <summary>Per gateway: which region its clients are at now, and how often they moved away and came back.</summary>
    public IReadOnlyList<GatewayPlacement> Placements() =>
        [.. _clientsByRegion.Select(g => new GatewayPlacement(
            g.Key,
            g.Value.GroupBy(c => c.CurrentRegion.Name).ToDictionary(r => r.Key, r => r.Count()),
            g.Value.Sum(c => c.Counters.Failovers),
            g.Value.Sum(c => c.Counters.Failbacks)))];

    /// <summary>Requests the clients sent, and events on the wire (resends included).</summary>
    public (long Requests, long EventsSent) Traffic()
    {
        var counters = _clientsByRegion.Values.SelectMany(c => c).Select(c => c.Counters).ToList();
        return (counters.Sum(c => c.BatchesSent), counters.Sum(c => c.EventsSent));
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>Stops the command pollers and the clients; events still without an outcome fail. Safe to call twice.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopPolling.CancelAsync();
        foreach (var poller in _pollers)
        {
            try
            {
                await poller;
            }
            catch (OperationCanceledException)
            {
            }
        }

        foreach (var client in _clientsByRegion.Values.SelectMany(c => c))
        {
            await client.DisposeAsync();
        }

        foreach (var connection in _connections)
        {
            connection.Dispose();
        }

        _stopPolling.Dispose();
    }

    private static void AddIfAny(ErrorTally tally, ErrorKind kind, string message, long count)
    {
        if (count > 0)
        {
            tally.Add(kind, message, count);
        }
    }

    private void CountError(ErrorKind kind, string message)
    {
        _timeline.Now.CountError();
        lock (_errorsLock)
        {
            _errors.Add(kind, message);
        }
    }

    /// <summary>One event waiting for its final outcome.</summary>
    private sealed class PendingEvent(GatewayFleet fleet, long callIndex, long happenedAt)
    {
        public void Settle(Task<EventReceipt> settled)
        {
            try
            {
                if (!settled.IsCompletedSuccessfully)
                {
                    fleet.CountError(ErrorKind.Exception, settled.Exception?.InnerException?.Message.Split('\n')[0] ?? "no final outcome (the client was disposed)");
                    return;
                }

                var receipt = settled.Result;
                if (receipt.IsAcknowledged)
                {
                    fleet._ledger.Acknowledged(callIndex, receipt.Event.Sequence);
                    fleet._timeline.Now.CountAcknowledged(Stopwatch.GetElapsedTime(happenedAt));
                    return;
                }

                var kind = receipt.Outcome switch
                {
                    EventOutcome.Rejected => ErrorKind.Rejected,
                    EventOutcome.Forbidden => ErrorKind.Forbidden,
                    _ => ErrorKind.Blocked,
                };
                fleet.CountError(kind, $"{receipt.Event.Type}: {receipt.Reason}");
            }
            finally
            {
                Interlocked.Decrement(ref fleet._unsettled);
            }
        }
    }
}

/// <summary>Where one gateway's clients are (region name: clients), and their moves over the run.</summary>
public sealed record GatewayPlacement(string Gateway, IReadOnlyDictionary<string, int> ClientsByRegion, long Failovers, long Failbacks);
