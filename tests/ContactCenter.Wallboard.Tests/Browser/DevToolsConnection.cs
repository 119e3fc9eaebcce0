using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>
/// One WebSocket to the browser speaking the Chrome DevTools Protocol: numbered commands answered by id, and
/// events delivered to whoever subscribed to their method. Pages share it through flattened sessions, so each
/// message names the session (page) it belongs to.
/// </summary>
internal sealed class DevToolsConnection : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<long, PendingCommand> _pending = new();
    private readonly ConcurrentDictionary<(string? SessionId, string Method), HandlerList> _subscriptions = new();
    // ClientWebSocket allows one send at a time; commands come from several awaits at once.
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _receiving;
    private long _lastId;

    private DevToolsConnection(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    public static async Task<DevToolsConnection> OpenAsync(Uri webSocketUrl, CancellationToken cancellation)
    {
        var socket = new ClientWebSocket();
        // Screenshots arrive as one base64 message of a few megabytes; a larger buffer means fewer reads.
        socket.Options.SetBuffer(64 * 1024, 64 * 1024);
        await socket.ConnectAsync(webSocketUrl, cancellation);
        return new DevToolsConnection(socket);
    }

    /// <summary>Sends a command (to a page when <paramref name="sessionId"/> is given) and returns its result.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null, string? sessionId = null, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref _lastId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = new PendingCommand(method, answer);
        try
        {
            if (_receiving.IsCompleted)
            {
                throw Closed(method, null);
            }

            var message = new JsonObject
            {
                ["id"] = id,
                ["method"] = method,
                ["params"] = JsonSerializer.SerializeToNode(parameters ?? new { }),
            };
            if (sessionId is not null)
            {
                message["sessionId"] = sessionId;
            }

            await _sendLock.WaitAsync(_stopping.Token);
            try
            {
                await _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, endOfMessage: true, _stopping.Token);
            }
            finally
            {
                _sendLock.Release();
            }

            return await answer.Task.WaitAsync(timeout ?? CommandTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"DevTools command {method} got no answer within {(timeout ?? CommandTimeout).TotalSeconds:0.#} s");
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException
            || (exception is OperationCanceledException && _stopping.IsCancellationRequested))
        {
            throw Closed(method, exception);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Calls <paramref name="handler"/> with the params of every <paramref name="method"/> event of the session
    /// (of the browser itself when null) until the returned subscription is disposed. Handlers run on the receive
    /// loop: they must be quick and must not wait for another DevTools answer.
    /// </summary>
    public IDisposable Subscribe(string? sessionId, string method, Action<JsonElement> handler)
    {
        var key = (sessionId, method);
        _subscriptions.AddOrUpdate(key, _ => new([handler]), (_, existing) => existing.With(handler));
        return new Subscription(() => _subscriptions.AddOrUpdate(key, _ => new([]), (_, existing) => existing.Without(handler)));
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        Exception? failure = null;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(buffer.GetMemory(64 * 1024), _stopping.Token);
                    buffer.Advance(received.Count);
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                Dispatch(buffer.WrittenMemory);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        // Nothing will answer the commands still waiting: fail them now rather than at their timeout.
        foreach (var command in _pending.Values)
        {
            command.Answer.TrySetException(Closed(command.Method, failure));
        }
    }

    private static IOException Closed(string method, Exception? cause) =>
        new($"DevTools command {method} failed: the connection to the browser is closed (did it exit?)", cause);

    private void Dispatch(ReadOnlyMemory<byte> utf8)
    {
        // Cloned so that handlers and awaiting commands may keep the element after the document returns its
        // pooled memory and the receive buffer is reused.
        using var document = JsonDocument.Parse(utf8);
        var message = document.RootElement.Clone();
        if (message.TryGetProperty("id", out var id))
        {
            if (_pending.TryGetValue(id.GetInt64(), out var command))
            {
                if (message.TryGetProperty("error", out var error))
                {
                    command.Answer.TrySetException(new DevToolsException(command.Method, error.GetProperty("message").GetString() ?? "", error.GetRawText()));
                }
                else
                {
                    command.Answer.TrySetResult(message.GetProperty("result"));
                }
            }

            return;
        }

        var sessionId = message.TryGetProperty("sessionId", out var session) ? session.GetString() : null;
        var method = message.GetProperty("method").GetString()!;
        if (_subscriptions.TryGetValue((sessionId, method), out var handlers))
        {
            var parameters = message.TryGetProperty("params", out var p) ? p : default;
            foreach (var handler in handlers.All)
            {
                handler(parameters);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, closing.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                // The browser is going away anyway.
            }
        }

        // A browser that answers the close ends the receive loop by itself; one that does not is cut off.
        await Task.WhenAny(_receiving, Task.Delay(TimeSpan.FromSeconds(2)));
        await _stopping.CancelAsync();
        await _receiving;
        _socket.Dispose();
        _stopping.Dispose();
    }

    private sealed record PendingCommand(string Method, TaskCompletionSource<JsonElement> Answer);

    /// <summary>A copy-on-write handler list, so the receive loop can iterate while tests subscribe.</summary>
    private sealed record HandlerList(Action<JsonElement>[] All)
    {
        public HandlerList With(Action<JsonElement> handler) => new([.. All, handler]);

        public HandlerList Without(Action<JsonElement> handler) => new(All.Where(h => h != handler).ToArray());
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                unsubscribe();
            }
        }
    }
}

/// <summary>The browser refused a DevTools command (unknown method, bad parameters, no such target...).</summary>
public sealed class DevToolsException(string method, string message, string error) : Exception($"DevTools command {method} failed: {message} ({error})");
