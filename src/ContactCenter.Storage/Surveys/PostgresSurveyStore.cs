using System.Collections.Immutable;
using ContactCenter.Timers;
using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;

namespace ContactCenter.Surveys;

public sealed class PostgresSurveyStore(NpgsqlDataSource dataSource) : ISurveyStore
{
    public async Task<SurveyRecord?> LoadAsync(string callId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT record::text FROM surveys WHERE call_id = @call_id");
        command.Parameters.AddWithValue("call_id", callId);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? SurveyRows.Deserialize(json) : null;
    }

    public async Task SaveAsync(SurveyRecord record, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(SurveyRows.Save);
        var request = record.Request;
        command.Parameters.AddWithValue("call_id", request.CallId);
        command.Parameters.AddWithValue("subscriber", request.Subscriber);
        command.Parameters.AddWithValue("queue_id", request.Queue);
        command.Parameters.AddWithValue("agent_id", request.Agent);
        command.Parameters.Add(new NpgsqlParameter("brand", NpgsqlDbType.Text) { Value = (object?)request.Brand ?? DBNull.Value });
        command.Parameters.AddWithValue("day", record.Day);
        command.Parameters.AddWithValue("status", SurveyRows.StatusText(record.Status));
        command.Parameters.Add(new NpgsqlParameter("score", NpgsqlDbType.Smallint) { Value = record.Score is { } score ? (short)score : DBNull.Value });
        command.Parameters.Add(Time("sent_at", record.SentAt));
        command.Parameters.Add(Time("answered_at", record.AnsweredAt));
        command.Parameters.AddWithValue("low_score", record.FollowUp);
        command.Parameters.AddWithValue("follow_up_open", record.FollowUp && record.FollowUpClosedAt is null);
        command.Parameters.Add(Time("wake_at", record.WakeAt));
        command.Parameters.AddWithValue("version", record.Version);
        command.Parameters.Add(Time("updated_at", record.UpdatedAt));
        command.Parameters.Add(new NpgsqlParameter("record", NpgsqlDbType.Jsonb) { Value = SurveyRows.Serialize(record) });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new InconsistentStateException($"survey {request.CallId}: version {record.Version - 1} is no longer the stored one");
        }
    }

    public async Task<IReadOnlyList<string>> TakeDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(SurveyRows.TakeDue(skipLocked: true));
        command.Parameters.Add(Time("now", now));
        command.Parameters.Add(Time("taken_until", now + lease));
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await DueRows.ReadTakenAsync(reader, cancellationToken);
    }

    public async Task<IReadOnlyList<SurveyCountRow>> CountDayAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {SurveyRows.CountColumns} FROM surveys WHERE day = @day GROUP BY queue_id, agent_id");
        command.Parameters.AddWithValue("day", day);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await SurveyRows.ReadCountsAsync(reader, cancellationToken);
    }

    public async Task<IReadOnlyList<SurveyReportRow>> ReportAsync(SurveyGrouping by, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(SurveyRows.Report(by, "@from", "@to"));
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await SurveyRows.ReadReportAsync(reader, row => row.GetFieldValue<DateOnly>(1), cancellationToken);
    }

    public async Task<ImmutableArray<SurveyView>> OpenFollowUpsAsync(string? queue, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT record::text FROM surveys WHERE follow_up_open AND (@queue::text IS NULL OR queue_id = @queue)
            ORDER BY answered_at LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("queue", NpgsqlDbType.Text) { Value = (object?)queue ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await SurveyRows.ReadViewsAsync(reader, cancellationToken);
    }

    /// <summary>A moment as PostgreSQL's timestamptz takes it (Npgsql writes only UTC offsets).</summary>
    private static NpgsqlParameter Time(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = value is { } time ? time.UtcDateTime : DBNull.Value };
}
