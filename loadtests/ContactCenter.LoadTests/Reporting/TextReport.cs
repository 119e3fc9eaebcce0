using System.Globalization;
using ContactCenter.LoadTests.Measurement;

namespace ContactCenter.LoadTests.Reporting;

/// <summary>The report for people: the headline figures first, then what they rest on.</summary>
public static class TextReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // Above this, something besides the silo, its database and the generator competed for the cores.
    private const double OtherWorkWarning = 15;

    public static void Write(IngestReport report, TextWriter output)
    {
        var s = report.Settings;
        var t = report.Throughput;
        var l = report.EventLatencyMs;
        output.WriteLine();
        output.WriteLine($"Ingest benchmark against {string.Join(", ", report.Regions.Silos)}{(report.Regions.Silos.Count > 1 ? " (home first)" : "")}");
        output.WriteLine(Format($"  {s.Gateways} gateways (one client each) x up to {s.Batch} events per request, {s.Gateways * s.CallsPerGateway:N0} live calls (at most {s.EventsPerCall} unacknowledged event(s) each), {s.Tokens} token(s)"));
        output.WriteLine(Format($"  calls: {(s.Mix.Contains('+') ? "the mix" : s.Mix)}, {s.MeanEventsPerCall:F1} events per call on average; warm-up {s.WarmupSeconds} s, measured {report.MeasuredSeconds:F0} s; seed {s.Seed}"));
        output.WriteLine();
        output.WriteLine("Throughput (measured window; acknowledged = accepted + duplicate)");
        output.WriteLine(Format($"  acknowledged events/s  {t.AcknowledgedEventsPerSecond,10:N0}   ({t.Acknowledged:N0} events: {t.Accepted:N0} accepted, {t.Duplicates:N0} duplicate, of {t.EventsSent:N0} sent)"));
        output.WriteLine(Format($"  requests/s             {t.RequestsPerSecond,10:N1}   ({t.Requests:N0} requests, {(t.Requests == 0 ? 0 : (double)t.EventsSent / t.Requests):N0} events each on average)"));
        output.WriteLine(Format($"  calls completed/s      {t.CallsCompletedPerSecond,10:N0}   ({t.CallsCompleted:N0} calls)"));
        output.WriteLine(Format($"  events/s by second     slowest {t.SlowestSecond:N0}, median {t.MedianSecond:N0}, fastest {t.FastestSecond:N0}"));
        output.WriteLine();
        output.WriteLine(Format($"Acknowledgement latency per event, from append to receipt, ms ({l.Count:N0} events)"));
        output.WriteLine(Format($"  p50 {l.P50:F1}   p90 {l.P90:F1}   p95 {l.P95:F1}   p99 {l.P99:F1}   p99.9 {l.P999:F1}   max {l.Max:F1}   mean {l.Mean:F1}"));
        if (report.Cpu.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"CPU in the measured window (100% = one core; this machine has {Environment.ProcessorCount})");
            output.WriteLine("  " + string.Join("   ", report.Cpu.Select(c => Format($"{c.Name} {c.PercentOfOneCore:F0}%"))));
            if (report.Cpu.FirstOrDefault(c => c.Name == CpuWindow.Other) is { PercentOfOneCore: > OtherWorkWarning } other)
            {
                output.WriteLine(Format($"  WARNING: other processes used {other.PercentOfOneCore:F0}% of a core: the figures understate what the silo can do"));
            }

            if (report.CpuCost is { } cost)
            {
                output.WriteLine("  CPU per 1,000 events: " + string.Join(", ", cost.MsPerThousandEvents.Select(c => Format($"{c.Key} {c.Value:F0} ms"))));
                output.WriteLine(Format($"  CPU-bound ceiling with all {Environment.ProcessorCount} cores for these processes: about {cost.CeilingEventsPerSecond:N0} events/s (an estimate)"));
            }
        }

        output.WriteLine();
        var outside = report.OutsideWindow;
        output.WriteLine(Format($"Outside the window: warm-up {outside.WarmupRequests:N0} requests ({outside.WarmupAcknowledged:N0} events), drain {outside.DrainRequests:N0} requests ({outside.DrainAcknowledged:N0} events)"));
        var regions = report.Regions;
        output.WriteLine(Format($"Regions: failovers {regions.Failovers:N0}, failbacks {regions.Failbacks:N0}; gateways at the end: {string.Join(", ", regions.GatewaysAtEnd.Select(r => Format($"{r.Value} in {r.Key}")))}"));
        if (report.ErrorCount == 0)
        {
            output.WriteLine("Errors: none");
        }
        else
        {
            output.WriteLine(Format($"Errors: {report.ErrorCount:N0} (whole run, warm-up included; failed requests count requests, failovers moves, held and unavailable answers, the rest events)"));
            foreach (var group in report.Errors.Take(20))
            {
                output.WriteLine(Format($"  {group.Count,8:N0}  {KindName(group.Kind)}: {group.Message}"));
                if (group.Example != group.Message)
                {
                    output.WriteLine($"            e.g. {group.Example}");
                }
            }
        }

        output.WriteLine();
        output.WriteLine(report.Passed ? "PASSED: every event was acknowledged" : "FAILED: see the errors above");
        output.WriteLine(SummaryLine(report));
    }

    /// <summary>One line with the headline figures, for scripts that compare runs (they grep "summary:").</summary>
    public static string SummaryLine(IngestReport report) => Format(
        $"summary: {report.Throughput.AcknowledgedEventsPerSecond:F0} events/s, {report.Throughput.RequestsPerSecond:F1} requests/s, event latency ms p50 {report.EventLatencyMs.P50:F1} p95 {report.EventLatencyMs.P95:F1} p99 {report.EventLatencyMs.P99:F1} max {report.EventLatencyMs.Max:F1}, errors {report.ErrorCount}{CpuSummary(report)}");

    private static string CpuSummary(IngestReport report) =>
        (report.Cpu.Count == 0 ? "" : ", cpu " + string.Join(" ", report.Cpu.Select(c => Format($"{c.Name.Replace(' ', '-')} {c.PercentOfOneCore:F0}%"))))
        + (report.CpuCost is { } cost ? Format($", ceiling ~{cost.CeilingEventsPerSecond:F0} events/s") : "");

    private static string Format(FormattableString text) => text.ToString(Invariant);

    /// <summary>"failed request" for <see cref="ErrorKind.FailedRequest"/>: words, as the rest of the report.</summary>
    private static string KindName(ErrorKind kind) => string.Concat(kind.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? " " + c : c.ToString())).ToLowerInvariant();
}
