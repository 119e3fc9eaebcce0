namespace ContactCenter.Gateways;

/// <summary>The outbox of commands to gateways. Sending completes once the command is durable.</summary>
public interface IGatewayCommands
{
    /// <summary>Durably queues a command for a gateway; its id.</summary>
    Task<long> SendAsync(string gatewayId, GatewayCommand command, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the gateway has taken the command (a poll delivered it at least once): a queue whose offer timed
    /// out tells the agent's fault (connect taken, not answered) from the gateway's (never taken). False for a
    /// command made stale before it was delivered, and for an unknown id.
    /// </summary>
    Task<bool> WasDeliveredAsync(long commandId, CancellationToken cancellationToken = default);
}
