using System.Collections.Concurrent;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;

namespace ContactCenter.Testing;

/// <summary>
/// What a test silo writes to its log, kept in memory for the test to read: the host's own Serilog pipeline
/// writes here through a sink named in the configuration (Serilog reads sinks from settings), so the silo is
/// built exactly as in production and the test sees every event the console would show.
/// </summary>
public sealed class SiloLog : ILogEventSink
{
    /// <summary>Enough for any test's run; beyond it the oldest events go, so a long-lived host cannot fill memory.</summary>
    private const int Capacity = 20_000;

    private static readonly ConcurrentDictionary<string, SiloLog> Logs = new(StringComparer.Ordinal);

    private readonly ConcurrentQueue<LogEvent> _events = new();
    private long _written;

    private SiloLog()
    {
    }

    public string Key { get; } = Guid.NewGuid().ToString("N");

    /// <summary>How many events were written so far: a mark to read later events from.</summary>
    public long Written => Interlocked.Read(ref _written);

    public static SiloLog Open()
    {
        var log = new SiloLog();
        Logs[log.Key] = log;
        return log;
    }

    internal static SiloLog Find(string key) =>
        Logs.TryGetValue(key, out var log) ? log : throw new InvalidOperationException($"no test log {key}");

    /// <summary>The settings that make the host's Serilog write here (and request logs from Information, so a test sees each request's status).</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Serilog:Using:TestCapture", typeof(SiloLog).Assembly.GetName().Name),
        new("Serilog:WriteTo:TestCapture:Name", nameof(SiloLogSinks.TestSiloLog)),
        new("Serilog:WriteTo:TestCapture:Args:key", Key),
        new("Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware", "Information"),
    ];

    public void Emit(LogEvent logEvent)
    {
        _events.Enqueue(logEvent);
        var written = Interlocked.Increment(ref _written);
        if (written > Capacity)
        {
            _events.TryDequeue(out _);
        }
    }

    /// <summary>The events written after <paramref name="mark"/> (a <see cref="Written"/> read earlier) that are still kept.</summary>
    public IReadOnlyList<LogEvent> Since(long mark)
    {
        var events = _events.ToArray();
        var first = Written - events.Length;
        return [.. events.Skip((int)Math.Max(0, mark - first))];
    }

    /// <summary>Errors, and any event that carries an exception, written after <paramref name="mark"/>, rendered for an assertion message.</summary>
    public IReadOnlyList<string> ProblemsSince(long mark) =>
        [.. Since(mark).Where(e => e.Level >= LogEventLevel.Error || e.Exception is not null).Select(Render)];

    /// <summary>Fails with every problem written after <paramref name="mark"/> in full (an empty-collection assertion would cut them short).</summary>
    public void AssertNoProblemsSince(long mark)
    {
        var problems = ProblemsSince(mark);
        Xunit.Assert.True(problems.Count == 0, $"the silo logged {problems.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    /// <summary>The request log line of each request to <paramref name="path"/> after <paramref name="mark"/>: its status code and level.</summary>
    public IReadOnlyList<(int Status, LogEventLevel Level)> RequestsSince(long mark, string path) =>
        [.. Since(mark)
            .Where(e => e.Properties.TryGetValue("RequestPath", out var p) && p is ScalarValue { Value: string logged } && logged == path)
            .Select(e => (e.Properties.TryGetValue("StatusCode", out var s) && s is ScalarValue { Value: int status } ? status : 0, e.Level))];

    public void Close() => Logs.TryRemove(Key, out _);

    private static string Render(LogEvent e) =>
        $"{e.Level} {(e.Properties.TryGetValue("SourceContext", out var source) ? source.ToString() : "")}: {e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)} {e.Exception}";
}

/// <summary>The sink's name in the configuration, found by Serilog's settings reader in this assembly.</summary>
public static class SiloLogSinks
{
    public static LoggerConfiguration TestSiloLog(this LoggerSinkConfiguration sinks, string key) => sinks.Sink(SiloLog.Find(key));
}
