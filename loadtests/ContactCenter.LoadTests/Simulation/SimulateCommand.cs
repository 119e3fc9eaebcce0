using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.GatewayClient;
using ContactCenter.LoadTests.Cli;
using ContactCenter.LoadTests.Ingest;
using ContactCenter.LoadTests.Reporting;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>
/// The <c>simulate</c> command: the reference center's traffic against a running cluster, with its agents, for a
/// warm-up and a measured window; then every remaining call is hung up, the receipts are waited for, the loss
/// check reads the database, and the report is written (text, JSON, HTML). Exits 0 only when the loss check passed;
/// 2 when the cluster is not as the run needs it (nothing started). Ctrl-C (or SIGTERM) ends the run early the same
/// way, calls hung up and checked; a second Ctrl-C stops at once.
/// </summary>
public static class SimulateCommand
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    /// <summary>The command line's run (for tests; the program goes through <see cref="Cli.SimulateCli"/>): 2 when it is wrong.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        SimulationOptions options;
        try
        {
            options = SimulateCli.Parse(args);
        }
        catch (OptionsException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        return await RunAsync(options);
    }

    public static async Task<int> RunAsync(SimulationOptions options)
    {
        using var interrupted = new CancellationTokenSource();
        void Interrupt(PosixSignalContext signal)
        {
            if (interrupted.IsCancellationRequested)
            {
                return; // the second one stops the process
            }

            signal.Cancel = true;
            Console.Error.WriteLine($"  {signal.Signal}: stopping the run: no more calls; the calls in progress are hung up and checked (again to stop at once)");
            interrupted.Cancel();
        }

        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        SimulationReport report;
        try
        {
            (report, _, _) = await RunSimulationAsync(options, interrupted.Token);
        }
        catch (SimulationSetupException ex)
        {
            Console.Error.WriteLine($"simulate: {ex.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            Console.Error.WriteLine("simulate: interrupted before the run started");
            return 130;
        }

        SimulationText.Write(report, Console.Out);
        if (options.JsonPath is { } json)
        {
            await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, ReportJson.Default.SimulationReport));
            Console.WriteLine($"JSON report: {json}");
        }

        if (options.HtmlPath is { } html)
        {
            await File.WriteAllTextAsync(html, SimulationChart.Html(report));
            Console.WriteLine($"HTML report: {html}");
        }

        return report.Passed ? 0 : 1;
    }


    /// <summary>Runs one simulation to its end (loss check included) and returns what it found, without printing the report.</summary>
    /// <param name="interrupted">Ends the run early: no more calls, the calls in progress hung up, the loss check made.</param>
    /// <exception cref="SimulationSetupException">The cluster is not as the run needs it; nothing was started.</exception>
    public static async Task<SimulationOutcome> RunSimulationAsync(SimulationOptions options, CancellationToken interrupted = default)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var runId = Guid.NewGuid().ToString("N")[..8];
        var profile = new TrafficProfile();
        var behaviour = new CallBehaviour { AgentShare = profile.AgentShare };
        var simulatedStart = options.At ?? profile.MonthEndBusyHour(startedAt.Year, startedAt.Month);
        var template = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "center", "jiangsu-sample.json")))!.AsObject();
        var center = ReferenceCenter.Scale(template, options.Seats, options.Speed);
        var callsPerSecond = profile.CallsPerSecondAt(simulatedStart);
        var settings = new SimulationSettings(runId, options.Label, [.. options.Silos.Select(s => s.ToString())], simulatedStart, options.Speed,
            options.WarmupSeconds, options.Seconds, options.MaxCalls, options.Seats, options.ClientsPerGateway, options.Batch, options.Seed,
            Math.Round(callsPerSecond, 1), Math.Round(behaviour.MeanEventsPerCall(), 2), Math.Round(callsPerSecond * options.Speed * behaviour.MeanEventsPerCall()));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"simulate {options.Label}: {simulatedStart:yyyy-MM-dd HH:mm zzz} at {options.Speed:0.##}x -> {settings.ProfileCallsPerSecond * options.Speed:N0} calls/s, ~{settings.ExpectedEventsPerSecond:N0} events/s; {options.Seats:N0} seats; warm-up {options.WarmupSeconds} s, measuring {options.Seconds} s (run {runId})"));

        var directory = await ClusterPreflight.CheckAsync(options, center, interrupted);
        var gateways = Gateways(options);
        var leftover = await LeftoverCalls.EndAsync(gateways, options.Timeout, interrupted);
        if (leftover.Found > 0)
        {
            Console.WriteLine($"  ended {leftover.Ended:N0} calls an earlier run left in the cluster (its gateways stopped without hanging up)"
                + (leftover.Refused > 0 ? $"; {leftover.Refused:N0} refused, e.g. {leftover.RefusedReason}" : ""));
        }

        using var desks = new AgentDesks(options.Silos[0], options.OperatorToken, center.AgentIds, options.Speed, options.Seed);
        var start = new SimulationStart(leftover.Ended, leftover.Refused, 0, 0, 0);
        if (!options.KeepCenter)
        {
            await ApplyCenterAsync(options, center, interrupted);
            var others = await desks.LogOutOthersAsync(directory.Agents, interrupted);
            Console.WriteLine($"  center applied: {center.Queues.Count} queues, {center.AgentIds.Count:N0} agents; logging them in"
                + (others > 0 ? $" ({others:N0} agents of the cluster's center that are not seats of this run logged out)" : ""));
            var login = await desks.LogInAllAsync(interrupted);
            if (login.Busy > 0)
            {
                Console.WriteLine($"  {login.Busy:N0} agents are still busy with calls from before this run ({login.BusyReason}); they join when those end");
            }

            start = start with { OtherAgentsLoggedOut = others, AgentsReady = login.Ready, AgentsBusy = login.Busy };
        }

        var timeline = new SimulationTimeline();
        var ledger = new CallLedger();
        await using var fleet = new GatewayFleet(gateways, options.ClientsPerGateway, options.Batch, options.Timeout, timeline, ledger);
        fleet.StartCommandPolling();
        var simulator = new CallSimulator(
            new SimulationSchedule(simulatedStart, options.Speed, TimeSpan.FromSeconds(options.WarmupSeconds), TimeSpan.FromSeconds(options.Seconds),
                options.MaxCalls, TimeSpan.FromSeconds(options.DrainSeconds)),
            profile, behaviour with { MissedRingShare = options.MissedRingShare }, new SubscriberPopulation(), center, fleet, timeline, ledger, runId, options.Seed,
            desks.ComeBackAfterMissedRing);

        using var stopSampling = new CancellationTokenSource();
        var watch = new ProcessWatch(options.Watch, timeline).RunAsync(stopSampling.Token);
        // With the silo's own center kept, its agents are its own business: no breaks for agents it may not have.
        var agents = desks.RunAsync(breaks: !options.KeepCenter, stopSampling.Token);
        var progress = ShowProgressAsync(timeline, simulator, fleet, stopSampling.Token);
        await Task.Factory.StartNew(() => simulator.Run(interrupted), TaskCreationOptions.LongRunning);
        var measuredTo = simulator.ArrivalsStoppedAtSecond ?? timeline.SecondsSoFar;

        Console.WriteLine($"  arrivals stopped at {measuredTo} s; every call still going was hung up; waiting for {fleet.Unsettled:N0} receipts");
        await fleet.WaitSettledAsync(options.Timeout * 2);
        await stopSampling.CancelAsync();
        await Task.WhenAll(watch, agents, progress);
        var placements = fleet.Placements();
        // The clients stop before the database is read: receipts arriving while the check reads would count as
        // acknowledged events the check had not seen. What is still unanswered now fails (counted as errors).
        await fleet.StopAsync();

        LossReport? loss = null;
        if (options.Database is { } database)
        {
            Console.WriteLine("  loss check: reading the journal and the CDRs");
            loss = await LossCheck.RunAsync(database, options.NaiveStore, runId, ledger, CancellationToken.None);
        }

        var errors = fleet.Errors();
        errors.AddFrom(desks.Errors());

        var summary = SimulationSummary.Build(startedAt, settings, timeline, Math.Min(options.WarmupSeconds, measuredTo), measuredTo, fleet.Traffic(),
            errors, simulator.Outcomes.Report(), desks.BreaksTaken, loss, [.. options.Watch.Select(w => w.Name)])
            with
        { Start = start, Rings = simulator.Rings.Report(), Gateways = placements, Interrupted = interrupted.IsCancellationRequested };
        return new SimulationOutcome(summary, ledger, runId);
    }

    /// <summary>Each region's gateway, home region first: nanjing's gateways are at home on the first silo, huaian's on the second.</summary>
    private static List<(string Region, string Token, IReadOnlyList<Region> Regions)> Gateways(SimulationOptions options)
    {
        var regions = options.Silos.Select(url => new Region(url.Authority, url)).ToList();
        return [.. new[] { "nanjing", "huaian" }.Select((name, i) =>
        {
            var home = i % regions.Count;
            IReadOnlyList<Region> order = [.. regions.Skip(home), .. regions.Take(home)];
            return (name, options.GatewayTokens[name], order);
        })];
    }

    private static async Task ApplyCenterAsync(SimulationOptions options, ReferenceCenter center, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = options.Silos[0], Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.OperatorToken);
        try
        {
            using var response = await http.PostAsJsonAsync("api/v1/admin/center", center.File, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new SimulationSetupException([$"{options.Silos[0]} refused the reference center ({(int)response.StatusCode}): {ProblemText(body)}"]);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new SimulationSetupException([$"{options.Silos[0]} did not take the reference center (POST /api/v1/admin/center): {ex.Message}"]);
        }
    }

    /// <summary>A refusal's problems, one by one when the silo listed them.</summary>
    private static string ProblemText(string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            return problem.RootElement.TryGetProperty("problems", out var problems) && problems.ValueKind == JsonValueKind.Array
                ? string.Join("; ", problems.EnumerateArray().Select(p => p.GetString()))
                : problem.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }

    /// <summary>A line every few seconds while the run goes: what the callers did, what the cluster acknowledged, how fast.</summary>
    private static async Task ShowProgressAsync(SimulationTimeline timeline, CallSimulator simulator, GatewayFleet fleet, CancellationToken stopping)
    {
        using var tick = new PeriodicTimer(ProgressInterval);
        try
        {
            while (await tick.WaitForNextTickAsync(stopping))
            {
                var to = (int)timeline.Elapsed.TotalSeconds;
                var window = timeline.Range(to - (int)ProgressInterval.TotalSeconds, to);
                var latency = new Measurement.LatencyHistogram();
                foreach (var second in window)
                {
                    latency.AddFrom(second.Latency);
                }

                var seconds = ProgressInterval.TotalSeconds;
                var memory = window.LastOrDefault()?.ResidentMegabytes is { Count: > 0 } rss
                    ? string.Join(" ", rss.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:N0} MB")))
                    : "";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {to,5} s  calls {window.Sum(s => s.CallsStarted) / seconds,7:N0}/s  events {window.Sum(s => s.EventsDue) / seconds,8:N0}/s  acked {window.Sum(s => s.Acknowledged) / seconds,8:N0}/s  p50 {latency.Percentile(50),7:N1} ms  p99 {latency.Percentile(99),8:N1} ms  errors {window.Sum(s => s.Errors),5:N0}  live {simulator.LiveCalls,7:N0}  backlog {fleet.Unsettled,8:N0}  {memory}"));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>A finished simulation: its report, and what the gateways were told, for a further loss check.</summary>
public sealed record SimulationOutcome(SimulationReport Report, CallLedger Ledger, string RunId);
