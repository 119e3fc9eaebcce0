using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Infrastructure;

/// <summary>
/// The embedded silo of the edge's whole-call tests, which knows where the test edge serves its recordings: the
/// gateway the edges run as (<see cref="TestTokens.NanjingGateway"/>) has its <c>RecordingsUrl</c> on
/// <see cref="RecordingsPort"/>, which an edge takes with <see cref="TestEdge.ServeHttpAsync"/>.
/// </summary>
public sealed class EdgeSiloFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-edge-silo-").FullName;

    public SiloHost Host { get; private set; } = null!;

    public int RecordingsPort { get; } = FreePorts.Next();

    public async Task InitializeAsync() => Host = await SiloHost.StartAsync(
        new("ContactCenter:Mode", "Embedded"),
        new("ContactCenter:SqlitePath", Path.Combine(_folder, "edge.db")),
        new("ContactCenter:Access:Gateways:0:RecordingsUrl", $"http://127.0.0.1:{RecordingsPort}"));

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
