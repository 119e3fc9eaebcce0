using System.Collections.Concurrent;
using System.Threading.Channels;
using ContactCenter.Gateways;

namespace ContactCenter.Benchmarks.Hosting;

/// <summary>
/// Passes gateway commands on to the real outbox and, once one is durable, tells whoever waits for a
/// "connect" of that call: the end of the queued-to-offered interval, as a gateway would first see it.
/// </summary>
public sealed class CommandWatch(IGatewayCommands outbox) : IGatewayCommands
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ConnectToAgent>> _waiting = new(StringComparer.Ordinal);
    private readonly Channel<CommittedConnect> _everyConnect = Channel.CreateUnbounded<CommittedConnect>();
    private volatile bool _watchingEveryConnect;

    public async Task<long> SendAsync(string gatewayId, GatewayCommand command, CancellationToken cancellationToken = default)
    {
        var id = await outbox.SendAsync(gatewayId, command, cancellationToken);
        if (command is ConnectToAgent connect)
        {
            if (_waiting.TryRemove(connect.CallId, out var waiter))
            {
                waiter.TrySetResult(connect);
            }

            if (_watchingEveryConnect)
            {
                _everyConnect.Writer.TryWrite(new CommittedConnect(connect, System.Diagnostics.Stopwatch.GetTimestamp()));
            }
        }

        return id;
    }

    public Task<bool> WasDeliveredAsync(long commandId, CancellationToken cancellationToken = default) =>
        outbox.WasDeliveredAsync(commandId, cancellationToken);

    /// <summary>Completes when the call's connect command has been committed. Call before the call is queued.</summary>
    public Task<ConnectToAgent> ConnectOf(string callId) =>
        _waiting.GetOrAdd(callId, _ => new TaskCompletionSource<ConnectToAgent>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Every connect committed from now on, with the moment it was committed.</summary>
    public ChannelReader<CommittedConnect> EveryConnect()
    {
        _watchingEveryConnect = true;
        return _everyConnect.Reader;
    }
}

/// <param name="CommittedAt">A <see cref="System.Diagnostics.Stopwatch"/> timestamp.</param>
public sealed record CommittedConnect(ConnectToAgent Connect, long CommittedAt);
