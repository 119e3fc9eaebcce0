using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ContactCenter.SipEdge.Sip.Messages;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Sip.Transport;

/// <summary>
/// SIP over TCP (RFC 3261 section 18): a listener, one read loop per connection that frames messages by their
/// Content-Length, and connections kept by the peer's address so responses and later requests to that peer
/// reuse them (a request to a peer with no connection opens one). A stream that cannot be framed is closed.
/// </summary>
public sealed class TcpSipTransport : ISipTransport
{
    /// <summary>Connections at most, so a connection flood cannot take the process's file descriptors.</summary>
    public const int MaxConnections = 4_096;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    private readonly TcpListener _listener;
    private readonly SipMessageReceived _received;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<IPEndPoint, Connection> _connections = new();
    private readonly Task _accepting;

    public TcpSipTransport(IPEndPoint listenOn, SipMessageReceived received, ILogger log)
    {
        _received = received;
        _log = log;
        _listener = new TcpListener(listenOn);
        _listener.Start(backlog: 1024);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = Task.Run(AcceptAsync);
    }

    public SipTransportKind Kind => SipTransportKind.Tcp;

    public IPEndPoint LocalEndPoint { get; }

    public int OpenConnections => _connections.Count;

    public void Send(byte[] message, IPEndPoint to)
    {
        if (_connections.TryGetValue(to, out var open))
        {
            open.Send(message);
            return;
        }

        _ = ConnectAndSendAsync(message, to);
    }

    private async Task ConnectAndSendAsync(byte[] message, IPEndPoint to)
    {
        var socket = new Socket(to.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(to, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            _log.LogInformation("SIP/TCP connection to {Peer} failed: {Error}", to, ex.Message);
            socket.Dispose();
            return;
        }

        var connection = Adopt(socket, to);
        connection?.Send(message);
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                _log.LogDebug("SIP/TCP accept: {Error}", ex.SocketErrorCode);
                continue;
            }

            socket.NoDelay = true;
            Adopt(socket, (IPEndPoint)socket.RemoteEndPoint!);
        }
    }

    private Connection? Adopt(Socket socket, IPEndPoint peer)
    {
        if (_connections.Count >= MaxConnections)
        {
            _log.LogWarning("SIP/TCP connection from {Peer} refused: {Max} connections open", peer, MaxConnections);
            socket.Dispose();
            return null;
        }

        var connection = new Connection(socket, peer, this);
        if (_connections.TryGetValue(peer, out var earlier))
        {
            earlier.Close();
        }

        _connections[peer] = connection;
        _ = connection.ReadAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (var connection in _connections.Values)
        {
            connection.Close();
        }

        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        _stopping.Dispose();
    }

    private sealed class Connection(Socket socket, IPEndPoint peer, TcpSipTransport transport)
    {
        private readonly SemaphoreSlim _writing = new(1, 1);

        public void Send(byte[] message) => _ = SendAsync(message);

        private async Task SendAsync(byte[] message)
        {
            await _writing.WaitAsync();
            try
            {
                await socket.SendAsync(message, SocketFlags.None);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                transport._log.LogDebug("SIP/TCP send to {Peer} failed: {Error}", peer, ex.Message);
                Close();
            }
            finally
            {
                _writing.Release();
            }
        }

        public async Task ReadAsync()
        {
            var buffer = new byte[SipParser.MaxHeadBytes + SipParser.MaxBodyBytes + 8];
            var filled = 0;
            try
            {
                while (true)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(transport._stopping.Token);
                    idle.CancelAfter(IdleTimeout);
                    var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, idle.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                    while (filled > 0)
                    {
                        var length = SipParser.FrameLength(buffer.AsSpan(0, filled));
                        if (length < 0 || (length == 0 && filled == buffer.Length))
                        {
                            transport._log.LogInformation("SIP/TCP stream from {Peer} cannot be framed; closing it", peer);
                            return;
                        }

                        if (length == 0)
                        {
                            break;
                        }

                        transport.Deliver(buffer.AsMemory(0, length), peer);
                        buffer.AsSpan(length, filled - length).CopyTo(buffer);
                        filled -= length;
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // closed, idle or stopping
            }
            finally
            {
                Close();
            }
        }

        public void Close()
        {
            transport._connections.TryRemove(new KeyValuePair<IPEndPoint, Connection>(peer, this));
            socket.Dispose();
        }
    }

    private void Deliver(ReadOnlyMemory<byte> message, IPEndPoint peer)
    {
        try
        {
            _received(message, new SipPeer(SipTransportKind.Tcp, peer));
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "SIP/TCP message from {Peer} could not be handled", peer);
        }
    }
}
