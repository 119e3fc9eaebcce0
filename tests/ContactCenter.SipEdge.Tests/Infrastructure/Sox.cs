using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ContactCenter.SipEdge.Tests.Infrastructure;

/// <summary>What sox measures in one channel of a recording: its length, loudness and dominant frequency.</summary>
public sealed record ChannelMeasure(double Seconds, double RmsAmplitude, double RoughFrequency);

public static partial class Sox
{
    public static async Task<int> ChannelsAsync(string path) => (int)double.Parse(await RunAsync("soxi", "-c", path), CultureInfo.InvariantCulture);

    /// <summary>sox's <c>stat</c> of one channel (1 = the caller, 2 = the agent).</summary>
    public static async Task<ChannelMeasure> MeasureAsync(string path, int channel)
    {
        var text = await RunAsync("sox", path, "-n", "remix", channel.ToString(CultureInfo.InvariantCulture), "stat");
        double Field(string name) => double.Parse(Regex.Match(text, $@"{name}:\s+(-?[\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        return new ChannelMeasure(Field("Length \\(seconds\\)"), Field("RMS\\s+amplitude"), Field("Rough\\s+frequency"));
    }

    /// <summary>Writes a mono 8 kHz sine of <paramref name="hertz"/> at half scale: mu-law for sipp's rtp_stream, or 16-bit PCM for baresip.</summary>
    public static async Task WriteToneAsync(string path, int hertz, int seconds, bool muLaw = true)
    {
        string[] encoding = muLaw ? ["-e", "mu-law"] : ["-b", "16"];
        await RunAsync("sox", ["-n", "-r", "8000", "-c", "1", .. encoding, path, "synth", seconds.ToString(CultureInfo.InvariantCulture), "sine", hertz.ToString(CultureInfo.InvariantCulture), "vol", "0.5"]);
        Assert.True(File.Exists(path), $"sox wrote no {path}");
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        // stat writes its figures on stderr.
        return (await output) + (await errors);
    }
}
