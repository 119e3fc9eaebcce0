namespace ContactCenter.Gateways;

/// <summary>
/// Keeps this silo's picture of the gateways current: writes the polls it served to the table, reads every silo's
/// (<see cref="GatewayHealthMonitor"/>), and, on one silo, ends the calls of gateways lost past the grace
/// (<see cref="GatewayLostCalls"/>). The two run apart, so a long sweep never leaves the picture stale.
/// </summary>
public sealed partial class GatewayLivenessService(
    GatewayHealthMonitor monitor, GatewayLostCalls lostCalls, TimeProvider clock, ILogger<GatewayLivenessService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(KeepHealthCurrentAsync(stoppingToken), EndLostGatewaysCallsAsync(stoppingToken));

    private async Task KeepHealthCurrentAsync(CancellationToken stoppingToken)
    {
        var options = monitor.Options;
        var recordedAt = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(options.RefreshPeriod, clock);
        do
        {
            try
            {
                if (clock.GetUtcNow() - recordedAt >= options.RecordPeriod)
                {
                    await monitor.RecordPollsAsync(stoppingToken);
                    recordedAt = clock.GetUtcNow();
                }

                await monitor.RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogHealthFailed(ex); // the last picture stands; tried again next period
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private async Task EndLostGatewaysCallsAsync(CancellationToken stoppingToken)
    {
        // Cheap while no gateway is lost: the sweep asks the picture in memory, and reads calls only for lost ones.
        using var timer = new PeriodicTimer(monitor.Options.RefreshPeriod, clock);
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                await lostCalls.EndAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(ex);
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false; // the silo is stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway health could not be recorded or read")]
    private partial void LogHealthFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost gateways' calls could not be ended this time")]
    private partial void LogSweepFailed(Exception ex);
}
