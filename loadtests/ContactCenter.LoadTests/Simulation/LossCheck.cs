using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>What the loss check found. The run passes only with nothing missing.</summary>
/// <param name="EventsAcknowledged">Events the gateways hold receipts for (accepted or duplicate).</param>
/// <param name="MissingEvents">Acknowledged events the journal does not hold.</param>
/// <param name="FinishedCalls">Calls whose <c>ended</c> event was acknowledged: each must have one CDR.</param>
/// <param name="UnacknowledgedButRecorded">Events in the journal the gateways have no receipt for (an answer lost in the drain): not a loss.</param>
/// <param name="UnfinishedCalls">Calls whose end was never acknowledged (refused or unanswered): they should have no CDR, and the errors say why.</param>
public sealed record LossReport(
    string Source,
    long Calls,
    long EventsAcknowledged,
    long MissingEvents,
    long CallsMissingEvents,
    long FinishedCalls,
    long MissingCdrs,
    long UnacknowledgedButRecorded,
    long UnfinishedCalls,
    IReadOnlyList<string> Examples)
{
    public bool Passed => MissingEvents == 0 && MissingCdrs == 0;
}

/// <summary>
/// The end-of-run check that nothing acknowledged was lost: reads back, straight from the database, how many
/// events the journal holds for each of the run's calls (and that they run 1..n without a gap) and which calls
/// have a CDR, and compares with what the gateways were told was committed.
/// </summary>
public static class LossCheck
{
    private const int MaxExamples = 10;

    /// <param name="database"><c>postgres:CONNECTION STRING</c> or <c>sqlite:PATH</c>.</param>
    /// <param name="naiveStore">
    /// The silo ran the naive baseline (<c>ContactCenter:CallStore=GrainStatePerEvent</c>): a call's events are one
    /// ADO.NET grain-state row whose version counts the writes, one per event, so the version is the call's last
    /// sequence held (the event list in the row has no gaps by construction).
    /// </param>
    public static async Task<LossReport> RunAsync(string database, bool naiveStore, string runId, CallLedger ledger, CancellationToken cancellationToken)
    {
        await using var connection = Open(database);
        await connection.OpenAsync(cancellationToken);
        var kind = database.Split(':', 2)[0];
        var prefix = CallBehaviour.CallId(runId, 0)[..^9];
        var journal = new Dictionary<long, (int Count, int Last)>();
        var eventsQuery = naiveStore
            ? "SELECT grain_id_extension, version, version FROM orleans_storage WHERE grain_id_extension LIKE @prefix"
            : "SELECT call_id, count(*), max(sequence) FROM call_journal WHERE call_id LIKE @prefix GROUP BY call_id";
        await foreach (var (index, count, last) in ReadAsync(connection, prefix, eventsQuery, cancellationToken))
        {
            journal[index] = (count, last);
        }

        var cdrs = new HashSet<long>();
        await foreach (var (index, _, _) in ReadAsync(connection, prefix,
            "SELECT call_id, 1, 0 FROM call_detail_records WHERE call_id LIKE @prefix", cancellationToken))
        {
            cdrs.Add(index);
        }

        return Compare(naiveStore ? $"{kind} grain-state rows (naive store)" : $"{kind} journal", ledger, journal, cdrs);
    }

    /// <summary>A connection (not yet open) to <c>postgres:CONNECTION STRING</c> or <c>sqlite:PATH</c>, read-only for SQLite.</summary>
    public static DbConnection Open(string database)
    {
        var (kind, target) = database.Split(':', 2) is [var k, var t] ? (k, t) : throw new ArgumentException($"'{database}' is not postgres:... or sqlite:...");
        return kind switch
        {
            "postgres" => new NpgsqlConnection(target),
            "sqlite" => new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Mode = SqliteOpenMode.ReadOnly }.ToString()),
            _ => throw new ArgumentException($"'{kind}': the loss check reads postgres or sqlite"),
        };
    }

    /// <summary>Compares the gateways' receipts with what the database holds, call by call.</summary>
    public static LossReport Compare(string source, CallLedger ledger, IReadOnlyDictionary<long, (int Count, int Last)> journal, IReadOnlySet<long> cdrs)
    {
        long acknowledged = 0, missing = 0, callsMissing = 0, finished = 0, missingCdrs = 0, extra = 0, unfinished = 0;
        var examples = new List<string>();
        for (var index = 0L; index < ledger.Calls; index++)
        {
            var through = ledger.AcknowledgedThrough(index);
            acknowledged += through;
            var held = journal.TryGetValue(index, out var rows) ? rows : (Count: 0, Last: 0);
            // Rows 1..Last with no gap hold every acknowledged event; a gap or a shorter journal loses some.
            var contiguous = held.Count == held.Last ? held.Last : 0;
            if (contiguous < through)
            {
                missing += through - contiguous;
                callsMissing++;
                Note(examples, $"call #{index}: acknowledged through sequence {through}, journal holds {held.Count} rows up to {held.Last}");
            }
            else
            {
                extra += contiguous - through;
            }

            if (ledger.Finished(index))
            {
                finished++;
                if (!cdrs.Contains(index))
                {
                    missingCdrs++;
                    Note(examples, $"call #{index}: its end was acknowledged but it has no CDR");
                }
            }
            else if (through > 0)
            {
                unfinished++;
            }
        }

        return new LossReport(source, ledger.Calls, acknowledged, missing, callsMissing, finished, missingCdrs, extra, unfinished, examples);
    }

    private static void Note(List<string> examples, string example)
    {
        if (examples.Count < MaxExamples)
        {
            examples.Add(example);
        }
    }

    private static async IAsyncEnumerable<(long Index, int Count, int Last)> ReadAsync(DbConnection connection, string prefix, string sql,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        // A run's whole journal is read: no statement timeout fits every size.
        command.CommandTimeout = 0;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "prefix";
        parameter.Value = prefix + "%";
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var callId = reader.GetString(0);
            if (long.TryParse(callId.AsSpan(prefix.Length), out var index))
            {
                yield return (index, Convert.ToInt32(reader.GetValue(1)), Convert.ToInt32(reader.GetValue(2)));
            }
        }
    }
}
