using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.Wallboard.Tests.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Wallboard.Tests;

/// <summary>
/// A department at a real (headless) Chromium: signs in with its own token, sees its open work orders by deadline (and
/// no other department's), replies to one from the page, and the order is replied in the cluster.
/// </summary>
[Slow("a headless Chromium")]
public sealed class DepartmentDeskTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-desk-").FullName;
    private SiloHost _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloHost.StartEmbeddedAsync(Path.Combine(_folder, "desk.db"));

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task OpenAsync(HttpClient supervisor, string id, string category, string summary) =>
        await CenterClient.ExpectAsync(201, supervisor.PostAsJsonAsync("/api/v1/work-orders", new { id, subscriber = "+8613912345678", category, summary }));

    [Fact]
    public async Task ADepartmentRepliesToItsOrdersFromItsDesk()
    {
        using var supervisor = _silo.Client(TestTokens.SupervisorToken);
        await OpenAsync(supervisor, "wo-first", "fees_and_business", "charged twice for a data pack");
        await OpenAsync(supervisor, "wo-second", "fees_and_business", "a bill in the wrong name");
        await OpenAsync(supervisor, "wo-network", "basic_communication", "no signal at home");
        await using var session = await chromium.OpenAsync(nameof(ADepartmentRepliesToItsOrdersFromItsDesk));
        var page = session.Page;

        // Not signed in: the desk sends the browser to the sign-in form, which brings the department back to its desk.
        await page.GotoAsync(new Uri(_silo.Address, "/desk/department").ToString());
        await Expect(page).ToHaveURLAsync(new Regex(@"/wallboard/login(\?.*)?$"));
        await page.Locator("#token").FillAsync(TestTokens.ItCenterToken);
        await page.Locator("#sign-in").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/desk/department$"));
        await Expect(page.Locator("#department")).ToHaveTextAsync(TestTokens.ItCenter);

        // Its two orders, the reply due soonest first; not the network department's.
        var rows = page.Locator("#orders tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-order", "wo-first");
        await Expect(page.Locator("[data-order=\"wo-network\"]")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = TestArtifacts.PathFor("desk", "1-department-desk.png") });

        await page.Locator("[data-order=\"wo-first\"] .reply-text").FillAsync("refunded 30 yuan on the next bill");
        await page.Locator("[data-order=\"wo-first\"] button.reply").ClickAsync();

        await Expect(page.Locator("#desk-result")).ToHaveTextAsync("Replied to wo-first.");
        await Expect(page.Locator("[data-order=\"wo-first\"] .state")).ToHaveTextAsync("replied");
        var order = await supervisor.GetFromJsonAsync<JsonObject>("/api/v1/work-orders/wo-first");
        Assert.Equal("replied", order!["state"]!.GetValue<string>());
        Assert.Contains(order["history"]!.AsArray(), e => e!["by"]!.GetValue<string>() == $"department:{TestTokens.ItCenter}" && e["text"]!.GetValue<string>() == "refunded 30 yuan on the next bill");
        session.Pass();

        // A department's token opens its desk, not the supervisors' wallboard.
        using var department = _silo.Client(TestTokens.ItCenterToken);
        using var wallboard = await department.GetAsync("/api/v1/wallboard");
        Assert.Equal(403, (int)wallboard.StatusCode);
    }
}
