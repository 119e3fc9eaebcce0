using System.Diagnostics;
using System.Globalization;


namespace ContactCenter.Failover.Tests.Cluster;

/// <summary>
/// One region's silo as an operating-system process of its own (the published silo program with its settings
/// in environment variables, as systemd runs it), so that losing it is a real kill -9: no graceful shutdown, no
/// flushed buffers, connections reset. Its ports stay the same across restarts, like a server's would.
/// </summary>
public sealed class SiloProcess(string region, string connectionString, string clusterId, string logFolder) : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    private readonly int _siloPort = FreePorts.Next();
    private Process? _process;

    public string Region { get; } = region;

    public Uri Address { get; } = new($"http://127.0.0.1:{FreePorts.Next()}/");

    public string LogPath => Path.Combine(logFolder, $"{Region}.log");

    public bool IsRunning => _process is { HasExited: false };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ContactCenter.Silo.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in Settings())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("the silo process did not start");
        var log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        await log.WriteLineAsync($"===== {DateTimeOffset.UtcNow:O} {Region} silo started, pid {_process.Id}");
        _ = CopyAsync(_process.StandardOutput, log);
        _ = CopyAsync(_process.StandardError, log);
        await WaitUntilReadyAsync(cancellationToken);
    }

    /// <summary>kill -9: the region is lost without warning.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: false); // SIGKILL on Linux
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private IEnumerable<KeyValuePair<string, string>> Settings() =>
    [
        new("Urls", Address.ToString().TrimEnd('/')),
        new("ContactCenter:Mode", "Cluster"),
        new("ContactCenter:PostgreSql", connectionString),
        new("ContactCenter:ClusterId", clusterId),
        new("ContactCenter:Region", Region),
        new("ContactCenter:SiloPort", _siloPort.ToString(CultureInfo.InvariantCulture)),
        new("ContactCenter:CenterFile", ""),
        .. TestCertificates.Settings().Select(s => new KeyValuePair<string, string>(s.Key, s.Value!)),
        // A command delivered by the silo that died is not acknowledged: deliver it again soon.
        new("ContactCenter:CommandRedeliverySeconds", "3"),
        new("Serilog:MinimumLevel:Default", "Warning"),
        // The project's own decisions (effects retried, audits' repairs) are what a failing trial is read by.
        new("Serilog:MinimumLevel:Override:ContactCenter", "Information"),
        .. TestTokens.Settings().Select(s => new KeyValuePair<string, string>(s.Key, s.Value!)),
    ];

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"the {Region} silo exited with {_process.ExitCode}; see {LogPath}");
            }

            try
            {
                if ((await http.GetAsync(new Uri(Address, "health/ready"), cancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // not listening yet
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"the {Region} silo was not ready within {ReadyTimeout.TotalSeconds} s; see {LogPath}");
    }

    private static async Task CopyAsync(StreamReader from, StreamWriter to)
    {
        while (await from.ReadLineAsync() is { } line)
        {
            lock (to)
            {
                to.WriteLine(line);
            }
        }
    }
}
