using System.Collections.Concurrent;
using ContactCenter.GroupCommit;

namespace ContactCenter.Gateways;

/// <summary>
/// The outbox grains send gateway commands through: a command is group-committed to the database before
/// <see cref="SendAsync"/> completes, and a gateway long-polling this silo is woken at once. A gateway polling
/// another silo finds it on its next look at the table (<see cref="WaitForCommandsAsync"/> looks at least
/// every <see cref="CrossSiloPollInterval"/>).
/// </summary>
public sealed class GatewayCommandOutbox : IGatewayCommands, IAsyncDisposable
{
    public static readonly TimeSpan CrossSiloPollInterval = TimeSpan.FromMilliseconds(500);

    private readonly GroupCommitter<OutgoingCommand, long> _committer;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);

    public GatewayCommandOutbox(IGatewayCommandStore store)
    {
        Store = store;
        _committer = new GroupCommitter<OutgoingCommand, long>("gateway-commands", store.InsertBatchAsync);
    }

    public IGatewayCommandStore Store { get; }

    public async Task<long> SendAsync(string gatewayId, GatewayCommand command, CancellationToken cancellationToken = default)
    {
        var id = await _committer.CommitAsync(new OutgoingCommand(gatewayId, command), cancellationToken);
        Wake(gatewayId);
        return id;
    }

    public Task<bool> WasDeliveredAsync(long commandId, CancellationToken cancellationToken = default) =>
        Store.WasDeliveredAsync(commandId, cancellationToken);

    /// <summary>
    /// Wakes the gateway's poll waiting on this silo: a command was sent, or an acknowledgement let the next
    /// command of a call go (a call's commands go one after the other).
    /// </summary>
    public void Wake(string gatewayId)
    {
        if (_signals.TryRemove(gatewayId, out var signal))
        {
            signal.TrySetResult();
        }
    }

    /// <summary>Completes when a command for the gateway is sent on this silo, or after the cross-silo poll interval.</summary>
    public async Task WaitForCommandsAsync(string gatewayId, CancellationToken cancellationToken)
    {
        var signal = _signals.GetOrAdd(gatewayId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await signal.Task.WaitAsync(CrossSiloPollInterval, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Nothing sent here meanwhile; the caller looks at the table again.
        }
    }

    public ValueTask DisposeAsync() => _committer.DisposeAsync();
}
