using System.Net;
using System.Net.Sockets;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>
/// The page tests end by asserting that nothing went wrong in the page (<see cref="BrowserSession.Pass"/>):
/// these tests show that what goes wrong is seen, and that a healthy page with an open event stream is not
/// taken for a broken one.
/// </summary>
[Slow("a headless Chromium")]
public sealed class PageProblemsTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private SelfTestSite _site = null!;

    public async Task InitializeAsync() => _site = await SelfTestSite.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task AHealthyPageWithAnOpenEventStreamHasNoProblems()
    {
        await using var session = await chromium.OpenAsync(nameof(AHealthyPageWithAnOpenEventStreamHasNoProblems));
        await session.Page.GotoAsync(_site.Address.ToString());

        // The stream is live: the number moves on (it is 1 at the first message, one more each second).
        await Expect(session.Page.Locator("#ticks")).ToHaveTextAsync("3", new() { Timeout = 10_000 });

        session.Pass();
    }

    [Fact]
    public async Task ConsoleErrorsUncaughtExceptionsAndFailedRequestsAreCollected()
    {
        await using var session = await chromium.OpenAsync(nameof(ConsoleErrorsUncaughtExceptionsAndFailedRequestsAreCollected));
        await session.Page.GotoAsync(_site.Address.ToString());
        var closedPort = ClosedPort();

        await session.Page.EvaluateAsync($$"""
            console.error('queue', 'gotone', 3);
            setTimeout(() => { throw new Error('nobody caught this'); });
            fetch('/no-such-resource');
            fetch('http://127.0.0.1:{{closedPort}}/').catch(() => {});
            """);
        var problems = await ProblemsOnceAsync(session, count: 4);

        Assert.Contains(new PageProblem(PageProblemKind.ConsoleError, "queue gotone 3"), problems);
        Assert.Contains(problems, p => p.Kind == PageProblemKind.UncaughtException && p.Message.Contains("nobody caught this", StringComparison.Ordinal));
        Assert.Contains(new PageProblem(PageProblemKind.HttpError, $"404 Not Found {new Uri(_site.Address, "/no-such-resource")}"), problems);
        Assert.Contains(new PageProblem(PageProblemKind.RequestFailed, $"net::ERR_CONNECTION_REFUSED http://127.0.0.1:{closedPort}/"), problems);
        Assert.Equal(4, problems.Count);
        session.PassExpectingProblems();
    }

    private static Task<IReadOnlyList<PageProblem>> ProblemsOnceAsync(BrowserSession session, int count) =>
        Eventually.ReadAsync(() => Task.FromResult(session.Problems), problems => problems.Count >= count, TimeSpan.FromSeconds(5));

    /// <summary>A loopback port that was free a moment ago and that nobody listens on (the OS picked it).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
