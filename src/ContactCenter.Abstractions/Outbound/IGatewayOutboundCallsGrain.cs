namespace ContactCenter.Outbound;

/// <summary>
/// The outbound calls one gateway has claimed and not finished (keyed by gateway id): what a gateway that started
/// again had in progress, so they are finished at once (<c>gateway_restarted</c>, see
/// <see cref="IOutboundCallGrain.GatewayRestartedAsync"/>) instead of at their deadline. Kept by the calls
/// themselves: a write at each outbound call's claim and one at its finish, serialized per gateway, which is far
/// more than callbacks need (tens a second) and never on an inbound call's path. It never calls a call: a call
/// grain waiting on it while it waited on that call would deadlock both.
/// </summary>
[Alias("cc.IGatewayOutboundCallsGrain")]
public interface IGatewayOutboundCallsGrain : IGrainWithStringKey
{
    /// <summary>The call is about to be claimed by this gateway. Idempotent.</summary>
    [Alias("Claiming")]
    Task ClaimingAsync(string outboundId);

    /// <summary>The call finished (or was never this gateway's to finish). Idempotent.</summary>
    [Alias("Finished")]
    Task FinishedAsync(string outboundId);

    [Alias("List")]
    Task<IReadOnlyList<string>> ListAsync();
}
