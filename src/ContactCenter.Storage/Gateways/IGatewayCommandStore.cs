using ContactCenter.GroupCommit;

namespace ContactCenter.Gateways;

/// <summary>A command bound for one gateway.</summary>
public sealed record OutgoingCommand(string GatewayId, GatewayCommand Command);

/// <summary>What the database knows of one gateway: how long since any silo last saw it poll, and its open commands.</summary>
/// <param name="SilentFor">Null when no silo has ever recorded a poll of it.</param>
/// <param name="OpenCommands">Neither acknowledged nor superseded.</param>
public sealed record GatewayPollRecord(string GatewayId, TimeSpan? SilentFor, int OpenCommands);

/// <summary>The database side of the gateway command outbox.</summary>
public interface IGatewayCommandStore
{
    /// <summary>
    /// Inserts a batch in one transaction; each command's id, in order. The open commands each one makes stale
    /// (<see cref="GatewayCommandSupersession"/>) are marked superseded in the same transaction.
    /// </summary>
    Task<IReadOnlyList<CommitOutcome<long>>> InsertBatchAsync(IReadOnlyList<OutgoingCommand> commands, CancellationToken cancellationToken);

    /// <summary>
    /// Open commands (not acknowledged, not superseded) that were never delivered, or whose last delivery is older
    /// than <paramref name="redeliverAfter"/>, oldest first; marks them delivered now. A command is not taken while
    /// an earlier open command of its call is out with the gateway (delivered, its redelivery not yet due): a
    /// call's commands reach the gateway in order.
    /// </summary>
    Task<IReadOnlyList<DeliveredCommand>> TakePendingAsync(string gatewayId, int limit, TimeSpan redeliverAfter, CancellationToken cancellationToken);

    /// <summary>Marks the gateway's commands acknowledged; returns how many were pending.</summary>
    Task<int> AcknowledgeAsync(string gatewayId, IReadOnlyCollection<long> commandIds, CancellationToken cancellationToken);

    /// <summary>Whether a poll has ever taken the command (false too for an unknown id).</summary>
    Task<bool> WasDeliveredAsync(long commandId, CancellationToken cancellationToken);

    /// <summary>Records that these gateways polled just now (<paramref name="now"/> where the database has no clock of its own).</summary>
    Task RecordPollsAsync(IReadOnlyCollection<string> gatewayIds, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every gateway that ever polled or has open commands.</summary>
    Task<IReadOnlyList<GatewayPollRecord>> ReadGatewaysAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
