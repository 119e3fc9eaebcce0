using ContactCenter.GatewayClient;

namespace ContactCenter.LoadTests.Ingest;

/// <summary>The settings of one ingest run (read from the command line by <see cref="Cli.IngestCli"/>), with their defaults.</summary>
public sealed record IngestOptions
{
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
}
