using System.Diagnostics;
using System.Net.Http.Headers;
using ContactCenter.Benchmarks.Hosting;

namespace ContactCenter.Benchmarks.Wallboard;

/// <summary>
/// One open wallboard page, as far as the server can tell: an authenticated server-sent-events stream, read line
/// by line. It notes when each frame arrives and how big it is.
/// </summary>
public sealed class WallboardWatcher : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(long Timestamp, int Bytes)> _frames = [];
    private Task? _reading;

    public WallboardWatcher(Uri silo)
    {
        _http = new HttpClient { BaseAddress = silo, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BenchmarkSilo.SupervisorToken);
    }

    public void Start() => _reading = ReadAsync(_stop.Token);

    /// <summary>The frames that arrived between two moments (Stopwatch timestamps).</summary>
    public FrameFigures FiguresBetween(long from, long to)
    {
        List<(long Timestamp, int Bytes)> frames;
        lock (_frames)
        {
            frames = [.. _frames.Where(f => f.Timestamp >= from && f.Timestamp < to)];
        }

        var seconds = Stopwatch.GetElapsedTime(from, to).TotalSeconds;
        var gaps = frames.Zip(frames.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a.Timestamp, b.Timestamp).TotalMilliseconds).ToList();
        return new FrameFigures(
            frames.Count,
            frames.Count / seconds,
            gaps.Count == 0 ? 0 : gaps.Average(),
            gaps.Count == 0 ? 0 : gaps.Max(),
            frames.Count == 0 ? 0 : (int)frames.Average(f => f.Bytes));
    }

    private async Task ReadAsync(CancellationToken stop)
    {
        using var stream = await _http.GetStreamAsync("/api/v1/wallboard/stream", stop);
        using var reader = new StreamReader(stream);
        while (!stop.IsCancellationRequested && await reader.ReadLineAsync(stop) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                lock (_frames)
                {
                    _frames.Add((Stopwatch.GetTimestamp(), line.Length));
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await (_reading ?? Task.CompletedTask);
        }
        catch (OperationCanceledException)
        {
            // closed on purpose
        }

        _http.Dispose();
    }
}

/// <param name="MeanGapMs">Mean time between two frames: 1,000 ms when the board keeps its once-a-second refresh.</param>
public sealed record FrameFigures(int Frames, double FramesPerSecond, double MeanGapMs, double MaxGapMs, int FrameBytes);
