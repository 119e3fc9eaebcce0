using System.Data.Common;

namespace ContactCenter.ActiveCalls;

internal static class ActiveCallPages
{
    /// <summary>
    /// Reads rows of (call_id, gateway_id, region, queue, agent, phase, caller, offered_at, updated_at).
    /// Stores ask for one row more than the page: its presence is what says another page exists.
    /// </summary>
    public static async Task<ActiveCallPage> ReadAsync(
        DbDataReader reader, int limit, Func<DbDataReader, int, DateTimeOffset> readTime, CancellationToken cancellationToken)
    {
        var rows = new List<ActiveCall>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ActiveCall(
                reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5), reader.GetString(6), readTime(reader, 7), readTime(reader, 8)));
        }

        return rows.Count > limit
            ? new ActiveCallPage(rows[..limit], rows[limit - 1].CallId)
            : new ActiveCallPage(rows, null);
    }
}
