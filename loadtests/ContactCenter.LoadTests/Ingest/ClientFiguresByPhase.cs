using ContactCenter.GatewayClient;
using ContactCenter.LoadTests.Measurement;

namespace ContactCenter.LoadTests.Ingest;

/// <summary>
/// What a gateway's client did in each phase of the run, from its counters read at the phase's end: the requests
/// and events it sent, and what it absorbed by resending (held and unavailable answers, failed requests) or by
/// moving to another region. The gateway's call loops see only final outcomes; these figures are the client's alone.
/// </summary>
public sealed class ClientFiguresByPhase
{
    private readonly ContactCenterClient _client;
    private readonly GatewayClientCounters?[] _atEnd = new GatewayClientCounters?[3];
    private readonly RegionChange?[] _lastFailoverAtEnd = new RegionChange?[3];
    private RegionChange? _lastFailover;

    public ClientFiguresByPhase(ContactCenterClient client)
    {
        _client = client;
        // The counters say how many failovers there were; only the event says why.
        client.RegionChanged += change =>
        {
            if (change.Kind == RegionChangeKind.Failover)
            {
                Volatile.Write(ref _lastFailover, change);
            }
        };
    }

    /// <summary>The counters at the end of the run; null before <see cref="EndPhase"/> for the drain.</summary>
    public GatewayClientCounters? Final => _atEnd[(int)RunPhase.Drain];

    /// <summary>Reads the counters as <paramref name="phase"/> ends; call once per phase, in order.</summary>
    public void EndPhase(RunPhase phase)
    {
        _atEnd[(int)phase] = _client.Counters;
        _lastFailoverAtEnd[(int)phase] = Volatile.Read(ref _lastFailover);
    }

    /// <summary>Adds the phase's share of the counters to <paramref name="tally"/>.</summary>
    public void AddTo(PhaseTally tally, RunPhase phase)
    {
        if (_atEnd[(int)phase] is not { } end)
        {
            return;
        }

        var start = phase == RunPhase.Warmup ? null : _atEnd[(int)phase - 1];
        long During(Func<GatewayClientCounters, long> figure) => figure(end) - (start is null ? 0 : figure(start));

        tally.Requests += During(c => c.BatchesSent);
        tally.EventsSent += During(c => c.EventsSent);
        AddError(tally, ErrorKind.Held, During(c => c.HeldAnswers), "answered held (waiting for an earlier sequence), resent");
        AddError(tally, ErrorKind.Unavailable, During(c => c.UnavailableAnswers), "answered unavailable (the region could not commit), resent");
        AddError(tally, ErrorKind.FailedRequest, During(c => c.FailedRequests), "requests that timed out, could not connect or got no usable answer (a server error, an unknown token), resent");
        var failover = _lastFailoverAtEnd[(int)phase];
        AddError(tally, ErrorKind.Failover, During(c => c.Failovers),
            $"moved to the next region (the last: {failover?.From.Name} -> {failover?.To.Name}, {failover?.Reason})");
    }

    private static void AddError(PhaseTally tally, ErrorKind kind, long count, string message)
    {
        if (count > 0)
        {
            tally.Errors.Add(kind, message, count);
        }
    }
}
