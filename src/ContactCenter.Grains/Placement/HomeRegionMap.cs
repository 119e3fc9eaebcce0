using System.Collections.Immutable;
using ContactCenter.Center;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Placement;

/// <summary>
/// This silo's copy of every queue's and agent's home region, read from the center directory every few seconds
/// (only changes travel) so that placing an activation costs no grain call. A grain the copy does not know yet
/// (configured on another silo a moment ago) makes it read the directory at once, at most once a second.
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

    private string? Find(HomeRegionKind kind, string id) =>
        (kind == HomeRegionKind.Queue ? _regions.Queues : _regions.Agents).GetValueOrDefault(id);

    /// <summary>The grain's home region, reading the directory first when the grain is not known here yet.</summary>
    public async ValueTask<string?> FindAsync(HomeRegionKind kind, string id)
    {
        if (Find(kind, id) is { } region)
        {
            return region;
        }

        if (Environment.TickCount64 - Interlocked.Read(ref _lastRefreshMs) < RefreshOnMissSpacingMs)
        {
            return null;
        }

        try
        {
            await RefreshAsync().WaitAsync(RefreshOnMissTimeout);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            // Placing the grain anywhere is better than not placing it: its region is a preference, not a rule.
            LogRefreshFailed(ex.Message);
        }

        return Find(kind, id);
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
