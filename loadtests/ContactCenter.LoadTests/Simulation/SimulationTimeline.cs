using System.Diagnostics;
using ContactCenter.LoadTests.Measurement;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>What happened in one second of the run (real time), recorded from any thread.</summary>
public sealed class SecondFigures
{
    private long _callsStarted;
    private long _eventsDue;
    private long _acknowledged;
    private long _errors;

    public long CallsStarted => Interlocked.Read(ref _callsStarted);

    /// <summary>Events that happened (were handed to a gateway client) in this second.</summary>
    public long EventsDue => Interlocked.Read(ref _eventsDue);

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Per event acknowledged in this second: from the moment it happened to its receipt.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Resident memory of each watched process (MB), sampled in this second.</summary>
    public Dictionary<string, double> ResidentMegabytes { get; } = [];

    /// <summary>CPU of each watched process over this second, in cores.</summary>
    public Dictionary<string, double> CpuCores { get; } = [];

    public void CountCallStarted() => Interlocked.Increment(ref _callsStarted);

    public void CountEventDue() => Interlocked.Increment(ref _eventsDue);

    public void CountAcknowledged(TimeSpan latency)
    {
        Interlocked.Increment(ref _acknowledged);
        Latency.Record(latency);
    }

    public void CountError() => Interlocked.Increment(ref _errors);
}

/// <summary>
/// The run second by second since its start: the raw material of the progress lines, the report's figures for
/// the measured window, and the chart. Seconds are created as the run reaches them.
/// </summary>
public sealed class SimulationTimeline
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Lock _growing = new();
    private SecondFigures[] _seconds = [];

    public long StartedAt => _started;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    public int SecondsSoFar => (int)Elapsed.TotalSeconds + 1;

    /// <summary>The figures of the second the run is in now.</summary>
    public SecondFigures Now => At((int)Elapsed.TotalSeconds);

    public SecondFigures At(int second)
    {
        var seconds = Volatile.Read(ref _seconds);
        if (second < seconds.Length)
        {
            return seconds[second];
        }

        lock (_growing)
        {
            if (second >= _seconds.Length)
            {
                var grown = new SecondFigures[Math.Max(second + 1, _seconds.Length * 2 + 60)];
                Array.Copy(_seconds, grown, _seconds.Length);
                for (var i = _seconds.Length; i < grown.Length; i++)
                {
                    grown[i] = new SecondFigures();
                }

                Volatile.Write(ref _seconds, grown);
            }

            return _seconds[second];
        }
    }

    /// <summary>The seconds from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive) that exist.</summary>
    public IReadOnlyList<SecondFigures> Range(int from, int to)
    {
        var seconds = Volatile.Read(ref _seconds);
        return [.. seconds.Skip(Math.Max(0, from)).Take(Math.Max(0, Math.Min(to, seconds.Length) - Math.Max(0, from)))];
    }
}
