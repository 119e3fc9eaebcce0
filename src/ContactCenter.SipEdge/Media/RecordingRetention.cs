using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Media;

/// <summary>
/// Keeps recordings for the retention the operator sets and no longer: a recording whose file was last written
/// (its call ended) longer ago than that is deleted, and the day folders it leaves empty with it. Swept when the
/// edge starts and every hour; a recording in progress is written every 20 ms, so it is never old enough.
/// </summary>
public sealed class RecordingRetention : IDisposable
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromHours(1);

    private readonly string _folder;
    private readonly TimeSpan _keep;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ITimer _timer;
    private readonly Lock _sweeping = new();

    public RecordingRetention(string folder, TimeSpan keep, TimeProvider time, ILogger log)
    {
        _folder = folder;
        _keep = keep;
        _time = time;
        _log = log;
        _timer = time.CreateTimer(_ => Sweep(), null, TimeSpan.Zero, SweepEvery);
    }

    /// <summary>Deletes what is past the retention now; how many recordings it deleted.</summary>
    public int Sweep()
    {
        // The timer's sweep and an explicit one never walk the folder together, so each file is counted once.
        lock (_sweeping)
        {
            return SweepOnce();
        }
    }

    private int SweepOnce()
    {
        if (!Directory.Exists(_folder))
        {
            return 0;
        }

        var cutoff = (_time.GetUtcNow() - _keep).UtcDateTime;
        var deleted = 0;
        try
        {
            foreach (var file in Directory.EnumerateFiles(_folder, "*.wav", SearchOption.AllDirectories))
            {
                if (File.GetLastWriteTimeUtc(file) < cutoff)
                {
                    File.Delete(file);
                    deleted++;
                }
            }

            // Deepest first, so a month folder emptied by its days goes too; the recordings folder itself stays.
            foreach (var folder in Directory.EnumerateDirectories(_folder, "*", SearchOption.AllDirectories).OrderByDescending(f => f.Length))
            {
                if (!Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    Directory.Delete(folder);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.LogError(ex, "recordings past their retention could not all be deleted from {Folder}; the next sweep tries again", _folder);
        }

        if (deleted > 0)
        {
            _log.LogInformation("{Count} recordings older than {Days} days deleted", deleted, _keep.TotalDays);
        }

        return deleted;
    }

    public void Dispose() => _timer.Dispose();
}
