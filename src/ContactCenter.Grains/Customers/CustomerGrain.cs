using ContactCenter.WorkOrders;
using Orleans.Placement;

namespace ContactCenter.Customers;

/// <summary>
/// One subscriber. The profile is master data, read from the subscribers table when the grain activates and
/// never written here. The contact history is the CDRs (written with each call's last event), read when an
/// agent needs the screen-pop: no write per call, and nothing to keep in step; so are the subscriber's open work
/// orders (the work-orders table). Callers missing from the master data are still served, as unknown callers.
/// </summary>
[CollectionAgeLimit(Minutes = 10)] // a subscriber calls a few times a month: do not hold millions of profiles
[PreferLocalPlacement] // beside the call that asks for the profile
public sealed class CustomerGrain(ISubscriberDirectory subscribers, IContactHistory history, IWorkOrderStore workOrders) : Grain, ICustomerGrain
{
    /// <summary>Enough for the agent to see a pattern (repeat callers) at a glance.</summary>
    public const int RecentContactsShown = 20;

    /// <summary>The open orders shown, the reply due soonest first: more than a handful is a case for a supervisor.</summary>
    public const int OpenWorkOrdersShown = 20;

    private CustomerProfile _profile = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var number = this.GetPrimaryKeyString();
        _profile = await subscribers.FindAsync(number, cancellationToken) ?? CustomerProfile.Unknown(number);
    }

    public Task<CustomerProfile> GetProfileAsync() => Task.FromResult(_profile);

    public async Task<ScreenPop> GetScreenPopAsync()
    {
        var contacts = history.RecentAsync(_profile.Number, RecentContactsShown);
        var orders = workOrders.ListAsync(new WorkOrderQuery(Department: null, Owner: null, _profile.Number, OpenOnly: true, OpenWorkOrdersShown));
        await Task.WhenAll(contacts, orders);
        return new ScreenPop(_profile, contacts.Result.Recent, contacts.Result.Total, [.. orders.Result.Select(o => o.Brief())]);
    }
}
