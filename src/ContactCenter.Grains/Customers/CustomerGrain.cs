using System.Collections.Immutable;
using Orleans.Placement;

namespace ContactCenter.Customers;

/// <summary>
/// One subscriber. The profile is master data, read from the subscribers table when the grain activates and
/// never written here. The contact history is the CDRs (written with each call's last event), read when an
/// agent needs the screen-pop: no write per call, and nothing to keep in step. Callers missing from the
/// master data are still served, as unknown callers.
/// </summary>
[CollectionAgeLimit(Minutes = 10)] // a subscriber calls a few times a month: do not hold millions of profiles
[PreferLocalPlacement] // beside the call that asks for the profile
public sealed class CustomerGrain(ISubscriberDirectory subscribers, IContactHistory history) : Grain, ICustomerGrain
{
    /// <summary>Enough for the agent to see a pattern (repeat callers) at a glance.</summary>
    public const int RecentContactsShown = 20;

    private CustomerProfile _profile = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var number = this.GetPrimaryKeyString();
        _profile = await subscribers.FindAsync(number, cancellationToken) ?? CustomerProfile.Unknown(number);
    }

    public Task<CustomerProfile> GetProfileAsync() => Task.FromResult(_profile);

    public async Task<ScreenPop> GetScreenPopAsync()
    {
        var contacts = await history.RecentAsync(_profile.Number, RecentContactsShown);
        // Work orders arrive with the work-order issue; until then a subscriber has none open.
        return new ScreenPop(_profile, contacts.Recent, contacts.Total, ImmutableArray<string>.Empty);
    }
}
