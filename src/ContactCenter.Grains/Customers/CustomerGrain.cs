using System.Collections.Immutable;
using ContactCenter.WorkOrders;
using Microsoft.Extensions.Logging;
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
public sealed class CustomerGrain(ISubscriberDirectory subscribers, IContactHistory history, IWorkOrderStore workOrders, ILogger<CustomerGrain> logger)
    : Grain, ICustomerGrain
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
        var orders = OpenOrdersAsync();
        var contacts = await history.RecentAsync(_profile.Number, RecentContactsShown);
        return new ScreenPop(_profile, contacts.Recent, contacts.Total, await orders);
    }

    /// <summary>The subscriber's open orders; none, with a warning, when they cannot be read: the call's screen-pop still goes out.</summary>
    private async Task<ImmutableArray<WorkOrderBrief>> OpenOrdersAsync()
    {
        try
        {
            var orders = await workOrders.ListAsync(new WorkOrderQuery(Department: null, Owner: null, _profile.Number, OpenOnly: true, OpenWorkOrdersShown));
            return [.. orders.Select(o => o.Brief())];
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The open work orders of a caller could not be read; their screen-pop shows none");
            return [];
        }
    }
}
