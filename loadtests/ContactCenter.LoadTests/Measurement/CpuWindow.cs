using System.Diagnostics;

namespace ContactCenter.LoadTests.Measurement;

/// <summary>CPU used over the measured window, as a percentage of one core (200% = both cores of a 2-core machine).</summary>
public sealed record CpuShare(string Name, double PercentOfOneCore);

/// <summary>
/// Samples the watched processes, the generator itself and the whole machine at the start and the end of the
/// measured window, and turns the differences into shares of the cores.
/// </summary>
public sealed class CpuWindow(IReadOnlyList<(string Name, int Pid)> watched)
{
    public const string Other = "other";
    public const string MachineBusy = "machine busy";

    private Sample? _start;
    private Sample? _end;

    /// <summary>The two shares that are not a process: the rest of the machine, and the machine as a whole.</summary>
    public static bool IsMachineWide(string name) => name is Other or MachineBusy;

    public void Start() => _start = Take();

    public void Stop() => _end = Take();

    /// <summary>The named processes, the generator, "other" (the rest of the machine) and "machine busy", measured processes first.</summary>
    public IReadOnlyList<CpuShare> Shares()
    {
        if (_start is null || _end is null)
        {
            return [];
        }

        var wall = Stopwatch.GetElapsedTime(_start.Timestamp, _end.Timestamp).TotalSeconds;
        var shares = new List<CpuShare>();
        var accounted = 0.0;
        foreach (var (name, seconds) in _end.Processes)
        {
            if (_start.Processes.TryGetValue(name, out var before))
            {
                shares.Add(new CpuShare(name, Percent(seconds - before, wall)));
                accounted += seconds - before;
            }
        }

        if (_start.Machine is { } machineBefore && _end.Machine is { } machineAfter)
        {
            var busy = machineAfter.Busy - machineBefore.Busy;
            shares.Add(new CpuShare(Other, Percent(Math.Max(0, busy - accounted), wall)));
            shares.Add(new CpuShare(MachineBusy, Percent(busy, wall)));
        }

        return shares;
    }

    private Sample Take()
    {
        var processes = new Dictionary<string, double>();
        foreach (var (name, pid) in watched.Append(("generator", Environment.ProcessId)))
        {
            if (ProcCpu.ProcessTreeSeconds(pid) is { } seconds)
            {
                processes[name] = seconds;
            }
        }

        return new Sample(Stopwatch.GetTimestamp(), processes, ProcCpu.MachineSeconds());
    }

    private static double Percent(double cpuSeconds, double wallSeconds) => wallSeconds <= 0 ? 0 : Math.Round(100 * cpuSeconds / wallSeconds, 1);

    private sealed record Sample(long Timestamp, Dictionary<string, double> Processes, (double Busy, double Total)? Machine);
}
