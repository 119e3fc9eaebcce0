namespace ContactCenter.Gateways;

/// <summary>The causes the cluster gives calls it ends for their gateway: inbound calls' <c>ended</c> events and outbound calls' results.</summary>
public static class GatewayEndCauses
{
    /// <summary>The gateway stopped polling and reporting, past its grace.</summary>
    public const string Lost = "gateway_lost";

    /// <summary>The gateway started again: its calls from before went with the old process.</summary>
    public const string Restarted = "gateway_restarted";
}
