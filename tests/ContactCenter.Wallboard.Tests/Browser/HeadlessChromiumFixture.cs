namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>One browser and one small site for the driver's own tests; each test opens its own page.</summary>
public sealed class HeadlessChromiumFixture : IAsyncLifetime
{
    public HeadlessChromium Browser { get; private set; } = null!;

    public SelfTestSite Site { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Site = await SelfTestSite.StartAsync();
        Browser = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        // The browser first: it hangs up the event streams the site would otherwise wait for.
        await Browser.DisposeAsync();
        await Site.DisposeAsync();
    }
}
