using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using ContactCenter.SipEdge.Sdp;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Media;

/// <summary>What a leg hands on for each media packet it receives: its header, the whole datagram (valid only during the call), and the leg's law.</summary>
public delegate void RtpPacketHandler(RtpLeg from, in RtpHeader header, ReadOnlySpan<byte> packet);

/// <summary>
/// The media end of one SIP leg: a UDP socket on an even port, the stream agreed in SDP, a receive loop that
/// hands each packet to <see cref="PacketReceived"/> at once (a relay adds no buffering), and a sender for
/// packets the edge makes itself (prompts, music) with its own SSRC, sequence and timestamp (RFC 3550 section 5.1).
/// </summary>
public sealed class RtpLeg : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _receiving;
    private readonly uint _ssrc = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
    private readonly byte[] _outgoing = new byte[RtpHeader.FixedSize + 160];
    private ushort _sequence = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue);
    private uint _timestamp = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
    private NegotiatedAudio? _audio;
    private SocketAddress? _remote;
    private long _received;
    private long _sent;

    public RtpLeg(Socket socket, ILogger log)
    {
        _socket = socket;
        _log = log;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _receiving = Task.Run(ReceiveAsync);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The stream agreed with the far end; null until the SDP exchange is done.</summary>
    public NegotiatedAudio? Audio
    {
        get => _audio;
        set
        {
            // Serialized once here, not per packet sent.
            _remote = value?.Remote.Serialize();
            _audio = value;
        }
    }

    public G711Law Law => Audio?.Law ?? G711Law.MuLaw;

    /// <summary>Set by whoever routes this leg's media now (the queue's music, the bridge, an IVR menu).</summary>
    public RtpPacketHandler? PacketReceived { get; set; }

    public long PacketsReceived => Interlocked.Read(ref _received);

    public long PacketsSent => Interlocked.Read(ref _sent);

    /// <summary>Sends one 20 ms frame the edge made (160 codes in this leg's law).</summary>
    public void SendFrame(ReadOnlySpan<byte> codes, bool marker = false)
    {
        if (Audio is not { } audio)
        {
            return;
        }

        lock (_outgoing)
        {
            RtpHeader.Write(_outgoing, marker, audio.PayloadType, _sequence++, _timestamp, _ssrc);
            _timestamp += (uint)codes.Length;
            codes.CopyTo(_outgoing.AsSpan(RtpHeader.FixedSize));
            _ = SendRaw(_outgoing.AsSpan(0, RtpHeader.FixedSize + codes.Length));
        }
    }

    /// <summary>Set when the leg is part of a bridge: what its relaying is counted in.</summary>
    public MediaCounters? Counters { get; set; }

    /// <summary>Sends a packet another leg received, as it came but for the payload type (and the law, when the legs agreed on different ones).</summary>
    public void Forward(RtpLeg source, in RtpHeader header, ReadOnlySpan<byte> packet)
    {
        var startedAt = source.LastReceivedAt;
        if (Audio is not { } audio || source.Audio is not { } from)
        {
            Counters?.NotRelay();
            return;
        }

        int payloadType;
        var isEvent = header.PayloadType == from.TelephoneEventPayloadType;
        if (isEvent)
        {
            if (audio.TelephoneEventPayloadType is not { } events)
            {
                Counters?.NotRelay();
                return;
            }

            payloadType = events;
        }
        else if (header.PayloadType == from.PayloadType)
        {
            payloadType = audio.PayloadType;
        }
        else
        {
            // Comfort noise or a codec not agreed: nothing this leg could play.
            Counters?.NotRelay();
            return;
        }

        Span<byte> copy = stackalloc byte[packet.Length];
        packet.CopyTo(copy);
        copy[1] = (byte)((copy[1] & 0x80) | payloadType);
        if (!isEvent)
        {
            G711.Transcode(from.Law, audio.Law, copy.Slice(header.PayloadOffset, header.PayloadLength));
        }

        if (SendRaw(copy))
        {
            Counters?.Relay(startedAt);
        }
        else if (audio.FarEndReceives)
        {
            Counters?.NotRelay();
        }
    }

    /// <summary>When the packet being handled was received (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    internal long LastReceivedAt { get; private set; }

    private bool SendRaw(ReadOnlySpan<byte> packet)
    {
        if (Audio is not { } audio || !audio.FarEndReceives || _remote is not { } remote)
        {
            return false;
        }

        try
        {
            _socket.SendTo(packet, SocketFlags.None, remote);
            Interlocked.Increment(ref _sent);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // A far end gone (ICMP unreachable) or a leg closing: media is best effort, the SIP side ends the call.
            return false;
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[2048];
        while (!_stopping.IsCancellationRequested)
        {
            int length;
            try
            {
                // The sender's address is not needed (media goes where the SDP says), so the plain receive, which
                // reuses the socket's own awaitable and allocates nothing per packet.
                length = await _socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, _stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            if (!RtpHeader.TryRead(buffer.AsSpan(0, length), out var header))
            {
                continue;
            }

            Interlocked.Increment(ref _received);
            LastReceivedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                PacketReceived?.Invoke(this, header, buffer.AsSpan(0, length));
            }
            catch (Exception ex)
            {
                _log.LogError(ex, "RTP packet on port {Port} could not be handled", LocalEndPoint.Port);
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
