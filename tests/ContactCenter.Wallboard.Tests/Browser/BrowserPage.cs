using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>
/// One tab of a <see cref="HeadlessChromium"/>: navigate, run JavaScript, wait for the page to show something,
/// take screenshots. Console errors, uncaught exceptions and failed requests are collected in
/// <see cref="Problems"/> from the moment it opens.
/// </summary>
public sealed partial class BrowserPage : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    // A busy machine can take a while to answer even a trivial evaluation; a short wait must not mistake that
    // for the condition's answer. So a poll may run past the wait's end by up to this much.
    private static readonly TimeSpan ShortestEvaluation = TimeSpan.FromSeconds(5);

    private readonly DevToolsConnection _connection;
    private readonly string _targetId;
    private readonly string _sessionId;
    private readonly PageProblemCollector _problems;

    private BrowserPage(DevToolsConnection connection, string targetId, string sessionId)
    {
        _connection = connection;
        _targetId = targetId;
        _sessionId = sessionId;
        _problems = new PageProblemCollector(connection, sessionId);
    }

    /// <summary>The viewport every page gets, so that screenshots are comparable from run to run.</summary>
    public static (int Width, int Height) ViewportSize { get; } = (1280, 800);

    /// <summary>What went wrong in the page so far; a healthy page has none.</summary>
    public IReadOnlyList<PageProblem> Problems => _problems.Snapshot();

    internal static async Task<BrowserPage> AttachAsync(DevToolsConnection connection, string targetId, string sessionId)
    {
        // Built (and so subscribed) before the domains are enabled, so that no early event is missed.
        var page = new BrowserPage(connection, targetId, sessionId);
        await page.SendAsync("Page.enable");
        await page.SendAsync("Page.setLifecycleEventsEnabled", new { enabled = true });
        await page.SendAsync("Runtime.enable");
        await page.SendAsync("Network.enable");
        await page.SendAsync("Emulation.setDeviceMetricsOverride", new
        {
            width = ViewportSize.Width,
            height = ViewportSize.Height,
            deviceScaleFactor = 1,
            mobile = false,
        });
        return page;
    }

    /// <summary>Opens <paramref name="url"/> and returns once its load event has fired.</summary>
    public async Task NavigateAsync(Uri url, TimeSpan? timeout = null)
    {
        // Matched by loader id: a late load event of the previous document must not count as this one's.
        var loads = new ConcurrentDictionary<string, TaskCompletionSource>();
        TaskCompletionSource LoadOf(string loaderId) =>
            loads.GetOrAdd(loaderId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        using var subscription = _connection.Subscribe(_sessionId, "Page.lifecycleEvent", lifecycle =>
        {
            if (lifecycle.GetProperty("name").GetString() == "load")
            {
                LoadOf(lifecycle.GetProperty("loaderId").GetString()!).TrySetResult();
            }
        });

        var navigated = await SendAsync("Page.navigate", new { url = url.ToString() });
        if (navigated.TryGetProperty("errorText", out var error) && error.GetString() is { Length: > 0 } reason)
        {
            throw new InvalidOperationException($"Navigation to {url} failed: {reason}");
        }

        if (!navigated.TryGetProperty("loaderId", out var loaderId))
        {
            return; // Same-document navigation (only the fragment changed): there is no new load.
        }

        var limit = timeout ?? DefaultTimeout;
        try
        {
            await LoadOf(loaderId.GetString()!).Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{url} did not finish loading within {limit.TotalSeconds:0.#} s");
        }
    }

    /// <summary>
    /// The value of a JavaScript expression (a promise is awaited), as JSON; ValueKind is Undefined for
    /// undefined. An exception thrown by the script comes out as a <see cref="JavaScriptException"/>.
    /// </summary>
    public async Task<JsonElement> EvaluateAsync(string expression) => ValueOf(await EvaluateAsync(expression, DefaultTimeout));

    /// <summary>The expression's value deserialized to <typeparamref name="T"/> (JSON names in camelCase).</summary>
    public async Task<T?> EvaluateAsync<T>(string expression)
    {
        var value = await EvaluateAsync(expression);
        return value.ValueKind == JsonValueKind.Undefined ? default : value.Deserialize<T>(JsonSerializerOptions.Web);
    }

    /// <summary>
    /// Evaluates <paramref name="condition"/> until it is truthy and returns that value. An exception thrown
    /// meanwhile (the element is not there yet) counts as not yet. On timeout, says what it waited for and what
    /// the condition last gave.
    /// </summary>
    public async Task<JsonElement> WaitUntilAsync(string condition, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        var last = "nothing (never evaluated)";
        while (true)
        {
            try
            {
                var remaining = limit - clock.Elapsed;
                var result = await EvaluateAsync(condition, remaining > ShortestEvaluation ? remaining : ShortestEvaluation);
                if (IsTruthy(result))
                {
                    return ValueOf(result);
                }

                last = Describe(result);
            }
            catch (Exception exception) when (exception is JavaScriptException or DevToolsException)
            {
                // DevToolsException: the page is between documents and has no context to evaluate in yet.
                last = $"an exception: {exception.Message}";
            }
            catch (TimeoutException)
            {
                last = "no answer in time (a promise that never settles?)";
            }

            if (clock.Elapsed >= limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for `{condition}` to be true; it last gave {last}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Saves a PNG of the viewport to <paramref name="path"/>, creating its folder.</summary>
    public async Task ScreenshotAsync(string path)
    {
        var captured = await SendAsync("Page.captureScreenshot", new { format = "png" });
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllBytesAsync(path, captured.GetProperty("data").GetBytesFromBase64());
    }

    /// <summary>Sets a cookie as if <paramref name="url"/> had sent it (its host and path).</summary>
    public Task SetCookieAsync(Uri url, string name, string value) =>
        SendAsync("Network.setCookie", new { url = url.ToString(), name, value });

    /// <summary>Headers added to every later request of the page, such as an Authorization header.</summary>
    public Task SetExtraHttpHeadersAsync(IReadOnlyDictionary<string, string> headers) =>
        SendAsync("Network.setExtraHTTPHeaders", new { headers });

    public async ValueTask DisposeAsync()
    {
        _problems.Dispose();
        try
        {
            await _connection.SendAsync("Target.closeTarget", new { targetId = _targetId });
        }
        catch (Exception exception) when (exception is DevToolsException or IOException)
        {
            // The browser closed first; the tab went with it.
        }
    }

    /// <summary>The Runtime.RemoteObject the expression evaluated to (by value).</summary>
    private async Task<JsonElement> EvaluateAsync(string expression, TimeSpan timeout)
    {
        // userGesture: as if the user had just acted, so that a click may open what only a user may open.
        var evaluated = await SendAsync(
            "Runtime.evaluate",
            new { expression, returnByValue = true, awaitPromise = true, userGesture = true },
            timeout);
        if (evaluated.TryGetProperty("exceptionDetails", out var details))
        {
            throw new JavaScriptException(JavaScriptException.Describe(details), expression);
        }

        return evaluated.GetProperty("result");
    }

    // undefined, NaN, Infinity and -0 have no JSON value: the first comes without one, the others as
    // unserializableValue. All of them come out of EvaluateAsync as Undefined.
    private static JsonElement ValueOf(JsonElement result) => result.TryGetProperty("value", out var value) ? value : default;

    private static bool IsTruthy(JsonElement result)
    {
        if (result.TryGetProperty("unserializableValue", out var special))
        {
            return special.GetString() is not ("NaN" or "-0");
        }

        var value = ValueOf(result);
        return value.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.False => false,
            JsonValueKind.Number => value.GetDouble() != 0,
            JsonValueKind.String => value.GetString()!.Length > 0,
            _ => true,
        };
    }

    private static string Describe(JsonElement result) =>
        result.TryGetProperty("unserializableValue", out var special) ? special.GetString()!
        : result.TryGetProperty("value", out var value) ? value.GetRawText()
        : result.GetProperty("type").GetString()!; // "undefined"

    private Task<JsonElement> SendAsync(string method, object? parameters = null, TimeSpan? timeout = null) =>
        _connection.SendAsync(method, parameters, _sessionId, timeout);
}
