using ContactCenter.Failover.Tests.Cluster;
using ContactCenter.Failover.Tests.Simulation;
using Npgsql;

namespace ContactCenter.Failover.Tests.Verification;

/// <summary>
/// What the gateways were told against what the cluster holds, after the load has drained: every acknowledged
/// event is in the journal and in its call's state, every call that ended has exactly one CDR, and no event
/// was refused or given up. Each difference is listed, not just counted.
/// </summary>
public sealed class LossCheck(TwoRegionCluster cluster)
{
    public async Task<IReadOnlyList<string>> ProblemsAsync(IReadOnlyCollection<SimulatedCall> calls)
    {
        var problems = new List<string>();
        var journal = await ReadJournalAsync();
        var cdrs = await ReadCdrCountsAsync();

        foreach (var call in calls)
        {
            var events = call.Events;
            foreach (var sent in events)
            {
                if (sent.Receipt is null)
                {
                    problems.Add($"{sent.Event.EventId}: no outcome");
                }
                else if (!sent.IsAcknowledged)
                {
                    problems.Add($"{sent.Event.EventId}: {sent.Receipt.Outcome} ({sent.Receipt.Reason})");
                }
                else if (!journal.TryGetValue((call.CallId, sent.Event.Sequence), out var eventId) || eventId != sent.Event.EventId)
                {
                    problems.Add($"{sent.Event.EventId}: acknowledged but not in the journal");
                }
            }

            var ended = events.Any(e => e.Event.Type == "ended" && e.IsAcknowledged);
            var cdrCount = cdrs.GetValueOrDefault(call.CallId);
            if (ended && cdrCount != 1)
            {
                problems.Add($"{call.CallId}: ended with {cdrCount} CDRs");
            }
            else if (!ended && cdrCount != 0)
            {
                problems.Add($"{call.CallId}: not ended but has {cdrCount} CDRs");
            }
        }

        problems.AddRange(await StateProblemsAsync(calls));
        return problems;
    }

    /// <summary>Each call's live state (its grain, reactivated wherever it now runs) has every acknowledged event.</summary>
    private async Task<IEnumerable<string>> StateProblemsAsync(IReadOnlyCollection<SimulatedCall> calls)
    {
        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(calls, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (call, _) =>
        {
            var acknowledged = call.Events.Where(e => e.IsAcknowledged).Select(e => e.Event.Sequence).DefaultIfEmpty(0).Max();
            var state = await cluster.GetAsync($"api/v1/calls/{call.CallId}");
            var lastSequence = state.GetProperty("lastSequence").GetInt32();
            var phase = state.GetProperty("phase").GetString();
            if (lastSequence != acknowledged)
            {
                problems.Add($"{call.CallId}: state at sequence {lastSequence}, acknowledged up to {acknowledged}");
            }

            if (phase != "ended")
            {
                problems.Add($"{call.CallId}: state {phase} after the caller hung up");
            }
        });
        return problems;
    }

    private async Task<Dictionary<(string CallId, int Sequence), string>> ReadJournalAsync()
    {
        var rows = new Dictionary<(string, int), string>();
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT call_id, sequence, event_id FROM call_journal WHERE call_id LIKE 'fo-%'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[(reader.GetString(0), reader.GetInt32(1))] = reader.GetString(2);
        }

        return rows;
    }

    private async Task<Dictionary<string, int>> ReadCdrCountsAsync()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT call_id, count(*) FROM call_detail_records WHERE call_id LIKE 'fo-%' GROUP BY call_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return counts;
    }
}
