using Microsoft.Extensions.Options;

namespace ContactCenter.Surveys;

/// <summary>
/// The surveys' durable timers. Every silo takes the surveys that are due from the surveys table, each for a lease
/// (so two silos never wake one survey at once, and a lost silo's are taken again when the lease runs out), and
/// wakes their grains wherever they live. A survey waiting for its time is a row, not an activation or a reminder in
/// memory: a million pending cost an index, not a silo's heap. A wake that is repeated does nothing, as the survey
/// acts only on what its record says is due.
/// </summary>
public sealed partial class SurveyTimers(
    IGrainFactory grains,
    ISurveyStore store,
    IOptions<SurveyPolicyOptions> policy,
    TimeProvider clock,
    ILogger<SurveyTimers> logger) : BackgroundService
{
    /// <summary>How often the table is asked: a survey is woken at most this late.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a silo holds the surveys it took; one it could not wake is taken again after this. It covers a whole
    /// round even when every send waits out its timeout (<see cref="Batch"/> / <see cref="MaxWakesInFlight"/> x 20 s).
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>Surveys taken per round; a full round is followed at once by the next.</summary>
    public const int Batch = 64;

    /// <summary>Wakes in flight at once: bounded, so a backlog after an outage does not flood the SMS gateway.</summary>
    public const int MaxWakesInFlight = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!policy.Value.Enabled)
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
                    var due = await store.TakeDueAsync(clock.GetUtcNow(), Lease, Batch, stoppingToken);
                    taken = due.Count;
                    await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = MaxWakesInFlight, CancellationToken = stoppingToken }, WakeAsync);
                }
                while (taken == Batch);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(ex);
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

    private async ValueTask WakeAsync(string callId, CancellationToken cancellationToken)
    {
        try
        {
            await grains.ReferenceTo<ISurveyGrain>(callId).WakeAsync();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Taken again when its lease runs out.
            LogWakeFailed(ex, callId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Survey timers: a round failed; trying again next period")]
    private partial void LogRoundFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Survey timers: the survey of call {CallId} could not be woken; it is taken again when its lease runs out")]
    private partial void LogWakeFailed(Exception ex, string callId);
}
