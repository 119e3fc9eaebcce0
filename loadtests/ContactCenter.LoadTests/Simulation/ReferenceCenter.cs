using System.Globalization;
using System.Text.Json.Nodes;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>
/// The center the simulation runs against: the sample center's queues, tiers and overflow (deploy/center/
/// jiangsu-sample.json) with its agent groups grown to the reference center's seats, and every time setting of
/// its queues divided by the speed-up, so a compressed hour keeps the center's behaviour: at 10x, a 20 s
/// service-level threshold is 2 s of real time, as every call's wait and talk is a tenth of its simulated length.
/// </summary>
public sealed class ReferenceCenter
{
    private static readonly string[] QueueTimes =
    [
        "overflowAfterSeconds", "maxWaitSeconds", "serviceLevelSeconds", "shortAbandonSeconds", "wrapUpSeconds",
        "offerTimeoutSeconds", "longestWaitAlertSeconds",
    ];

    // What the silo assumes for a queue time the file leaves out (CenterFile's defaults): scaled as well.
    private static readonly Dictionary<string, double> SiloDefaults = new()
    {
        ["maxWaitSeconds"] = 600,
        ["serviceLevelSeconds"] = 20,
        ["shortAbandonSeconds"] = 5,
        ["wrapUpSeconds"] = 15,
        ["offerTimeoutSeconds"] = 15,
        ["longestWaitAlertSeconds"] = 60,
    };

    private ReferenceCenter(JsonObject file, IReadOnlyList<string> agentIds, IReadOnlyList<QueueDemand> queues)
    {
        File = file;
        AgentIds = agentIds;
        Queues = queues;
    }

    /// <summary>The center file to apply (<c>POST /api/v1/admin/center</c>).</summary>
    public JsonObject File { get; }

    public IReadOnlyList<string> AgentIds { get; }

    /// <summary>The queues calls for an agent go to, with their share of those calls.</summary>
    public IReadOnlyList<QueueDemand> Queues { get; }

    /// <summary>Service-level threshold in simulated seconds, per queue, as the file had it before scaling.</summary>
    public required IReadOnlyDictionary<string, double> ServiceLevelSeconds { get; init; }

    /// <param name="template">A center file: queues, agentGroups, agents.</param>
    /// <param name="seats">Agents to have in all; the groups keep their proportions.</param>
    /// <param name="speed">How many times faster than real time the simulation runs.</param>
    public static ReferenceCenter Scale(JsonObject template, int seats, double speed)
    {
        var file = (JsonObject)template.DeepClone();
        var queues = file["queues"]!.AsArray().Select(q => q!.AsObject()).ToList();
        var serviceLevels = queues.ToDictionary(
            q => (string)q["id"]!, q => (double?)q["serviceLevelSeconds"] ?? SiloDefaults["serviceLevelSeconds"]);
        foreach (var queue in queues)
        {
            foreach (var name in QueueTimes)
            {
                var seconds = (double?)queue[name] ?? SiloDefaults.GetValueOrDefault(name, double.NaN);
                if (!double.IsNaN(seconds))
                {
                    queue[name] = seconds / speed;
                }
            }

            foreach (var tier in queue["tiers"]?.AsArray() ?? [])
            {
                tier!["afterSeconds"] = (double)tier["afterSeconds"]! / speed;
            }
        }

        var groups = file["agentGroups"]!.AsArray().Select(g => g!.AsObject()).ToList();
        var singles = file["agents"]?.AsArray().Select(a => (string)a!["id"]!).ToList() ?? [];
        var counts = Apportion([.. groups.Select(g => (int)g["count"]!)], seats - singles.Count);
        var agentIds = new List<string>(singles);
        for (var i = 0; i < groups.Count; i++)
        {
            groups[i]["count"] = counts[i];
            var prefix = (string)groups[i]["idPrefix"]!;
            // The silo names a group's agents {prefix}001, {prefix}002, ...
            agentIds.AddRange(Enumerable.Range(1, counts[i]).Select(n => prefix + n.ToString("D3", CultureInfo.InvariantCulture)));
        }

        return new ReferenceCenter(file, agentIds, Demand(queues, groups)) { ServiceLevelSeconds = serviceLevels };
    }

    /// <summary>
    /// Each queue gets calls in proportion to the agents who serve it first (tier 1): a center staffs its lines
    /// for the traffic they get, so no line is drowned or idle by construction.
    /// </summary>
    private static List<QueueDemand> Demand(List<JsonObject> queues, List<JsonObject> groups)
    {
        var firstTier = queues.ToDictionary(q => (string)q["id"]!, _ => 0.0);
        foreach (var group in groups)
        {
            foreach (var skill in group["skills"]!.AsArray())
            {
                if ((int)skill!["tier"]! == 1 && firstTier.ContainsKey((string)skill["queue"]!))
                {
                    firstTier[(string)skill["queue"]!] += (int)group["count"]!;
                }
            }
        }

        var total = firstTier.Values.Sum();
        return [.. queues.Select(q => new QueueDemand(
            (string)q["id"]!, (string?)q["region"] ?? "nanjing", total > 0 ? firstTier[(string)q["id"]!] / total : 1.0 / queues.Count))];
    }

    /// <summary>Splits <paramref name="total"/> in the proportions of <paramref name="weights"/> (largest remainders), each at least 1.</summary>
    public static int[] Apportion(int[] weights, int total)
    {
        var sum = weights.Sum();
        var exact = weights.Select(w => (double)w * total / sum).ToArray();
        var counts = exact.Select(e => Math.Max(1, (int)Math.Floor(e))).ToArray();
        foreach (var i in Enumerable.Range(0, weights.Length).OrderByDescending(i => exact[i] - Math.Floor(exact[i])))
        {
            if (counts.Sum() >= total)
            {
                break;
            }

            counts[i]++;
        }

        return counts;
    }
}

/// <summary>A queue, its region, and its share of the calls that ask for an agent.</summary>
public sealed record QueueDemand(string Queue, string Region, double Share);
