using ContactCenter.LoadTests.Cli;

namespace ContactCenter.LoadTests.Tests.Cli;

/// <summary>A wrong command line starts nothing and says every problem; a right one gives the settings it names.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void AnEmptyCommandLineGivesTheDefaults()
    {
        var ingest = IngestCli.Parse([]);
        var simulate = SimulateCli.Parse([]);

        Assert.Equal([new Uri("http://127.0.0.1:5080")], ingest.Silos);
        Assert.Equal((60, 30, 8, 250), (ingest.Seconds, ingest.WarmupSeconds, ingest.Gateways, ingest.Batch));
        Assert.Equal(16, ingest.Queues.Count);
        Assert.Equal((10.0, 300, 1500), (simulate.Speed, simulate.Seconds, simulate.Seats));
    }

    [Fact]
    public void ValuesAreReadAsGiven()
    {
        var ingest = IngestCli.Parse(["--silo", "http://a:1,http://b:2", "--tokens", "t1,t2", "--batch", "100", "--cpu", "silo=42", "--script", "ivr-self-service"]);
        var simulate = SimulateCli.Parse(["--silo", "http://a:1", "--silo", "http://b:2", "--gateway", "huaian=t9", "--at", "2026-11-30T10:00:00+08:00", "--watch", "postgres=7"]);

        Assert.Equal([new Uri("http://a:1"), new Uri("http://b:2")], ingest.Silos);
        Assert.Equal(["t1", "t2"], ingest.Tokens);
        Assert.Equal(100, ingest.Batch);
        Assert.Equal([("silo", 42)], ingest.CpuWatch);
        Assert.Equal("ivr-self-service", Assert.Single(ingest.Mix).Name);
        Assert.Equal(2, simulate.Silos.Count);
        Assert.Equal("t9", simulate.GatewayTokens["huaian"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.FromHours(8)), simulate.At);
        Assert.Equal([("postgres", 7)], simulate.Watch);
    }

    [Fact]
    public void EveryWrongValueIsNamedAndNothingStarts()
    {
        var ingest = Assert.Throws<OptionsException>(() => IngestCli.Parse(["--batch", "5000", "--silo", "ftp://x", "--cpu", "silo", "--script", "no-such-script"]));
        var simulate = Assert.Throws<OptionsException>(() => SimulateCli.Parse(["--speed", "0", "--gateway", "beijing=t", "--database", "mysql:x", "--unknown"]));
        var twice = Assert.Throws<OptionsException>(() => IngestCli.Parse(["--silo", "http://a:1", "--silo", "http://a:1"]));

        Assert.Contains("--batch wants a whole number from 1 to 1000, not 5000", ingest.Message);
        Assert.Contains("--silo wants http(s) addresses, not 'ftp://x'", ingest.Message);
        Assert.Contains("--cpu wants NAME=PID, not 'silo'", ingest.Message);
        Assert.Contains("no life cycle 'no-such-script'", ingest.Message);
        Assert.Contains("--speed wants a number from 0.01 to 1000, not 0", simulate.Message);
        Assert.Contains("--gateway wants nanjing=TOKEN or huaian=TOKEN, not 'beijing=t'", simulate.Message);
        Assert.Contains("--database wants postgres:CONNECTION or sqlite:PATH", simulate.Message);
        Assert.Contains("--unknown", simulate.Message);
        Assert.Contains("http://a:1 is listed twice", twice.Message);
    }
}
