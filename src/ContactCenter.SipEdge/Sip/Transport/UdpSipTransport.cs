using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Sip.Transport;

/// <summary>SIP over UDP: one socket, one receive loop; each datagram is one message (RFC 3261 section 18.1.1).</summary>
public sealed class UdpSipTransport : ISipTransport
{
    private readonly Socket _socket;
    private readonly SipMessageReceived _received;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _receiving;

    public UdpSipTransport(IPEndPoint listenOn, SipMessageReceived received, ILogger log)
    {
        _received = received;
        _log = log;
        _socket = new Socket(listenOn.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // A burst of INVITEs waits in the kernel rather than being dropped before the loop reads it.
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.SendBufferSize = 4 * 1024 * 1024;
        _socket.Bind(listenOn);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _receiving = Task.Run(ReceiveAsync);
    }

    public SipTransportKind Kind => SipTransportKind.Udp;

    public IPEndPoint LocalEndPoint { get; }

    public void Send(byte[] message, IPEndPoint to)
    {
        try
        {
            _socket.SendTo(message, SocketFlags.None, to);
        }
        catch (SocketException ex)
        {
            // An unreachable peer (ICMP) or a full buffer: UDP is lossy, the transaction's retransmission covers it.
            _log.LogDebug("SIP/UDP send to {Peer} failed: {Error}", to, ex.SocketErrorCode);
        }
        catch (ObjectDisposedException)
        {
            // stopping
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[65_535];
        EndPoint any = new IPEndPoint(LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Linux reports an earlier send's ICMP unreachable on the next receive: not this loop's failure.
                _log.LogDebug("SIP/UDP receive: {Error}", ex.SocketErrorCode);
                continue;
            }

            try
            {
                _received(buffer.AsMemory(0, result.ReceivedBytes), new SipPeer(SipTransportKind.Udp, (IPEndPoint)result.RemoteEndPoint));
            }
            catch (Exception ex)
            {
                // One message must never end the loop that every call's signalling comes through.
                _log.LogError(ex, "SIP/UDP message from {Peer} could not be handled", result.RemoteEndPoint);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        try
        {
            await _receiving;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        _stopping.Dispose();
    }
}
