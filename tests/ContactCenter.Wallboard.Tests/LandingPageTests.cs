using ContactCenter.Wallboard.Tests.Browser;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Wallboard.Tests;

/// <summary>A newcomer opens the silo's address: the landing page links to everything it serves, and every link works.</summary>
[Slow("a headless Chromium")]
public sealed class LandingPageTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-home-").FullName;
    private SiloHost _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloHost.StartEmbeddedAsync(Path.Combine(_folder, "home.db"));

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task EveryLinkOfTheLandingPageLeadsSomewhere()
    {
        await using var session = await chromium.OpenAsync(nameof(EveryLinkOfTheLandingPageLeadsSomewhere));
        var page = session.Page;
        await page.GotoAsync(_silo.Address.ToString());
        await Expect(page).ToHaveTitleAsync("Contact center cluster");
        var links = await page.Locator("#links a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");

        Assert.Contains("/wallboard", links);
        Assert.Contains("/api-docs/", links);
        Assert.Contains("/openapi/v1.json", links);
        Assert.Contains("/metrics", links);
        foreach (var link in links)
        {
            // As the newcomer's browser follows it, signed out: a page or the sign-in form, or (the metrics, for
            // Prometheus) a 401 asking for a token; never a missing page or an error.
            var response = await page.APIRequest.GetAsync(new Uri(_silo.Address, link).ToString());
            var expected = link == "/metrics" ? 401 : 200;
            Assert.True(response.Status == expected, $"{link} answered {response.Status}");
        }

        await page.Locator("#links a", new() { HasText = "API reference" }).ClickAsync();
        await Expect(page.Locator(".swagger-ui .title").First).ToContainTextAsync("Contact center cluster API");
        session.Pass();
    }
}
