using ContactCenter.Queues;

namespace ContactCenter.Center;

/// <summary>
/// Keeps every configured queue active. A queue acts on time by its own timers (routing, tiers, overflow, the
/// maximum wait, its checks of the journal), but timers live in an activation: after a restart, or once the silo
/// that held a queue is lost, nothing would bring the queue back until a new call or an agent's change reached it,
/// and its waiting callers would wait in silence. Each silo asks every queue to evaluate now and then; a queue
/// already active answers at once, and one that was lost comes back on a live silo of its home region.
/// </summary>
public sealed partial class QueueKeeper(IGrainFactory grains, ILogger<QueueKeeper> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                var directory = await grains.GetGrain<ICenterDirectoryGrain>(ICenterDirectoryGrain.Key).GetAsync();
                await Task.WhenAll(directory.Queues.Select(id => grains.GetGrain<IQueueGrain>(id).EvaluateAsync()));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogWakeFailed(ex.GetType().Name, ex.Message); // the next period tries again
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not wake every queue ({Error}: {Reason}); trying again")]
    private partial void LogWakeFailed(string error, string reason);
}
