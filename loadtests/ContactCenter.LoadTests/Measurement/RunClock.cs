using System.Diagnostics;

namespace ContactCenter.LoadTests.Measurement;

/// <summary>
/// The run's timeline: warm-up, then the measured window, then the drain of events still unanswered. Also
/// counts acknowledged events per second of the run, to show whether throughput was steady.
/// </summary>
public sealed class RunClock
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly long[] _acknowledgedPerSecond;

    public RunClock(TimeSpan warmup, TimeSpan measured)
    {
        Warmup = warmup;
        Measured = measured;
        // Room for a drain of up to a minute after the end.
        _acknowledgedPerSecond = new long[(int)(warmup + measured).TotalSeconds + 60];
    }

    public TimeSpan Warmup { get; }

    public TimeSpan Measured { get; }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>No call appends a new event once the measured window is over.</summary>
    public bool IsOver => Elapsed >= Warmup + Measured;

    public RunPhase PhaseNow()
    {
        var elapsed = Elapsed;
        return elapsed < Warmup ? RunPhase.Warmup : elapsed < Warmup + Measured ? RunPhase.Measured : RunPhase.Drain;
    }

    public void CountAcknowledged(long events)
    {
        var second = (int)Elapsed.TotalSeconds;
        if (second < _acknowledgedPerSecond.Length)
        {
            Interlocked.Add(ref _acknowledgedPerSecond[second], events);
        }
    }

    /// <summary>Acknowledged events in each whole second of the measured window.</summary>
    public long[] MeasuredSeconds() =>
        _acknowledgedPerSecond[(int)Warmup.TotalSeconds..(int)(Warmup + Measured).TotalSeconds];

    /// <summary>Acknowledged events in the whole seconds from <paramref name="from"/> to <paramref name="to"/> since the start.</summary>
    public long AcknowledgedBetween(TimeSpan from, TimeSpan to)
    {
        var total = 0L;
        for (var second = (int)from.TotalSeconds; second < (int)to.TotalSeconds && second < _acknowledgedPerSecond.Length; second++)
        {
            total += Interlocked.Read(ref _acknowledgedPerSecond[second]);
        }

        return total;
    }

    public Task DelayUntilAsync(TimeSpan sinceStart)
    {
        var remaining = sinceStart - Elapsed;
        return remaining > TimeSpan.Zero ? Task.Delay(remaining) : Task.CompletedTask;
    }
}
