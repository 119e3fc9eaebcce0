using System.Globalization;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>The report as text, for the terminal and the figures of docs/performance.md.</summary>
public static class SimulationText
{
    public static void Write(SimulationReport r, TextWriter o)
    {
        var s = r.Settings;
        var t = r.Throughput;
        var l = r.Latency;
        o.WriteLine();
        o.WriteLine(F($"Simulation {s.Label} (run {s.RunId}), {Environment.ProcessorCount} cores, started {r.StartedAt:u}"));
        o.WriteLine(F($"  profile: {s.SimulatedStart:yyyy-MM-dd HH:mm zzz} at {s.Speed:0.##}x: {s.ProfileCallsPerSecond * s.Speed:N0} calls/s expected, {s.ExpectedEventsPerSecond:N0} events/s ({s.ExpectedEventsPerCall:0.00} events a call); {s.Seats:N0} seats"));
        o.WriteLine(F($"  gateways: {s.ClientsPerGateway} clients a region, batches up to {s.Batch}; warm-up {s.WarmupSeconds} s, measured seconds {r.MeasuredFromSecond}-{r.MeasuredToSecond}"));
        o.WriteLine();
        o.WriteLine(F($"calls started        {t.CallsStarted,12:N0}  {t.CallsPerSecond,9:N1}/s"));
        o.WriteLine(F($"events happened      {t.EventsHappened,12:N0}  {t.EventsPerSecond,9:N1}/s"));
        o.WriteLine(F($"events acknowledged  {t.EventsAcknowledged,12:N0}  {t.AcknowledgedPerSecond,9:N1}/s   (by second: slowest {t.SlowestSecond:N0}, median {t.MedianSecond:N0}, fastest {t.FastestSecond:N0})"));
        o.WriteLine(F($"requests             {t.Requests,12:N0}  {t.EventsPerRequest,9:N1} events each (whole run)"));
        o.WriteLine(F($"ack latency (ms, from the moment the event happened): p50 {l.P50:N1}  p95 {l.P95:N1}  p99 {l.P99:N1}  p99.9 {l.P999:N1}  max {l.Max:N1}  mean {l.Mean:N1}"));
        var v = r.Service;
        o.WriteLine(F($"service: {v.Queued:N0} queued, {v.Answered:N0} answered, {v.Abandoned:N0} abandoned (+{v.ShortAbandoned:N0} short), {v.TurnedAway:N0} turned away; service level {Percent(v.ServiceLevel)}, ASA {v.AverageSpeedOfAnswerSeconds?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"} s, abandon rate {Percent(v.AbandonRate)}; {r.AgentBreaks:N0} agent breaks"));
        var g = r.Rings;
        o.WriteLine(F($"offers: {g.Connects:N0} connects, {g.Rings:N0} rings ({g.Reoffers:N0} of calls offered again in the same wait), {g.Missed:N0} not picked up (offer timed out), {g.Cancelled:N0} cancelled otherwise, {g.AnsweredAfterReoffer:N0} answered after a re-offer; {g.CommandsForCallsNotCarried:N0} commands for calls not carried (another run's, or ended here first)"));
        if (r.Start is { LeftoverCallsEnded: > 0 } or { LeftoverCallsRefused: > 0 } or { OtherAgentsLoggedOut: > 0 } or { AgentsBusy: > 0 })
        {
            o.WriteLine(F($"before the run: {r.Start.LeftoverCallsEnded:N0} calls an earlier run left ended ({r.Start.LeftoverCallsRefused:N0} refused), {r.Start.OtherAgentsLoggedOut:N0} agents not of this run logged out, {r.Start.AgentsBusy:N0} of ours busy with earlier calls"));
        }

        if (r.Gateways.Count > 0)
        {
            o.WriteLine("gateways at the end: " + string.Join("; ", r.Gateways.Select(g => F(
                $"{g.Gateway} {string.Join(", ", g.ClientsByRegion.Select(c => $"{c.Value} at {c.Key}"))} ({g.Failovers:N0} failovers, {g.Failbacks:N0} failbacks)"))));
        }

        if (r.Interrupted)
        {
            o.WriteLine("interrupted: the run was stopped early (Ctrl-C or SIGTERM); its calls were hung up and checked");
        }

        foreach (var p in r.Processes)
        {
            o.WriteLine(F($"process {p.Name,-9} CPU {p.CpuCores?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-"} cores; resident {p.ResidentAtStartMegabytes:N0} -> {p.ResidentAtEndMegabytes:N0} MB (max {p.ResidentMaxMegabytes:N0}), trend {p.GrowthMegabytesPer10Minutes:+0.0;-0.0;0} MB per 10 min"));
        }

        o.WriteLine(F($"errors: {r.ErrorCount:N0}"));
        foreach (var e in r.Errors)
        {
            // The group's message has its numbers blanked out; the example keeps them (a status code, a sequence).
            o.WriteLine(F($"  {e.Kind,-13} {e.Count,10:N0}  {e.Message}{(e.Example != e.Message ? $" (e.g. {e.Example})" : "")}"));
        }

        if (r.Loss is { } loss)
        {
            o.WriteLine(F($"loss check ({loss.Source}): {loss.Calls:N0} calls, {loss.EventsAcknowledged:N0} acknowledged events; missing {loss.MissingEvents:N0} events in {loss.CallsMissingEvents:N0} calls; {loss.FinishedCalls:N0} finished calls, {loss.MissingCdrs:N0} without a CDR; {loss.UnacknowledgedButRecorded:N0} events recorded without a receipt, {loss.UnfinishedCalls:N0} calls never finished -> {(loss.Passed ? "PASSED" : "FAILED")}"));
            foreach (var example in loss.Examples)
            {
                o.WriteLine($"  {example}");
            }
        }
        else
        {
            o.WriteLine("loss check: not made (no --database): the run cannot pass");
        }

        o.WriteLine(F($"summary: {s.Label} {s.Speed:0.##}x: {t.AcknowledgedPerSecond:N0} of {t.EventsPerSecond:N0} events/s acknowledged, {t.CallsPerSecond:N0} calls/s, p50 {l.P50:N1} ms, p99 {l.P99:N1} ms, max {l.Max:N0} ms, errors {r.ErrorCount:N0}, loss {(r.Loss is { } x ? (x.Passed ? "none" : $"{x.MissingEvents} events, {x.MissingCdrs} CDRs") : "unchecked")}, service level {Percent(v.ServiceLevel)}"));
    }

    private static string Percent(double? share) => share is { } value ? value.ToString("P1", CultureInfo.InvariantCulture) : "-";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
