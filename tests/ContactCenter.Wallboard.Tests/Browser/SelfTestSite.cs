using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>
/// A page shaped like the wallboard, on Kestrel on a free loopback port, for the browser helpers' own tests: a
/// number that a server-sent-events stream increments once a second.
/// </summary>
public sealed class SelfTestSite : IAsyncDisposable
{
    private const string Page = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Browser helpers self-test</title>
          <style>
            body { font-family: sans-serif; margin: 2em; }
            #ticks { font-size: 96px; font-weight: bold; }
          </style>
        </head>
        <body>
          <p>Ticks: <span id="ticks">none yet</span></p>
          <script>
            new EventSource('/ticks').onmessage = message => document.getElementById('ticks').textContent = message.data;
          </script>
        </body>
        </html>
        """;

    private readonly WebApplication _app;

    private SelfTestSite(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<SelfTestSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Port 0: the OS picks a free one, read back below once Kestrel listens.
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // An open event stream holds shutdown up to this long if the browser has not hung up yet.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();

        app.MapGet("/", () => Results.Content(Page, "text/html; charset=utf-8"));
        app.MapGet("/ticks", () => TypedResults.ServerSentEvents(Ticks(app.Lifetime.ApplicationStopping)));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new SelfTestSite(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async IAsyncEnumerable<string> Ticks(CancellationToken stopping, [EnumeratorCancellation] CancellationToken hungUp = default)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, hungUp);
        for (var tick = 1; ; tick++)
        {
            yield return tick.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Task.Delay(TimeSpan.FromSeconds(1), either.Token);
        }
    }
}
