using System.Globalization;

namespace ContactCenter.LoadTests.Measurement;

/// <summary>
/// Cumulative CPU time from Linux's /proc, so a report can say how the machine's cores were shared between
/// the silo, PostgreSQL and the generator itself. Elsewhere (no /proc) every figure is simply absent.
/// </summary>
public static class ProcCpu
{
    // USER_HZ, the unit of /proc's CPU times: 100 on every architecture Linux and .NET run on together.
    private const double TicksPerSecond = 100;

    /// <summary>
    /// CPU seconds used by <paramref name="pid"/> and all its descendants: the live ones' own time plus what
    /// exited children left in their parents' cutime/cstime. PostgreSQL's work is done by backend processes
    /// under the postmaster, so a window's difference counts them whether or not they lived through it.
    /// </summary>
    public static double? ProcessTreeSeconds(int pid)
    {
        var processes = ReadAllProcesses();
        if (!processes.ContainsKey(pid))
        {
            return null;
        }

        var total = 0L;
        var pending = new Stack<int>([pid]);
        while (pending.TryPop(out var current))
        {
            total += processes[current].Ticks;
            foreach (var (child, stat) in processes)
            {
                if (stat.ParentId == current)
                {
                    pending.Push(child);
                }
            }
        }

        return total / TicksPerSecond;
    }

    /// <summary>The whole machine's busy and total CPU seconds (all cores), from /proc/stat.</summary>
    public static (double Busy, double Total)? MachineSeconds()
    {
        try
        {
            // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..9]
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Sum();
            var idle = fields[3] + fields[4];
            return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static Dictionary<int, (int ParentId, long Ticks)> ReadAllProcesses()
    {
        var processes = new Dictionary<int, (int, long)>();
        if (!Directory.Exists("/proc"))
        {
            return processes;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid) && TryReadStat(pid) is { } stat)
            {
                processes[pid] = stat;
            }
        }

        return processes;
    }

    private static (int ParentId, long Ticks)? TryReadStat(int pid)
    {
        try
        {
            // The command name (field 2) is in parentheses and may hold spaces: the fields after it start at
            // the last ')'. After it: state, ppid, ... utime (14), stime (15), cutime (16), cstime (17).
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
            return ((int)Field(4), Field(14) + Field(15) + Field(16) + Field(17));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            // The process ended between listing /proc and reading it.
            return null;
        }
    }
}
