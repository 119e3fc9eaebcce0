using ContactCenter.GroupCommit;

namespace ContactCenter.Gateways;

/// <summary>A command bound for one gateway.</summary>
public sealed record OutgoingCommand(string GatewayId, GatewayCommand Command);

/// <summary>The database side of the gateway command outbox.</summary>
public interface IGatewayCommandStore
{
    /// <summary>Inserts a batch in one transaction; each command's id, in order.</summary>
    Task<IReadOnlyList<CommitOutcome<long>>> InsertBatchAsync(IReadOnlyList<OutgoingCommand> commands, CancellationToken cancellationToken);

    /// <summary>
    /// Unacknowledged commands that were never delivered, or whose last delivery is older than
    /// <paramref name="redeliverAfter"/>, oldest first; marks them delivered now.
    /// </summary>
    Task<IReadOnlyList<DeliveredCommand>> TakePendingAsync(string gatewayId, int limit, TimeSpan redeliverAfter, CancellationToken cancellationToken);

    /// <summary>Marks the gateway's commands acknowledged; returns how many were pending.</summary>
    Task<int> AcknowledgeAsync(string gatewayId, IReadOnlyCollection<long> commandIds, CancellationToken cancellationToken);
}
