using System.Net;

namespace ContactCenter.SipEdge.Sip.Transport;

public enum SipTransportKind
{
    Udp,
    Tcp,
}

/// <summary>Where a message came from or goes to: the transport and the peer's address (for TCP, its connection).</summary>
public sealed record SipPeer(SipTransportKind Transport, IPEndPoint EndPoint)
{
    public bool IsReliable => Transport == SipTransportKind.Tcp;

    public override string ToString() => $"{Transport.ToString().ToLowerInvariant()}:{EndPoint}";
}

/// <summary>One transport of the edge (RFC 3261 section 18): it hands every message it receives to the stack and sends what the stack gives it.</summary>
public interface ISipTransport : IAsyncDisposable
{
    SipTransportKind Kind { get; }

    IPEndPoint LocalEndPoint { get; }

    /// <summary>Sends without waiting for the peer; a failure is the transport's to log (UDP has no failure to report, TCP a broken connection).</summary>
    void Send(byte[] message, IPEndPoint to);
}

/// <summary>What a transport gives the stack: the bytes of one message (a datagram, or one framed from a stream) and its sender.</summary>
public delegate void SipMessageReceived(ReadOnlyMemory<byte> message, SipPeer from);
