using System.Diagnostics;

namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>
/// A headless Chromium of its own (a fresh profile in a temporary folder) driven over the DevTools Protocol.
/// Disposing it closes the browser, kills whatever is left of its processes and deletes the profile.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private const string ListeningPrefix = "DevTools listening on ";
    private static readonly TimeSpan LaunchTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly DevToolsConnection _connection;

    private HeadlessChromium(Process process, DevToolsConnection connection, string profileFolder)
    {
        _process = process;
        _connection = connection;
        ProfileFolder = profileFolder;
    }

    public int ProcessId => _process.Id;

    public string ProfileFolder { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        var executable = ChromiumExecutable.Find();
        var profileFolder = Directory.CreateTempSubdirectory("cc-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(profileFolder))
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        // Chromium logs a lot to stderr (dbus, GPU); only the DevTools line matters, the tail explains a failure.
        var stderrTail = new Queue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            lock (stderrTail)
            {
                stderrTail.Enqueue(line.Data);
                if (stderrTail.Count > 30)
                {
                    stderrTail.Dequeue();
                }
            }

            if (line.Data.StartsWith(ListeningPrefix, StringComparison.Ordinal))
            {
                listening.TrySetResult(new Uri(line.Data[ListeningPrefix.Length..].Trim()));
            }
        };
        // Read and dropped so that a full pipe never blocks the browser.
        process.OutputDataReceived += (_, _) => { };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("Chromium exited before listening"));

        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            Directory.Delete(profileFolder, recursive: true);
            throw;
        }

        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var webSocketUrl = await listening.Task.WaitAsync(LaunchTimeout);
            using var connecting = new CancellationTokenSource(LaunchTimeout);
            var connection = await DevToolsConnection.OpenAsync(webSocketUrl, connecting.Token);
            return new HeadlessChromium(process, connection, profileFolder);
        }
        catch (Exception exception)
        {
            await StopAsync(process, profileFolder, grace: TimeSpan.Zero);
            string tail;
            lock (stderrTail)
            {
                tail = string.Join('\n', stderrTail);
            }

            throw new InvalidOperationException($"Could not start {executable} ({exception.Message}). Its last output:\n{tail}", exception);
        }
    }

    /// <summary>A new tab on about:blank, watched for console errors, uncaught exceptions and failed requests.</summary>
    public async Task<BrowserPage> NewPageAsync()
    {
        var created = await _connection.SendAsync("Target.createTarget", new { url = "about:blank" });
        var targetId = created.GetProperty("targetId").GetString()!;
        // Flattened: the page's commands and events travel on this connection, tagged with its session id.
        var attached = await _connection.SendAsync("Target.attachToTarget", new { targetId, flatten = true });
        return await BrowserPage.AttachAsync(_connection, targetId, attached.GetProperty("sessionId").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Asked first, so the browser shuts its renderers down and releases the profile itself.
            await _connection.SendAsync("Browser.close", timeout: TimeSpan.FromSeconds(5));
        }
        catch (Exception exception) when (exception is DevToolsException or TimeoutException or IOException)
        {
            // Already gone, or stuck: the kill below settles it either way.
        }

        await _connection.DisposeAsync();
        await StopAsync(_process, ProfileFolder, grace: TimeSpan.FromSeconds(5));
    }

    private static IEnumerable<string> Arguments(string profileFolder) =>
    [
        "--headless=new",
        // CI runs as root, where Chromium's sandbox refuses to start.
        "--no-sandbox",
        "--disable-gpu",
        // Containers often give /dev/shm only 64 MB, which crashes renderers; Debian's own check for this fails.
        "--disable-dev-shm-usage",
        "--remote-debugging-port=0",
        "--remote-debugging-address=127.0.0.1",
        $"--user-data-dir={profileFolder}",
        $"--window-size={BrowserPage.ViewportSize.Width},{BrowserPage.ViewportSize.Height}",
        "--hide-scrollbars",
        "--mute-audio",
        "--no-first-run",
        "--no-default-browser-check",
        // Nothing the test did not ask for: no updates, sync, translation or field trials talking to the internet.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-features=Translate,MediaRouter,OptimizationHints",
        "--metrics-recording-only",
        "about:blank",
    ];

    private static async Task StopAsync(Process process, string profileFolder, TimeSpan grace)
    {
        using (process)
        {
            if (!process.HasExited)
            {
                using var exiting = new CancellationTokenSource(grace);
                try
                {
                    await process.WaitForExitAsync(exiting.Token);
                }
                catch (OperationCanceledException)
                {
                    // Renderers and the zygote are children of the browser process: take them all.
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
        }

        // A renderer that outlives the browser by a moment can still be writing the profile: retry briefly.
        for (var attempt = 1; Directory.Exists(profileFolder); attempt++)
        {
            try
            {
                Directory.Delete(profileFolder, recursive: true);
            }
            catch (IOException) when (attempt < 10)
            {
                await Task.Delay(200);
            }
        }
    }
}
