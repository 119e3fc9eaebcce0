using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ContactCenter.Wallboard.Tests.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Wallboard.Tests;

/// <summary>
/// A supervisor at a real (headless) Chromium: signs in, watches the wallboard while calls are driven through the
/// gateway API, and sees the numbers change without reloading. Screenshots of each step go to artifacts/wallboard/,
/// and a failed test leaves its Playwright trace in artifacts/browser-traces/.
/// </summary>
[Slow("a headless Chromium")]
public sealed class WallboardPageTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-wallboard-").FullName;
    private SiloHost _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloHost.StartEmbeddedAsync(Path.Combine(_folder, "wallboard.db"));

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ASupervisorSignsInAndWatchesCallsArriveGetAnsweredAndAbandon()
    {
        var center = new CenterClient(_silo);
        await center.QueueAsync("billing");
        await center.AgentAsync("a1", ready: true, "billing");
        await center.AgentAsync("a2", ready: false, "billing");
        var queue = center.Id("billing");
        await center.PollAsync(); // the gateway's command channel is up
        await using var session = await chromium.OpenAsync(nameof(ASupervisorSignsInAndWatchesCallsArriveGetAnsweredAndAbandon));
        var page = session.Page;

        // Not signed in: the wallboard sends the browser to the sign-in form, which sends it back.
        await page.GotoAsync(new Uri(_silo.Address, "/wallboard").ToString());
        await Expect(page).ToHaveURLAsync(new Regex(@"/wallboard/login(\?.*)?$"));
        await SignInAsync(page);
        await Expect(WaitingOn(page, queue)).ToHaveTextAsync("0");
        await Expect(page.Locator(AgentRow(center.Id("a1"), ".state"))).ToHaveTextAsync("Available");
        // The last hour, drawn on the center and each queue's tile: the first frame is its first point.
        await Expect(page.Locator("#center svg.trend rect")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator($"#queues [data-queue=\"{queue}\"] svg.trend")).ToHaveCountAsync(1);
        // A complaint for network maintenance: on the page with the next reading of the work orders' figures (every 30 s).
        using (var supervisor = _silo.Client(TestTokens.SupervisorToken))
        {
            await CenterClient.ExpectAsync(201, supervisor.PostAsJsonAsync("/api/v1/work-orders", new { subscriber = "+8613912345678", category = "basic_communication", summary = "no signal at home" }));
        }

        await Expect(page.Locator("#complaints [data-complaints=\"network_maintenance\"] .open")).ToHaveTextAsync("1", new() { Timeout = 40_000 });
        await Expect(page.Locator("#complaints [data-complaints=\"center\"] .open")).ToHaveTextAsync("1");
        await ScreenshotAsync(page, "1-signed-in.png");

        // Two callers queue: the first rings at a1, the second waits.
        await center.QueueCallAsync("c1", "billing");
        await center.QueueCallAsync("c2", "billing");
        await Expect(WaitingOn(page, queue)).ToHaveTextAsync("2");
        await Expect(page.Locator(AgentRow(center.Id("a1"), ".state"))).ToHaveTextAsync("Ringing");
        // The connect for a1 waits for the gateway's next poll: the gateway is alive, with one command waiting.
        await Expect(page.Locator(GatewayRow(TestTokens.NanjingGateway, ".open-commands"))).ToHaveTextAsync("1");
        await Expect(page.Locator(GatewayRow(TestTokens.NanjingGateway, ".health"))).ToHaveTextAsync("Alive");
        await Expect(page.Locator(GatewayRow(TestTokens.NanjingGateway, ".last-poll"))).ToHaveTextAsync(new Regex("ago$"));
        await page.Locator($"#queues [data-queue=\"{queue}\"]").ClickAsync();
        await Expect(page.Locator("#waiting-calls tbody tr")).ToHaveCountAsync(2);
        await ScreenshotAsync(page, "2-two-waiting.png");

        // a1 answers the first; the second caller gives up after more than the short-abandon threshold (5 s).
        await new GatewayBatch().Event(center.Id("c1"), 3, "answered", new { agent = center.Id("a1") }).PostAsync(center.Gateway);
        await Expect(WaitingOn(page, queue)).ToHaveTextAsync("1");
        await Expect(page.Locator(AgentRow(center.Id("a1"), ".state"))).ToHaveTextAsync("On call");
        await Task.Delay(TimeSpan.FromSeconds(5.5));
        await new GatewayBatch().Event(center.Id("c2"), 3, "ended", new { cause = "normal", hungUpBy = "caller" }).PostAsync(center.Gateway);
        await Expect(WaitingOn(page, queue)).ToHaveTextAsync("0");

        // One answered within 20 s and one abandoned: a service level of 50%, under the 80% target, raises an alert.
        await Expect(page.Locator($"#queues [data-queue=\"{queue}\"] .service-level b")).ToHaveTextAsync("50%");
        await Expect(page.Locator($"#alerts [data-alert=\"serviceLevel\"][data-queue=\"{queue}\"]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#center [data-kpi=\"answered\"] .value")).ToHaveTextAsync("1");
        await Expect(page.Locator("#center [data-kpi=\"abandoned\"] .value")).ToHaveTextAsync("1");
        await Expect(page.Locator("#center [data-kpi=\"waiting\"] .value")).ToHaveTextAsync("0");
        await Expect(page.Locator("#center [data-kpi=\"abandon-rate\"] .value")).ToHaveTextAsync("50%");
        await ScreenshotAsync(page, "3-answered-and-abandoned.png");

        // Today's report, linked from the page, is the CSV of the same day: the call that left the queue is in it.
        var report = await page.EvaluateAsync<string>("fetch(document.querySelector('#report-link').href).then(r => r.ok ? r.text() : 'status ' + r.status)");
        Assert.StartsWith("group,", report);
        Assert.Contains(queue, report);

        // The numbers came in over the stream: the page was never reloaded.
        Assert.Equal(1, await page.EvaluateAsync<int>("performance.getEntriesByType('navigation').length"));
        session.Pass();
    }

    [Fact]
    public async Task ASupervisorActsFromThePageAndEveryActionIsAudited()
    {
        var center = new CenterClient(_silo);
        await center.QueueAsync("billing");
        await center.QueueAsync("sales");
        await center.AgentAsync("a1", ready: true, "billing");
        await center.AgentAsync("a2", ready: false, "billing", "sales");
        var (billing, sales) = (center.Id("billing"), center.Id("sales"));
        await center.QueueCallAsync("c1", "billing");
        await new GatewayBatch().Event(center.Id("c1"), 3, "answered", new { agent = center.Id("a1") }).PostAsync(center.Gateway);
        await center.QueueCallAsync("c2", "billing");
        await using var session = await chromium.OpenAsync(nameof(ASupervisorActsFromThePageAndEveryActionIsAudited));
        var page = session.Page;
        await page.GotoAsync(new Uri(_silo.Address, "/wallboard/login").ToString());
        await SignInAsync(page);
        await Expect(WaitingOn(page, billing)).ToHaveTextAsync("1");

        // The agent list is cut at the silo: a filter shows only the agents it matches, and says how many.
        await page.Locator("#agent-filter").FillAsync(center.Id("a2"));
        await Expect(page.Locator("#agents tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#agent-count")).ToHaveTextAsync("1 of 2 agents");
        await page.Locator("#agent-filter").FillAsync("");
        await Expect(page.Locator("#agents tbody tr")).ToHaveCountAsync(2);

        // Whisper to a1 on the call: the command goes to the gateway that owns the call.
        await page.Locator("#supervisor-endpoint").FillAsync("sip:sup-1@pbx");
        await page.Locator(AgentRow(center.Id("a1"), "button.whisper")).ClickAsync();
        await Expect(page.Locator("#action-result")).ToContainTextAsync("done");
        var join = await center.CommandForAsync("c1", "join_as_supervisor");
        Assert.NotNull(join);
        Assert.Equal(("whisper", "sip:sup-1@pbx"), (join["command"]!["mode"]!.GetValue<string>(), join["command"]!["endpoint"]!.GetValue<string>()));

        // Raise the waiting call's priority, then move it to sales, from the queue's drill-down.
        await page.Locator($"#queues [data-queue=\"{billing}\"]").ClickAsync();
        var waitingRow = page.Locator($"#waiting-calls tr[data-call=\"{center.Id("c2")}\"]");
        await waitingRow.Locator("button.raise-priority").ClickAsync();
        await Expect(waitingRow.Locator("td:nth-child(3)")).ToHaveTextAsync("1");
        await ScreenshotAsync(page, "4-priority-raised.png");
        await waitingRow.Locator("select.move-target").SelectOptionAsync(sales);
        await waitingRow.Locator("button.move").ClickAsync();
        await Expect(WaitingOn(page, sales)).ToHaveTextAsync("1");
        await Expect(WaitingOn(page, billing)).ToHaveTextAsync("0");

        // Log a2 out: the agent leaves the board.
        await page.Locator(AgentRow(center.Id("a2"), "button.force-logout")).ClickAsync();
        await Expect(page.Locator(AgentRow(center.Id("a2"), ""))).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "5-after-actions.png");

        using var supervisor = _silo.Client(TestTokens.SupervisorToken);
        var audit = await supervisor.GetStringAsync("/api/v1/audit?actor=sup-1&limit=100");
        foreach (var action in new[] { "whisper", "set_priority", "move_call", "force_logout" })
        {
            Assert.Contains($"\"action\":\"{action}\"", audit);
        }

        session.Pass();
    }

    [Fact]
    public async Task ASupervisorSeesAGatewayThatStopsPollingGoLostAndComeBack()
    {
        // A silo of its own, where a gateway is lost after 2 s of silence (its calls would end only after 10 minutes).
        await using var silo = await SiloHost.StartAsync(
            new("ContactCenter:Mode", "Embedded"),
            new("ContactCenter:SqlitePath", Path.Combine(_folder, "liveness.db")),
            new("ContactCenter:GatewayLostAfterSeconds", "2"),
            new("ContactCenter:GatewayLostGraceSeconds", "600"));
        var center = new CenterClient(silo);
        await center.PollAsync();
        await using var session = await chromium.OpenAsync(nameof(ASupervisorSeesAGatewayThatStopsPollingGoLostAndComeBack));
        var page = session.Page;
        await page.GotoAsync(new Uri(silo.Address, "/wallboard/login").ToString());
        await SignInAsync(page);
        var row = page.Locator(GatewayRow(TestTokens.NanjingGateway, ""));
        // Signing in can take longer than the 2 s after which the gateway counts as lost: it polls again now.
        await center.PollAsync();
        await Expect(row.Locator(".health")).ToHaveTextAsync("Alive");

        // The gateway stops polling: the board shows it lost, in its alarm colour.
        await Expect(row.Locator(".health")).ToHaveTextAsync("Lost", new() { Timeout = 10_000 });
        await Expect(row).ToHaveClassAsync(new Regex(@"\bgateway-lost\b"));
        await ScreenshotAsync(page, "6-gateway-lost.png");

        // It polls again: alive.
        await center.PollAsync();
        await Expect(row.Locator(".health")).ToHaveTextAsync("Alive");
        session.Pass();
    }

    /// <summary>Types the supervisor's token into the sign-in form and waits for the live wallboard.</summary>
    private static async Task SignInAsync(IPage page)
    {
        await page.Locator("#token").FillAsync(TestTokens.SupervisorToken);
        await page.Locator("#sign-in").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/wallboard$"));
        await Expect(page.Locator("#connection")).ToHaveTextAsync("live");
    }

    private static Task ScreenshotAsync(IPage page, string fileName) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = TestArtifacts.PathFor("wallboard", fileName) });

    /// <summary>The number of waiting calls on a queue's tile.</summary>
    private static ILocator WaitingOn(IPage page, string queue) => page.Locator($"#queues [data-queue=\"{queue}\"] .waiting b");

    /// <summary>The CSS selector of an agent's row in the agent list, or of an element inside it.</summary>
    private static string AgentRow(string agentId, string inside) => $"#agents tr[data-agent=\"{agentId}\"] {inside}".TrimEnd();

    /// <summary>The CSS selector of a gateway's row in the gateways' table, or of an element inside it.</summary>
    private static string GatewayRow(string gatewayId, string inside) => $"#gateways tr[data-gateway=\"{gatewayId}\"] {inside}".TrimEnd();
}
