namespace ContactCenter.GatewayClient;

/// <summary>
/// Which region the client talks to now. The event sender and the command loop share it: consecutive failures
/// from either count together, an answer from either proves the region alive, and a change moves both.
/// </summary>
internal sealed class RegionSelector
{
    private readonly Lock _lock = new();
    private readonly IReadOnlyList<Region> _regions;
    private readonly int _failoverAfterUnreachable;
    private readonly int _failoverAfterFailures;
    private int _current;
    private int _consecutiveFailures;
    private CancellationTokenSource _tenure = new();
    private long _failovers;
    private long _failbacks;
    private DateTimeOffset? _lastFailoverAt;

    public RegionSelector(IReadOnlyList<Region> regions, int failoverAfterUnreachable, int failoverAfterFailures)
    {
        _regions = regions;
        _failoverAfterUnreachable = failoverAfterUnreachable;
        _failoverAfterFailures = failoverAfterFailures;
    }

    /// <summary>Raised after every change, outside the selector's lock.</summary>
    public event Action<RegionChange>? Changed;

    public Region Home => _regions[0];

    public Region Current
    {
        get
        {
            lock (_lock)
            {
                return _regions[_current];
            }
        }
    }

    public bool IsHome => Current == Home;

    /// <summary>The figures for <see cref="GatewayClientCounters"/>, read together.</summary>
    public (Region Current, long Failovers, long Failbacks, DateTimeOffset? LastFailoverAt) Statistics()
    {
        lock (_lock)
        {
            return (_regions[_current], _failovers, _failbacks, _lastFailoverAt);
        }
    }

    /// <summary>The current region, and a token cancelled when the client leaves it (so a long poll there stops at once).</summary>
    public (Region Region, CancellationToken Tenure) Lease()
    {
        lock (_lock)
        {
            return (_regions[_current], _tenure.Token);
        }
    }

    public void Succeeded(Region region)
    {
        lock (_lock)
        {
            if (region == _regions[_current])
            {
                _consecutiveFailures = 0;
            }
        }
    }

    /// <summary>Counts a failure of <paramref name="region"/>; moves to the next region when there were enough in a row.</summary>
    public void Failed(Region region, RegionFailure failure)
    {
        RegionChange? change;
        lock (_lock)
        {
            // A failure from a region already left (a request that was in flight when the client moved) proves
            // nothing about the current one.
            if (region != _regions[_current] || _regions.Count == 1)
            {
                return;
            }

            _consecutiveFailures++;
            var enough = failure.Kind == FailureKind.Unreachable ? _failoverAfterUnreachable : _failoverAfterFailures;
            if (_consecutiveFailures < enough)
            {
                return;
            }

            // Past the last region the list starts again: the home region may be back before its probe says so.
            change = MoveTo((_current + 1) % _regions.Count, RegionChangeKind.Failover, $"{_consecutiveFailures} failed request(s) in a row, the last: {failure.Detail}");
            _failovers++;
            _lastFailoverAt = change.At;
        }

        Announce(change);
    }

    /// <summary>Goes back to the home region, unless the client is there already.</summary>
    public void FailBack(string reason)
    {
        RegionChange change;
        lock (_lock)
        {
            if (_current == 0)
            {
                return;
            }

            change = MoveTo(0, RegionChangeKind.Failback, reason);
            _failbacks++;
        }

        Announce(change);
    }

    private RegionChange MoveTo(int index, RegionChangeKind kind, string reason)
    {
        var change = new RegionChange(kind, _regions[_current], _regions[index], reason, DateTimeOffset.UtcNow);
        _current = index;
        _consecutiveFailures = 0;
        var left = _tenure;
        _tenure = new CancellationTokenSource();
        // Not disposed: a request may still be linking to its token; an undisposed source without a timer costs nothing.
        left.Cancel();
        return change;
    }

    private void Announce(RegionChange change)
    {
        try
        {
            Changed?.Invoke(change);
        }
        catch (Exception)
        {
            // A report is not worth losing delivery for: a failing subscriber must not stop the sender or the command loop.
        }
    }
}
