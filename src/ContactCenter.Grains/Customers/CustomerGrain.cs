using System.Collections.Immutable;

namespace ContactCenter.Customers;

/// <summary>A subscriber's contact history: the most recent contacts and the total.</summary>
[GenerateSerializer, Alias("cc.CustomerHistory")]
public sealed class CustomerHistory
{
    [Id(0)] public List<ContactSummary> Recent { get; set; } = [];
    [Id(1)] public int Total { get; set; }
}

/// <summary>
/// One subscriber. The profile is master data, read from the subscribers table when the grain activates and
/// never written here; the contact history is the grain's own state. Callers missing from the master data
/// are still served, as unknown callers.
/// </summary>
public sealed class CustomerGrain(
    [PersistentState("customer", StorageNames.GroupCommit)] IPersistentState<CustomerHistory> history,
    ISubscriberDirectory subscribers) : Grain, ICustomerGrain
{
    /// <summary>Enough for the agent to see a pattern (repeat callers) without growing without bound.</summary>
    public const int RecentContactsKept = 20;

    private CustomerProfile _profile = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var number = this.GetPrimaryKeyString();
        _profile = await subscribers.FindAsync(number, cancellationToken) ?? CustomerProfile.Unknown(number);
    }

    public Task<CustomerProfile> GetProfileAsync() => Task.FromResult(_profile);

    public Task<ScreenPop> GetScreenPopAsync() => Task.FromResult(new ScreenPop(
        _profile,
        [.. history.State.Recent],
        history.State.Total,
        // Work orders arrive with the work-order issue; until then a subscriber has none open.
        ImmutableArray<string>.Empty));

    public async Task RecordContactAsync(ContactSummary contact)
    {
        if (history.State.Recent.Any(c => c.CallId == contact.CallId))
        {
            return;
        }

        history.State.Recent.Insert(0, contact);
        if (history.State.Recent.Count > RecentContactsKept)
        {
            history.State.Recent.RemoveRange(RecentContactsKept, history.State.Recent.Count - RecentContactsKept);
        }

        history.State.Total++;
        await history.WriteStateAsync();
    }
}
