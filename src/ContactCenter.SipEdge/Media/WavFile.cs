using System.Buffers.Binary;
using System.Text;

namespace ContactCenter.SipEdge.Media;

/// <summary>
/// WAV files as the edge uses them: recordings written as 8 kHz G.711 mu-law (format 7), one byte per sample per
/// channel, which is what the calls carry, so nothing is lost and a minute of a two-channel call is 960 KB; prompts
/// read from 8 kHz mono files, 16-bit PCM (what flite writes) or mu-law/A-law.
/// </summary>
public static class WavFile
{
    public const int SampleRate = 8000;
    private const ushort FormatPcm = 1;
    private const ushort FormatALaw = 6;
    private const ushort FormatMuLaw = 7;

    /// <summary>The 58-byte header of a mu-law file (fmt chunk of 18 bytes and a fact chunk, as format 7 requires); the lengths filled in by <see cref="FinishHeader"/>.</summary>
    public static byte[] MuLawHeader(int channels)
    {
        var header = new byte[58];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(header, 0);
        Encoding.ASCII.GetBytes("WAVE").CopyTo(header, 8);
        Encoding.ASCII.GetBytes("fmt ").CopyTo(header, 12);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), 18);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(20), FormatMuLaw);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(22), (ushort)channels);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), SampleRate * channels);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(32), (ushort)channels);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(34), 8);
        Encoding.ASCII.GetBytes("fact").CopyTo(header, 38);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(42), 4);
        Encoding.ASCII.GetBytes("data").CopyTo(header, 50);
        return header;
    }

    /// <summary>Writes the RIFF, fact and data lengths once the data's length is known.</summary>
    public static void FinishHeader(Stream file, int channels, long dataBytes)
    {
        WriteAt(file, 4, (uint)(50 + dataBytes));
        WriteAt(file, 46, (uint)(dataBytes / channels));
        WriteAt(file, 54, (uint)dataBytes);
        file.Flush();
    }

    private static void WriteAt(Stream file, long offset, uint value)
    {
        Span<byte> field = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(field, value);
        file.Position = offset;
        file.Write(field);
    }

    /// <summary>The samples of an 8 kHz mono WAV file as 16-bit linear; a clear error for any other kind of file.</summary>
    public static short[] ReadMono(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 12 || Encoding.ASCII.GetString(bytes, 0, 4) != "RIFF" || Encoding.ASCII.GetString(bytes, 8, 4) != "WAVE")
        {
            throw new InvalidDataException($"{path}: not a WAV file");
        }

        ushort format = 0, channels = 0, bits = 0;
        var rate = 0;
        var offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = Encoding.ASCII.GetString(bytes, offset, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 4));
            var body = offset + 8;
            if (size < 0 || body + size > bytes.Length)
            {
                // A header written before its length was known (a stream): take the data to the end.
                size = bytes.Length - body;
            }

            if (id == "fmt " && size >= 16)
            {
                format = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(body));
                channels = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(body + 2));
                rate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(body + 4));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(body + 14));
            }
            else if (id == "data")
            {
                if (channels != 1 || rate != SampleRate)
                {
                    throw new InvalidDataException($"{path}: {channels} channel(s) at {rate} Hz; prompts must be mono 8 kHz (sox in.wav -r 8000 -c 1 out.wav)");
                }

                var data = bytes.AsSpan(body, size);
                return (format, bits) switch
                {
                    (FormatPcm, 16) => Pcm16(data),
                    (FormatMuLaw, 8) => Companded(G711Law.MuLaw, data),
                    (FormatALaw, 8) => Companded(G711Law.ALaw, data),
                    _ => throw new InvalidDataException($"{path}: format {format} with {bits} bits; prompts must be 16-bit PCM or G.711"),
                };
            }

            offset = body + size + (size % 2);
        }

        throw new InvalidDataException($"{path}: no data chunk");
    }

    private static short[] Pcm16(ReadOnlySpan<byte> data)
    {
        var samples = new short[data.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(2 * i)..]);
        }

        return samples;
    }

    private static short[] Companded(G711Law law, ReadOnlySpan<byte> data)
    {
        var samples = new short[data.Length];
        G711.Decode(law, data, samples);
        return samples;
    }
}
