using System.Net;
using System.Net.Sockets;

namespace ContactCenter.SipEdge.Media;

/// <summary>
/// The UDP ports the edge's RTP sockets take, even numbers from a configured range (RTCP, where a peer sends it,
/// goes to the odd port above, RFC 3550 section 11). A port is handed out bound, so two legs never share one and a
/// port another program took is skipped.
/// </summary>
public sealed class RtpPortPool(IPAddress address, int first, int last)
{
    private readonly object _gate = new();
    private int _next = first + (first % 2);

    public IPAddress Address => address;

    /// <summary>A socket bound to a free even port of the range, or null when every port is taken.</summary>
    public Socket? Bind()
    {
        var count = ((last - first) / 2) + 1;
        for (var tried = 0; tried < count; tried++)
        {
            int port;
            lock (_gate)
            {
                port = _next;
                _next = _next + 2 > last ? first + (first % 2) : _next + 2;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(address, port));
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
        }

        return null;
    }
}
