using ContactCenter.Gateways;
using ContactCenter.Hosting;

namespace ContactCenter.Outbound;

/// <summary>
/// Which gateway places a new outbound call: the first of <see cref="ContactCenterOptions.OutboundGateways"/> (in
/// order of preference, e.g. the home region's edge first) that is not lost. A gateway that never polled is not
/// judged lost (<see cref="IGatewayHealth.IsLost"/>): its command waits for it like any other.
/// </summary>
public sealed class OutboundGateways(ContactCenterOptions options, IGatewayHealth health) : Surveys.IOutboundGatewayChooser
{
    public string? Choose() => options.OutboundGateways.FirstOrDefault(g => !health.IsLost(g));

    public string Unavailable() => options.OutboundGateways.Length == 0
        ? "no gateway places outbound calls: configure ContactCenter:OutboundGateways"
        : $"every gateway that places outbound calls is lost ({string.Join(", ", options.OutboundGateways)}); try again later";
}
