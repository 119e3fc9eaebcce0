using ContactCenter.Hosting;

namespace ContactCenter.WorkOrders;

/// <summary>The work orders' durable timers (<see cref="RowTimers"/>): an order raises its overdue (48 h) and problem (72 h) deadlines when its row is due.</summary>
public sealed class WorkOrderTimers(IGrainFactory grains, IWorkOrderStore store, TimeProvider clock, ILogger<WorkOrderTimers> logger)
    : RowTimers(clock, logger)
{
    protected override string What => "work order";

    /// <summary>A wake is one save: a minute covers a round many times over.</summary>
    protected override TimeSpan Lease => TimeSpan.FromMinutes(1);

    protected override Task<IReadOnlyList<string>> TakeDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken) =>
        store.TakeDueAsync(now, lease, limit, cancellationToken);

    protected override Task WakeAsync(string key) => grains.ReferenceTo<IWorkOrderGrain>(key).WakeAsync();
}
