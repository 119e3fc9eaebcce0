using System.Collections.Immutable;
using ContactCenter.Agents;
using ContactCenter.Queues;

namespace ContactCenter.Center;

/// <summary>
/// A whole center as its configuration file (and <c>POST /api/v1/admin/center</c>) describes it: queues, agents,
/// and agent groups, a compact way to write the hundreds of agents who share skills. Times are in seconds.
/// </summary>
public sealed record CenterFile
{
    public List<QueueDefinition> Queues { get; init; } = [];

    public List<AgentGroupDefinition> AgentGroups { get; init; } = [];

    public List<AgentDefinition> Agents { get; init; } = [];

    /// <summary>Every agent: those listed one by one and those the groups expand to.</summary>
    public IEnumerable<AgentDefinition> AllAgents() => Agents.Concat(AgentGroups.SelectMany(g => g.Expand()));
}

/// <summary>A queue: its routing strategy and targets. Ids are given in the file, or by the path of the admin API.</summary>
public sealed record QueueDefinition
{
    public string? Id { get; init; }
    public required string Name { get; init; }
    public required string Region { get; init; }
    public string? Brand { get; init; }
    /// <summary>Tiers in order, each with the wait after which it may take the queue's calls.</summary>
    public List<TierDefinition> Tiers { get; init; } = [];
    public string? OverflowQueue { get; init; }
    public double? OverflowAfterSeconds { get; init; }
    public double MaxWaitSeconds { get; init; } = 600;
    public int MaxLength { get; init; } = 500;
    public double ServiceLevelSeconds { get; init; } = 20;
    public double ServiceLevelTarget { get; init; } = 0.8;
    public double ShortAbandonSeconds { get; init; } = 5;
    public double WrapUpSeconds { get; init; } = 15;
    public double OfferTimeoutSeconds { get; init; } = 15;
    /// <summary>The wallboard's alert: the longest-waiting call has waited longer than this.</summary>
    public double LongestWaitAlertSeconds { get; init; } = 60;

    public QueueConfiguration ToConfiguration() => new()
    {
        Name = Name,
        Region = Region,
        Brand = Brand,
        Tiers = [.. Tiers.Select(t => new TierRule(t.Tier, TimeSpan.FromSeconds(t.AfterSeconds)))],
        OverflowQueue = OverflowQueue,
        OverflowAfter = OverflowAfterSeconds is { } after ? TimeSpan.FromSeconds(after) : null,
        MaxWait = TimeSpan.FromSeconds(MaxWaitSeconds),
        MaxLength = MaxLength,
        ServiceLevelThreshold = TimeSpan.FromSeconds(ServiceLevelSeconds),
        ServiceLevelTarget = ServiceLevelTarget,
        ShortAbandonThreshold = TimeSpan.FromSeconds(ShortAbandonSeconds),
        WrapUpTime = TimeSpan.FromSeconds(WrapUpSeconds),
        OfferTimeout = TimeSpan.FromSeconds(OfferTimeoutSeconds),
        LongestWaitAlert = TimeSpan.FromSeconds(LongestWaitAlertSeconds),
    };

    public static QueueDefinition From(string id, QueueConfiguration configuration) => new()
    {
        Id = id,
        Name = configuration.Name,
        Region = configuration.Region,
        Brand = configuration.Brand,
        Tiers = [.. configuration.Tiers.Select(t => new TierDefinition(t.Tier, t.After.TotalSeconds))],
        OverflowQueue = configuration.OverflowQueue,
        OverflowAfterSeconds = configuration.OverflowAfter?.TotalSeconds,
        MaxWaitSeconds = configuration.MaxWait.TotalSeconds,
        MaxLength = configuration.MaxLength,
        ServiceLevelSeconds = configuration.ServiceLevelThreshold.TotalSeconds,
        ServiceLevelTarget = configuration.ServiceLevelTarget,
        ShortAbandonSeconds = configuration.ShortAbandonThreshold.TotalSeconds,
        WrapUpSeconds = configuration.WrapUpTime.TotalSeconds,
        OfferTimeoutSeconds = configuration.OfferTimeout.TotalSeconds,
        LongestWaitAlertSeconds = configuration.LongestWaitAlert.TotalSeconds,
    };
}

public sealed record TierDefinition(int Tier, double AfterSeconds);

public sealed record SkillDefinition(string Queue, int Tier);

/// <summary>One agent. Ids are given in the file, or by the path of the admin API.</summary>
public sealed record AgentDefinition
{
    public string? Id { get; init; }
    public required string Name { get; init; }
    public required string Region { get; init; }
    public List<SkillDefinition> Skills { get; init; } = [];

    public AgentProfile ToProfile() => new(Name, Region, [.. Skills.Select(s => new AgentSkill(s.Queue, s.Tier))]);
}

/// <summary><see cref="Count"/> agents with the same skills: ids <c>{IdPrefix}001</c>, <c>{IdPrefix}002</c>...</summary>
public sealed record AgentGroupDefinition
{
    public required string IdPrefix { get; init; }
    public required int Count { get; init; }
    public required string Region { get; init; }
    public string? Team { get; init; }
    public List<SkillDefinition> Skills { get; init; } = [];

    public IEnumerable<AgentDefinition> Expand() => Enumerable.Range(1, Count).Select(i => new AgentDefinition
    {
        Id = $"{IdPrefix}{i:D3}",
        Name = $"{Team ?? IdPrefix.TrimEnd('-')} {i:D3}",
        Region = Region,
        Skills = Skills,
    });
}
