using System.Collections.Immutable;

namespace ContactCenter.Queues;

/// <summary>When agents of a tier may take this queue's calls: once a call has waited <see cref="After"/> in the queue.</summary>
[GenerateSerializer, Immutable, Alias("cc.TierRule")]
public sealed record TierRule(int Tier, TimeSpan After);

/// <summary>
/// A queue (skill group) and its routing strategy, following the reference center's tiered model: specialists
/// first, wider tiers as the wait grows, overflow to another group past a limit.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.QueueConfiguration")]
public sealed record QueueConfiguration
{
    [Id(0)] public required string Name { get; init; }
    /// <summary>The region whose silo the queue prefers to live on.</summary>
    [Id(1)] public required string Region { get; init; }
    [Id(2)] public string? Brand { get; init; }
    /// <summary>Tiers in order; a tier absent here never takes the queue's calls.</summary>
    [Id(3)] public required ImmutableArray<TierRule> Tiers { get; init; }
    [Id(4)] public string? OverflowQueue { get; init; }
    /// <summary>Time in this queue after which a call moves to <see cref="OverflowQueue"/>, keeping its original wait.</summary>
    [Id(5)] public TimeSpan? OverflowAfter { get; init; }
    /// <summary>Total wait after which the caller is told to try later and the call leaves the queue.</summary>
    [Id(6)] public TimeSpan MaxWait { get; init; } = TimeSpan.FromMinutes(10);
    [Id(7)] public int MaxLength { get; init; } = 500;
    /// <summary>Answered within this counts toward the service level (the "20" of 80/20).</summary>
    [Id(8)] public TimeSpan ServiceLevelThreshold { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>Target share answered within the threshold (the "80" of 80/20).</summary>
    [Id(9)] public double ServiceLevelTarget { get; init; } = 0.8;
    /// <summary>Callers hanging up sooner than this are short abandons, excluded from the abandon rate.</summary>
    [Id(10)] public TimeSpan ShortAbandonThreshold { get; init; } = TimeSpan.FromSeconds(5);
    [Id(11)] public TimeSpan WrapUpTime { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>How long an offered agent has to answer before going not ready (no answer).</summary>
    [Id(12)] public TimeSpan OfferTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>The wallboard raises an alert when the longest-waiting call has waited longer than this.</summary>
    [Id(13)] public TimeSpan LongestWaitAlert { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Why this configuration cannot be used, or null when it can.</summary>
    public string? Validate()
    {
        if (Tiers.IsDefaultOrEmpty)
        {
            return "a queue needs at least one tier";
        }

        if (Tiers.Select(t => t.Tier).Distinct().Count() != Tiers.Length || Tiers.Any(t => t.Tier < 1 || t.After < TimeSpan.Zero))
        {
            return "tiers must be distinct numbers from 1, each with a non-negative wait";
        }

        if ((OverflowQueue is null) != (OverflowAfter is null))
        {
            return "overflowQueue and overflowAfter go together";
        }

        if (MaxLength < 1 || MaxWait <= TimeSpan.Zero || OfferTimeout <= TimeSpan.Zero || WrapUpTime < TimeSpan.Zero || LongestWaitAlert <= TimeSpan.Zero)
        {
            return "maxLength, maxWait, offerTimeout and longestWaitAlert must be positive, wrapUpTime not negative";
        }

        return ServiceLevelTarget is < 0 or > 1 ? "serviceLevelTarget is a share from 0 to 1" : null;
    }
}
