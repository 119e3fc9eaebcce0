namespace ContactCenter.Hosting;

/// <summary>
/// The durable timers of grains whose state is a table row with a wake time (surveys, work orders). Every silo takes
/// the rows that are due, each for a lease (so two silos never wake one grain at once, and a lost silo's rows are taken
/// again when the lease runs out), and wakes their grains wherever they live. A grain waiting for its time is a row, not
/// an activation or a reminder in memory: a million pending cost an index, not a silo's heap. A repeated wake does
/// nothing, as each grain acts only on what its record says is due.
/// </summary>
public abstract partial class RowTimers(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>How often the table is asked: a grain is woken at most this late.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>Rows taken per round; a full round is followed at once by the next.</summary>
    public const int Batch = 64;

    /// <summary>Wakes in flight at once: bounded, so a backlog after an outage does not flood what the grains call.</summary>
    public const int MaxWakesInFlight = 16;

    /// <summary>What the rows are, for the logs: "survey", "work order".</summary>
    protected abstract string What { get; }

    /// <summary>
    /// How long a silo holds the rows it took; one it could not wake is taken again after this. It must cover a whole
    /// round even when every wake waits out its slowest call (<see cref="Batch"/> / <see cref="MaxWakesInFlight"/> of them).
    /// </summary>
    protected abstract TimeSpan Lease { get; }

    /// <summary>Off: the timers do not run (nothing of theirs is configured).</summary>
    protected virtual bool Enabled => true;

    protected abstract Task<IReadOnlyList<string>> TakeDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken);

    protected abstract Task WakeAsync(string key);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(Period, clock);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int taken;
                do
                {
                    var due = await TakeDueAsync(clock.GetUtcNow(), Lease, Batch, stoppingToken);
                    taken = due.Count;
                    await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = MaxWakesInFlight, CancellationToken = stoppingToken }, WakeOneAsync);
                }
                while (taken == Batch);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(ex, What);
            }

            try
            {
                await timer.WaitForNextTickAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async ValueTask WakeOneAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await WakeAsync(key);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Taken again when its lease runs out.
            LogWakeFailed(ex, What, key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timers of each {What}: a round failed; trying again next period")]
    private partial void LogRoundFailed(Exception ex, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timers of each {What}: {Key} could not be woken; it is taken again when its lease runs out")]
    private partial void LogWakeFailed(Exception ex, string what, string key);
}
