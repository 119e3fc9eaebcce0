namespace ContactCenter.Gateways;

/// <summary>
/// Whether each gateway is taking its commands, from its command polls as every silo of the cluster records them.
/// A silo service, answered from memory: cheap enough to ask on every offer.
/// </summary>
public interface IGatewayHealth
{
    /// <summary>
    /// True when the gateway has not polled for its commands for the lost time (<c>ContactCenter:GatewayLostAfterSeconds</c>):
    /// a connect sent to it now would not be taken. False for a gateway no silo has ever seen poll (one that does
    /// not use the command channel is not judged by it), and during this silo's first lost time after it started
    /// (a restart after an outage gives the gateways that time to come back).
    /// </summary>
    bool IsLost(string gatewayId);

    /// <summary>Every gateway that ever polled or has open commands, by id: what the wallboard shows.</summary>
    IReadOnlyList<GatewayHealthView> Gateways();
}

/// <param name="LastPollAt">Null when no silo has ever seen it poll.</param>
/// <param name="LostSince">When it crossed the lost time; null while it is not lost.</param>
/// <param name="OpenCommands">Sent and neither acknowledged nor superseded, as of the last look at the database (every second or two).</param>
public sealed record GatewayHealthView(string GatewayId, DateTimeOffset? LastPollAt, bool Lost, DateTimeOffset? LostSince, int OpenCommands);
