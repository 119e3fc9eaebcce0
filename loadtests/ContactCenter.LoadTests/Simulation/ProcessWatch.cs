using System.Globalization;
using ContactCenter.LoadTests.Measurement;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>
/// Once a second, each watched process's resident memory (its own, from /proc/PID/status) and CPU (with its
/// children, so PostgreSQL's backends count), written into the second of the timeline they were read in.
/// The memory series is what shows whether the silo's working set stays flat as finished calls accumulate.
/// </summary>
public sealed class ProcessWatch(IReadOnlyList<(string Name, int Pid)> watched, SimulationTimeline timeline)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        if (watched.Count == 0)
        {
            return;
        }

        var lastCpu = watched.ToDictionary(w => w.Name, w => ProcCpu.ProcessTreeSeconds(w.Pid));
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await tick.WaitForNextTickAsync(stopping))
            {
                var second = timeline.Now;
                foreach (var (name, pid) in watched)
                {
                    if (ResidentMegabytes(pid) is { } megabytes)
                    {
                        lock (second.ResidentMegabytes)
                        {
                            second.ResidentMegabytes[name] = megabytes;
                        }
                    }

                    var cpu = ProcCpu.ProcessTreeSeconds(pid);
                    if (cpu is { } now && lastCpu[name] is { } before)
                    {
                        lock (second.CpuCores)
                        {
                            second.CpuCores[name] = Math.Round(now - before, 3);
                        }
                    }

                    lastCpu[name] = cpu;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>VmRSS of the process in MB, or null when it is gone or this is not Linux.</summary>
    public static double? ResidentMegabytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kilobytes = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                    return Math.Round(kilobytes / 1024.0, 1);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return null;
    }
}
