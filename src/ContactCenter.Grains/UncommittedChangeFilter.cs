using ContactCenter.Agents;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace ContactCenter;

/// <summary>
/// A grain's visible state changes only once it is durable. The project's grains change their state in memory,
/// then commit it (a grain-state write, gateway commands, calls to other grains); when any of that fails, the
/// activation holds changes nobody committed — an agent reserved in memory only, an offer withdrawn whose
/// cancellation was never sent, a call "queued" whose write failed. Rather than undo each change by hand, the
/// activation is dropped, and the next request reads the state that was committed: the path a silo crash takes,
/// which every grain already has to survive (queues adopt offers found on their agents, agents free stale offers,
/// calls recover their effects). The caller sees the exception and retries (call effects do).
/// A refusal (<see cref="IsRefusal"/>) is thrown before anything changes, and keeps the activation.
/// </summary>
public sealed partial class UncommittedChangeFilter(ILogger<UncommittedChangeFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (IsOurs(context.TargetContext) && !IsRefusal(ex))
        {
            Drop(context.TargetContext, ex, logger);
            throw;
        }
    }

    /// <summary>The grain said no to a request it judged wrong, before changing anything: asking again gets the same answer.</summary>
    public static bool IsRefusal(Exception ex) => ex is ArgumentException or AgentStateException;

    /// <summary>
    /// A timer's tick is not a grain call, and no filter sees it: a tick that changes state goes through this, so
    /// a failed tick drops the activation like a failed call does.
    /// </summary>
    /// <param name="dropped">Run once the activation is dropped: for a grain that must come back by itself (a caller's retry brings back the target of a failed call, but no one retries a timer).</param>
    public static Func<CancellationToken, Task> Tick(Grain grain, ILogger logger, Func<Task> tick, Action? dropped = null) => async _ =>
    {
        try
        {
            await tick();
        }
        catch (Exception ex) when (!IsRefusal(ex))
        {
            Drop(grain.GrainContext, ex, logger);
            dropped?.Invoke();
        }
    };

    private static void Drop(IGrainContext grain, Exception ex, ILogger logger)
    {
        if (ex is InconsistentStateException)
        {
            // Another activation wrote since this one read (for a moment while a lost silo's grains come back elsewhere).
            LogStale(logger, grain.GrainId.ToString(), ex.Message);
        }
        else
        {
            LogUncommitted(logger, grain.GrainId.ToString(), ex.GetType().Name, ex.Message);
        }

        // As DeactivateOnIdle does, without the exception: requests already waiting for this activation go on to the
        // next one, which reads the committed state, instead of failing with this request's error.
        grain.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "a change could not be committed"));
    }

    // Orleans' own grains (the dashboard's, the management grain) keep their own failure handling.
    private static bool IsOurs(IGrainContext grain) => grain.GrainInstance?.GetType().Assembly == typeof(UncommittedChangeFilter).Assembly;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Grain}: state written elsewhere ({Reason}); deactivating to read it again")]
    private static partial void LogStale(ILogger logger, string grain, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Grain}: a change could not be committed ({Error}: {Reason}); deactivating to read the committed state again")]
    private static partial void LogUncommitted(ILogger logger, string grain, string error, string reason);
}
