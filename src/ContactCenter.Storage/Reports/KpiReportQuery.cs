using ContactCenter.Kpis;
using ContactCenter.Queues;

namespace ContactCenter.Reports;

/// <summary>What a KPI report's rows are per.</summary>
public enum KpiGrouping
{
    Queue,
    /// <summary>The CDR's agent: the one who answered, or the one ringing when the caller hung up; none otherwise.</summary>
    Agent,
    /// <summary>The call's region, as its gateway reported it.</summary>
    Region,
    /// <summary>The whole center: one row per bucket.</summary>
    Center,
}

/// <summary>The length of a report's time buckets, in the center's local calendar.</summary>
public enum KpiInterval
{
    Day,
    Hour,
}

/// <summary>A queue's KPI thresholds, as its configuration holds them when the report runs.</summary>
public sealed record QueueThresholds(string Queue, TimeSpan ServiceLevel, TimeSpan ShortAbandon)
{
    private static readonly QueueConfiguration DefaultConfiguration = new() { Name = "", Region = "", Tiers = [] };

    /// <summary>What a queue unknown to the center is measured against: the defaults of <see cref="QueueConfiguration"/>.</summary>
    public static TimeSpan DefaultServiceLevel => DefaultConfiguration.ServiceLevelThreshold;

    public static TimeSpan DefaultShortAbandon => DefaultConfiguration.ShortAbandonThreshold;

    public static QueueThresholds From(string queue, QueueConfiguration configuration) =>
        new(queue, configuration.ServiceLevelThreshold, configuration.ShortAbandonThreshold);
}

/// <summary>
/// A KPI report over the CDRs of queued calls that left their queue in [<see cref="From"/>, <see cref="To"/>),
/// one row per group and local bucket.
/// </summary>
/// <param name="Thresholds">Every known queue's thresholds; a call is measured against its own queue's.</param>
public sealed record KpiReportQuery(
    KpiGrouping By,
    KpiInterval Interval,
    DateTimeOffset From,
    DateTimeOffset To,
    CenterCalendar Calendar,
    IReadOnlyList<QueueThresholds> Thresholds);
