using System.Collections.Immutable;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Surveys;

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
    public const string CountColumns = """
        queue_id, agent_id,
        count(sent_at),
        count(*) FILTER (WHERE status = 'answered'),
        count(*) FILTER (WHERE status = 'answered' AND score >= 4),
        count(*) FILTER (WHERE status = 'answered' AND low_score),
        count(*) FILTER (WHERE status = 'opted_out'),
        coalesce(sum(score) FILTER (WHERE status = 'answered'), 0)
        """;

    public static async Task<IReadOnlyList<SurveyCountRow>> ReadCountsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<SurveyCountRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new SurveyCountRow(reader.GetString(0), reader.GetString(1), new SurveyCounters
            {
                Sent = Convert.ToInt32(reader.GetValue(2)),
                Answered = Convert.ToInt32(reader.GetValue(3)),
                Satisfied = Convert.ToInt32(reader.GetValue(4)),
                LowScores = Convert.ToInt32(reader.GetValue(5)),
                OptedOut = Convert.ToInt32(reader.GetValue(6)),
                ScoreSum = Convert.ToInt64(reader.GetValue(7)),
            }));
        }

        return rows;
    }

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
