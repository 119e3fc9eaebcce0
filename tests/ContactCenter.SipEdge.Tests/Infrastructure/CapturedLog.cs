using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Tests.Infrastructure;

/// <summary>The edge's log in a test: warnings and errors kept for the assertions, everything written to the test's output on failure.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public IEnumerable<string> Errors => Entries.Where(e => e.StartsWith("Error", StringComparison.Ordinal) || e.StartsWith("Critical", StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
    }
}
