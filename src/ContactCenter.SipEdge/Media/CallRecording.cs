namespace ContactCenter.SipEdge.Media;

/// <summary>
/// One call's recording: a two-channel WAV, the caller on the left and the center on the right (the agent, and a
/// supervisor who barged in, since the caller heard them; never a whisper, which only the agent heard), written a
/// 20 ms frame per media tick from what each side sent, so the timeline stays whole: a side that sends nothing, a
/// pause, or a hold is silence of the right length. Each speaker has a <see cref="JitterBuffer"/>. Fed from the
/// legs' receive loops and the supervision mixer, written by the media clock; safe across those threads.
/// </summary>
public sealed class CallRecording : IMediaTicker, IDisposable
{
    public const int Channels = 2;
    private const int FrameSamples = JitterBuffer.FrameSamples;

    private readonly FileStream _file;
    private readonly JitterBuffer _caller = new();
    private readonly JitterBuffer _agent = new();
    private readonly JitterBuffer _bargedIn = new();
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

    /// <summary>What barging supervisors said to the caller (their mix, a frame per tick): recorded with the agent.</summary>
    public void BargedIn(ReadOnlySpan<short> samples) => _bargedIn.Write(samples);

    public bool Tick()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return false;
            }

            Span<short> caller = stackalloc short[FrameSamples];
            Span<short> center = stackalloc short[FrameSamples];
            Span<short> barged = stackalloc short[FrameSamples];
            _caller.Read(caller);
            _agent.Read(center);
            _bargedIn.Read(barged);
            JitterBuffer.MixInto(center, barged);
            var silence = G711.Silence(G711Law.MuLaw);
            for (var i = 0; i < FrameSamples; i++)
            {
                _frame[2 * i] = Paused ? silence : G711.Encode(G711Law.MuLaw, caller[i]);
                _frame[(2 * i) + 1] = Paused ? silence : G711.Encode(G711Law.MuLaw, center[i]);
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
}
