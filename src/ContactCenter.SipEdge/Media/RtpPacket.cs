using System.Buffers.Binary;

namespace ContactCenter.SipEdge.Media;

/// <summary>The fixed RTP header (RFC 3550 section 5.1) read from a datagram, and where its payload starts.</summary>
public readonly record struct RtpHeader(bool Marker, int PayloadType, ushort Sequence, uint Timestamp, uint Ssrc, int PayloadOffset, int PayloadLength)
{
    public const int FixedSize = 12;

    /// <summary>Reads the header; false for anything that is not RTP version 2 with a whole header (RTCP on the RTP port included).</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out RtpHeader header)
    {
        header = default;
        if (packet.Length < FixedSize || packet[0] >> 6 != 2)
        {
            return false;
        }

        var payloadType = packet[1] & 0x7F;
        if (payloadType is >= 72 and <= 76)
        {
            // RTCP multiplexed on the RTP port (RFC 5761 section 4): not media.
            return false;
        }

        var offset = FixedSize + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < offset + 4)
            {
                return false;
            }

            offset += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]));
        }

        var length = packet.Length - offset;
        if ((packet[0] & 0x20) != 0 && length > 0)
        {
            // Padding: the last byte says how much (RFC 3550 section 5.1).
            length -= packet[^1];
        }

        if (length < 0)
        {
            return false;
        }

        header = new RtpHeader((packet[1] & 0x80) != 0, payloadType, BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]), BinaryPrimitives.ReadUInt32BigEndian(packet[8..]), offset, length);
        return true;
    }

    /// <summary>Writes a plain header (no CSRC, no extension) into the first 12 bytes of <paramref name="packet"/>.</summary>
    public static void Write(Span<byte> packet, bool marker, int payloadType, ushort sequence, uint timestamp, uint ssrc)
    {
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | (payloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], ssrc);
    }
}

/// <summary>An RFC 4733 telephone event payload (section 2.3): the event, whether it ended, its volume and duration.</summary>
public readonly record struct TelephoneEvent(int Event, bool End, int Volume, int Duration)
{
    public static bool TryRead(ReadOnlySpan<byte> payload, out TelephoneEvent e)
    {
        e = default;
        if (payload.Length < 4)
        {
            return false;
        }

        e = new TelephoneEvent(payload[0], (payload[1] & 0x80) != 0, payload[1] & 0x3F, BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        return true;
    }

    /// <summary>The DTMF character of events 0-15 (RFC 4733 section 3.2), or null for another event.</summary>
    public char? Digit => Event switch
    {
        >= 0 and <= 9 => (char)('0' + Event),
        10 => '*',
        11 => '#',
        >= 12 and <= 15 => (char)('A' + Event - 12),
        _ => null,
    };
}
