namespace ContactCenter.SipEdge.Media;

/// <summary>
/// One speaker's samples between the receive loop that writes them and the media clock that reads a 20 ms frame
/// per tick. At most 200 ms is kept: a burst is absorbed, and a sender faster than the clock loses its oldest
/// samples rather than drifting behind the others. A frame with nothing buffered is silence. Thread-safe.
/// </summary>
public sealed class JitterBuffer
{
    public const int FrameSamples = 160;
    public const int MaxSamples = 1600;

    private readonly short[] _ring = new short[MaxSamples];
    private int _start;
    private int _count;

    public int Buffered
    {
        get
        {
            lock (_ring)
            {
                return _count;
            }
        }
    }

    /// <summary>Adds G.711 codes as received.</summary>
    public void Write(G711Law law, ReadOnlySpan<byte> codes)
    {
        Span<short> samples = stackalloc short[Math.Min(codes.Length, MaxSamples)];
        G711.Decode(law, codes[..samples.Length], samples);
        Write(samples);
    }

    /// <summary>Adds linear samples (a mix made on the clock).</summary>
    public void Write(ReadOnlySpan<short> samples)
    {
        lock (_ring)
        {
            foreach (var sample in samples[..Math.Min(samples.Length, MaxSamples)])
            {
                if (_count == MaxSamples)
                {
                    _start = (_start + 1) % MaxSamples;
                    _count--;
                }

                _ring[(_start + _count) % MaxSamples] = sample;
                _count++;
            }
        }
    }

    /// <summary>Takes the next frame; what is missing is silence.</summary>
    public void Read(Span<short> frame)
    {
        lock (_ring)
        {
            var taken = Math.Min(frame.Length, _count);
            for (var i = 0; i < taken; i++)
            {
                frame[i] = _ring[(_start + i) % MaxSamples];
            }

            frame[taken..].Clear();
            _start = (_start + taken) % MaxSamples;
            _count -= taken;
        }
    }

    /// <summary>Adds <paramref name="other"/> into <paramref name="mix"/>, clipped to 16 bits.</summary>
    public static void MixInto(Span<short> mix, ReadOnlySpan<short> other)
    {
        for (var i = 0; i < mix.Length; i++)
        {
            mix[i] = (short)Math.Clamp(mix[i] + other[i], short.MinValue, short.MaxValue);
        }
    }
}
