using System.Threading.Channels;

namespace ContactCenter.GatewayClient.Tests.Infrastructure;

/// <summary>
/// Runs a client's command loop for the length of a test, with a handler that carries out one call's commands
/// (a gateway's other calls are other tests' business) and records each one it carried out.
/// </summary>
public sealed class CommandRecorder : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<GatewayCommand> _carriedOut = Channel.CreateUnbounded<GatewayCommand>();
    private readonly Task _loop;

    /// <param name="carryOut">What the gateway does with the call's commands; a command it throws for is not recorded.</param>
    public CommandRecorder(ContactCenterClient client, string callId, Action<GatewayCommand>? carryOut = null) =>
        _loop = client.RunCommandsAsync((command, _) =>
        {
            if (command.CallId == callId)
            {
                carryOut?.Invoke(command);
                _carriedOut.Writer.TryWrite(command);
            }

            return Task.CompletedTask;
        }, _stop.Token);

    /// <summary>The next command carried out for the call.</summary>
    public async Task<GatewayCommand> NextAsync() => await _carriedOut.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Whether another command was carried out for the call by now.</summary>
    public bool TryNext(out GatewayCommand? command) => _carriedOut.Reader.TryRead(out command);

    /// <summary>Stops the loop, which ends the way a cancelled loop must: with <see cref="OperationCanceledException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _loop);
        _stop.Dispose();
    }
}
