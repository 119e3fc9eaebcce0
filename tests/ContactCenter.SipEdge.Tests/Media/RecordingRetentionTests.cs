using ContactCenter.SipEdge.Media;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContactCenter.SipEdge.Tests.Media;

public sealed class RecordingRetentionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("retention-test-").FullName;

    [Fact]
    public void RecordingsPastTheRetentionAreDeletedWithTheFoldersTheyEmptyAndTheRestAreKept()
    {
        var old = Recording("2026/05/01/old-call.wav", TimeSpan.FromDays(181));
        var oldSameDay = Recording("2026/05/01/old-call-2.wav", TimeSpan.FromDays(200));
        var kept = Recording("2026/06/10/recent-call.wav", TimeSpan.FromDays(179));
        var notARecording = Path.Combine(_folder, "2026/05/notes.txt");
        File.WriteAllText(notARecording, "operator's note");
        File.SetLastWriteTimeUtc(notARecording, DateTime.UtcNow.AddDays(-400));

        // The sweep at start runs on the timer, before or after this one; either way both old recordings are gone
        // once this returns, and a further sweep finds nothing more.
        using var retention = new RecordingRetention(_folder, TimeSpan.FromDays(180), TimeProvider.System, NullLogger.Instance);
        retention.Sweep();
        Assert.Equal(0, retention.Sweep());

        Assert.False(File.Exists(old) || File.Exists(oldSameDay));
        Assert.False(Directory.Exists(Path.Combine(_folder, "2026/05/01")));
        Assert.True(File.Exists(kept));
        Assert.True(File.Exists(notARecording), "only recordings are the retention's to delete");
        Assert.True(Directory.Exists(_folder));
    }

    [Fact]
    public void AMissingFolderIsNothingToSweep()
    {
        using var retention = new RecordingRetention(Path.Combine(_folder, "none"), TimeSpan.FromDays(1), TimeProvider.System, NullLogger.Instance);
        Assert.Equal(0, retention.Sweep());
    }

    private string Recording(string relative, TimeSpan age)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, WavFile.MuLawHeader(2));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
