using ContactCenter.ActiveCalls;
using ContactCenter.Calls;
using ContactCenter.Journal;
using Orleans.Runtime;

namespace ContactCenter.Gateways;

/// <summary>
/// Ends the live calls of a gateway lost for longer than the grace (<see cref="GatewayHealthOptions.LostGrace"/>):
/// the caller went with the gateway, and the call would otherwise hold its agent, or be offered to one agent
/// after another, forever. Each call grain ends itself (<see cref="ICallGrain.EndByClusterAsync"/>, cause
/// <see cref="Cause"/>), so its CDR and effects are those of any ended call.
/// </summary>
/// <remarks>
/// Only one silo does it, the active one with the lowest address, so a lost gateway's calls are not asked twice;
/// while membership changes two may both ask, which is harmless: a call grain takes one request at a time, the
/// second finds the call ended, and the end's event id and sequence number are the same for every attempt.
/// A call that had an event after its gateway was declared lost is left alone: the gateway is evidently still
/// reporting it (only its command polls stopped), and ending it would cut a call that is going on.
/// Calls are found through the active-calls index, which the benchmark-only store <c>GrainStatePerEvent</c>
/// does not keep: there, nothing is ended.
/// </remarks>
public sealed partial class GatewayLostCalls(
    IGatewayHealth health,
    GatewayHealthOptions options,
    IJournalStore journal,
    IGrainFactory grains,
    IClusterMembershipService membership,
    ILocalSiloDetails silo,
    TimeProvider clock,
    ILogger<GatewayLostCalls> logger)
{
    public const string Cause = "gateway_lost";

    private const int PageSize = 500;

    /// <summary>Calls ended at once: enough to end thousands a minute, few enough to leave the journal's writer to the live calls.</summary>
    private const int Parallelism = 16;

    /// <summary>Ends the calls of every gateway lost past the grace; how many it ended.</summary>
    public async Task<int> EndAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = health.Gateways().Where(g => g is { Lost: true, LostSince: { } since } && now - since >= options.LostGrace).ToList();
        if (due.Count == 0 || !IsSweeper())
        {
            return 0;
        }

        var ended = 0;
        foreach (var gateway in due)
        {
            ended += await EndCallsOfAsync(gateway, cancellationToken);
        }

        return ended;
    }

    private async Task<int> EndCallsOfAsync(GatewayHealthView gateway, CancellationToken cancellationToken)
    {
        var ended = 0;
        string? after = null;
        do
        {
            var page = await journal.QueryActiveCallsAsync(new ActiveCallQuery(null, null, gateway.GatewayId, PageSize, after), cancellationToken);
            var silent = page.Calls.Where(c => c.UpdatedAt < gateway.LostSince).Select(c => c.CallId).ToList();
            if (silent.Count > 0)
            {
                LogEnding(gateway.GatewayId, gateway.LostSince!.Value, silent.Count);
            }

            await Parallel.ForEachAsync(silent, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (callId, _) =>
            {
                try
                {
                    if (await grains.GetGrain<ICallGrain>(callId).EndByClusterAsync(Cause))
                    {
                        Interlocked.Increment(ref ended);
                    }
                }
                catch (Exception ex) when (ex is TimeoutException or OrleansException)
                {
                    LogEndFailed(ex, callId, gateway.GatewayId); // asked again by the next sweep
                }
            });
            after = page.Next;
        }
        while (after is not null);
        return ended;
    }

    private bool IsSweeper()
    {
        var active = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToList();
        return active.Count == 0 || active.Min() == silo.SiloAddress;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway {GatewayId} lost since {LostSince:O}: ending {Count} of its calls (gateway_lost)")]
    private partial void LogEnding(string gatewayId, DateTimeOffset lostSince, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} of lost gateway {GatewayId} could not be ended now")]
    private partial void LogEndFailed(Exception ex, string callId, string gatewayId);
}
