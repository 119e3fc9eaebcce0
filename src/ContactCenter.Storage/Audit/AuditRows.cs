using System.Data.Common;
using System.Text;

namespace ContactCenter.Audit;

/// <summary>The audit log's SQL, shared by both databases (both take <c>@name</c> parameters); times are converted per database.</summary>
internal static class AuditRows
{
    public const string Insert = """
        INSERT INTO supervisor_audit (at, actor, role, action, target_kind, target_id, details, outcome, reason)
        VALUES (@at, @actor, @role, @action, @target_kind, @target_id, {0}, @outcome, @reason)
        RETURNING audit_id
        """;

    public const string Complete = """
        UPDATE supervisor_audit SET outcome = @outcome, reason = @reason, details = {0}, completed_at = @completed_at
        WHERE audit_id = @id
        """;

    /// <summary>The query's SQL and its parameters: only the filters given, so each query can use its index.</summary>
    public static (string Sql, List<(string Name, object Value)> Parameters) Select(AuditQuery query, string detailsAsText, Func<DateTimeOffset, object> time)
    {
        var sql = new StringBuilder($"SELECT audit_id, at, actor, role, action, target_kind, target_id, {detailsAsText}, outcome, reason, completed_at FROM supervisor_audit WHERE 1 = 1");
        var parameters = new List<(string Name, object Value)>();
        void Filter(string condition, string name, object? value)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(condition);
                parameters.Add((name, value));
            }
        }

        Filter("at >= @from", "from", query.From is { } from ? time(from) : null);
        Filter("at < @to", "to", query.To is { } to ? time(to) : null);
        Filter("actor = @actor", "actor", query.Actor);
        Filter("action = @action", "action", query.Action);
        Filter("target_kind = @target_kind", "target_kind", query.TargetKind);
        Filter("target_id = @target_id", "target_id", query.TargetId);
        Filter("outcome = @outcome", "outcome", query.Outcome);
        sql.Append(" ORDER BY at DESC, audit_id DESC LIMIT @limit");
        parameters.Add(("limit", query.Limit));
        return (sql.ToString(), parameters);
    }

    public static async Task<IReadOnlyList<AuditEntry>> ReadAsync(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(
                reader.GetInt64(0), time(reader, 1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetString(7), reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : time(reader, 10)));
        }

        return entries;
    }
}
