using System.Collections.Immutable;

namespace ContactCenter.Customers;

/// <summary>A subscriber as the master data knows them; <see cref="Known"/> is false for callers not in it.</summary>
[GenerateSerializer, Immutable, Alias("cc.CustomerProfile")]
public sealed record CustomerProfile(string Number, bool Known, string? Brand, bool Vip, string? HomeCity, string? Region, string? Language, string? Name)
{
    public static CustomerProfile Unknown(string number) => new(number, false, null, false, null, null, null, null);
}

/// <summary>One past contact, from the call's CDR.</summary>
[GenerateSerializer, Immutable, Alias("cc.ContactSummary")]
public sealed record ContactSummary(string CallId, DateTimeOffset At, string? Queue, string? Agent, string Disposition, TimeSpan Talk);

/// <summary>What the agent sees when the call is offered: who is calling, their recent contacts, their open work orders.</summary>
[GenerateSerializer, Immutable, Alias("cc.ScreenPop")]
public sealed record ScreenPop(CustomerProfile Profile, ImmutableArray<ContactSummary> RecentContacts, int TotalContacts, ImmutableArray<WorkOrders.WorkOrderBrief> OpenWorkOrders);

/// <summary>A subscriber's most recent contacts, newest first, and how many there are in all.</summary>
[GenerateSerializer, Immutable, Alias("cc.ContactHistory")]
public sealed record ContactHistory(ImmutableArray<ContactSummary> Recent, int Total);

/// <summary>One subscriber, keyed by E.164 number: the profile from the master data, the screen-pop.</summary>
[Alias("cc.ICustomerGrain")]
public interface ICustomerGrain : IGrainWithStringKey
{
    [Alias("GetProfile")]
    Task<CustomerProfile> GetProfileAsync();

    [Alias("GetScreenPop")]
    Task<ScreenPop> GetScreenPopAsync();
}

/// <summary>Reads a subscriber's contact history from the CDRs.</summary>
public interface IContactHistory
{
    Task<ContactHistory> RecentAsync(string number, int limit, CancellationToken cancellationToken = default);
}

/// <summary>Reads subscriber master data (the subscribers table).</summary>
public interface ISubscriberDirectory
{
    Task<CustomerProfile?> FindAsync(string number, CancellationToken cancellationToken = default);
}
