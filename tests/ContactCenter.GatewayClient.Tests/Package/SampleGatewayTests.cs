using SampleGateway;

namespace ContactCenter.GatewayClient.Tests.Package;

/// <summary>The sample gateway of docs/sample-gateway does what its page says, against a real silo.</summary>
public sealed class SampleGatewayTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-sample-").FullName;
    private SiloHost _silo = null!;

    public async Task InitializeAsync() => _silo = await SiloHost.StartEmbeddedAsync(Path.Combine(_folder, "sample.db"));

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task TheSampleGatewayReportsACallAndCarriesOutTheCommandForIt()
    {
        var center = new CenterClient(_silo);
        await center.QueueAsync("billing");
        await center.AgentAsync("a1", ready: true, "billing");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var report = await OneCall.RunAsync(_silo.Address, TestTokens.NanjingToken, center.Id("billing"), TextWriter.Null, stop.Token);

        Assert.True(report.AllAcknowledged, string.Join("; ", report.Receipts.Select(r => $"{r.Event.Type}: {r.Outcome} {r.Reason}")));
        Assert.Equal(["offered", "ivr_entered", "queued", "ended"], report.Receipts.Select(r => r.Event.Type));
        // The queue offered the call to the ready agent: the gateway got the connect that rings a1's phone.
        var connect = Assert.Single(report.Commands, c => c.Kind == CommandKinds.Connect);
        Assert.Equal(center.Id("a1"), connect.Field("agentId"));
        Assert.Equal(center.Endpoint("a1"), connect.Field("endpoint"));
    }
}
