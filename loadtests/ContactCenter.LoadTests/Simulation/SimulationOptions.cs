using ContactCenter.LoadTests.Ingest;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>The settings of one simulation run (read from the command line by <see cref="Cli.SimulateCli"/>), with their defaults.</summary>
public sealed record SimulationOptions
{
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
}
