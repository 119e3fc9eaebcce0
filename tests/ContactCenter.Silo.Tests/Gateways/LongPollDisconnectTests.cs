using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Gateways;

/// <summary>A gateway that goes away in the middle of a long poll ends it as a gateway may: no error, no 500 in the silo's log.</summary>
[Collection(EmbeddedHostCollection.Name)]
public sealed class LongPollDisconnectTests(EmbeddedHostFixture fixture)
{
    private const string Path = "/api/v1/gateway/commands";

    /// <summary>nginx's "client closed request", which ASP.NET Core names too: nobody reads it, the log line does.</summary>
    private const int ClientClosedRequest = 499;

    [Fact]
    public async Task AGatewayThatDisconnectsMidWaitIsNoErrorOfTheSilo()
    {
        var log = fixture.Host.Log;
        using var gateway = fixture.Host.Client(TestTokens.HuaianToken);
        // A first, short poll opens the connection, so the long one is surely on the silo when the gateway goes.
        (await gateway.GetAsync($"{Path}?wait=0")).EnsureSuccessStatusCode();
        var mark = log.Written;
        using var hangUp = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        // Nothing is pending for this gateway, so the silo is waiting when the connection goes.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gateway.GetAsync($"{Path}?wait=30", hangUp.Token));

        var logged = await RequestLoggedAsync(log, mark);
        Assert.Equal(ClientClosedRequest, logged.Status);
        Assert.True(logged.Level < Serilog.Events.LogEventLevel.Error, $"logged at {logged.Level}");
        log.AssertNoProblemsSince(mark);
    }

    private static async Task<(int Status, Serilog.Events.LogEventLevel Level)> RequestLoggedAsync(SiloLog log, long mark)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            if (log.RequestsSince(mark, Path) is [var logged, ..])
            {
                return logged;
            }
        }

        throw new TimeoutException($"the silo never logged the poll's end; it logged: {string.Join(" | ", log.Since(mark).Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)))}");
    }
}
