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
    [InlineData(TestTokens.NanjingToken)]
    [InlineData("not-a-token")]
    public async Task GatewayTokensAndUnknownOnesCannotSignIn(string token)
    {
        using var browser = Browser();

        var signIn = await SignInAsync(browser, token);

        Assert.Equal("/wallboard/login?failed=1", signIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/wallboard")).StatusCode);
        Assert.Contains("login-failed", await browser.GetStringAsync("/wallboard/login?failed=1"));
    }

    [Theory]
    [InlineData(TestTokens.DeskAgentToken, "/desk/agent")]
    [InlineData(TestTokens.ItCenterToken, "/desk/department")]
    public async Task AnAgentOrADepartmentSignsInToTheirDeskAndTheirSessionOpensNoWallboard(string token, string desk)
    {
        using var browser = Browser();

        var signIn = await SignInAsync(browser, token);

        Assert.Equal(desk, signIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(desk)).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await browser.GetAsync("/wallboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/v1/wallboard")).StatusCode);
    }

    [Fact]
    public async Task ASignInOrSignOutFromAnotherSitesPageIsRefused()
    {
        using var browser = Browser();
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/wallboard/login")
        {
            Content = new FormUrlEncodedContent([new("token", TestTokens.DeskAgentToken), new("returnUrl", "/wallboard")]),
        };
        forged.Headers.Add("Origin", "https://evil.example");
        using var signOut = new HttpRequestMessage(HttpMethod.Post, "/wallboard/logout");
        signOut.Headers.Add("Origin", "https://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(signOut)).StatusCode);
        // The site's own form (its origin) still signs in.
        Assert.Equal("/desk/agent", (await SignInAsync(browser, TestTokens.DeskAgentToken)).Headers.Location!.OriginalString);
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

    [Fact]
    public async Task TheAgentListIsCutToThePagesFilterAndLimit()
    {
        await _center.QueueAsync("desk");
        await _center.AgentAsync("f1", ready: true, "desk");
        await _center.AgentAsync("f2", ready: false, "desk");
        var mine = _center.Id("f1")["f1-".Length..]; // what this test's ids have in common, and no one else's
        using var supervisor = fixture.Host.Client(TestTokens.SupervisorToken);

        // New agents join the board within its directory period (10 s).
        var frame = await FrameUntilAsync(supervisor, $"?agents={mine}", f => f["agentsMatching"]!.GetValue<int>() == 2);
        var limited = JsonNode.Parse(await supervisor.GetStringAsync($"/api/v1/wallboard?agents={mine}&agentLimit=1"))!;
        var notReady = JsonNode.Parse(await supervisor.GetStringAsync("/api/v1/wallboard?agents=not%20ready&agentLimit=2000"))!;
        using var stream = await supervisor.GetStreamAsync($"/api/v1/wallboard/stream?agents={mine}");
        var streamed = await NextFrameAsync(new StreamReader(stream));

        Assert.Equal([_center.Id("f1"), _center.Id("f2")], frame["agents"]!.AsArray().Select(a => a!["agentId"]!.GetValue<string>()));
        Assert.True(frame["agentCount"]!.GetValue<int>() >= 2);
        // The first by id, and how many it leaves out.
        Assert.Equal(_center.Id("f1"), Assert.Single(limited["agents"]!.AsArray())!["agentId"]!.GetValue<string>());
        Assert.Equal(2, limited["agentsMatching"]!.GetValue<int>());
        // A state matches by the name the board shows it under.
        Assert.Contains(_center.Id("f2"), notReady["agents"]!.AsArray().Select(a => a!["agentId"]!.GetValue<string>()));
        Assert.All(notReady["agents"]!.AsArray(), a => Assert.Equal("notReady", a!["presence"]!.GetValue<string>()));
        Assert.Equal("Not ready", frame["stateNames"]!["notReady"]!.GetValue<string>());
        Assert.Equal(2, streamed["agents"]!.AsArray().Count);
        // A frame was composed, so the last hour has a point (a minute's; what each queue gets is WallboardTrendTests').
        var trend = JsonNode.Parse(await supervisor.GetStringAsync("/api/v1/wallboard/trend"))!;
        Assert.NotEmpty(trend["center"]!.AsArray());
        // A view the silo will not make is a 400 with the reason, for the frame and the stream alike.
        Assert.Equal(HttpStatusCode.BadRequest, (await supervisor.GetAsync("/api/v1/wallboard?agentLimit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await supervisor.GetAsync($"/api/v1/wallboard/stream?agents={new string('x', 65)}")).StatusCode);
    }

    private static Task<JsonNode> FrameUntilAsync(HttpClient supervisor, string query, Func<JsonNode, bool> condition) =>
        Eventually.ReadAsync(async () => JsonNode.Parse(await supervisor.GetStringAsync($"/api/v1/wallboard{query}"))!, condition);

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
