using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Timers;

namespace ContactCenter.Surveys;

/// <summary>What both databases' survey stores share: the record's JSON, the status as the table writes it, the rows read back.</summary>
internal static class SurveyRows
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(SurveyRecord record) => JsonSerializer.Serialize(record, Json);

    public static SurveyRecord Deserialize(string json) =>
        JsonSerializer.Deserialize<SurveyRecord>(json, Json) ?? throw new JsonException("empty survey record");

    /// <summary>The status column's text: answered, opted_out...</summary>
    public static string StatusText(SurveyStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    /// <summary>The columns <see cref="ISurveyStore.CountDayAsync"/> sums, in the order <see cref="ReadCountsAsync"/> reads them.</summary>
    public static readonly string CountColumns = $"""
        queue_id, agent_id,
        count(sent_at),
        count(*) FILTER (WHERE status = 'answered'),
        count(*) FILTER (WHERE status = 'answered' AND score >= {SurveyTally.SatisfiedAtLeast}),
        count(*) FILTER (WHERE status = 'answered' AND low_score),
        count(*) FILTER (WHERE status = 'opted_out'),
        coalesce(sum(score) FILTER (WHERE status = 'answered'), 0)
        """;

    /// <summary>
    /// A new survey is inserted (version 1); a later version replaces the one before it, and only that one. Either way
    /// the timers' lease is cleared: the record's own wake time is what counts from now on. Both databases take it
    /// (SQLite reads the @ parameters too); no row written is a version conflict.
    /// </summary>
    public const string Save = """
        INSERT INTO surveys (call_id, subscriber, queue_id, agent_id, brand, day, status, score, sent_at, answered_at,
                             low_score, follow_up_open, wake_at, wake_taken_until, version, updated_at, record)
        VALUES (@call_id, @subscriber, @queue_id, @agent_id, @brand, @day, @status, @score, @sent_at, @answered_at,
                @low_score, @follow_up_open, @wake_at, NULL, @version, @updated_at, @record)
        ON CONFLICT (call_id) DO UPDATE SET
            status = excluded.status, score = excluded.score, sent_at = excluded.sent_at, answered_at = excluded.answered_at,
            low_score = excluded.low_score, follow_up_open = excluded.follow_up_open, wake_at = excluded.wake_at,
            wake_taken_until = NULL, version = excluded.version, updated_at = excluded.updated_at, record = excluded.record
        WHERE surveys.version = excluded.version - 1
        """;

    /// <summary>The due surveys no other silo holds, taken for the lease (<see cref="DueRows"/>).</summary>
    public static string TakeDue(bool skipLocked) => DueRows.TakeDue("surveys", "call_id", skipLocked);

    /// <summary>The report's statement; <paramref name="from"/> and <paramref name="to"/> are the dialect's parameters of the days.</summary>
    public static string Report(SurveyGrouping by, string from, string to)
    {
        var group = by switch
        {
            SurveyGrouping.Queue => "queue_id",
            SurveyGrouping.Agent => "agent_id",
            SurveyGrouping.Brand => "brand",
            _ => "'center'",
        };
        // The count columns' first two are the queue and agent; a report's row has its group and day instead.
        var counts = CountColumns[CountColumns.IndexOf("count(sent_at)", StringComparison.Ordinal)..];
        return $"""
            SELECT {group} AS grp, day, {counts}
            FROM surveys WHERE day >= {from} AND day < {to}
            GROUP BY grp, day ORDER BY grp NULLS FIRST, day
            """;
    }

    /// <param name="day">Reads column 1, the day.</param>
    public static async Task<IReadOnlyList<SurveyReportRow>> ReadReportAsync(DbDataReader reader, Func<DbDataReader, DateOnly> day, CancellationToken cancellationToken)
    {
        var rows = new List<SurveyReportRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new SurveyReportRow(reader.IsDBNull(0) ? null : reader.GetString(0), day(reader), Counters(reader, 2)));
        }

        return rows;
    }

    public static async Task<IReadOnlyList<SurveyCountRow>> ReadCountsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<SurveyCountRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new SurveyCountRow(reader.GetString(0), reader.GetString(1), Counters(reader, 2)));
        }

        return rows;
    }

    /// <summary>The counts of <see cref="CountColumns"/> after the queue and agent, from column <paramref name="first"/> on.</summary>
    private static SurveyCounters Counters(DbDataReader reader, int first) => new()
    {
        Sent = Convert.ToInt32(reader.GetValue(first), CultureInfo.InvariantCulture),
        Answered = Convert.ToInt32(reader.GetValue(first + 1), CultureInfo.InvariantCulture),
        Satisfied = Convert.ToInt32(reader.GetValue(first + 2), CultureInfo.InvariantCulture),
        LowScores = Convert.ToInt32(reader.GetValue(first + 3), CultureInfo.InvariantCulture),
        OptedOut = Convert.ToInt32(reader.GetValue(first + 4), CultureInfo.InvariantCulture),
        ScoreSum = Convert.ToInt64(reader.GetValue(first + 5), CultureInfo.InvariantCulture),
    };

    public static async Task<ImmutableArray<SurveyView>> ReadViewsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var views = ImmutableArray.CreateBuilder<SurveyView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            views.Add(Deserialize(reader.GetString(0)).View());
        }

        return views.ToImmutable();
    }
}
