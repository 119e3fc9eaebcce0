namespace ContactCenter.Outbound;

/// <summary>
/// The outbound calls a gateway that started again had claimed before its start went with the old process: each
/// is finished now as failed (<c>gateway_restarted</c>), so its requester can try again at once, instead of
/// waiting for the call's deadline. Calls still to be claimed are left to the new process.
/// </summary>
public static class RestartedGatewayOutboundCalls
{
    /// <summary>How many calls were finished.</summary>
    public static async Task<int> FinishAsync(IGrainFactory grains, string gatewayId, DateTimeOffset startedAt)
    {
        var claimed = grains.GetGrain<IGatewayOutboundCallsGrain>(gatewayId);
        var effects = await Task.WhenAll((await claimed.ListAsync()).Select(async id =>
            (Id: id, Effect: await grains.GetGrain<IOutboundCallGrain>(id).GatewayRestartedAsync(gatewayId, startedAt))));
        foreach (var (id, _) in effects.Where(e => e.Effect == GatewayRestartEffect.AlreadyOver))
        {
            await claimed.FinishedAsync(id); // a finish that never reached the list
        }

        return effects.Count(e => e.Effect == GatewayRestartEffect.Finished);
    }
}
