using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Tests.WorkOrders;

/// <summary>
/// A work order's deadline is its row: one set by a silo that stopped before it came is raised by the silo that starts
/// on the same database, once; and a low satisfaction score opens a service-quality order through the same machinery.
/// </summary>
[Slow("starts a silo twice")]
public sealed class WorkOrderDeadlineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-work-order-deadline-").FullName;

    private KeyValuePair<string, string?>[] Settings() =>
    [
        new("ContactCenter:Mode", "Embedded"),
        new("ContactCenter:SqlitePath", Path.Combine(_folder, "orders.db")),
        new("ContactCenter:WorkOrders:ReplyWithin", "00:00:03"),
        new("ContactCenter:WorkOrders:ProblemAfter", "00:10:00"),
    ];

    private static Task<JsonObject?> OrderAsync(HttpClient client, string id) => client.GetFromJsonAsync<JsonObject>($"/api/v1/work-orders/{id}");

    private static int Raised(JsonObject order, string kind) => order["history"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == kind);

    [Fact]
    public async Task ADeadlineSetBeforeTheSiloStoppedIsRaisedOnceByTheNextOne()
    {
        await using (var first = await SiloHost.StartAsync(Settings()))
        {
            using var supervisor = first.Client(TestTokens.SupervisorToken);
            using var opened = await supervisor.PostAsJsonAsync("/api/v1/work-orders", new { id = "wo-restart", subscriber = "+8613912345678", category = "basic_communication", summary = "no signal at home" });
            Assert.Equal(201, (int)opened.StatusCode);
        }

        await Task.Delay(TimeSpan.FromSeconds(3.5)); // the deadline passes while no silo runs
        await using var second = await SiloHost.StartAsync(Settings());
        using var client = second.Client(TestTokens.SupervisorToken);

        var overdue = await Eventually.ReadAsync(() => OrderAsync(client, "wo-restart"), o => o?["lateness"]?.GetValue<string>() == "overdue");
        Assert.NotNull(overdue);
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // more timer rounds: nothing is raised twice
        var later = (await OrderAsync(client, "wo-restart"))!;
        Assert.Equal((1, 0), (Raised(later, "overdue"), Raised(later, "problem")));
        var figures = (await client.GetFromJsonAsync<JsonObject>("/api/v1/work-orders/figures"))!;
        var network = figures["byDepartment"]!.AsArray().Single(d => d!["department"]!.GetValue<string>() == "network_maintenance")!;
        Assert.Equal((1, 1, 0), (network["open"]!.GetValue<int>(), network["overdue"]!.GetValue<int>(), network["problem"]!.GetValue<int>()));
        Assert.Equal(0.0, network["timeliness"]!.GetValue<double>());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
