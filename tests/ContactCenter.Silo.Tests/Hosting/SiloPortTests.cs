using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ContactCenter.Tests.Hosting;

/// <summary>The Orleans ports a silo opens: its own silo port, never shared with another silo, and no client gateway.</summary>
[Slow("starts and restarts silos of its own")]
public sealed class SiloPortTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-ports-").FullName;

    /// <summary>Before: Orleans listens with address reuse, so the second silo started and took half the first one's connections.</summary>
    [Fact]
    public async Task ASiloStartedOnATakenSiloPortStopsItsStartNamingThePort()
    {
        await using var first = await SiloHost.StartEmbeddedAsync(Path.Combine(_folder, "first.db"));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloHost.StartAsync(
            new("ContactCenter:Mode", "Embedded"),
            new("ContactCenter:SqlitePath", Path.Combine(_folder, "second.db")),
            new("ContactCenter:SiloPort", first.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Contains($"ContactCenter:SiloPort {first.SiloPort} on 127.0.0.1 is taken", refused.Message);
        using var client = first.Client();
        Assert.True((await client.GetAsync("/health/ready")).IsSuccessStatusCode, "the first silo is still serving");
    }

    /// <summary>Gateways and desks use HTTP, where tokens and roles apply; an Orleans client gateway would let any client call grains past them.</summary>
    [Fact]
    public async Task ASiloOpensNoOrleansClientGateway()
    {
        await using var silo = await SiloHost.StartEmbeddedAsync(Path.Combine(_folder, "silo.db"));

        var endpoints = silo.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(0, endpoints.GatewayPort);
        Assert.Null(endpoints.GatewayListeningEndpoint);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
