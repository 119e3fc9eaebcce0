using System.Net;

namespace ContactCenter.GatewayClient;

/// <summary>
/// While the client is away from its home region, asks the home region's readiness endpoint every interval and
/// goes back as soon as it answers 200: readiness (silo active, journal database up) rather than liveness,
/// because a silo that answers but cannot commit would only fail the client over again.
/// </summary>
internal sealed class HomeProbe(RegionSelector regions, RegionHttp http, TimeSpan interval, TimeSpan timeout)
{
    public const string ReadinessPath = "health/ready";

    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            if (regions.IsHome)
            {
                continue;
            }

            var exchange = await http.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, regions.Home.Resolve(ReadinessPath)), timeout, stopping);
            using var response = exchange.Response;
            if (response?.StatusCode == HttpStatusCode.OK)
            {
                regions.FailBack($"{regions.Home.Name} answered GET /{ReadinessPath} with 200");
            }
        }
    }
}
