using ContactCenter.Wallboard.Tests.Browser;

namespace ContactCenter.Wallboard.Tests;

/// <summary>
/// A supervisor at a real (headless) Chromium: signs in, watches the wallboard while calls are driven through the
/// gateway API, and sees the numbers change without reloading. Screenshots of each step go to artifacts/wallboard/.
/// </summary>
public sealed class WallboardPageTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-wallboard-").FullName;
    private SiloHost _silo = null!;
    private HeadlessChromium _chromium = null!;

    public async Task InitializeAsync()
    {
        _silo = await SiloHost.StartEmbeddedAsync(Path.Combine(_folder, "wallboard.db"));
        _chromium = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
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
        await using var page = await _chromium.NewPageAsync();

        // Not signed in: the wallboard sends the browser to the sign-in form, which sends it back.
        await page.NavigateAsync(new Uri(_silo.Address, "/wallboard"));
        Assert.EndsWith("/wallboard/login", await page.EvaluateAsync<string>("location.pathname"));
        await page.TypeAsync("#token", TestTokens.SupervisorToken);
        await page.ClickAsync("#sign-in");
        await page.WaitUntilAsync("location.pathname === '/wallboard' && document.querySelector('#connection')?.textContent === 'live'");
        await WaitForTileAsync(page, queue, waiting: "0");
        await page.WaitUntilAsync($"document.querySelector('{AgentRow(center.Id("a1"), ".state")}')?.textContent === 'Available'");
        await page.ScreenshotAsync(TestArtifacts.PathFor("wallboard", "1-signed-in.png"));

        // Two callers queue: the first rings at a1, the second waits.
        await center.QueueCallAsync("c1", "billing");
        await center.QueueCallAsync("c2", "billing");
        await WaitForTileAsync(page, queue, waiting: "2");
        await page.WaitUntilAsync($"document.querySelector('{AgentRow(center.Id("a1"), ".state")}')?.textContent === 'Ringing'");
        // The connect for a1 waits for the gateway's next poll: the gateway is alive, with one command waiting.
        await page.WaitUntilAsync($"document.querySelector('{GatewayRow(TestTokens.NanjingGateway, ".open-commands")}')?.textContent === '1'");
        Assert.Equal("Alive", await page.TextAsync(GatewayRow(TestTokens.NanjingGateway, ".health")));
        Assert.EndsWith("ago", await page.TextAsync(GatewayRow(TestTokens.NanjingGateway, ".last-poll")));
        await page.ClickAsync($"#queues [data-queue=\"{queue}\"]");
        await page.WaitUntilAsync("document.querySelectorAll('#waiting-calls tbody tr').length === 2");
        await page.ScreenshotAsync(TestArtifacts.PathFor("wallboard", "2-two-waiting.png"));

        // a1 answers the first; the second caller gives up after more than the short-abandon threshold (5 s).
        await new GatewayBatch().Event(center.Id("c1"), 3, "answered", new { agent = center.Id("a1") }).PostAsync(center.Gateway);
        await WaitForTileAsync(page, queue, waiting: "1");
        await page.WaitUntilAsync($"document.querySelector('{AgentRow(center.Id("a1"), ".state")}')?.textContent === 'On call'");
        await Task.Delay(TimeSpan.FromSeconds(5.5));
        await new GatewayBatch().Event(center.Id("c2"), 3, "ended", new { cause = "normal", hungUpBy = "caller" }).PostAsync(center.Gateway);
        await WaitForTileAsync(page, queue, waiting: "0");

        // One answered within 20 s and one abandoned: a service level of 50%, under the 80% target, raises an alert.
        await page.WaitUntilAsync($"document.querySelector('#queues [data-queue=\"{queue}\"] .service-level b')?.textContent === '50%'");
        await page.WaitUntilAsync($"document.querySelector('#alerts [data-alert=\"serviceLevel\"][data-queue=\"{queue}\"]') !== null");
        Assert.Equal("1", await page.TextAsync("#center [data-kpi=\"answered\"] .value"));
        Assert.Equal("1", await page.TextAsync("#center [data-kpi=\"abandoned\"] .value"));
        Assert.Equal("0", await page.TextAsync("#center [data-kpi=\"waiting\"] .value"));
        Assert.Equal("50%", await page.TextAsync("#center [data-kpi=\"abandon-rate\"] .value"));
        await page.ScreenshotAsync(TestArtifacts.PathFor("wallboard", "3-answered-and-abandoned.png"));

        // Today's report, linked from the page, is the CSV of the same day: the call that left the queue is in it.
        var report = await page.EvaluateAsync<string>("fetch(document.querySelector('#report-link').href).then(r => r.ok ? r.text() : 'status ' + r.status)");
        Assert.StartsWith("group,", report);
        Assert.Contains(queue, report);

        // The numbers came in over the stream: the page was never reloaded, and nothing on it failed.
        Assert.Equal(1, await page.EvaluateAsync<int>("performance.getEntriesByType('navigation').length"));
        Assert.Empty(page.Problems);
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
        await using var page = await SignedInPageAsync();
        await WaitForTileAsync(page, billing, waiting: "1");

        // Whisper to a1 on the call: the command goes to the gateway that owns the call.
        await page.TypeAsync("#supervisor-endpoint", "sip:sup-1@pbx");
        var whisper = AgentRow(center.Id("a1"), "button.whisper");
        await page.WaitUntilAsync($"document.querySelector('{whisper}') !== null");
        await page.ClickAsync(whisper);
        await page.WaitUntilAsync("document.querySelector('#action-result').textContent.includes('done')");
        var join = await center.CommandForAsync("c1", "join_as_supervisor");
        Assert.NotNull(join);
        Assert.Equal(("whisper", "sip:sup-1@pbx"), (join["command"]!["mode"]!.GetValue<string>(), join["command"]!["endpoint"]!.GetValue<string>()));

        // Raise the waiting call's priority, then move it to sales, from the queue's drill-down.
        await page.ClickAsync($"#queues [data-queue=\"{billing}\"]");
        var waitingRow = $"#waiting-calls tr[data-call=\"{center.Id("c2")}\"]";
        await page.WaitUntilAsync($"document.querySelector('{waitingRow}') !== null");
        await page.ClickAsync($"{waitingRow} button.raise-priority");
        await page.WaitUntilAsync($"document.querySelector('{waitingRow} td:nth-child(3)')?.textContent === '1'");
        await page.ScreenshotAsync(TestArtifacts.PathFor("wallboard", "4-priority-raised.png"));
        await page.EvaluateAsync($"(s => {{ s.value = '{sales}'; s.dispatchEvent(new Event('change')); }})(document.querySelector('{waitingRow} select.move-target'))");
        await page.ClickAsync($"{waitingRow} button.move");
        await WaitForTileAsync(page, sales, waiting: "1");
        await WaitForTileAsync(page, billing, waiting: "0");

        // Log a2 out: the agent leaves the board.
        await page.ClickAsync(AgentRow(center.Id("a2"), "button.force-logout"));
        await page.WaitUntilAsync($"document.querySelector('{AgentRow(center.Id("a2"), "")}') === null");
        await page.ScreenshotAsync(TestArtifacts.PathFor("wallboard", "5-after-actions.png"));

        using var supervisor = _silo.Client(TestTokens.SupervisorToken);
        var audit = await supervisor.GetStringAsync("/api/audit?actor=sup-1&limit=100");
        foreach (var action in new[] { "whisper", "set_priority", "move_call", "force_logout" })
        {
            Assert.Contains($"\"action\":\"{action}\"", audit);
        }

        Assert.Empty(page.Problems);
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
        await using var page = await SignedInPageAsync(silo);
        var health = GatewayRow(TestTokens.NanjingGateway, ".health");
        await page.WaitUntilAsync($"document.querySelector('{health}')?.textContent === 'Alive'");

        // The gateway stops polling: the board shows it lost, in its alarm colour.
        await page.WaitUntilAsync($"document.querySelector('{health}')?.textContent === 'Lost'", TimeSpan.FromSeconds(10));
        Assert.True(await page.EvaluateAsync<bool>($"document.querySelector('{GatewayRow(TestTokens.NanjingGateway, "")}').classList.contains('gateway-lost')"));
        await page.ScreenshotAsync(TestArtifacts.PathFor("wallboard", "6-gateway-lost.png"));

        // It polls again: alive.
        await center.PollAsync();
        await page.WaitUntilAsync($"document.querySelector('{health}')?.textContent === 'Alive'");
        Assert.Empty(page.Problems);
    }

    private async Task<BrowserPage> SignedInPageAsync(SiloHost? silo = null)
    {
        var page = await _chromium.NewPageAsync();
        await page.NavigateAsync(new Uri((silo ?? _silo).Address, "/wallboard/login"));
        await page.TypeAsync("#token", TestTokens.SupervisorToken);
        await page.ClickAsync("#sign-in");
        await page.WaitUntilAsync("location.pathname === '/wallboard' && document.querySelector('#connection')?.textContent === 'live'");
        return page;
    }

    /// <summary>The CSS selector of an agent's row in the agent list, or of an element inside it.</summary>
    private static string AgentRow(string agentId, string inside) => $"#agents tr[data-agent=\"{agentId}\"] {inside}".TrimEnd();

    /// <summary>The CSS selector of a gateway's row in the gateways' table, or of an element inside it.</summary>
    private static string GatewayRow(string gatewayId, string inside) => $"#gateways tr[data-gateway=\"{gatewayId}\"] {inside}".TrimEnd();

    private static Task WaitForTileAsync(BrowserPage page, string queue, string waiting) =>
        page.WaitUntilAsync($"document.querySelector('#queues [data-queue=\"{queue}\"] .waiting b')?.textContent === '{waiting}'");
}
