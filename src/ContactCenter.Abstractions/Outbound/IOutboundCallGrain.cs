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

    /// <summary>The call; null for an id never placed.</summary>
    [Alias("Get")]
    Task<OutboundCallSnapshot?> GetAsync();
}
