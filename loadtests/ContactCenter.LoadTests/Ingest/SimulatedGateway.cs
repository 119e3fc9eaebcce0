using System.Diagnostics;
using System.Net;
using ContactCenter.GatewayClient;
using ContactCenter.LoadTests.Measurement;

namespace ContactCenter.LoadTests.Ingest;

/// <summary>
/// One telephony gateway: its own <see cref="ContactCenterClient"/>, as a real gateway process has, and a set of
/// live calls. Each call is played by a loop that appends the call's next event only once the previous one is
/// acknowledged (or up to <see cref="IngestOptions.EventsPerCall"/> ahead), so events go in sequence order and
/// every one is valid. A closed loop: the client sends whatever the calls have pending, one request at a time,
/// and the silo's speed sets the pace. Resending what was not acknowledged, and failing over, are the client's.
/// </summary>
public sealed class SimulatedGateway : IAsyncDisposable
{
    private readonly IngestOptions _options;
    private readonly RunClock _clock;
    private readonly CallSource _source;
    private readonly SocketsHttpHandler _connection;
    private readonly ContactCenterClient _client;
    private readonly ClientFiguresByPhase _clientFigures;
    // One set of phase tallies per call loop: the loops run concurrently, and their own tallies need no lock.
    private readonly PhaseTally[][] _callLoopTallies;

    public SimulatedGateway(string token, IngestOptions options, RunClock clock, CallSource source)
    {
        _options = options;
        _clock = clock;
        _source = source;
        _connection = Connection();
        _client = new ContactCenterClient(new GatewayClientOptions
        {
            Regions = options.Regions,
            Token = token,
            MaxBatchSize = options.Batch,
            RequestTimeout = options.Timeout,
            // The call loops bound what is pending, so appending never waits for room.
            OutboxCapacity = options.CallsPerGateway * options.EventsPerCall,
        }, _connection);
        _clientFigures = new ClientFiguresByPhase(_client);
        _callLoopTallies = [.. Enumerable.Range(0, options.CallsPerGateway).Select(_ => new PhaseTally[] { new(), new(), new() })];
    }

    /// <summary>The client's counters once the run is over.</summary>
    public GatewayClientCounters? FinalCounters => _clientFigures.Final;

    /// <summary>What the gateway saw in <paramref name="phase"/>: its calls' outcomes and its client's figures. Read once the run is over.</summary>
    public PhaseTally Tally(RunPhase phase)
    {
        var tally = new PhaseTally();
        foreach (var loop in _callLoopTallies)
        {
            tally.AddFrom(loop[(int)phase]);
        }

        _clientFigures.AddTo(tally, phase);
        return tally;
    }

    /// <summary>Plays calls until the measured window is over, then gives the events already appended a request timeout to be answered.</summary>
    public async Task RunAsync()
    {
        var calls = Task.WhenAll(_callLoopTallies.Select(PlayCallsAsync));
        await _clock.DelayUntilAsync(_clock.Warmup);
        _clientFigures.EndPhase(RunPhase.Warmup);
        await _clock.DelayUntilAsync(_clock.Warmup + _clock.Measured);
        _clientFigures.EndPhase(RunPhase.Measured);
        await Task.WhenAny(calls, Task.Delay(_options.Timeout));
        _clientFigures.EndPhase(RunPhase.Drain);
        // Events still without an outcome fail now: their loops count them as errors and end.
        await _client.DisposeAsync();
        await calls;
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        // The client does not dispose a handler it was given.
        _connection.Dispose();
    }

    /// <summary>One call after another in one slot of the gateway, until the window is over.</summary>
    private async Task PlayCallsAsync(PhaseTally[] tallies)
    {
        var pending = new Queue<(Task<EventReceipt> Receipt, long AppendedAt)>(_options.EventsPerCall);
        try
        {
            while (!_clock.IsOver)
            {
                await PlayAsync(_source.NextCall(), pending, tallies);
            }
        }
        catch (ObjectDisposedException)
        {
            // Appending raced the end of the drain.
            tallies[(int)_clock.PhaseNow()].Errors.Add(ErrorKind.Exception, "appended after the client was disposed");
        }
    }

    /// <summary>Reports the call's events in order until it is over, refused, or the window is over.</summary>
    private async Task PlayAsync(SimulatedCall call, Queue<(Task<EventReceipt> Receipt, long AppendedAt)> pending, PhaseTally[] tallies)
    {
        var next = 1;
        var refused = false;
        while (true)
        {
            if (!refused && next <= call.EventCount && pending.Count < _options.EventsPerCall && !_clock.IsOver)
            {
                var appendedAt = Stopwatch.GetTimestamp();
                // Gateways stamp events when they happen; the simulated ones happen now.
                pending.Enqueue((await _client.AppendAsync(call.Event(next++, DateTimeOffset.UtcNow)), appendedAt));
            }
            else if (pending.TryDequeue(out var oldest))
            {
                refused |= !await RecordAsync(call, oldest.Receipt, oldest.AppendedAt, tallies);
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>Waits for an event's final outcome and counts it in the phase it arrived in; false when the call cannot go on.</summary>
    private async Task<bool> RecordAsync(SimulatedCall call, Task<EventReceipt> outcome, long appendedAt, PhaseTally[] tallies)
    {
        EventReceipt receipt;
        try
        {
            receipt = await outcome;
        }
        catch (ObjectDisposedException)
        {
            tallies[(int)_clock.PhaseNow()].Errors.Add(ErrorKind.Exception, "no final outcome before the drain ended (the client was disposed)");
            return false;
        }

        // The client settles a call's events in sequence order, so awaiting them in that order adds no delay.
        var latency = Stopwatch.GetElapsedTime(appendedAt);
        var tally = tallies[(int)_clock.PhaseNow()];
        switch (receipt.Outcome)
        {
            case EventOutcome.Accepted:
                tally.Accepted++;
                break;
            case EventOutcome.Duplicate:
                tally.Duplicates++;
                break;
            default:
                // The call cannot go on validly: the client blocks its later events, and a new call takes its slot.
                var kind = receipt.Outcome switch
                {
                    EventOutcome.Rejected => ErrorKind.Rejected,
                    EventOutcome.Forbidden => ErrorKind.Forbidden,
                    _ => ErrorKind.Blocked,
                };
                tally.Errors.Add(kind, $"{receipt.Event.Type}: {receipt.Reason}");
                return false;
        }

        tally.Latency.Record(latency);
        _clock.CountAcknowledged(1);
        if (receipt.Event.Sequence == call.EventCount)
        {
            tally.CallsCompleted++;
        }

        return true;
    }

    private static SocketsHttpHandler Connection() => new()
    {
        // The silos are addressed directly, never through a proxy from the environment. Connections are renewed
        // every two minutes, as the client's own default does, so a region behind DNS is found again.
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    };
}
