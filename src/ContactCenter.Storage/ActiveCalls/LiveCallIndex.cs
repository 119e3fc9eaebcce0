using ContactCenter.Calls;
using ContactCenter.Journal;

namespace ContactCenter.ActiveCalls;

/// <summary>The grains' view of the active-calls index, read through the journal store's paged query.</summary>
public sealed class LiveCallIndex(IJournalStore store) : ILiveCallIndex
{
    private const int PageSize = 1_000;

    public async Task<IReadOnlyList<LiveCall>> InQueueAsync(string queueId, int limit, CancellationToken cancellationToken = default)
    {
        var calls = new List<LiveCall>();
        string? after = null;
        do
        {
            var page = await store.QueryActiveCallsAsync(new ActiveCallQuery(queueId, null, null, Math.Min(PageSize, limit - calls.Count), after), cancellationToken);
            foreach (var call in page.Calls)
            {
                if (Enum.TryParse<CallPhase>(call.Phase.Replace("_", ""), ignoreCase: true, out var phase))
                {
                    calls.Add(new LiveCall(call.CallId, phase, call.Agent, call.UpdatedAt));
                }
            }

            after = page.Next;
        }
        while (after is not null && calls.Count < limit);
        return calls;
    }

    public async Task<bool> HasLiveCallFromAsync(string caller, CancellationToken cancellationToken = default) =>
        (await store.QueryActiveCallsAsync(new ActiveCallQuery(null, null, null, 1, null) { Caller = caller }, cancellationToken)).Calls.Count > 0;
}
