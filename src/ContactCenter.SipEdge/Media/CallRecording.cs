using System.Buffers;

namespace ContactCenter.SipEdge.Media;

/// <summary>
/// One call's recording: a two-channel WAV (the caller on the left, the agent on the right), written a 20 ms frame
/// per media tick from what each side sent, so the timeline stays whole: a side that sends nothing, a pause, or a
/// hold is silence of the right length. Each channel has a small jitter buffer (at most 200 ms of samples): a burst
/// is absorbed, and a sender faster than the clock loses its oldest samples rather than drifting the channels apart.
/// Fed from the legs' receive loops, written by the media clock; safe across those threads.
/// </summary>
public sealed class CallRecording : IMediaTicker, IDisposable
{
    public const int Channels = 2;
    private const int FrameSamples = 160;
    private const int MaxBufferedSamples = 1600;

    private readonly FileStream _file;
    private readonly SampleBuffer _caller = new();
    private readonly SampleBuffer _agent = new();
    private readonly byte[] _frame = new byte[FrameSamples * Channels];
    private readonly object _gate = new();
    private long _dataBytes;
    private bool _stopped;

    public CallRecording(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024);
        _file.Write(WavFile.MuLawHeader(Channels));
    }

    public string Path { get; }

    public bool Paused { get; set; }

    public TimeSpan Length => TimeSpan.FromSeconds((double)Interlocked.Read(ref _dataBytes) / Channels / WavFile.SampleRate);

    public long BytesWritten => Interlocked.Read(ref _dataBytes) + 58;

    /// <summary>What the caller sent (codes in <paramref name="law"/>).</summary>
    public void Caller(G711Law law, ReadOnlySpan<byte> codes) => _caller.Write(law, codes);

    /// <summary>What the agent sent.</summary>
    public void Agent(G711Law law, ReadOnlySpan<byte> codes) => _agent.Write(law, codes);

    public bool Tick()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return false;
            }

            Span<byte> caller = stackalloc byte[FrameSamples];
            Span<byte> agent = stackalloc byte[FrameSamples];
            _caller.Read(caller);
            _agent.Read(agent);
            var silence = G711.Silence(G711Law.MuLaw);
            for (var i = 0; i < FrameSamples; i++)
            {
                _frame[2 * i] = Paused ? silence : caller[i];
                _frame[(2 * i) + 1] = Paused ? silence : agent[i];
            }

            _file.Write(_frame);
            Interlocked.Add(ref _dataBytes, _frame.Length);
            return true;
        }
    }

    /// <summary>Ends the recording and completes the file's header; the file is whole from here on.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            WavFile.FinishHeader(_file, Channels, _dataBytes);
            _file.Dispose();
        }
    }

    public void Dispose() => Stop();

    /// <summary>One channel's jitter buffer, in mu-law codes.</summary>
    private sealed class SampleBuffer
    {
        private readonly byte[] _ring = new byte[MaxBufferedSamples];
        private int _start;
        private int _count;

        public void Write(G711Law law, ReadOnlySpan<byte> codes)
        {
            var copy = ArrayPool<byte>.Shared.Rent(codes.Length);
            try
            {
                codes.CopyTo(copy);
                G711.Transcode(law, G711Law.MuLaw, copy.AsSpan(0, codes.Length));
                lock (_ring)
                {
                    foreach (var code in copy.AsSpan(0, Math.Min(codes.Length, MaxBufferedSamples)))
                    {
                        if (_count == MaxBufferedSamples)
                        {
                            _start = (_start + 1) % MaxBufferedSamples;
                            _count--;
                        }

                        _ring[(_start + _count) % MaxBufferedSamples] = code;
                        _count++;
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }

        public void Read(Span<byte> frame)
        {
            lock (_ring)
            {
                var taken = Math.Min(frame.Length, _count);
                for (var i = 0; i < taken; i++)
                {
                    frame[i] = _ring[(_start + i) % MaxBufferedSamples];
                }

                frame[taken..].Fill(G711.Silence(G711Law.MuLaw));
                _start = (_start + taken) % MaxBufferedSamples;
                _count -= taken;
            }
        }
    }
}
