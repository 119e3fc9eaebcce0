using System.Buffers.Binary;
using ContactCenter.SipEdge.Media;

namespace ContactCenter.SipEdge.Tests.Media;

public sealed class CallRecordingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recording-test-").FullName;

    [Fact]
    public void EachSideIsItsOwnChannelAndAPauseIsSilenceOfTheRightLength()
    {
        var path = Path.Combine(_folder, "call.wav");
        using var recording = new CallRecording(path);
        var loud = Enumerable.Repeat(G711.Encode(G711Law.ALaw, 12_000), 160).ToArray();
        var quiet = Enumerable.Repeat(G711.Encode(G711Law.MuLaw, -3_000), 160).ToArray();

        for (var frame = 0; frame < 10; frame++)
        {
            recording.Caller(G711Law.ALaw, loud);
            recording.Agent(G711Law.MuLaw, quiet);
            recording.Paused = frame >= 5 && frame < 8;
            Assert.True(recording.Tick());
        }

        recording.Stop();
        Assert.False(recording.Tick());

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(58 + (10 * 160 * 2), bytes.Length);
        Assert.Equal(7, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(20)));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(22)));
        Assert.Equal(10 * 160 * 2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(54)));
        short Sample(int frame, int channel) => G711.Decode(G711Law.MuLaw, bytes[58 + (frame * 320) + channel]);
        Assert.InRange(Sample(0, 0), 11_000, 13_000);
        Assert.InRange(Sample(0, 1), -3_200, -2_800);
        Assert.Equal(0, Sample(6 * 160 / 160, 0));
        Assert.Equal(0, Sample(6, 1));
        Assert.InRange(Sample(9, 0), 11_000, 13_000);
        Assert.Equal(TimeSpan.FromMilliseconds(200), recording.Length);
    }

    [Fact]
    public void ASideThatSendsNothingIsSilentAndABurstIsKeptUpTo200Milliseconds()
    {
        var path = Path.Combine(_folder, "burst.wav");
        using var recording = new CallRecording(path);
        var tone = Enumerable.Repeat(G711.Encode(G711Law.MuLaw, 5_000), 160).ToArray();
        for (var i = 0; i < 15; i++)
        {
            recording.Caller(G711Law.MuLaw, tone);
        }

        for (var frame = 0; frame < 12; frame++)
        {
            recording.Tick();
        }

        recording.Stop();
        var bytes = File.ReadAllBytes(path);
        var caller = Enumerable.Range(0, 12).Select(f => G711.Decode(G711Law.MuLaw, bytes[58 + (f * 320)])).ToArray();
        Assert.All(caller[..10], s => Assert.InRange(s, 4_500, 5_500));
        Assert.All(caller[10..], s => Assert.Equal(0, s));
        Assert.All(Enumerable.Range(0, 12), f => Assert.Equal(0, G711.Decode(G711Law.MuLaw, bytes[58 + (f * 320) + 1])));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
