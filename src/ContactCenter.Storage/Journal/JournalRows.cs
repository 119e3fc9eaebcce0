using System.Text.Json;
using ContactCenter.Calls;

namespace ContactCenter.Journal;

/// <summary>The column values both stores write, computed once so the two databases cannot drift apart.</summary>
internal static class JournalRows
{
    public static string Recordings(CallDetailRecord cdr) => JsonSerializer.Serialize(cdr.Recordings);

    /// <summary>The phase the active-calls index lists: <c>refused</c> for a call its queue did not keep (it waits nowhere).</summary>
    public static string Phase(CallSnapshot call) => call.Refusal is null ? JsonNames.Of(call.Phase) : RefusedPhase;

    public const string RefusedPhase = "refused";

    /// <summary>
    /// The active-calls rows a batch leaves behind: one per call still live (the latest state wins), and the
    /// ids of calls that ended and leave the index.
    /// </summary>
    public static (IReadOnlyCollection<CallSnapshot> Live, IReadOnlyCollection<string> Ended) ActiveCallChanges(IEnumerable<JournalAppend> appends)
    {
        var latest = new Dictionary<string, CallSnapshot>(StringComparer.Ordinal);
        foreach (var append in appends)
        {
            latest[append.CallId] = append.After;
        }

        return (
            latest.Values.Where(c => !c.IsEnded).ToList(),
            latest.Values.Where(c => c.IsEnded).Select(c => c.CallId).ToList());
    }
}
