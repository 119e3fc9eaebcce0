using System.Collections.Immutable;
using System.Globalization;
using ContactCenter.Journal;
using ContactCenter.Timers;
using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace ContactCenter.Surveys;

/// <summary>The surveys table in the embedded SQLite file (one silo: no other takes its due surveys).</summary>
public sealed class SqliteSurveyStore(string connectionString) : ISurveyStore
{
    public async Task<SurveyRecord?> LoadAsync(string callId, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT record FROM surveys WHERE call_id = @call_id";
        command.Parameters.AddWithValue("@call_id", callId);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? SurveyRows.Deserialize(json) : null;
    }

    public async Task SaveAsync(SurveyRecord record, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SurveyRows.Save;
        var request = record.Request;
        command.Parameters.AddWithValue("@call_id", request.CallId);
        command.Parameters.AddWithValue("@subscriber", request.Subscriber);
        command.Parameters.AddWithValue("@queue_id", request.Queue);
        command.Parameters.AddWithValue("@agent_id", request.Agent);
        command.Parameters.AddWithValue("@brand", (object?)request.Brand ?? DBNull.Value);
        command.Parameters.AddWithValue("@day", Day(record.Day));
        command.Parameters.AddWithValue("@status", SurveyRows.StatusText(record.Status));
        command.Parameters.AddWithValue("@score", (object?)record.Score ?? DBNull.Value);
        command.Parameters.AddWithValue("@sent_at", Time(record.SentAt));
        command.Parameters.AddWithValue("@answered_at", Time(record.AnsweredAt));
        command.Parameters.AddWithValue("@low_score", record.FollowUp);
        command.Parameters.AddWithValue("@follow_up_open", record.FollowUp && record.FollowUpClosedAt is null);
        command.Parameters.AddWithValue("@wake_at", Time(record.WakeAt));
        command.Parameters.AddWithValue("@version", record.Version);
        command.Parameters.AddWithValue("@updated_at", SqliteJournalStore.FormatTime(record.UpdatedAt));
        command.Parameters.AddWithValue("@record", SurveyRows.Serialize(record));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new InconsistentStateException($"survey {request.CallId}: version {record.Version - 1} is no longer the stored one");
        }
    }

    public async Task<IReadOnlyList<string>> TakeDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SurveyRows.TakeDue(skipLocked: false);
        command.Parameters.AddWithValue("@now", SqliteJournalStore.FormatTime(now));
        command.Parameters.AddWithValue("@taken_until", SqliteJournalStore.FormatTime(now + lease));
        command.Parameters.AddWithValue("@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await DueRows.ReadTakenAsync(reader, cancellationToken);
    }

    public async Task<IReadOnlyList<SurveyCountRow>> CountDayAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SurveyRows.CountColumns} FROM surveys WHERE day = @day GROUP BY queue_id, agent_id";
        command.Parameters.AddWithValue("@day", Day(day));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await SurveyRows.ReadCountsAsync(reader, cancellationToken);
    }

    public async Task<IReadOnlyList<SurveyReportRow>> ReportAsync(SurveyGrouping by, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SurveyRows.Report(by, "@from", "@to");
        command.Parameters.AddWithValue("@from", Day(from));
        command.Parameters.AddWithValue("@to", Day(to));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await SurveyRows.ReadReportAsync(
            reader, row => DateOnly.ParseExact(row.GetString(1), "yyyy-MM-dd", CultureInfo.InvariantCulture), cancellationToken);
    }

    public async Task<ImmutableArray<SurveyView>> OpenFollowUpsAsync(string? queue, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT record FROM surveys WHERE follow_up_open = 1 AND (@queue IS NULL OR queue_id = @queue)
            ORDER BY answered_at LIMIT @limit
            """;
        command.Parameters.AddWithValue("@queue", (object?)queue ?? DBNull.Value);
        command.Parameters.AddWithValue("@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await SurveyRows.ReadViewsAsync(reader, cancellationToken);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static object Time(DateTimeOffset? time) => time is null ? DBNull.Value : SqliteJournalStore.FormatTime(time);
}
