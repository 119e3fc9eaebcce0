using System.Globalization;
using ContactCenter.LoadTests.Cli;

namespace ContactCenter.LoadTests.Ingest;

/// <summary>One event a simulated gateway will report: its wire type and its type-specific fields.</summary>
public sealed record PlannedEvent(string Type, params (string Name, string Value)[] Fields)
{
    /// <summary>The fields as <see cref="ContactCenter.GatewayClient.GatewayEvent.Fields"/> takes them; null when the type has none.</summary>
    public IReadOnlyDictionary<string, string>? WireFields { get; } =
        Fields.Length == 0 ? null : Fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal);
}

/// <summary>
/// The life cycles the simulated gateways play, with their share of calls. Most calls are served by the voice
/// menus alone, as in a carrier's contact center; the rest wait in a queue and some reach an agent, are held,
/// recorded, escalated and transferred. Every script is a valid path through the silo's call state machine,
/// so any rejection in a run is a finding, not noise.
/// </summary>
public static class CallScripts
{
    /// <summary>A life cycle and the share of calls (out of 100) that follow it.</summary>
    public sealed record Script(string Name, int Weight, Func<CallFacts, PlannedEvent[]> Events);

    public static readonly IReadOnlyList<Script> Mix =
    [
        new("ivr-self-service", 55, c => [c.Offered(), c.IvrEntered("main"), c.IvrEntered(c.SelfServiceMenu), c.Ended("normal_clearing", "caller")]),
        new("ivr-quick-hang-up", 10, c => [c.Offered(), c.IvrEntered("main"), c.Ended("normal_clearing", "caller")]),
        new("abandoned-in-queue", 8, c => [.. c.ToQueue(), c.Ended("caller_abandoned", "caller")]),
        new("answered", 17, c =>
        [
            .. c.ToQueue(), .. c.RingAndAnswer(c.Agent),
            c.RecordingStarted(), new("recording_stopped", ("mediaRef", c.MediaRef)), c.Ended("normal_clearing", "agent"),
        ]),
        new("answered-with-hold", 6, c =>
        [
            .. c.ToQueue(), .. c.RingAndAnswer(c.Agent), c.RecordingStarted(),
            new("held"), new("recording_paused"), new("recording_resumed"), new("resumed"),
            // The recording still runs at the end: the silo closes it with the call.
            c.Ended("normal_clearing", "caller"),
        ]),
        new("escalated-and-transferred", 4, c =>
        [
            .. c.ToQueue(), .. c.RingAndAnswer(c.Agent),
            new("participant_joined", ("participant", c.Supervisor), ("role", "supervisor")),
            new("participant_left", ("participant", c.Supervisor)),
            new("transferred", ("toQueue", c.TransferQueue)),
            .. c.RingAndAnswer(c.SecondAgent), c.Ended("normal_clearing", "agent"),
        ]),
    ];

    /// <summary>The whole mix, or only the named life cycle (to measure what one kind of call costs).</summary>
    public static IReadOnlyList<Script> Select(string? only) =>
        only is null ? Mix : [Mix.FirstOrDefault(s => s.Name == only) ?? throw new OptionsException(
            $"--script: no life cycle '{only}'; known: {string.Join(", ", Mix.Select(s => s.Name))}")];

    /// <summary>Picks a life cycle with the mix's weights.</summary>
    public static Script Pick(IReadOnlyList<Script> mix, Random random)
    {
        var ticket = random.Next(mix.Sum(s => s.Weight));
        foreach (var script in mix)
        {
            ticket -= script.Weight;
            if (ticket < 0)
            {
                return script;
            }
        }

        return mix[^1];
    }

    /// <summary>The mean number of events per call of a mix, for the report.</summary>
    public static double MeanEventsPerCall(IReadOnlyList<Script> mix)
    {
        var sample = new CallFacts("c", ["q"], new Random(0));
        return mix.Sum(s => (double)s.Weight * s.Events(sample).Length) / mix.Sum(s => s.Weight);
    }
}

/// <summary>The particulars of one simulated call (who calls, which queues and agents), and its events' shapes.</summary>
public sealed class CallFacts(string callId, IReadOnlyList<string> queues, Random random)
{
    private static readonly string[] Menus = ["balance", "top-up", "data-plan", "bill-query", "outage-info"];
    private static readonly string[] Regions = ["nanjing", "huaian"];

    public string Caller { get; } = "+86138" + random.Next(0, 100_000_000).ToString("D8", CultureInfo.InvariantCulture);

    public string Region { get; } = Regions[random.Next(Regions.Length)];

    public string Queue { get; } = queues[random.Next(queues.Count)];

    /// <summary>Where an escalated call is transferred: any queue of the list, even its own when there is one.</summary>
    public string TransferQueue { get; } = queues[random.Next(queues.Count)];

    public string SelfServiceMenu { get; } = Menus[random.Next(Menus.Length)];

    public string Agent { get; } = AgentId(random);

    public string SecondAgent { get; } = AgentId(random);

    public string Supervisor { get; } = "sup-" + random.Next(1, 40).ToString("D2", CultureInfo.InvariantCulture);

    public string MediaRef => $"recordings/{callId}/1.wav";

    public PlannedEvent Offered() => new("offered", ("caller", Caller), ("dialled", "10086"), ("region", Region));

    public PlannedEvent IvrEntered(string menu) => new("ivr_entered", ("menu", menu));

    public PlannedEvent RecordingStarted() => new("recording_started", ("mediaRef", MediaRef));

    public PlannedEvent Ended(string cause, string hungUpBy) => new("ended", ("cause", cause), ("hungUpBy", hungUpBy));

    /// <summary>Through the voice menus into the call's queue.</summary>
    public PlannedEvent[] ToQueue() =>
        [Offered(), IvrEntered("main"), new("ivr_exited", ("menuPath", "main/agent")), new("queued", ("queue", Queue))];

    /// <summary>Offered to an agent, who answers.</summary>
    public PlannedEvent[] RingAndAnswer(string agent) => [new("agent_ringing", ("agent", agent)), new("answered", ("agent", agent))];

    private static string AgentId(Random random) => "agent-" + random.Next(1, 800).ToString("D4", CultureInfo.InvariantCulture);
}
