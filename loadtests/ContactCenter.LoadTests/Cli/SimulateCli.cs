using System.CommandLine;
using System.Globalization;
using ContactCenter.LoadTests.Simulation;

namespace ContactCenter.LoadTests.Cli;

/// <summary>The <c>simulate</c> command's options, as System.CommandLine reads, checks and explains them (<c>simulate --help</c>).</summary>
public static class SimulateCli
{
    /// <summary>A region's gateway token: CONTACT_CENTER_GATEWAY_TOKEN_NANJING, ..._HUAIAN.</summary>
    public static string GatewayTokenVariable(string region) => $"CONTACT_CENTER_GATEWAY_TOKEN_{region.ToUpperInvariant()}";

    private static readonly SimulationOptions Defaults = new();
    private static readonly string[] Regions = ["nanjing", "huaian"];

    private static readonly Option<Uri[]> Silos = CliValues.Silos("--silo", "A region's base address; repeat for a two-region cluster (nanjing's first)");
    private static readonly Option<double> Speed = CliValues.Number("--speed", "Simulated seconds per real second (10: an hour in 6 minutes)", Defaults.Speed, 0.01, 1000);

    private static readonly Option<DateTimeOffset?> At = new("--at")
    {
        Description = "The simulated moment to start at, ISO 8601 (default: this month's month-end busy hour, last day 10:00 Asia/Shanghai)",
        CustomParser = result =>
        {
            if (DateTimeOffset.TryParse(result.Tokens.Single().Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                return at;
            }

            result.AddError("--at wants an ISO 8601 time");
            return null;
        },
    };

    private static readonly Option<int?> Warmup = CliValues.OptionalWholeNumber("--warmup",
        "Real seconds of load before measuring (default: 300 simulated seconds, at least 30 real: long enough for the calls in progress to reach their steady number)", min: 0, max: 86_400);

    private static readonly Option<int> Seconds = CliValues.WholeNumber("--seconds", "Real seconds measured", Defaults.Seconds, max: 86_400);
    private static readonly Option<int?> Calls = CliValues.OptionalWholeNumber("--calls", "Stop starting calls after this many (default: no limit)");
    private static readonly Option<int> Drain = CliValues.WholeNumber("--drain", "Real seconds calls may go on after the last arrival before the rest are hung up", Defaults.DrainSeconds, min: 0, max: 3_600);
    private static readonly Option<int> Seats = CliValues.WholeNumber("--seats", "Agents of the reference center", Defaults.Seats, min: 20, max: 100_000);
    private static readonly Option<int> Clients = CliValues.WholeNumber("--clients", "Gateway clients per region", Defaults.ClientsPerGateway, max: 64);
    private static readonly Option<int> Batch = CliValues.WholeNumber("--batch", "Events per request at most", Defaults.Batch, max: 1000);
    private static readonly Option<int> Timeout = CliValues.WholeNumber("--timeout", "Seconds before a request counts as failed", (int)Defaults.Timeout.TotalSeconds, max: 600);
    private static readonly Option<double> MissedRings = CliValues.Number("--missed-rings",
        "Share of offered agents who are away and do not pick up, so the offer times out and the call is offered to the next agent", Defaults.MissedRingShare, 0, 0.9);

    private static readonly Option<string[]> Gateway = new("--gateway")
    {
        Description = "A region's gateway token, REGION=TOKEN, repeatable (default: $CONTACT_CENTER_GATEWAY_TOKEN_NANJING and ..._HUAIAN, else the development tokens). Prefer the variables: a command line is visible to every user of the machine",
        DefaultValueFactory = _ => [],
    };

    private static readonly Option<string?> OperatorToken = new("--operator-token")
    {
        Description = $"An admin's token: applies the center, logs agents in, sends them on breaks (default: ${CliValues.OperatorTokenVariable}, else dev-admin). Prefer the variable",
    };

    private static readonly Option<bool> KeepCenter = new("--keep-center") { Description = "Do not apply the reference center (the silo's own center and agents are used as they are)" };
    private static readonly Option<string?> Database = new("--database") { Description = "For the loss check: postgres:CONNECTION-STRING or sqlite:PATH (without it the run cannot pass)" };
    private static readonly Option<bool> NaiveStore = new("--naive-store") { Description = "The silo runs ContactCenter:CallStore=GrainStatePerEvent: check its grain-state rows" };
    private static readonly Option<(string Name, int Pid)[]> Watch = CliValues.Processes("--watch", "Sample this process's memory and CPU every second: NAME=PID, repeatable");
    private static readonly Option<string> Label = new("--label") { Description = "Names the run in the reports", DefaultValueFactory = _ => Defaults.Label };
    private static readonly Option<string?> Json = new("--json") { Description = "Write the report as JSON" };
    private static readonly Option<string?> Html = new("--html") { Description = "Write the report as an HTML page with charts" };
    private static readonly Option<int?> Seed = CliValues.OptionalWholeNumber("--seed", "Random seed (default: random)", min: 0);

    static SimulateCli()
    {
        Gateway.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.Split('=', 2) is not [var region, { Length: > 0 }] || !Regions.Contains(region))
                {
                    result.AddError($"--gateway wants nanjing=TOKEN or huaian=TOKEN, not '{token.Value}'");
                }
            }
        });
        Database.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } database && !database.StartsWith("postgres:", StringComparison.Ordinal) && !database.StartsWith("sqlite:", StringComparison.Ordinal))
            {
                result.AddError("--database wants postgres:CONNECTION or sqlite:PATH");
            }
        });
    }

    public static Command Command()
    {
        var command = new Command("simulate", "The reference center's traffic (callers, gateways, agents) at a chosen speed, with a loss check")
        {
            Silos, Speed, At, Warmup, Seconds, Calls, Drain, Seats, Clients, Batch, Timeout, MissedRings, Gateway, OperatorToken,
            KeepCenter, Database, NaiveStore, Watch, Label, Json, Html, Seed,
        };
        command.SetAction((parse, _) => SimulateCommand.RunAsync(Read(parse)));
        return command;
    }

    /// <summary>The options of a command line (for tests and programs); throws <see cref="OptionsException"/> when it is wrong.</summary>
    public static SimulationOptions Parse(IReadOnlyList<string> args) => Read(CliValues.ParseOrThrow(Command(), args));

    private static SimulationOptions Read(ParseResult parse) => new()
    {
        Silos = parse.GetValue(Silos)!,
        Speed = parse.GetValue(Speed),
        At = parse.GetValue(At),
        WarmupSetting = parse.GetValue(Warmup),
        Seconds = parse.GetValue(Seconds),
        MaxCalls = parse.GetValue(Calls) ?? 0,
        DrainSeconds = parse.GetValue(Drain),
        Seats = parse.GetValue(Seats),
        ClientsPerGateway = parse.GetValue(Clients),
        Batch = parse.GetValue(Batch),
        Timeout = TimeSpan.FromSeconds(parse.GetValue(Timeout)),
        MissedRingShare = parse.GetValue(MissedRings),
        GatewayTokens = GatewayTokens(parse.GetValue(Gateway)!),
        // Resolved here, not as the option's default, so --help never shows a token.
        OperatorToken = parse.GetValue(OperatorToken)
            ?? (Environment.GetEnvironmentVariable(CliValues.OperatorTokenVariable) is { Length: > 0 } token ? token : Defaults.OperatorToken),
        KeepCenter = parse.GetValue(KeepCenter),
        Database = parse.GetValue(Database),
        NaiveStore = parse.GetValue(NaiveStore),
        Watch = parse.GetValue(Watch)!,
        Label = parse.GetValue(Label)!,
        JsonPath = parse.GetValue(Json),
        HtmlPath = parse.GetValue(Html),
        Seed = parse.GetValue(Seed) ?? Random.Shared.Next(),
    };

    /// <summary>Each region's token: --gateway if given, else its variable, else the development token.</summary>
    private static Dictionary<string, string> GatewayTokens(string[] given)
    {
        var tokens = new Dictionary<string, string>(Defaults.GatewayTokens);
        foreach (var region in Regions)
        {
            if (Environment.GetEnvironmentVariable(GatewayTokenVariable(region)) is { Length: > 0 } fromEnvironment)
            {
                tokens[region] = fromEnvironment;
            }
        }

        foreach (var pair in given.Select(g => g.Split('=', 2)))
        {
            tokens[pair[0]] = pair[1];
        }

        return tokens;
    }
}
