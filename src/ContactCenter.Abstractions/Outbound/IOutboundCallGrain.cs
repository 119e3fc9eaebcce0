namespace ContactCenter.Outbound;

/// <summary>
/// One outbound call, keyed by the id its requester gives it (so a request repeated after a lost answer places
/// nothing new): the request, the gateway asked to place it, and its progress to a result.
/// </summary>
[Alias("cc.IOutboundCallGrain")]
public interface IOutboundCallGrain : IGrainWithStringKey
{
    /// <summary>
    /// Places the call through <paramref name="gatewayId"/> (a durable <c>place_call</c> command); for the same
    /// request again, the call as it is. A different request under the same id is a conflict and places nothing.
    /// </summary>
    [Alias("Place")]
    Task<OutboundPlacement> PlaceAsync(OutboundCallRequest request, string gatewayId);

    /// <summary>A report of <paramref name="gatewayId"/>, which must be the gateway the call was placed through.</summary>
    [Alias("Report")]
    Task<OutboundReportOutcome> ReportAsync(string gatewayId, OutboundProgress progress);

    /// <summary>
    /// <paramref name="gatewayId"/> started again at <paramref name="startedAt"/> (its clock): a call it claimed
    /// before then went with the old process and is finished as failed (<c>gateway_restarted</c>).
    /// </summary>
    [Alias("GatewayRestarted")]
    Task<GatewayRestartEffect> GatewayRestartedAsync(string gatewayId, DateTimeOffset startedAt);

    /// <summary>The call; null for an id never placed.</summary>
    [Alias("Get")]
    Task<OutboundCallSnapshot?> GetAsync();
}

/// <summary>What a gateway's restart did to one of the outbound calls it had claimed.</summary>
public enum GatewayRestartEffect
{
    /// <summary>It was the old process's: finished now.</summary>
    Finished,
    /// <summary>It was over already (finished, or not this gateway's).</summary>
    AlreadyOver,
    /// <summary>It goes on: not claimed yet, or claimed by the new process.</summary>
    StillGoing,
}
