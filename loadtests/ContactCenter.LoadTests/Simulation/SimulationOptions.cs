using System.Globalization;
using ContactCenter.LoadTests.Ingest;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>The settings of one simulation run, read from the command line.</summary>
public sealed record SimulationOptions
{
    public const string Usage = """
        simulate options:
          --silo URL                a region's base address; repeat for a two-region cluster (nanjing's first)
                                    (default http://127.0.0.1:5080)
          --speed X                 simulated seconds per real second (default 10: an hour in 6 minutes)
          --at TIME                 the simulated moment to start at, ISO 8601 (default: this month's month-end
                                    busy hour, last day 10:00 Asia/Shanghai)
          --warmup N                real seconds of load before measuring (default: 300 simulated seconds, at
                                    least 30 real: long enough for the calls in progress to reach their steady number)
          --seconds N               real seconds measured (default 300)
          --calls N                 stop starting calls after N (default: no limit)
          --drain N                 real seconds calls may go on after the last arrival before the rest are hung up (default 20)
          --seats N                 agents of the reference center (default 1500)
          --clients N               gateway clients per region (default 4)
          --batch N                 events per request at most (default 250)
          --timeout N               seconds before a request counts as failed (default 30)
          --missed-rings SHARE      share of offered agents who are away and do not pick up, so the offer times out
                                    and the call is offered to the next agent (default 0.02)
          --gateway REGION=TOKEN    a region's gateway token (default nanjing=dev-gateway-nanjing-1, huaian=dev-gateway-huaian-1)
          --operator-token TOKEN    admin token: applies the center, logs agents in, sends them on breaks (default dev-admin)
          --keep-center             do not apply the reference center (the silo's own center and agents are used as they are)
          --database KIND:TARGET    for the loss check: postgres:CONNECTION-STRING or sqlite:PATH (without it the run cannot pass)
          --naive-store             the silo runs ContactCenter:CallStore=GrainStatePerEvent: check its grain-state rows
          --watch NAME=PID          sample this process's memory and CPU every second; repeatable
          --label TEXT              names the run in the reports
          --json PATH, --html PATH  write the report as JSON, and as an HTML page with charts
          --seed N                  random seed (default: random)
        """;

    public IReadOnlyList<Uri> Silos { get; init; } = [new("http://127.0.0.1:5080")];
    public double Speed { get; init; } = 10;
    public DateTimeOffset? At { get; init; }
    public int? WarmupSetting { get; init; }

    /// <summary>
    /// Calls last about 100 simulated seconds (menus, waits, talk), so the number in progress, and with it the event
    /// rate, climbs for that long before it is steady; three times that, and at least the 30 s the silo's code needs to
    /// be compiled to its optimised form.
    /// </summary>
    public int WarmupSeconds => WarmupSetting ?? (int)Math.Max(30, Math.Ceiling(300 / Speed));
    public int Seconds { get; init; } = 300;
    public long MaxCalls { get; init; }
    public int DrainSeconds { get; init; } = 20;
    public int Seats { get; init; } = 1500;
    public int ClientsPerGateway { get; init; } = 4;
    public int Batch { get; init; } = 250;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    public double MissedRingShare { get; init; } = new CallBehaviour().MissedRingShare;
    public IReadOnlyDictionary<string, string> GatewayTokens { get; init; } =
        new Dictionary<string, string> { ["nanjing"] = "dev-gateway-nanjing-1", ["huaian"] = "dev-gateway-huaian-1" };
    public string OperatorToken { get; init; } = "dev-admin";
    public bool KeepCenter { get; init; }
    public string? Database { get; init; }
    public bool NaiveStore { get; init; }
    public IReadOnlyList<(string Name, int Pid)> Watch { get; init; } = [];
    public string Label { get; init; } = "busy-hour";
    public string? JsonPath { get; init; }
    public string? HtmlPath { get; init; }
    public int Seed { get; init; } = Random.Shared.Next();

    public static SimulationOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SimulationOptions();
        var silos = new List<Uri>();
        var tokens = new Dictionary<string, string>(options.GatewayTokens);
        var watch = new List<(string, int)>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new OptionsException($"{name} needs a value");
            options = name switch
            {
                "--silo" => options with { Silos = Added(silos, Url(name, Value())) },
                "--speed" => options with { Speed = Number(name, Value(), 0.01, 1000) },
                "--at" => options with { At = DateTimeOffset.TryParse(Value(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : throw new OptionsException($"{name} wants an ISO 8601 time") },
                "--warmup" => options with { WarmupSetting = (int)Number(name, Value(), 0, 86_400) },
                "--seconds" => options with { Seconds = (int)Number(name, Value(), 1, 86_400) },
                "--calls" => options with { MaxCalls = (long)Number(name, Value(), 1, 1e12) },
                "--drain" => options with { DrainSeconds = (int)Number(name, Value(), 0, 3_600) },
                "--seats" => options with { Seats = (int)Number(name, Value(), 20, 100_000) },
                "--clients" => options with { ClientsPerGateway = (int)Number(name, Value(), 1, 64) },
                "--batch" => options with { Batch = (int)Number(name, Value(), 1, 1000) },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(Number(name, Value(), 1, 600)) },
                "--missed-rings" => options with { MissedRingShare = Number(name, Value(), 0, 0.9) },
                "--gateway" => options with { GatewayTokens = Pair(name, Value(), tokens) },
                "--operator-token" => options with { OperatorToken = Value() },
                "--keep-center" => options with { KeepCenter = true },
                "--database" => options with { Database = Value() is var db && (db.StartsWith("postgres:", StringComparison.Ordinal) || db.StartsWith("sqlite:", StringComparison.Ordinal)) ? db : throw new OptionsException($"{name} wants postgres:CONNECTION or sqlite:PATH") },
                "--naive-store" => options with { NaiveStore = true },
                "--watch" => options with { Watch = Added(watch, Process(name, Value())) },
                "--label" => options with { Label = Value() },
                "--json" => options with { JsonPath = Value() },
                "--html" => options with { HtmlPath = Value() },
                "--seed" => options with { Seed = (int)Number(name, Value(), 0, int.MaxValue) },
                _ => throw new OptionsException($"unknown option '{name}'"),
            };
        }

        return options;
    }

    private static Uri Url(string name, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? url : throw new OptionsException($"{name} wants an http(s) address, not '{value}'");

    private static double Number(string name, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new OptionsException($"{name} wants a number from {min} to {max}, not '{value}'");

    /// <summary>Sets one region's token; the other region keeps its default or what an earlier --gateway gave.</summary>
    private static Dictionary<string, string> Pair(string name, string value, Dictionary<string, string> tokens)
    {
        var parts = value.Split('=', 2);
        if (parts.Length != 2 || parts[0] is not ("nanjing" or "huaian") || parts[1].Length == 0)
        {
            throw new OptionsException($"{name} wants nanjing=TOKEN or huaian=TOKEN, not '{value}'");
        }

        tokens[parts[0]] = parts[1];
        return new Dictionary<string, string>(tokens);
    }

    /// <summary>A repeatable option: the values given so far, this one included.</summary>
    private static T[] Added<T>(List<T> values, T value)
    {
        values.Add(value);
        return [.. values];
    }

    private static (string, int) Process(string name, string value) =>
        value.Split('=', 2) is [{ Length: > 0 } process, var pid] && int.TryParse(pid, CultureInfo.InvariantCulture, out var id) && id > 0
            ? (process, id)
            : throw new OptionsException($"{name} wants NAME=PID, not '{value}'");
}
