using System.CommandLine;
using ContactCenter.LoadTests.Ingest;

namespace ContactCenter.LoadTests.Cli;

/// <summary>The <c>ingest</c> command's options, as System.CommandLine reads, checks and explains them (<c>ingest --help</c>).</summary>
public static class IngestCli
{
    private static readonly IngestOptions Defaults = new();

    private static readonly Option<Uri[]> Silos = CliValues.Silos("--silo",
        "A region's base address; repeat, or give a,b, to drive several regions: the first is every gateway's home, the others where its client fails over to", "--url");

    private static readonly Option<string[]> Tokens = new("--token", "--tokens")
    {
        Description = $"Gateway API tokens, repeatable or a,b, spread over the simulated gateways (default: ${CliValues.GatewayTokensVariable}, else dev-gateway-nanjing-1). Prefer the variable: a command line is visible to every user of the machine",
        CustomParser = result => [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
    };

    private static readonly Option<int> Seconds = CliValues.WholeNumber("--seconds", "Measured run time in seconds, after the warm-up", Defaults.Seconds);
    private static readonly Option<int> Warmup = CliValues.WholeNumber("--warmup", "Seconds of load before measuring starts", Defaults.WarmupSeconds, min: 0);
    private static readonly Option<int> Gateways = CliValues.WholeNumber("--gateways", "Simulated gateways, one ContactCenterClient each, so one request in flight each", Defaults.Gateways);
    private static readonly Option<int> Batch = CliValues.WholeNumber("--batch", "The most events in one request", Defaults.Batch, max: 1000);
    private static readonly Option<int> EventsPerCall = CliValues.WholeNumber("--events-per-call", "Unacknowledged events one call may have at a time", Defaults.EventsPerCall);
    private static readonly Option<int?> CallsPerGateway = CliValues.OptionalWholeNumber("--calls-per-gateway", "Live calls each gateway keeps going (default: enough to fill a batch)");
    private static readonly Option<int> Timeout = CliValues.WholeNumber("--timeout", "Seconds before a request counts as failed", (int)Defaults.Timeout.TotalSeconds);
    private static readonly Option<(string Name, int Pid)[]> Cpu = CliValues.Processes("--cpu", "Also report the CPU time of process PID and its children: NAME=PID, repeatable");
    private static readonly Option<string?> Script = new("--script") { Description = "Play only this call life cycle instead of the mix (see CallScripts.Mix)" };

    private static readonly Option<string[]> Queues = new("--queues")
    {
        Description = "The queues calls wait in, a,b (default: the 16 queues of the sample center, deploy/center/jiangsu-sample.json)",
        CustomParser = result => [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
    };

    private static readonly Option<string?> Json = new("--json") { Description = "Write the report as JSON too" };
    private static readonly Option<int?> Seed = CliValues.OptionalWholeNumber("--seed", "Random seed for the call mix (default: random)", min: 0);

    static IngestCli()
    {
        Tokens.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.GetValueOrDefault<string[]>() is { Length: 0 })
            {
                result.AddError("--tokens lists no token");
            }
        });
        Queues.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.GetValueOrDefault<string[]>() is { Length: 0 })
            {
                result.AddError("--queues lists nothing");
            }
        });
        Script.Validators.Add(result =>
        {
            try
            {
                CallScripts.Select(result.GetValueOrDefault<string?>());
            }
            catch (OptionsException ex)
            {
                result.AddError(ex.Message);
            }
        });
    }

    public static Command Command()
    {
        var command = new Command("ingest", "Simulated telephony gateways posting call events to POST /api/v1/gateway/events, as fast as the silo takes them")
        {
            Silos, Tokens, Seconds, Warmup, Gateways, Batch, EventsPerCall, CallsPerGateway, Timeout, Cpu, Script, Queues, Json, Seed,
        };
        command.SetAction((parse, _) => IngestCommand.RunAsync(Read(parse)));
        return command;
    }

    /// <summary>The options of a command line (for tests and programs); throws <see cref="OptionsException"/> when it is wrong.</summary>
    public static IngestOptions Parse(IReadOnlyList<string> args) => Read(CliValues.ParseOrThrow(Command(), args));

    /// <summary>--token if given, else the variable, else the development token; resolved here, not as the option's default, so --help never shows a token.</summary>
    private static string[] TokensOf(ParseResult parse) =>
        parse.GetValue(Tokens) is { Length: > 0 } given ? given
        : Environment.GetEnvironmentVariable(CliValues.GatewayTokensVariable)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : [.. Defaults.Tokens];

    private static IngestOptions Read(ParseResult parse) => new()
    {
        Silos = parse.GetValue(Silos)!,
        Tokens = TokensOf(parse),
        Seconds = parse.GetValue(Seconds),
        WarmupSeconds = parse.GetValue(Warmup),
        Gateways = parse.GetValue(Gateways),
        Batch = parse.GetValue(Batch),
        EventsPerCall = parse.GetValue(EventsPerCall),
        CallsPerGatewaySetting = parse.GetValue(CallsPerGateway),
        Timeout = TimeSpan.FromSeconds(parse.GetValue(Timeout)),
        CpuWatch = parse.GetValue(Cpu)!,
        Mix = CallScripts.Select(parse.GetValue(Script)),
        Queues = parse.GetValue(Queues) is { Length: > 0 } queues ? queues : Defaults.Queues,
        JsonPath = parse.GetValue(Json),
        Seed = parse.GetValue(Seed) ?? Random.Shared.Next(),
    };
}
