using System.Collections.Immutable;

namespace ContactCenter.Surveys;

/// <summary>The surveys table (deploy/sql/*/120-surveys.sql).</summary>
public interface ISurveyStore
{
    Task<SurveyRecord?> LoadAsync(string callId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the record as version <c>record.Version</c>, which must be one more than the stored one (or 1 for a new
    /// survey); throws <see cref="Orleans.Storage.InconsistentStateException"/> when it is not (another activation wrote).
    /// </summary>
    Task SaveAsync(SurveyRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes up to <paramref name="limit"/> surveys due at <paramref name="now"/> and not taken by another silo in the
    /// last <paramref name="lease"/>; each is taken for that long, so a silo lost while waking it leaves it to the next round.
    /// </summary>
    Task<IReadOnlyList<string>> TakeDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken = default);

    /// <summary>Counts of the surveys of one center-local day, by queue and agent (for the live figures after a restart).</summary>
    Task<IReadOnlyList<SurveyCountRow>> CountDayAsync(DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>The surveys of the center-local days [<paramref name="from"/>, <paramref name="to"/>), counted per group and day, ordered so.</summary>
    Task<IReadOnlyList<SurveyReportRow>> ReportAsync(SurveyGrouping by, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>Surveys whose low score awaits a follow-up, oldest first.</summary>
    Task<ImmutableArray<SurveyView>> OpenFollowUpsAsync(string? queue, int limit, CancellationToken cancellationToken = default);
}

public sealed record SurveyCountRow(string Queue, string Agent, SurveyCounters Counters);

/// <summary>What a survey report's rows are per.</summary>
public enum SurveyGrouping
{
    Queue,
    Agent,
    /// <summary>The subscriber's brand in the master data when the call ended; null for callers not in it.</summary>
    Brand,
    Center,
}

/// <param name="Group">The queue, agent or brand; "center" for the whole center.</param>
public sealed record SurveyReportRow(string? Group, DateOnly Day, SurveyCounters Counters);
