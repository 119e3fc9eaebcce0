using Microsoft.Extensions.Logging;

namespace ContactCenter.Calls;

/// <summary>
/// The committed steps of one call whose effects have not reached the other grains yet, in order. A step whose
/// queue or agent cannot be reached (its silo just died and is not yet declared dead, a storage hiccup) stays
/// at the head and is tried again, with every later step behind it, so a call is never removed from a queue
/// before it was put in. Only a refusal that no retry can change (the grain says the request is wrong) drops a
/// step; and a step that keeps failing is given up after <see cref="GiveUpAfter"/>, loudly.
/// </summary>
internal sealed partial class PendingEffects(CallEffects effects, TimeProvider clock, ILogger logger)
{
    /// <summary>Far longer than a silo failover takes; short enough that a broken grain does not pin calls for ever.</summary>
    internal static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(10);

    private readonly List<CallStep> _steps = [];
    private DateTimeOffset? _failingSince;

    public bool IsEmpty => _steps.Count == 0;

    public void Add(IEnumerable<CallStep> steps) => _steps.AddRange(steps);

    /// <summary>Applies the steps in order until one fails; true when none is left.</summary>
    public async Task<bool> ApplyAsync()
    {
        while (_steps.Count > 0)
        {
            var step = _steps[0];
            try
            {
                await effects.ApplyAsync(step, _steps[1..]);
            }
            catch (Exception ex) when (UncommittedChangeFilter.IsRefusal(ex))
            {
                LogRefused(ex, step.After.CallId, step.Event.Kind);
            }
            catch (Exception ex)
            {
                _failingSince ??= clock.GetUtcNow();
                if (clock.GetUtcNow() - _failingSince < GiveUpAfter)
                {
                    LogWillRetry(step.After.CallId, step.Event.Kind, ex.GetType().Name, ex.Message);
                    return false;
                }

                LogGaveUp(ex, step.After.CallId, step.Event.Kind, GiveUpAfter.TotalMinutes);
            }

            _failingSince = null;
            _steps.RemoveAt(0);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the effect of '{Kind}' was refused; the event itself is committed")]
    private partial void LogRefused(Exception ex, string callId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: the effect of '{Kind}' could not be applied yet ({Error}: {Reason}); retrying")]
    private partial void LogWillRetry(string callId, string kind, string error, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId}: gave up the effect of '{Kind}' after {Minutes} minutes of failures")]
    private partial void LogGaveUp(Exception ex, string callId, string kind, double minutes);
}
