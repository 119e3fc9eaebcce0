using ContactCenter.SipEdge.Hosting;
using ContactCenter.SipEdge.Media;

namespace ContactCenter.SipEdge.Calls;

/// <summary>
/// The audio the edge plays, as 8 kHz linear samples loaded once at start: the configured WAV files (made by
/// deploy/sip-edge/make-prompts.sh with flite, or recorded), and for a prompt without a file the tone a caller
/// recognises (busy: 425 Hz half a second on, half off, ITU-T E.180), so no call ever waits in dead silence for lack of a file;
/// and the prompts the cluster names in its commands (an outbound call's question, an IVR survey's), by name.
/// </summary>
public sealed class Prompts
{
    private readonly Dictionary<string, short[]> _named;

    /// <param name="named">The named prompts' files (<c>SipEdge:Outbound:Prompts</c>): every one is read now, so a broken file stops the edge rather than failing a call.</param>
    public Prompts(PromptFiles files, IReadOnlyDictionary<string, string> named)
    {
        _named = named.ToDictionary(p => p.Key, p => WavFile.ReadMono(p.Value), StringComparer.Ordinal);
        Music = Load(files.Music) ?? Tone(3_000, 0, [(440, 1.0)]);
        NoAgents = Load(files.NoAgents) ?? Cadence(3, 250, 250, 950);
        MaxWait = Load(files.MaxWait) ?? Cadence(3, 250, 250, 950);
        Busy = Load(files.Busy) ?? Cadence(4, 500, 500, 425);
    }

    /// <summary>Played in a loop while a call waits for an agent; silence when no file is configured (music would be a guess).</summary>
    public short[] Music { get; }

    public short[] NoAgents { get; }

    public short[] MaxWait { get; }

    public short[] Busy { get; }

    public short[] Announcement(string kind) => kind == "max_wait" ? MaxWait : NoAgents;

    /// <summary>The prompt a command names; null when the edge has none of that name.</summary>
    public short[]? Named(string name) => _named.GetValueOrDefault(name);

    private static short[]? Load(string? path) => string.IsNullOrWhiteSpace(path) ? null : WavFile.ReadMono(path);

    /// <summary><paramref name="count"/> beeps of <paramref name="onMs"/> at <paramref name="hz"/>, each followed by <paramref name="offMs"/> of silence.</summary>
    internal static short[] Cadence(int count, int onMs, int offMs, double hz)
    {
        var samples = new List<short>();
        for (var i = 0; i < count; i++)
        {
            samples.AddRange(Tone(onMs, hz, [(hz, 1.0)]));
            samples.AddRange(new short[offMs * 8]);
        }

        return [.. samples];
    }

    internal static short[] Tone(int milliseconds, double hz, (double Hz, double Level)[] partials)
    {
        var samples = new short[milliseconds * 8];
        if (hz == 0)
        {
            return samples;
        }

        for (var n = 0; n < samples.Length; n++)
        {
            var value = partials.Sum(p => p.Level * Math.Sin(2 * Math.PI * p.Hz * n / WavFile.SampleRate));
            samples[n] = (short)(value / partials.Length * 8_000);
        }

        return samples;
    }
}
