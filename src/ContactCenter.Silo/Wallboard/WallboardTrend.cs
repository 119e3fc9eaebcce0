using System.Collections.Immutable;

namespace ContactCenter.Wallboard;

/// <summary>One minute's figures of the center or a queue: calls waiting, and the service level of the last 15 minutes.</summary>
public sealed record TrendPoint(DateTimeOffset At, int Waiting, double? ServiceLevel);

/// <summary>The last hour, a point a minute, oldest first: for the center and for each queue (by id).</summary>
public sealed record WallboardTrendView(ImmutableArray<TrendPoint> Center, IReadOnlyDictionary<string, ImmutableArray<TrendPoint>> Queues);

/// <summary>
/// The wallboard's last hour, kept from the frames: a sample a minute (the feed composes one a minute even
/// while nobody watches), the newest 60. In this silo's memory: a restarted silo's trend starts empty, and each
/// silo's is its own (the figures are the same cluster-wide ones).
/// </summary>
public sealed class WallboardTrend
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    public const int Points = 60;

    private readonly Lock _lock = new();
    private readonly Queue<WallboardFrame> _samples = new();
    private DateTimeOffset _lastAt = DateTimeOffset.MinValue;

    /// <summary>True when a minute has passed since the last sample.</summary>
    public bool IsDue(DateTimeOffset now)
    {
        lock (_lock)
        {
            return now - _lastAt >= Period;
        }
    }

    /// <summary>Keeps the frame as this minute's sample, unless the minute has one already.</summary>
    public void Record(WallboardFrame frame)
    {
        lock (_lock)
        {
            if (frame.At - _lastAt < Period)
            {
                return;
            }

            _samples.Enqueue(frame);
            _lastAt = frame.At;
            while (_samples.Count > Points)
            {
                _samples.Dequeue();
            }
        }
    }

    public WallboardTrendView View()
    {
        WallboardFrame[] samples;
        lock (_lock)
        {
            samples = [.. _samples];
        }

        var queues = samples.SelectMany(f => f.Queues.Select(q => (f.At, Queue: q)))
            .GroupBy(s => s.Queue.QueueId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(s => Point(s.At, s.Queue.Tile)).ToImmutableArray(), StringComparer.Ordinal);
        return new WallboardTrendView([.. samples.Select(f => Point(f.At, f.Center))], queues);
    }

    private static TrendPoint Point(DateTimeOffset at, WallboardTile tile) => new(at, tile.Waiting, tile.Last15Minutes.ServiceLevel);
}
