using ContactCenter.Schema;
using ContactCenter.Tests.Infrastructure;
using ContactCenter.WorkOrders;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Storage;

namespace ContactCenter.Tests.WorkOrders;

/// <summary>
/// The work-orders table on both databases: one version at a time, due deadlines taken once per lease, the desks' list
/// by deadline and narrowed by department, owner and subscriber, and the figures' counts.
/// </summary>
[Collection(PostgresCollection.Name)]
[Slow("a private PostgreSQL")]
public sealed class WorkOrderStoreTests(PostgresServer postgres) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 10, 0, 0, TimeSpan.FromHours(8));
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-work-order-store-").FullName;
    private readonly WorkOrderLife _life = new(new WorkOrderOptions());

    public static TheoryData<DatabaseKind> Databases => [DatabaseKind.Sqlite, DatabaseKind.PostgreSql];

    private async Task<IWorkOrderStore> StoreAsync(DatabaseKind kind)
    {
        if (kind == DatabaseKind.PostgreSql)
        {
            return new PostgresWorkOrderStore(NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync()));
        }

        var database = new DatabaseTarget(DatabaseKind.Sqlite, $"Data Source={Path.Combine(_folder, $"{Guid.NewGuid():N}.db")}");
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        return new SqliteWorkOrderStore(database.ConnectionString);
    }

    private WorkOrderRecord Order(string id, string category, DateTimeOffset opened, string? owner = "a1", string subscriber = "+8613912345678") =>
        _life.Open(id, new OpenWorkOrder(subscriber, category, "a complaint", null, owner, WorkOrderSource.Agent, $"agent:{owner}"), opened, DateOnly.FromDateTime(opened.DateTime)) with { Version = 1 };

    private WorkOrderRecord Next(WorkOrderRecord order, WorkOrderAction action, DateTimeOffset at) =>
        _life.Change(order, new WorkOrderChange(action, "someone", "text"), at).Order! with { Version = order.Version + 1 };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ARecordIsWrittenOneVersionAtATime(DatabaseKind kind)
    {
        var store = await StoreAsync(kind);
        var first = Order("wo-1", "fees_and_business", Now);
        await store.SaveAsync(first);
        Assert.Equivalent(first, await store.LoadAsync("wo-1"), strict: true);

        var replied = Next(first, WorkOrderAction.Reply, Now.AddHours(1));
        await store.SaveAsync(replied);
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.SaveAsync(replied));
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.SaveAsync(first with { Version = 1 }));
        Assert.Equal(WorkOrderState.Replied, (await store.LoadAsync("wo-1"))!.State);
        Assert.Null(await store.LoadAsync("wo-none"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ADeadlineIsTakenWhenDueAndOncePerLease(DatabaseKind kind)
    {
        var store = await StoreAsync(kind);
        await store.SaveAsync(Order("wo-1", "fees_and_business", Now));
        await store.SaveAsync(Next(Order("wo-2", "fees_and_business", Now), WorkOrderAction.Reply, Now)); // replied: nothing due

        Assert.Empty(await store.TakeDueAsync(Now.AddHours(47), TimeSpan.FromMinutes(1), 10));
        Assert.Equal(["wo-1"], await store.TakeDueAsync(Now.AddHours(48), TimeSpan.FromMinutes(1), 10));
        Assert.Empty(await store.TakeDueAsync(Now.AddHours(48).AddSeconds(30), TimeSpan.FromMinutes(1), 10));
        Assert.Equal(["wo-1"], await store.TakeDueAsync(Now.AddHours(48).AddMinutes(2), TimeSpan.FromMinutes(1), 10));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TheDesksListIsByDeadlineAndNarrowedAsAsked(DatabaseKind kind)
    {
        var store = await StoreAsync(kind);
        await store.SaveAsync(Order("wo-late", "fees_and_business", Now.AddHours(-40)));
        await store.SaveAsync(Order("wo-new", "fees_and_business", Now, owner: "a2", subscriber: "+8613900000002"));
        await store.SaveAsync(Order("wo-net", "basic_communication", Now.AddHours(-50)));
        var closed = Order("wo-done", "fees_and_business", Now.AddHours(-60));
        await store.SaveAsync(Next(Next(closed, WorkOrderAction.Reply, Now), WorkOrderAction.Close, Now) with { Version = 3 });

        Assert.Equal(["wo-late", "wo-new"], (await store.ListAsync(new WorkOrderQuery("it_center", null, null, true, 10))).Select(o => o.Id));
        Assert.Equal(["wo-late", "wo-new", "wo-done"], (await store.ListAsync(new WorkOrderQuery("it_center", null, null, false, 10))).Select(o => o.Id));
        Assert.Equal(["wo-new"], (await store.ListAsync(new WorkOrderQuery(null, "a2", null, true, 10))).Select(o => o.Id));
        Assert.Equal(["wo-new"], (await store.ListAsync(new WorkOrderQuery(null, null, "+8613900000002", true, 10))).Select(o => o.Id));
        Assert.Equal(["wo-net"], (await store.ListAsync(new WorkOrderQuery(null, null, null, true, 1))).Select(o => o.Id));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TheFiguresCountOpenLateAndTimelyOrders(DatabaseKind kind)
    {
        var store = await StoreAsync(kind);
        var dayStart = Now.AddHours(-10);
        // Opened yesterday, a problem now; opened today: one replied in time, one still in time, one closed.
        await store.SaveAsync(_life.Wake(Order("wo-old", "fees_and_business", Now.AddHours(-80)), Now).Order with { Version = 2 });
        await store.SaveAsync(Next(Order("wo-fast", "fees_and_business", Now.AddHours(-2)), WorkOrderAction.Reply, Now));
        await store.SaveAsync(Order("wo-open", "fees_and_business", Now.AddHours(-1)));
        await store.SaveAsync(Order("wo-net", "basic_communication", Now.AddHours(-3)));

        var rows = await store.CountAsync(Now, dayStart, dayStart.AddDays(1));

        var fees = Assert.Single(rows, r => r.Category == "fees_and_business");
        Assert.Equal(new WorkOrderCountRow("it_center", "fees_and_business", Open: 3, Overdue: 1, Problem: 1, Opened: 2, Decided: 1, InTime: 1), fees);
        var net = Assert.Single(rows, r => r.Category == "basic_communication");
        Assert.Equal(new WorkOrderCountRow("network_maintenance", "basic_communication", 1, 0, 0, 1, 0, 0), net);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TheDailyReportCountsEachDaysOrdersByGroup(DatabaseKind kind)
    {
        var store = await StoreAsync(kind);
        var yesterday = Now.AddDays(-1);
        await store.SaveAsync(Next(Order("wo-a", "fees_and_business", yesterday), WorkOrderAction.Reply, yesterday.AddHours(2)));
        await store.SaveAsync(_life.Wake(Order("wo-b", "fees_and_business", yesterday), Now).Order with { Version = 2 });
        await store.SaveAsync(Order("wo-c", "basic_communication", Now));

        var byDepartment = await store.ReportAsync(WorkOrderGrouping.Department, DateOnly.FromDateTime(yesterday.DateTime), DateOnly.FromDateTime(Now.DateTime).AddDays(1), Now);
        var center = await store.ReportAsync(WorkOrderGrouping.Center, DateOnly.FromDateTime(yesterday.DateTime), DateOnly.FromDateTime(Now.DateTime), Now);

        Assert.Equal(
            [
                new WorkOrderReportRow("it_center", DateOnly.FromDateTime(yesterday.DateTime), Opened: 2, Decided: 1, InTime: 1, WentOverdue: 0, WentProblem: 0, Closed: 0),
                new WorkOrderReportRow("network_maintenance", DateOnly.FromDateTime(Now.DateTime), 1, 0, 0, 0, 0, 0),
            ],
            byDepartment);
        Assert.Equal([new WorkOrderReportRow("center", DateOnly.FromDateTime(yesterday.DateTime), 2, 1, 1, 0, 0, 0)], center);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
