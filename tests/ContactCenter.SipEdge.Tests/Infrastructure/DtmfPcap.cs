using System.Buffers.Binary;

namespace ContactCenter.SipEdge.Tests.Infrastructure;

/// <summary>
/// Writes a capture of RFC 4733 key presses for sipp's <c>play_pcap_audio</c>: for each key, an event packet every
/// 20 ms for its length (one timestamp, a growing duration, the marker on the first) and the end packet three times,
/// as a phone sends them. sipp replays the RTP payloads with the capture's timing to the edge's media port.
/// </summary>
public static class DtmfPcap
{
    public const int PayloadType = 101;

    /// <param name="keys">Each key and when it is pressed. sipp replays from the capture's first packet, so the times count from the first key's.</param>
    public static void Write(string path, params (char Key, TimeSpan At)[] keys)
    {
        using var file = File.Create(path);
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1);
        file.Write(header);

        ushort sequence = 1;
        foreach (var (key, at) in keys)
        {
            var timestamp = (uint)(at.TotalMilliseconds * 8);
            const int steps = 5;
            for (var step = 1; step <= steps + 3; step++)
            {
                var end = step > steps;
                var duration = (ushort)(Math.Min(step, steps) * 160);
                var sentAt = at + TimeSpan.FromMilliseconds(20 * Math.Min(step, steps + 1));
                WritePacket(file, sentAt, sequence++, timestamp, marker: step == 1, Event(key), end, duration);
            }
        }
    }

    private static int Event(char key) => key switch
    {
        >= '0' and <= '9' => key - '0',
        '*' => 10,
        '#' => 11,
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    private static void WritePacket(Stream file, TimeSpan at, ushort sequence, uint timestamp, bool marker, int e, bool end, ushort duration)
    {
        const int rtp = 12 + 4;
        const int udp = 8 + rtp;
        const int ip = 20 + udp;
        const int frame = 14 + ip;
        var record = new byte[16 + frame];
        var span = record.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)at.TotalSeconds);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(at.Ticks % TimeSpan.TicksPerSecond / 10));
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], frame);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], frame);
        var ethernet = span[16..];
        BinaryPrimitives.WriteUInt16BigEndian(ethernet[12..], 0x0800);
        var ipv4 = ethernet[14..];
        ipv4[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ipv4[2..], ip);
        ipv4[8] = 64;
        ipv4[9] = 17;
        ipv4[12] = 127;
        ipv4[15] = 1;
        ipv4[16] = 127;
        ipv4[19] = 1;
        var udpHeader = ipv4[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udpHeader, 4000);
        BinaryPrimitives.WriteUInt16BigEndian(udpHeader[2..], 4002);
        BinaryPrimitives.WriteUInt16BigEndian(udpHeader[4..], udp);
        var packet = udpHeader[8..];
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], 0x4733);
        packet[12] = (byte)e;
        packet[13] = (byte)((end ? 0x80 : 0) | 10);
        BinaryPrimitives.WriteUInt16BigEndian(packet[14..], duration);
        file.Write(record);
    }
}
