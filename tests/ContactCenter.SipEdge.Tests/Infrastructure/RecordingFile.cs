using ContactCenter.SipEdge.Media;

namespace ContactCenter.SipEdge.Tests.Infrastructure;

/// <summary>A call recording read back as the edge writes it (mu-law, two channels after a 58-byte header), for tests that look inside it.</summary>
public static class RecordingFile
{
    public static async Task<(short[] Caller, short[] Center)> ChannelsAsync(string path)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        var frames = (bytes.Length - 58) / 2;
        var caller = new short[frames];
        var center = new short[frames];
        for (var i = 0; i < frames; i++)
        {
            caller[i] = G711.Decode(G711Law.MuLaw, bytes[58 + (2 * i)]);
            center[i] = G711.Decode(G711Law.MuLaw, bytes[58 + (2 * i) + 1]);
        }

        return (caller, center);
    }

    /// <summary>Seconds of the channel, in 200 ms stretches, for which <paramref name="holds"/> is true.</summary>
    public static double Seconds(short[] channel, Func<ReadOnlyMemory<short>, bool> holds)
    {
        const int stretch = 1600;
        var count = 0;
        for (var start = 0; start + stretch <= channel.Length; start += stretch)
        {
            count += holds(channel.AsMemory(start, stretch)) ? 1 : 0;
        }

        return count * 0.2;
    }

    public static bool IsSilent(ReadOnlyMemory<short> samples) => samples.Span.IndexOfAnyExcept((short)0) < 0;
}
