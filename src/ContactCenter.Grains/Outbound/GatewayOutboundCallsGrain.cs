namespace ContactCenter.Outbound;

[GenerateSerializer, Alias("cc.GatewayOutboundCallsState")]
public sealed class GatewayOutboundCallsState
{
    [Id(0)] public HashSet<string> Claimed { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The outbound calls a gateway has claimed and not finished. A call listed here that is not (or no longer)
/// claimed is harmless: at a restart its grain says so, and it leaves the list.
/// </summary>
public sealed class GatewayOutboundCallsGrain(
    [PersistentState("gateway-outbound", StorageNames.GroupCommit)] IPersistentState<GatewayOutboundCallsState> state) : Grain, IGatewayOutboundCallsGrain
{
    public async Task ClaimingAsync(string outboundId)
    {
        if (state.State.Claimed.Add(outboundId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task FinishedAsync(string outboundId)
    {
        if (state.State.Claimed.Remove(outboundId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Claimed]);
}
