using System.Collections.Immutable;
using ContactCenter.Kpis;

namespace ContactCenter.Surveys;

/// <summary>
/// The center's survey figures of today, in memory: read from the surveys table when the grain activates, when the
/// day turns and every <see cref="RereadPeriod"/>, and added to as surveys tell it of their steps in between. It keeps
/// no state of its own, so it never disagrees with the table for longer than a period.
/// </summary>
public sealed class SurveyFiguresGrain(ISurveyStore store, CenterCalendar calendar, TimeProvider clock)
    : Grain, ISurveyFiguresGrain
{
    public const string Key = "center";

    /// <summary>How often the figures are read again from the table: what a change lost on its way can cost, at most.</summary>
    public static readonly TimeSpan RereadPeriod = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, SurveyCounters> _byQueue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SurveyCounters> _byAgent = new(StringComparer.Ordinal);
    private DateOnly _day;
    private DateTimeOffset _readAt;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ReadAsync(cancellationToken);
        this.RegisterGrainTimer(_ => ReadAsync(CancellationToken.None), new GrainTimerCreationOptions(RereadPeriod, RereadPeriod) { KeepAlive = true });
    }

    public async Task CountAsync(string queue, string agent, DateOnly day, DateTimeOffset at, SurveyCounters change)
    {
        if (calendar.DayOf(clock.GetUtcNow()) != _day)
        {
            await ReadAsync(CancellationToken.None);
        }

        if (day != _day || at <= _readAt)
        {
            return; // another day's survey, or already in the table when it was last read
        }

        _byQueue[queue] = _byQueue.GetValueOrDefault(queue, SurveyCounters.Zero).Plus(change);
        _byAgent[agent] = _byAgent.GetValueOrDefault(agent, SurveyCounters.Zero).Plus(change);
    }

    public async Task<SurveyFigures> GetTodayAsync()
    {
        if (calendar.DayOf(clock.GetUtcNow()) != _day)
        {
            await ReadAsync(CancellationToken.None);
        }

        return new SurveyFigures(
            _day,
            _byQueue.Values.Aggregate(SurveyCounters.Zero, (sum, c) => sum.Plus(c)),
            _byQueue.ToImmutableDictionary(StringComparer.Ordinal),
            _byAgent.ToImmutableDictionary(StringComparer.Ordinal));
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        // The reading's time is taken before the query, and changes written after it are added as they arrive: one
        // written while the query ran may count twice, one committed just after the query began may be missed, until
        // the next reading puts the figures right.
        var readAt = clock.GetUtcNow();
        var day = calendar.DayOf(readAt);
        var rows = await store.CountDayAsync(day, cancellationToken);
        _byQueue.Clear();
        _byAgent.Clear();
        foreach (var row in rows)
        {
            _byQueue[row.Queue] = _byQueue.GetValueOrDefault(row.Queue, SurveyCounters.Zero).Plus(row.Counters);
            _byAgent[row.Agent] = _byAgent.GetValueOrDefault(row.Agent, SurveyCounters.Zero).Plus(row.Counters);
        }

        (_day, _readAt) = (day, readAt);
    }
}
