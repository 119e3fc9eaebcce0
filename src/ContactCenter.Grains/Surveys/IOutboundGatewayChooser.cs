namespace ContactCenter.Surveys;

/// <summary>Which gateway places an outbound call now (the host's configured outbound gateways that are not lost); null when none can.</summary>
public interface IOutboundGatewayChooser
{
    string? Choose();
}

/// <summary>No outbound gateways: a callback waits for one.</summary>
public sealed class NoOutboundGateway : IOutboundGatewayChooser
{
    public string? Choose() => null;
}
