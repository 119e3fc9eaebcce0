using System.Collections.Frozen;
using ContactCenter.Agents;
using ContactCenter.Ingest;

namespace ContactCenter.Wallboard;

/// <summary>
/// The part of the agent list one page shows: the agents whose id, region or state (as the board names it)
/// contains the filter, the first <see cref="Limit"/> of them by id. The silo cuts the list, not the page: at
/// 1,500 agents every page got every agent every second (449 KB a second, a page 53,000 px tall) to show a screen
/// of them. The frame says how many agents there are and how many match, so the page can say what it leaves out.
/// </summary>
public sealed record AgentListView(string? Filter, int Limit)
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 2_000;
    public const int MaxFilterLength = 64;

    /// <summary>The board's names of the states: what the page shows, and what a filter is matched against.</summary>
    public static readonly FrozenDictionary<AgentPresence, string> StateNames = new Dictionary<AgentPresence, string>
    {
        [AgentPresence.Available] = "Available",
        [AgentPresence.Reserved] = "Ringing",
        [AgentPresence.OnCall] = "On call",
        [AgentPresence.WrapUp] = "Wrap-up",
        [AgentPresence.NotReady] = "Not ready",
        [AgentPresence.LoggedOut] = "Logged out",
    }.ToFrozenDictionary();

    public static readonly AgentListView Default = new(null, DefaultLimit);

    /// <summary>The view a page asked for (<c>?agents=FILTER&amp;agentLimit=N</c>), or why it cannot have it.</summary>
    public static (AgentListView? View, string? Problem) Parse(string? filter, int? limit)
    {
        var trimmed = string.IsNullOrWhiteSpace(filter) ? null : filter.Trim();
        if (trimmed is { Length: > MaxFilterLength } || (trimmed is not null && trimmed.Any(char.IsControl)))
        {
            return (null, $"'agents' is a filter of at most {MaxFilterLength} characters");
        }

        return limit is < 1 or > MaxLimit
            ? (null, $"'agentLimit' is 1 to {MaxLimit}")
            : (new AgentListView(trimmed, limit ?? DefaultLimit), null);
    }

    /// <summary>True when the frame as composed is what this view shows: every page shares its serialized form then.</summary>
    public bool ShowsAll(WallboardFrame frame) => Filter is null && frame.Agents.Length <= Limit;

    public WallboardFrame Apply(WallboardFrame frame)
    {
        var matching = Filter is null ? frame.Agents : [.. frame.Agents.Where(Matches)];
        return frame with { Agents = [.. matching.Take(Limit)], AgentsMatching = matching.Length };
    }

    private bool Matches(AgentRow agent) =>
        agent.AgentId.Contains(Filter!, StringComparison.OrdinalIgnoreCase)
        || agent.Region.Contains(Filter!, StringComparison.OrdinalIgnoreCase)
        || StateNames.GetValueOrDefault(agent.Presence, "").Contains(Filter!, StringComparison.OrdinalIgnoreCase);
}
