using Microsoft.Playwright;

namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>
/// One test's browser context and page, traced from the start. <see cref="Pass"/> ends the test: it asserts that
/// nothing went wrong in the page and drops the trace. A session disposed without it (an assertion or a timeout
/// failed first) keeps its trace in artifacts/browser-traces/, to open with <c>playwright show-trace</c>: every
/// action, a DOM snapshot and a screenshot of each step, the console and the network.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly string _name;
    private readonly PageProblems _problems;
    private bool _passed;

    private BrowserSession(IBrowserContext context, IPage page, string name)
    {
        _context = context;
        _name = name;
        Page = page;
        _problems = new PageProblems(page);
    }

    public IPage Page { get; }

    public IReadOnlyList<PageProblem> Problems => _problems.Snapshot();

    internal static async Task<BrowserSession> OpenAsync(IBrowser browser, string name)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Chromium.Viewport });
        await context.Tracing.StartAsync(new TracingStartOptions { Title = name, Screenshots = true, Snapshots = true });
        return new BrowserSession(context, await context.NewPageAsync(), name);
    }

    /// <summary>The test passed if nothing went wrong in the page either.</summary>
    public void Pass()
    {
        Assert.Empty(Problems);
        _passed = true;
    }

    /// <summary>The test passed, and what went wrong in the page was what it set out to cause.</summary>
    public void PassExpectingProblems() => _passed = true;

    public async ValueTask DisposeAsync()
    {
        var trace = TestArtifacts.PathFor("browser-traces", $"{_name}.zip");
        if (_passed)
        {
            // The folder holds the traces of tests that failed in their last run only.
            if (File.Exists(trace))
            {
                File.Delete(trace);
            }

            await _context.Tracing.StopAsync();
        }
        else
        {
            await _context.Tracing.StopAsync(new TracingStopOptions { Path = trace });
        }

        await _context.CloseAsync();
    }
}
