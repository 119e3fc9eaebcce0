using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace ContactCenter;

/// <summary>
/// A grain whose state write is refused as stale (<see cref="InconsistentStateException"/>: another activation
/// wrote since this one read, as happens for a moment while a lost silo's grains come back elsewhere) must not
/// go on serving what it holds in memory. It is deactivated, and the next request reads the stored state.
/// The caller sees the exception and retries (call effects do).
/// </summary>
public sealed partial class StaleStateFilter(ILogger<StaleStateFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (InconsistentStateException ex)
        {
            LogStale(context.TargetId.ToString(), ex.Message);
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "its state was written by another activation"));
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Grain}: state written elsewhere ({Reason}); deactivating to read it again")]
    private partial void LogStale(string grain, string reason);
}
