using System.Collections.Immutable;
using ContactCenter.Center;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Placement;

/// <summary>
/// This silo's copy of every queue's and agent's home region, read from the center directory every few seconds
/// (only changes travel) so that placing an activation costs no grain call, and so that the ingest path and the
/// APIs can tell a configured queue or agent from an unknown id without activating a grain or calling the
/// directory per request. An id the copy does not know yet (configured on another silo a moment ago) makes it
/// read the directory at once, at most once a second.
/// </summary>
public sealed partial class HomeRegionMap(IGrainFactory grains, ILogger<HomeRegionMap> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(5);
    private const long RefreshOnMissSpacingMs = 1_000;
    private static readonly TimeSpan RefreshOnMissTimeout = TimeSpan.FromSeconds(2);

    private static readonly HomeRegions Unknown = new(-1, ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, string>.Empty);

    private readonly CancellationTokenSource _stopping = new();
    private volatile HomeRegions _regions = Unknown;
    private long _lastRefreshMs = long.MinValue / 2;
    private Task _refreshLoop = Task.CompletedTask;

    private readonly Lock _missLock = new();
    private Task<bool>? _missRefresh;
    private long _lastMissAttemptMs = long.MinValue / 2;

    private string? Find(HomeRegionKind kind, string id) =>
        (kind == HomeRegionKind.Queue ? _regions.Queues : _regions.Agents).GetValueOrDefault(id);

    /// <summary>The grain's home region, reading the directory first when the grain is not known here yet.</summary>
    public async ValueTask<string?> FindAsync(HomeRegionKind kind, string id) =>
        Find(kind, id) ?? (await RefreshOnMissAsync() ? Find(kind, id) : null);

    /// <summary>
    /// Whether the center has this queue or agent: true or false from this silo's copy, read again from the
    /// directory first when the id is not in it (at most once a second); null when the copy is stale and the
    /// directory could not be read, so the caller cannot tell.
    /// </summary>
    public async ValueTask<bool?> IsConfiguredAsync(HomeRegionKind kind, string id)
    {
        if (Find(kind, id) is not null)
        {
            return true;
        }

        return await RefreshOnMissAsync() ? Find(kind, id) is not null : null;
    }

    /// <summary>
    /// Brings the copy up to date for an id it lacks: true when it is (read now, or within the last second).
    /// Misses arriving together share one read, so a flood of unknown ids costs the directory one call a second.
    /// </summary>
    private Task<bool> RefreshOnMissAsync()
    {
        lock (_missLock)
        {
            var now = Environment.TickCount64;
            if (now - Interlocked.Read(ref _lastRefreshMs) < RefreshOnMissSpacingMs)
            {
                return Task.FromResult(true);
            }

            if (_missRefresh is null && now - _lastMissAttemptMs < RefreshOnMissSpacingMs)
            {
                // The last read failed a moment ago: not again yet.
                return Task.FromResult(false);
            }

            _lastMissAttemptMs = now;
            return _missRefresh ??= ReadForMissAsync();
        }
    }

    private async Task<bool> ReadForMissAsync()
    {
        // Off the caller's stack, so the finally below never runs inside RefreshOnMissAsync's lock.
        await Task.Yield();
        try
        {
            await RefreshAsync().WaitAsync(RefreshOnMissTimeout);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            // Placing the grain anywhere is better than not placing it: its region is a preference, not a rule.
            LogRefreshFailed(ex.Message);
            return false;
        }
        finally
        {
            lock (_missLock)
            {
                _missRefresh = null;
            }
        }
    }

    /// <summary>Reads the changes from the center directory; the admin API calls it after each change it makes.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var known = _regions;
        var changed = await grains.GetGrain<ICenterDirectoryGrain>(ICenterDirectoryGrain.Key)
            .GetHomeRegionsAsync(known.Version).WaitAsync(cancellationToken);
        Interlocked.Exchange(ref _lastRefreshMs, Environment.TickCount64);
        if (changed is not null && changed.Version > _regions.Version)
        {
            _regions = changed;
        }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(HomeRegionMap), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _refreshLoop = RefreshPeriodicallyAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _refreshLoop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RefreshPeriodicallyAsync(CancellationToken stopping)
    {
        // Real time, not the grains' clock: this is plumbing, and tests that move the grains' clock on by hours
        // should not make it spin.
        using var timer = new PeriodicTimer(RefreshPeriod);
        try
        {
            do
            {
                try
                {
                    await RefreshAsync(stopping);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The directory's silo may be gone; its grain reactivates elsewhere and the next round succeeds.
                    LogRefreshFailed(ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the home regions from the center directory: {Reason}")]
    private partial void LogRefreshFailed(string reason);
}
