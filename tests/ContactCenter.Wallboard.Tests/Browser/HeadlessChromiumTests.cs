using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ContactCenter.Wallboard.Tests.Browser;

public sealed class HeadlessChromiumTests(HeadlessChromiumFixture fixture) : IClassFixture<HeadlessChromiumFixture>
{
    private const string Ticks = "document.querySelector('#ticks').innerText";

    [Fact]
    public async Task TypedTextReachesThePageAndTheServer()
    {
        await using var page = await OpenSiteAsync();

        await page.TypeAsync("#name", "Ada Lovelace");
        // The page's input handler ran, so the event was dispatched as a user's typing would.
        Assert.Equal("typing Ada Lovelace", await page.TextAsync("#echo"));

        await page.ClickAsync("#greet");
        var greeting = await page.WaitUntilAsync("document.querySelector('#greeting').innerText");

        Assert.Equal("The server greets Ada Lovelace", greeting.GetString());
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task CookiesAndExtraHeadersReachTheServer()
    {
        await using var page = await OpenSiteAsync();

        await page.SetCookieAsync(fixture.Site.Address, "session", "s-42");
        await page.SetExtraHttpHeadersAsync(new Dictionary<string, string> { ["Authorization"] = "Bearer supervisor-token" });
        var seen = await page.EvaluateAsync<string>("fetch('/whoami').then(response => response.text())");

        Assert.Equal("cookie s-42, Bearer supervisor-token", seen);
    }

    [Fact]
    public async Task ServerSentEventsKeepChangingTheNumber()
    {
        await using var page = await OpenSiteAsync();

        var first = int.Parse((await page.WaitUntilAsync($"Number({Ticks})")).GetRawText());
        var second = int.Parse((await page.WaitUntilAsync($"Number({Ticks}) !== {first} && Number({Ticks})", TimeSpan.FromSeconds(5))).GetRawText());
        var third = int.Parse((await page.WaitUntilAsync($"Number({Ticks}) !== {second} && Number({Ticks})", TimeSpan.FromSeconds(5))).GetRawText());

        Assert.True(first < second && second < third, $"ticks went {first}, {second}, {third}");
        // An open event stream is not a failed request.
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task ScriptErrorsComeOutAsJavaScriptExceptions()
    {
        await using var page = await OpenSiteAsync();

        var thrown = await Assert.ThrowsAsync<JavaScriptException>(() => page.EvaluateAsync("(() => { throw new Error('the page broke'); })()"));
        var rejected = await Assert.ThrowsAsync<JavaScriptException>(() => page.EvaluateAsync("Promise.reject(new Error('the promise broke'))"));
        var missing = await Assert.ThrowsAsync<JavaScriptException>(() => page.ClickAsync("#no-such-button"));

        Assert.StartsWith("Error: the page broke", thrown.Message);
        Assert.StartsWith("Error: the promise broke", rejected.Message);
        Assert.StartsWith("Error: no element matches #no-such-button", missing.Message);
        Assert.Equal(42, await page.EvaluateAsync<int>("Promise.resolve(6 * 7)"));
    }

    [Fact]
    public async Task WaitingInVainSaysWhatItWaitedForAndWhatItSaw()
    {
        await using var page = await OpenSiteAsync();

        var neverTrue = await Assert.ThrowsAsync<TimeoutException>(() => page.WaitUntilAsync("document.title === 'never this'", TimeSpan.FromMilliseconds(500)));
        var neverThere = await Assert.ThrowsAsync<TimeoutException>(() => page.WaitUntilAsync("document.querySelector('#absent').innerText", TimeSpan.FromMilliseconds(500)));
        var notANumber = await Assert.ThrowsAsync<TimeoutException>(() => page.WaitUntilAsync("Number('none yet')", TimeSpan.FromMilliseconds(300)));

        Assert.Contains("`document.title === 'never this'`", neverTrue.Message);
        Assert.EndsWith("it last gave false", neverTrue.Message);
        Assert.Contains("an exception: TypeError: Cannot read properties of null", neverThere.Message);
        Assert.EndsWith("it last gave NaN", notANumber.Message);
    }

    [Fact]
    public async Task ConsoleErrorsUncaughtExceptionsAndFailedRequestsAreCollected()
    {
        await using var page = await OpenSiteAsync();
        Assert.Empty(page.Problems);

        var closedPort = ClosedPort();
        await page.EvaluateAsync($$"""
            console.error('queue', 'gotone', 3);
            setTimeout(() => { throw new Error('nobody caught this'); });
            fetch('/no-such-resource');
            fetch('http://127.0.0.1:{{closedPort}}/').catch(() => {});
            """);
        var problems = await ProblemsOnceAsync(page, count: 4);

        Assert.Contains(new PageProblem(PageProblemKind.ConsoleError, "queue gotone 3"), problems);
        Assert.Contains(problems, p => p.Kind == PageProblemKind.UncaughtException && p.Message.Contains("Error: nobody caught this", StringComparison.Ordinal));
        Assert.Contains(new PageProblem(PageProblemKind.HttpError, $"404 Not Found {new Uri(fixture.Site.Address, "/no-such-resource")}"), problems);
        Assert.Contains(new PageProblem(PageProblemKind.RequestFailed, $"net::ERR_CONNECTION_REFUSED http://127.0.0.1:{closedPort}/"), problems);
        Assert.Equal(4, problems.Count);
    }

    [Fact]
    public async Task ScreenshotIsAPngOfTheWholeViewport()
    {
        await using var page = await OpenSiteAsync();
        await page.WaitUntilAsync($"Number({Ticks})");
        var path = TestArtifacts.PathFor("browser", "self-test.png");
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        await page.ScreenshotAsync(path);

        var png = await File.ReadAllBytesAsync(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        // The IHDR chunk comes first: width and height, big-endian, at bytes 16 and 20.
        var size = (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal(BrowserPage.ViewportSize, size);
    }

    [Fact]
    public async Task DisposingTheBrowserEndsItsProcessesAndDeletesItsProfile()
    {
        var browser = await HeadlessChromium.LaunchAsync();
        await using (var page = await browser.NewPageAsync())
        {
            await page.NavigateAsync(fixture.Site.Address);
        }

        var (processId, profile) = (browser.ProcessId, browser.ProfileFolder);
        Assert.NotEmpty(ProcessesUsing(profile));

        await browser.DisposeAsync();

        Assert.False(Directory.Exists(profile), $"{profile} is still there");
        Assert.False(Directory.Exists($"/proc/{processId}"), $"the browser process {processId} is still running");
        Assert.Empty(ProcessesUsing(profile));
    }

    private async Task<BrowserPage> OpenSiteAsync()
    {
        var page = await fixture.Browser.NewPageAsync();
        await page.NavigateAsync(fixture.Site.Address);
        return page;
    }

    private static async Task<IReadOnlyList<PageProblem>> ProblemsOnceAsync(BrowserPage page, int count)
    {
        var clock = Stopwatch.StartNew();
        while (page.Problems.Count < count && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50);
        }

        return page.Problems;
    }

    /// <summary>A loopback port that was free a moment ago and that nobody listens on (the OS picked it).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Processes whose command line names the folder (the browser passes its profile to its helpers).</summary>
    private static List<int> ProcessesUsing(string folder) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Where(name =>
            {
                try
                {
                    return File.ReadAllText($"/proc/{name}/cmdline").Contains(folder, StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false; // Ended while we looked.
                }
            })
            .Select(name => int.Parse(name!))];
}
