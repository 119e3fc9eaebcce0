namespace ContactCenter.SipEdge.Media;

public enum G711Law
{
    MuLaw,
    ALaw,
}

/// <summary>
/// G.711 (ITU-T G.711) companding between 16-bit linear samples and 8-bit mu-law or A-law, by table: decoding is
/// a lookup, encoding one lookup per sample into a 64 K table built once. Used for the recordings (linear WAV),
/// the prompts (WAV to the call's law) and transcoding when the two legs agreed on different laws.
/// </summary>
public static class G711
{
    private static readonly short[] MuToLinear = BuildDecode(DecodeMu);
    private static readonly short[] AToLinear = BuildDecode(DecodeA);
    private static readonly byte[] LinearToMu = BuildEncode(EncodeMu);
    private static readonly byte[] LinearToA = BuildEncode(EncodeA);

    /// <summary>The byte of silence in each law (the code of linear 0).</summary>
    public static byte Silence(G711Law law) => law == G711Law.MuLaw ? (byte)0xFF : (byte)0xD5;

    public static short Decode(G711Law law, byte code) => law == G711Law.MuLaw ? MuToLinear[code] : AToLinear[code];

    public static byte Encode(G711Law law, short sample) => (law == G711Law.MuLaw ? LinearToMu : LinearToA)[(ushort)sample];

    public static void Decode(G711Law law, ReadOnlySpan<byte> codes, Span<short> samples)
    {
        var table = law == G711Law.MuLaw ? MuToLinear : AToLinear;
        for (var i = 0; i < codes.Length; i++)
        {
            samples[i] = table[codes[i]];
        }
    }

    public static void Encode(G711Law law, ReadOnlySpan<short> samples, Span<byte> codes)
    {
        var table = law == G711Law.MuLaw ? LinearToMu : LinearToA;
        for (var i = 0; i < samples.Length; i++)
        {
            codes[i] = table[(ushort)samples[i]];
        }
    }

    /// <summary>One law's code to the other's for the same sound, without a detour through a buffer.</summary>
    public static void Transcode(G711Law from, G711Law to, Span<byte> codes)
    {
        if (from == to)
        {
            return;
        }

        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = Encode(to, Decode(from, codes[i]));
        }
    }

    private static short[] BuildDecode(Func<byte, short> decode)
    {
        var table = new short[256];
        for (var code = 0; code < 256; code++)
        {
            table[code] = decode((byte)code);
        }

        return table;
    }

    private static byte[] BuildEncode(Func<short, byte> encode)
    {
        var table = new byte[65536];
        for (var sample = 0; sample < 65536; sample++)
        {
            table[sample] = encode((short)(ushort)sample);
        }

        return table;
    }

    // The segment arithmetic of G.711 for mu-law (bias 0x84, 14-bit magnitude) and A-law (13-bit magnitude, even bits inverted).
    private static short DecodeMu(byte code)
    {
        var inverted = ~code & 0xFF;
        var magnitude = (((inverted & 0x0F) << 3) + 0x84) << ((inverted & 0x70) >> 4);
        return (short)((inverted & 0x80) != 0 ? 0x84 - magnitude : magnitude - 0x84);
    }

    private static byte EncodeMu(short sample)
    {
        int value = sample >> 2;
        var mask = 0xFF;
        if (value < 0)
        {
            value = -value;
            mask = 0x7F;
        }

        value = Math.Min(value, 8159) + (0x84 >> 2);
        var segment = Segment(value, 0x3F);
        return segment >= 8 ? (byte)(0x7F ^ mask) : (byte)(((segment << 4) | ((value >> (segment + 1)) & 0x0F)) ^ mask);
    }

    private static short DecodeA(byte code)
    {
        var value = code ^ 0x55;
        var magnitude = (value & 0x0F) << 4;
        var segment = (value & 0x70) >> 4;
        magnitude = segment switch
        {
            0 => magnitude + 8,
            1 => magnitude + 0x108,
            _ => (magnitude + 0x108) << (segment - 1),
        };
        return (short)((value & 0x80) != 0 ? magnitude : -magnitude);
    }

    private static byte EncodeA(short sample)
    {
        int value = sample >> 3;
        var mask = 0xD5;
        if (value < 0)
        {
            value = -value - 1;
            mask = 0x55;
        }

        var segment = Segment(value, 0x1F);
        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        var code = (segment << 4) | ((segment < 2 ? value >> 1 : value >> segment) & 0x0F);
        return (byte)(code ^ mask);
    }

    /// <summary>The segment of a magnitude: the first of the eight doubling end points (from <paramref name="firstEnd"/>) it does not exceed.</summary>
    private static int Segment(int magnitude, int firstEnd)
    {
        var segment = 0;
        for (var end = firstEnd; segment < 8 && magnitude > end; end = (end << 1) | 1)
        {
            segment++;
        }

        return segment;
    }
}
