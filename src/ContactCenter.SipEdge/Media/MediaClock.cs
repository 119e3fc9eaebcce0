using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Media;

/// <summary>Something that does 20 ms of media work per tick: a recording writes a frame, a prompt sends one.</summary>
public interface IMediaTicker
{
    /// <summary>False once it is done; the clock drops it.</summary>
    bool Tick();
}

/// <summary>
/// The edge's 20 ms media clock (one G.711 frame of 160 samples), on a thread of its own at high priority so
/// neither the signalling loop nor the GC of the gateway client's HTTP work can delay a frame. Each tick is
/// scheduled from the start time, not the previous tick, so frames do not drift; a late tick catches up.
/// </summary>
public sealed class MediaClock : IDisposable
{
    public static readonly TimeSpan FrameLength = TimeSpan.FromMilliseconds(20);

    private readonly List<IMediaTicker> _tickers = [];
    private readonly List<IMediaTicker> _added = [];
    private readonly object _gate = new();
    private readonly ILogger _log;
    private readonly Thread _thread;
    private volatile bool _stopping;

    public MediaClock(ILogger log)
    {
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = "media-clock", Priority = ThreadPriority.Highest };
        _thread.Start();
    }

    /// <summary>Ticks that came later than a frame behind their time (the clock caught up by running them at once).</summary>
    public long LateTicks { get; private set; }

    public int Tickers
    {
        get
        {
            lock (_gate)
            {
                return _tickers.Count + _added.Count;
            }
        }
    }

    public void Add(IMediaTicker ticker)
    {
        lock (_gate)
        {
            _added.Add(ticker);
        }
    }

    private void Run()
    {
        var clock = Stopwatch.StartNew();
        long tick = 0;
        while (!_stopping)
        {
            tick++;
            var due = FrameLength * tick;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                Thread.Sleep(wait);
            }
            else if (wait < -FrameLength)
            {
                LateTicks++;
            }

            lock (_gate)
            {
                _tickers.AddRange(_added);
                _added.Clear();
            }

            for (var i = _tickers.Count - 1; i >= 0; i--)
            {
                bool keep;
                try
                {
                    keep = _tickers[i].Tick();
                }
                catch (Exception ex)
                {
                    _log.LogError(ex, "media ticker failed; dropped");
                    keep = false;
                }

                if (!keep)
                {
                    _tickers.RemoveAt(i);
                }
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
    }
}
