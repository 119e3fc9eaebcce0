using System.Diagnostics;

namespace ContactCenter.SipEdge.Media;

/// <summary>
/// The media figures of the edge: packets relayed between legs and those it could not pass on, and how long a
/// packet spends in the edge (from its receive completing to its send returning), counted in buckets so the
/// tail can be read without keeping every sample. Written from every leg's receive loop at once.
/// </summary>
public sealed class MediaCounters
{
    /// <summary>Upper bounds of the delay buckets, in microseconds; the last bucket is everything above.</summary>
    public static readonly int[] BucketMicroseconds = [10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000];

    private readonly long[] _buckets = new long[BucketMicroseconds.Length + 1];
    private long _relayed;
    private long _notRelayed;

    public long Relayed => Interlocked.Read(ref _relayed);

    /// <summary>Packets received on a bridged leg that the other leg could not take: a payload type not agreed, or a failed send.</summary>
    public long NotRelayed => Interlocked.Read(ref _notRelayed);

    internal void Relay(long startedAt)
    {
        var micros = Stopwatch.GetElapsedTime(startedAt).TotalMicroseconds;
        var bucket = 0;
        while (bucket < BucketMicroseconds.Length && micros > BucketMicroseconds[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Increment(ref _relayed);
    }

    internal void NotRelay() => Interlocked.Increment(ref _notRelayed);

    /// <summary>Packets relayed per delay bucket since the edge started (bounds in <see cref="BucketMicroseconds"/>), so a benchmark can take the difference over its own window.</summary>
    public long[] DelayBuckets()
    {
        var counts = new long[_buckets.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _buckets[i]);
        }

        return counts;
    }

    /// <summary>The bucket bound under which the given share of relayed packets stayed in the edge (null: none relayed; int.MaxValue: above the last bound).</summary>
    public int? DelayPercentileMicroseconds(double share)
    {
        var counts = DelayBuckets();
        var total = counts.Sum();
        if (total == 0)
        {
            return null;
        }

        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= share * total)
            {
                return i < BucketMicroseconds.Length ? BucketMicroseconds[i] : int.MaxValue;
            }
        }

        return int.MaxValue;
    }
}
