using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Wallboard;

/// <summary>The wallboard over HTTP: who may see it, how a browser signs in, and the frames it is pushed.</summary>
[Collection(EmbeddedHostCollection.Name)]
[Slow("waits out real timeouts and polls")]
public sealed class WallboardApiTests(EmbeddedHostFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

    [Fact]
    public async Task ThePageSendsStrangersToSignInAndTheApiAnswersThem401()
    {
        using var stranger = Browser();

        var page = await stranger.GetAsync("/wallboard");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/wallboard/login", page.Headers.Location!.OriginalString.Replace(fixture.Host.Address.ToString(), "/"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/v1/wallboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.GetAsync("/dashboard/")).StatusCode);
    }

    [Fact]
    public async Task ASupervisorTokenSignsInForACookieThatOpensTheWallboardAndTheDashboard()
    {
        using var browser = Browser();

        var signIn = await SignInAsync(browser, TestTokens.SupervisorToken);

        Assert.Equal("/wallboard", signIn.Headers.Location!.OriginalString);
        var page = await browser.GetAsync("/wallboard");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/wallboard/wallboard.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/wallboard")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/")).StatusCode);
    }

    [Theory]
    [InlineData(TestTokens.DeskAgentToken)]
    [InlineData(TestTokens.NanjingToken)]
    [InlineData("not-a-token")]
    public async Task AgentAndGatewayTokensCannotSignIn(string token)
    {
        using var browser = Browser();

        var signIn = await SignInAsync(browser, token);

        Assert.Equal("/wallboard/login?failed=1", signIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/wallboard")).StatusCode);
        Assert.Contains("login-failed", await browser.GetStringAsync("/wallboard/login?failed=1"));
    }

    [Fact]
    public async Task AfterSigningInASupervisorIsSentOnlyToAPathOfThisSite()
    {
        using var browser = Browser();

        foreach (var elsewhere in new[] { "//evil.example/phish", "/\\evil.example", "https://evil.example/" })
        {
            var signIn = await SignInAsync(browser, TestTokens.SupervisorToken, returnUrl: elsewhere);
            Assert.Equal("/wallboard", signIn.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task ASessionsChangeWithoutTheWallboardsHeaderIsRefusedAsAForgeryWouldBe()
    {
        await _center.QueueAsync("wall");
        await _center.AgentAsync("a1", ready: true, "wall");
        using var browser = Browser();
        await SignInAsync(browser, TestTokens.SupervisorToken);
        var path = $"/api/v1/supervisor/agents/{_center.Id("a1")}/not-ready";

        var forged = await browser.PostAsync(path, JsonContent.Create(new { reason = "forged" }));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("available", (await _center.AgentStatusAsync("a1"))["presence"]!.GetValue<string>());

        using var asked = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { reason = "asked" }) };
        asked.Headers.Add("X-Contact-Center", "wallboard");
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(asked)).StatusCode);
        Assert.Equal("notReady", (await _center.AgentStatusAsync("a1"))["presence"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheStreamPushesAFrameEverySecondThatShowsACallJustQueued()
    {
        await _center.QueueAsync("wall");
        await _center.AgentAsync("a1", ready: false, "wall");
        using var supervisor = fixture.Host.Client(TestTokens.SupervisorToken);
        using var stream = await supervisor.GetStreamAsync("/api/v1/wallboard/stream");
        using var reader = new StreamReader(stream);

        var first = await NextFrameAsync(reader);
        await _center.QueueCallAsync("c1", "wall");
        JsonNode? tile = null;
        var frames = 1;
        while (tile?["tile"]?["waiting"]?.GetValue<int>() != 1)
        {
            var frame = await NextFrameAsync(reader);
            frames++;
            tile = frame["queues"]!.AsArray().SingleOrDefault(q => q!["queueId"]!.GetValue<string>() == _center.Id("wall"));
            Assert.True(frames < 15, "the queued call never showed on the wallboard");
        }

        Assert.Equal(1, tile["tile"]!["today"]!["offered"]!.GetValue<int>());
        Assert.Equal(1, tile["tile"]!["agents"]!["notReady"]!.GetValue<int>());
        Assert.True(DateTimeOffset.Parse(first["at"]!.GetValue<string>()) < DateTimeOffset.UtcNow);
    }

    private HttpClient Browser() => new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
    {
        BaseAddress = fixture.Host.Address,
    };

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string token, string returnUrl = "/wallboard")
    {
        var response = await browser.PostAsync("/wallboard/login", new FormUrlEncodedContent([new("token", token), new("returnUrl", returnUrl)]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }

    /// <summary>Reads server-sent events until the next <c>data:</c> line, with a time limit so a silent stream fails.</summary>
    private static async Task<JsonNode> NextFrameAsync(StreamReader reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the stream ended");
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonNode.Parse(line["data: ".Length..])!;
            }
        }
    }
}
