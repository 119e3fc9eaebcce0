using ContactCenter.LoadTests.Measurement;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>Turns the run's timeline into the report's figures: the measured window's totals, percentiles and memory trend.</summary>
public static class SimulationSummary
{
    public static SimulationReport Build(
        DateTimeOffset startedAt, SimulationSettings settings, SimulationTimeline timeline, int measuredFrom, int measuredTo,
        (long Requests, long EventsSent) traffic, ErrorTally errors, ServiceLevelReport service, long breaks, LossReport? loss,
        IReadOnlyList<string> watched)
    {
        var window = timeline.Range(measuredFrom, measuredTo);
        var seconds = Math.Max(1, window.Count);
        var latency = new LatencyHistogram();
        foreach (var second in window)
        {
            latency.AddFrom(second.Latency);
        }

        var perSecond = window.Select(s => (double)s.Acknowledged).Order().ToArray();
        var acknowledged = window.Sum(s => s.Acknowledged);
        var throughput = new SimulationThroughput(
            seconds,
            window.Sum(s => s.CallsStarted), Math.Round(window.Sum(s => s.CallsStarted) / (double)seconds, 1),
            window.Sum(s => s.EventsDue), Math.Round(window.Sum(s => s.EventsDue) / (double)seconds, 1),
            acknowledged, Math.Round(acknowledged / (double)seconds, 1),
            traffic.Requests, traffic.Requests == 0 ? 0 : Math.Round(traffic.EventsSent / (double)traffic.Requests, 1),
            perSecond.FirstOrDefault(), perSecond.Length == 0 ? 0 : perSecond[perSecond.Length / 2], perSecond.LastOrDefault());
        var timelinePoints = timeline.Range(0, timeline.SecondsSoFar).Select((s, i) => new TimelinePoint(
            i, s.CallsStarted, s.EventsDue, s.Acknowledged, s.Errors,
            Math.Round(s.Latency.Percentile(50), 2), Math.Round(s.Latency.Percentile(99), 2),
            Copy(s.ResidentMegabytes), Copy(s.CpuCores))).ToList();
        var processes = watched.Select(name => Process(name, window)).ToList();
        return new SimulationReport(startedAt, settings, measuredFrom, measuredTo, throughput, latency.Summarize(),
            errors.Groups(), errors.Total, service, breaks, loss, processes, timelinePoints);
    }

    private static ProcessFigures Process(string name, IReadOnlyList<SecondFigures> window)
    {
        var memory = window.Select((s, i) => (Second: i, Megabytes: Read(s.ResidentMegabytes, name))).Where(p => p.Megabytes is not null)
            .Select(p => (p.Second, Megabytes: p.Megabytes!.Value)).ToList();
        var cpu = window.Select(s => Read(s.CpuCores, name)).OfType<double>().ToList();
        return new ProcessFigures(
            name,
            memory.Count == 0 ? null : memory[0].Megabytes,
            memory.Count == 0 ? null : memory[^1].Megabytes,
            memory.Count == 0 ? null : memory.Max(p => p.Megabytes),
            memory.Count < 2 ? null : Math.Round(Slope(memory) * 600, 1),
            cpu.Count == 0 ? null : Math.Round(cpu.Average(), 2));
    }

    /// <summary>Least-squares slope, megabytes per second.</summary>
    public static double Slope(IReadOnlyList<(int Second, double Megabytes)> points)
    {
        var meanX = points.Average(p => p.Second);
        var meanY = points.Average(p => p.Megabytes);
        var covariance = points.Sum(p => (p.Second - meanX) * (p.Megabytes - meanY));
        var variance = points.Sum(p => (p.Second - meanX) * (p.Second - meanX));
        return variance == 0 ? 0 : covariance / variance;
    }

    private static double? Read(Dictionary<string, double> values, string name)
    {
        lock (values)
        {
            return values.TryGetValue(name, out var value) ? value : null;
        }
    }

    private static Dictionary<string, double> Copy(Dictionary<string, double> values)
    {
        lock (values)
        {
            return new Dictionary<string, double>(values);
        }
    }
}
