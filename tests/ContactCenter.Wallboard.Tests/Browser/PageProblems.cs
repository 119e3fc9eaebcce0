using Microsoft.Playwright;

namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>
/// Watches one page for what means something went wrong in it: console errors, exceptions no script caught,
/// requests that got no response, and responses with status 400 or above.
/// </summary>
public sealed class PageProblems
{
    private readonly List<PageProblem> _problems = [];

    public PageProblems(IPage page)
    {
        page.Console += (_, message) =>
        {
            // "Failed to load resource" is Chromium's own line for a request that failed or got a 4xx/5xx: that
            // request is reported below, once, with its URL (and a favicon the site does not have, not at all).
            if (message.Type is "error" or "assert" && !message.Text.StartsWith("Failed to load resource:", StringComparison.Ordinal))
            {
                Add(PageProblemKind.ConsoleError, message.Text);
            }
        };
        page.PageError += (_, error) => Add(PageProblemKind.UncaughtException, error);
        page.RequestFailed += (_, request) =>
        {
            // Aborted: the page cancelled it or navigated away (an open EventSource ends so); nothing failed.
            if (request.Failure is not "net::ERR_ABORTED")
            {
                Add(PageProblemKind.RequestFailed, $"{request.Failure} {request.Url}");
            }
        };
        page.Response += (_, response) =>
        {
            // Chromium asks every site for /favicon.ico on its own, declared or not; a site without one is not broken.
            if (response.Status >= 400 && !(response.Status == 404 && new Uri(response.Url).AbsolutePath == "/favicon.ico"))
            {
                // HTTP/2 has no reason phrase: the status text can be empty.
                var reason = response.StatusText is { Length: > 0 } text ? $" {text}" : "";
                Add(PageProblemKind.HttpError, $"{response.Status}{reason} {response.Url}");
            }
        };
    }

    public IReadOnlyList<PageProblem> Snapshot()
    {
        lock (_problems)
        {
            return [.. _problems];
        }
    }

    private void Add(PageProblemKind kind, string message)
    {
        lock (_problems)
        {
            _problems.Add(new PageProblem(kind, message));
        }
    }
}
