using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.Wallboard.Tests.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Wallboard.Tests;

/// <summary>
/// An agent at a real (headless) Chromium: signs in with their own token, logs in at a phone and gets ready; a call is
/// offered and the caller's screen-pop (their open work order among it) arrives on the page without asking; the agent
/// talks, opens a work order from the call, and after wrap-up is ready again.
/// </summary>
[Slow("a headless Chromium")]
public sealed class AgentDeskTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private const string Agent = TestTokens.DeskAgent;
    private const string Subscriber = "+8613912340001";
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-agent-desk-").FullName;
    private SiloHost _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloHost.StartEmbeddedAsync(Path.Combine(_folder, "desk.db"));

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AnAgentTakesACallWithTheScreenPopPushedAndOpensAWorkOrderFromIt()
    {
        var center = new CenterClient(_silo);
        await center.QueueAsync("billing");
        await CenterClient.ExpectAsync(200, center.Admin.PutAsJsonAsync($"/api/v1/admin/agents/{Agent}", new
        {
            name = "desk agent",
            region = "nanjing",
            skills = new[] { new { queue = center.Id("billing"), tier = 1 } },
        }));
        await CenterClient.ExpectAsync(201, center.Admin.PostAsJsonAsync("/api/v1/work-orders", new { subscriber = Subscriber, category = "marketing", summary = "an offer never applied", id = "wo-before" }));
        await center.PollAsync();
        await using var session = await chromium.OpenAsync(nameof(AnAgentTakesACallWithTheScreenPopPushedAndOpensAWorkOrderFromIt));
        var page = session.Page;

        await page.GotoAsync(new Uri(_silo.Address, "/desk/agent").ToString());
        await Expect(page).ToHaveURLAsync(new Regex(@"/wallboard/login(\?.*)?$"));
        await page.Locator("#token").FillAsync(TestTokens.DeskAgentToken);
        await page.Locator("#sign-in").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/desk/agent$"));
        await Expect(page.Locator("#connection")).ToHaveTextAsync("live");
        await Expect(page.Locator("#presence")).ToHaveTextAsync("Logged out");

        await page.Locator("#endpoint").FillAsync($"sip:{Agent}@pbx.test");
        await page.Locator("#log-in").ClickAsync();
        await Expect(page.Locator("#presence")).ToHaveTextAsync("Not ready");
        await page.Locator("#ready").ClickAsync();
        await Expect(page.Locator("#presence")).ToHaveTextAsync("Available");

        // A call: the desk shows it ringing, and who is calling, as the queue offers it.
        await center.QueueCallAsync("c1", "billing", caller: Subscriber);
        await Expect(page.Locator("#presence")).ToHaveTextAsync("Ringing");
        await Expect(page.Locator("#call-title")).ToContainTextAsync(Subscriber);
        await Expect(page.Locator("#open-orders [data-order=\"wo-before\"]")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = TestArtifacts.PathFor("desk", "2-agent-ringing.png") });

        await new GatewayBatch().Event(center.Id("c1"), 3, "answered", new { agent = Agent }).PostAsync(center.Gateway);
        await Expect(page.Locator("#presence")).ToHaveTextAsync("On call");
        await Expect(page.Locator("#call-controls")).ToBeVisibleAsync();
        await page.Locator("#order-category").SelectOptionAsync("fees_and_business");
        await page.Locator("#order-summary").FillAsync("charged twice for a data pack");
        await page.Locator("#open-order").ClickAsync();
        await Expect(page.Locator("#desk-result")).ToContainTextAsync("opened, for it_center");

        await new GatewayBatch().Event(center.Id("c1"), 4, "ended", new { cause = "normal", hungUpBy = "caller" }).PostAsync(center.Gateway);
        await Expect(page.Locator("#presence")).ToHaveTextAsync("Wrap-up");
        await page.Locator("#ready").ClickAsync();
        await Expect(page.Locator("#presence")).ToHaveTextAsync("Available");
        session.Pass();

        // The order is the agent's, taken on that call, dispatched to the department of its category.
        using var agent = _silo.Client(TestTokens.DeskAgentToken);
        var mine = (await agent.GetFromJsonAsync<JsonArray>("/api/v1/work-orders"))!;
        var order = Assert.Single(mine, o => o!["callId"]?.GetValue<string>() == center.Id("c1"))!;
        Assert.Equal((Agent, "it_center", "agent"), (order["owner"]!.GetValue<string>(), order["department"]!.GetValue<string>(), order["source"]!.GetValue<string>()));
    }
}
