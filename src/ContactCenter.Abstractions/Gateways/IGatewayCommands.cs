namespace ContactCenter.Gateways;

/// <summary>The outbox of commands to gateways. Sending completes once the command is durable.</summary>
public interface IGatewayCommands
{
    /// <summary>Durably queues a command for a gateway; its id.</summary>
    Task<long> SendAsync(string gatewayId, GatewayCommand command, CancellationToken cancellationToken = default);
}
