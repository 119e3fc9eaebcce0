using ContactCenter.ActiveCalls;
using ContactCenter.Calls;
using ContactCenter.Journal;
using Orleans.Runtime;

namespace ContactCenter.Gateways;

/// <summary>
/// Ends the live calls of a gateway lost for longer than the grace (<see cref="GatewayHealthOptions.LostGrace"/>),
/// and those a gateway that started again says it had before (<see cref="EndRestartedAsync"/>): the caller went
/// with the gateway, and the call would otherwise hold its agent, or be offered to one agent after another,
/// forever. Each call grain ends itself (<see cref="ICallGrain.EndByClusterAsync"/>, cause <see cref="Cause"/> or
/// <see cref="RestartCause"/>), so its CDR and effects are those of any ended call.
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
    public const string Cause = GatewayEndCauses.Lost;

    public const string RestartCause = GatewayEndCauses.Restarted;

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

    /// <summary>
    /// A gateway that started again (<c>POST /api/v1/gateway/restarted</c>) has lost every call it had before: ends
    /// those of its calls offered before <paramref name="startedAt"/> (the gateway's own clock, as its events' times
    /// are), with the cause <see cref="RestartCause"/>. Asked on the silo that took the request; how many it ended.
    /// </summary>
    public Task<int> EndRestartedAsync(string gatewayId, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        LogRestarted(gatewayId, startedAt);
        return EndCallsOfAsync(gatewayId, call => call.OfferedAt < startedAt, RestartCause, cancellationToken);
    }

    private Task<int> EndCallsOfAsync(GatewayHealthView gateway, CancellationToken cancellationToken)
    {
        var lostSince = gateway.LostSince!.Value;
        return EndCallsOfAsync(gateway.GatewayId, call => call.UpdatedAt < lostSince, Cause, cancellationToken);
    }

    private async Task<int> EndCallsOfAsync(string gatewayId, Func<ActiveCall, bool> gone, string cause, CancellationToken cancellationToken)
    {
        var ended = 0;
        string? after = null;
        do
        {
            var page = await journal.QueryActiveCallsAsync(new ActiveCallQuery(null, null, gatewayId, PageSize, after), cancellationToken);
            var calls = page.Calls.Where(gone).Select(c => c.CallId).ToList();
            await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (callId, _) =>
            {
                try
                {
                    if (await grains.GetGrain<ICallGrain>(callId).EndByClusterAsync(cause))
                    {
                        Interlocked.Increment(ref ended);
                    }
                }
                catch (Exception ex) when (ex is TimeoutException or OrleansException)
                {
                    LogEndFailed(ex, callId, gatewayId); // asked again by the next sweep or request
                }
            });
            after = page.Next;
        }
        while (after is not null);
        if (ended > 0)
        {
            LogEnded(gatewayId, ended, cause);
        }

        return ended;
    }

    private bool IsSweeper()
    {
        var active = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToList();
        return active.Count == 0 || active.Min() == silo.SiloAddress;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway {GatewayId} started again at {StartedAt:O}: ending its calls offered before (gateway_restarted)")]
    private partial void LogRestarted(string gatewayId, DateTimeOffset startedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway {GatewayId}: ended {Count} of its calls ({Cause})")]
    private partial void LogEnded(string gatewayId, int count, string cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} of gateway {GatewayId} could not be ended now")]
    private partial void LogEndFailed(Exception ex, string callId, string gatewayId);
}
