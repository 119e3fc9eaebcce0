using Microsoft.Playwright;

namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright (nothing is downloaded: <see cref="ChromiumExecutable"/>
/// says which browser). One per test class; each test opens a <see cref="BrowserSession"/> of its own.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>The size of every page, so screenshots compare across runs.</summary>
    public static readonly ViewportSize Viewport = new() { Width = 1280, Height = 800 };

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    static Chromium() =>
        // A wallboard frame arrives every second; a condition not met within 15 s is not going to be.
        Assertions.SetDefaultExpectTimeout(15_000);

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumExecutable.Find(),
            Headless = true,
        });
    }

    /// <summary>A fresh context (no cookies, no storage) and page for one test, named for its trace.</summary>
    public Task<BrowserSession> OpenAsync(string name) => BrowserSession.OpenAsync(_browser, name);

    public async Task DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
