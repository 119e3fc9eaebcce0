using System.Globalization;
using ContactCenter.GatewayClient;

namespace ContactCenter.LoadTests.Ingest;

/// <summary>The settings of one ingest run, read from the command line.</summary>
public sealed record IngestOptions
{
    public const string Usage = """
        ingest options:
          --silo URL                a region's base address (default http://127.0.0.1:5080); repeat, or give
                                    --silo a,b, to drive several regions: the first is every gateway's home,
                                    the others where its client fails over to (--url is the same option)
          --token TOKEN             a gateway API token; repeat, or give --tokens a,b, to spread the simulated
                                    gateways over several (default dev-gateway-nanjing-1)
          --seconds N               measured run time, after the warm-up (default 60)
          --warmup N                seconds of load before measuring starts (default 30)
          --gateways N              simulated gateways, one ContactCenterClient each, so one request in
                                    flight each (default 8)
          --batch N                 the most events in one request, up to 1000 (default 250)
          --events-per-call N       unacknowledged events one call may have at a time (default 1)
          --calls-per-gateway N     live calls each gateway keeps going (default: enough to fill a batch)
          --timeout N               seconds before a request counts as failed (default 30)
          --cpu NAME=PID            also report the CPU time of process PID and its children; repeatable
          --script NAME             play only this life cycle instead of the mix (see CallScripts.Mix)
          --queues a,b              the queues calls wait in (default: the 16 queues of the sample center,
                                    deploy/center/jiangsu-sample.json, which a silo loads on its first start)
          --json PATH               write the report as JSON too
          --seed N                  random seed for the call mix (default: random)
        """;

    /// <summary>The regions' base addresses, home first.</summary>
    public IReadOnlyList<Uri> Silos { get; init; } = [new("http://127.0.0.1:5080")];

    /// <summary>The regions as the client takes them, named by host and port: what a report can show without a further option.</summary>
    public IReadOnlyList<Region> Regions => [.. Silos.Select(url => new Region(url.Authority, url))];

    public IReadOnlyList<string> Tokens { get; init; } = ["dev-gateway-nanjing-1"];

    public int Seconds { get; init; } = 60;

    // Under load the silo's code reaches its optimised (tier-1) form only after 20 to 40 s on 2 cores: measuring
    // earlier would count the JIT compiler's work as the silo's.
    public int WarmupSeconds { get; init; } = 30;

    // Tuned on 2 cores shared by the silo, PostgreSQL and this generator (see loadtests/README.md): 2,000 events
    // in flight come within 5% of the most a silo without call effects took (12 x 250), at two thirds of its
    // latency; bigger batches with as many events in flight gave less. (Measured with the generator's own HTTP
    // code; through the client each gateway's calls take turns in two groups, so about half of that is in flight.)
    public int Gateways { get; init; } = 8;

    public int Batch { get; init; } = 250;

    /// <summary>How far a call runs ahead of its acknowledgements: 1 appends its next event only once the last one is acknowledged.</summary>
    public int EventsPerCall { get; init; } = 1;

    public int? CallsPerGatewaySetting { get; init; }

    /// <summary>Each call has up to <see cref="EventsPerCall"/> events pending, so this many calls fill a batch.</summary>
    public int CallsPerGateway => CallsPerGatewaySetting ?? (Batch + EventsPerCall - 1) / EventsPerCall;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<(string Name, int Pid)> CpuWatch { get; init; } = [];

    public string? JsonPath { get; init; }

    /// <summary>The call life cycles to play, with their weights: the whole mix unless --script names one.</summary>
    public IReadOnlyList<CallScripts.Script> Mix { get; init; } = CallScripts.Mix;

    public IReadOnlyList<string> Queues { get; init; } = SampleCenterQueues;

    public int Seed { get; init; } = Random.Shared.Next();

    // Calls queue where a real center's would: in queues the silo knows, so each costs what a refusal or an
    // enqueue costs in production, not the cheaper answer to an unknown queue.
    private static readonly string[] SampleCenterQueues =
    [
        .. new[] { "nanjing", "huaian" }.SelectMany(region => new[]
        {
            "gotone-vip", "gotone-billing", "gotone-services", "gotone-complaints",
            "mzone-billing", "mzone-services", "easyown-billing", "easyown-services",
        }.Select(line => $"{line}-{region}")),
    ];

    /// <summary>Parses <paramref name="args"/>; throws <see cref="OptionsException"/> with a message for people.</summary>
    public static IngestOptions Parse(IReadOnlyList<string> args)
    {
        var options = new IngestOptions();
        var tokens = new List<string>();
        var silos = new List<Uri>();
        var cpu = new List<(string, int)>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new OptionsException($"{name} needs a value");
            options = name switch
            {
                "--silo" or "--url" => AddSilos(options, silos, name, Value()),
                "--token" => Add(options, tokens, Value()),
                "--tokens" => Add(options, tokens, Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
                "--seconds" => options with { Seconds = Positive(name, Value()) },
                "--warmup" => options with { WarmupSeconds = Positive(name, Value(), allowZero: true) },
                "--gateways" => options with { Gateways = Positive(name, Value()) },
                "--batch" => options with { Batch = Positive(name, Value(), max: 1000) },
                "--events-per-call" => options with { EventsPerCall = Positive(name, Value()) },
                "--calls-per-gateway" => options with { CallsPerGatewaySetting = Positive(name, Value()) },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(Positive(name, Value())) },
                "--cpu" => AddCpu(options, cpu, Value()),
                "--json" => options with { JsonPath = Value() },
                "--script" => options with { Mix = CallScripts.Select(Value()) },
                "--queues" => options with { Queues = List(name, Value()) },
                "--seed" => options with { Seed = Positive(name, Value(), allowZero: true) },
                _ => throw new OptionsException($"unknown option '{name}'"),
            };
        }

        return options;
    }

    private static IngestOptions Add(IngestOptions options, List<string> tokens, params string[] added)
    {
        tokens.AddRange(added);
        return tokens.Count == 0 ? throw new OptionsException("--tokens lists no token") : options with { Tokens = [.. tokens] };
    }

    private static string[] List(string name, string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } items
            ? items
            : throw new OptionsException($"{name} lists nothing");

    private static IngestOptions AddCpu(IngestOptions options, List<(string, int)> cpu, string value)
    {
        var parts = value.Split('=', 2);
        if (parts.Length != 2 || parts[0].Length == 0 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid) || pid <= 0)
        {
            throw new OptionsException($"--cpu wants NAME=PID, not '{value}'");
        }

        cpu.Add((parts[0], pid));
        return options with { CpuWatch = [.. cpu] };
    }

    private static IngestOptions AddSilos(IngestOptions options, List<Uri> silos, string name, string value)
    {
        foreach (var item in List(name, value))
        {
            var url = Uri.TryCreate(item, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
                ? parsed
                : throw new OptionsException($"{name} wants http(s) addresses, not '{item}'");
            // A region twice in the list would make failing over to it a move to where the client already is.
            silos.Add(silos.Contains(url) ? throw new OptionsException($"{name}: {item} is listed twice") : url);
        }

        return options with { Silos = [.. silos] };
    }

    private static int Positive(string name, string value, bool allowZero = false, int max = int.MaxValue) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var number) && number >= (allowZero ? 0 : 1) && number <= max
            ? number
            : throw new OptionsException($"{name} wants a whole number from {(allowZero ? 0 : 1)} to {max}, not '{value}'");
}

/// <summary>The command line cannot be used as given.</summary>
public sealed class OptionsException(string message) : Exception(message);
