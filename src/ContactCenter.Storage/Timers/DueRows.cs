using System.Data.Common;

namespace ContactCenter.Timers;

/// <summary>
/// The durable timers of the grains whose state is a table row with a wake time (surveys, work orders): the rows due
/// that no other silo holds, each taken for a lease, so two silos never wake one grain at once and a lost silo's rows
/// are taken again when its lease runs out. Every such table has <c>wake_at</c> and <c>wake_taken_until</c>.
/// </summary>
internal static class DueRows
{
    /// <summary>
    /// The statement taking up to <c>@limit</c> rows of <paramref name="table"/> due at <c>@now</c> until <c>@taken_until</c>,
    /// returning their <paramref name="key"/>. <paramref name="skipLocked"/> (PostgreSQL): a silo's round skips the rows
    /// another silo's round is taking, instead of waiting for them. Both databases read the @ parameters.
    /// </summary>
    public static string TakeDue(string table, string key, bool skipLocked) => $"""
        UPDATE {table} SET wake_taken_until = @taken_until
        WHERE {key} IN (
            SELECT {key} FROM {table}
            WHERE wake_at IS NOT NULL AND wake_at <= @now AND (wake_taken_until IS NULL OR wake_taken_until < @now)
            ORDER BY wake_at
            LIMIT @limit{(skipLocked ? " FOR UPDATE SKIP LOCKED" : "")})
        RETURNING {key}
        """;

    public static async Task<IReadOnlyList<string>> ReadTakenAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var taken = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            taken.Add(reader.GetString(0));
        }

        return taken;
    }
}
