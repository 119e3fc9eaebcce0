using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.WorkOrders;

/// <summary>
/// One complaint's work order. Its state is its row in the work-orders table (<see cref="IWorkOrderStore"/>), written
/// at every change, one version at a time; the row's wake time is its durable timer (the next deadline to raise), so an
/// order waiting two days holds no activation, and a deadline set before a crash or a failover is raised after it, once.
/// </summary>
[CollectionAgeLimit(Minutes = 2)] // an order changes a few times over days: tens of thousands open need no memory
public sealed partial class WorkOrderGrain(
    IWorkOrderStore store,
    IOptions<WorkOrderOptions> options,
    Kpis.CenterCalendar calendar,
    TimeProvider clock,
    ILogger<WorkOrderGrain> logger) : Grain, IWorkOrderGrain
{
    private readonly WorkOrderLife _life = new(options.Value);
    private WorkOrderRecord? _order;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _order = await store.LoadAsync(Id, cancellationToken);

    public async Task<WorkOrderOpening> OpenAsync(OpenWorkOrder order)
    {
        if (_order is not null)
        {
            return new WorkOrderOpening(_order.View(), Created: false);
        }

        var now = clock.GetUtcNow();
        await SaveAsync(_life.Open(Id, order, now, calendar.DayOf(now)));
        LogOpened(Id, order.Category, _order!.Department, order.Source, order.Owner);
        return new WorkOrderOpening(_order.View(), Created: true);
    }

    public async Task<WorkOrderChangeOutcome> ChangeAsync(WorkOrderChange change)
    {
        if (_order is null)
        {
            return new WorkOrderChangeOutcome(null, $"no work order {Id}");
        }

        var (next, refusal) = _life.Change(_order, change, clock.GetUtcNow());
        if (next is null)
        {
            return new WorkOrderChangeOutcome(_order.View(), refusal);
        }

        await SaveAsync(next);
        LogChanged(Id, change.Action, change.By, next.State);
        return new WorkOrderChangeOutcome(next.View(), null);
    }

    public async Task WakeAsync()
    {
        if (_order is null)
        {
            return;
        }

        var (next, raised) = _life.Wake(_order, clock.GetUtcNow());
        if (raised is { } lateness)
        {
            await SaveAsync(next);
            // The alert: in the order's history, on the department's desk and the wallboard (by the table), and here.
            LogLate(Id, lateness, next.Department, next.Order.Category);
        }
    }

    public Task<WorkOrderView?> GetAsync() => Task.FromResult(_order?.View());

    private async Task SaveAsync(WorkOrderRecord next)
    {
        next = next with { Version = (_order?.Version ?? 0) + 1 };
        try
        {
            await store.SaveAsync(next);
        }
        catch (Orleans.Storage.InconsistentStateException)
        {
            // Another activation wrote the order (for a moment during a silo failure): this one's copy is stale, and the
            // next request reads the row again.
            DeactivateOnIdle();
            throw;
        }

        _order = next;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Work order {OrderId} opened ({Category}, to {Department}) from {Source}, owned by {Owner}")]
    private partial void LogOpened(string orderId, string category, string department, WorkOrderSource source, string? owner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Work order {OrderId}: {Action} by {By}; now {State}")]
    private partial void LogChanged(string orderId, WorkOrderAction action, string by, WorkOrderState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work order {OrderId} is {Lateness}: no reply from {Department} ({Category})")]
    private partial void LogLate(string orderId, WorkOrderLateness lateness, string department, string category);
}
