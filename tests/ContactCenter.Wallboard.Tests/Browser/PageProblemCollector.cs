using System.Collections.Concurrent;
using System.Text.Json;

namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>Listens to one page's Runtime and Network events and keeps those that mean something went wrong.</summary>
internal sealed class PageProblemCollector : IDisposable
{
    private readonly List<PageProblem> _problems = [];
    // loadingFailed names only the request id; the URL came with requestWillBeSent.
    private readonly ConcurrentDictionary<string, string> _urls = new();
    private readonly IDisposable[] _subscriptions;

    public PageProblemCollector(DevToolsConnection connection, string sessionId) => _subscriptions =
    [
        connection.Subscribe(sessionId, "Runtime.consoleAPICalled", OnConsoleCall),
        connection.Subscribe(sessionId, "Runtime.exceptionThrown", OnExceptionThrown),
        connection.Subscribe(sessionId, "Network.requestWillBeSent", OnRequest),
        connection.Subscribe(sessionId, "Network.responseReceived", OnResponse),
        connection.Subscribe(sessionId, "Network.loadingFinished", OnFinished),
        connection.Subscribe(sessionId, "Network.loadingFailed", OnFailed),
    ];

    public IReadOnlyList<PageProblem> Snapshot()
    {
        lock (_problems)
        {
            return [.. _problems];
        }
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    private void OnConsoleCall(JsonElement call)
    {
        var type = call.GetProperty("type").GetString();
        if (type is "error" or "assert")
        {
            var words = call.GetProperty("args").EnumerateArray().Select(Text);
            Add(PageProblemKind.ConsoleError, string.Join(' ', words));
        }
    }

    private void OnExceptionThrown(JsonElement thrown) =>
        Add(PageProblemKind.UncaughtException, JavaScriptException.Describe(thrown.GetProperty("exceptionDetails")));

    private void OnRequest(JsonElement request) =>
        _urls[request.GetProperty("requestId").GetString()!] = request.GetProperty("request").GetProperty("url").GetString()!;

    private void OnResponse(JsonElement received)
    {
        var response = received.GetProperty("response");
        var status = response.GetProperty("status").GetInt32();
        var url = new Uri(response.GetProperty("url").GetString()!);
        // Chromium asks every site for /favicon.ico on its own, declared or not; a site without one is not broken.
        if (status >= 400 && !(status == 404 && url.AbsolutePath == "/favicon.ico"))
        {
            // HTTP/2 has no reason phrase: the status text can be empty.
            var text = response.GetProperty("statusText").GetString() is { Length: > 0 } reason ? $" {reason}" : "";
            Add(PageProblemKind.HttpError, $"{status}{text} {url}");
        }
    }

    private void OnFinished(JsonElement finished) => _urls.TryRemove(finished.GetProperty("requestId").GetString()!, out _);

    private void OnFailed(JsonElement failed)
    {
        _urls.TryRemove(failed.GetProperty("requestId").GetString()!, out var url);
        // Canceled: the page aborted it or navigated away (an open EventSource ends so); nothing failed.
        if (failed.TryGetProperty("canceled", out var canceled) && canceled.GetBoolean())
        {
            return;
        }

        var reason = failed.GetProperty("errorText").GetString();
        if (failed.TryGetProperty("blockedReason", out var blocked) || failed.TryGetProperty("corsErrorStatus", out blocked))
        {
            reason = $"{reason} ({blocked.GetRawText()})";
        }

        Add(PageProblemKind.RequestFailed, $"{reason} {url ?? "(unknown URL)"}");
    }

    private void Add(PageProblemKind kind, string message)
    {
        lock (_problems)
        {
            _problems.Add(new PageProblem(kind, message));
        }
    }

    /// <summary>A console argument as the console would print it: strings bare, objects by description.</summary>
    private static string Text(JsonElement remoteObject)
    {
        if (remoteObject.TryGetProperty("value", out var value))
        {
            return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        }

        if (remoteObject.TryGetProperty("description", out var description))
        {
            return description.GetString()!;
        }

        return remoteObject.TryGetProperty("unserializableValue", out var special) ? special.GetString()! : remoteObject.GetProperty("type").GetString()!;
    }
}
