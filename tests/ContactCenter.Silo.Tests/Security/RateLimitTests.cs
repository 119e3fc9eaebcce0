using System.Net;

namespace ContactCenter.Tests.Security;

/// <summary>
/// The rate limits on a real silo with low ones: sign-in attempts per address, and per gateway the event batches
/// and the command requests in progress, each refused with 429 and <c>Retry-After</c>.
/// </summary>
public sealed class RateLimitTests(RateLimitTests.LimitedHost fixture) : IClassFixture<RateLimitTests.LimitedHost>
{
    private const int SignInAttempts = 3;
    private const int GatewayRetryAfterSeconds = 2;

    private SiloHost Host => fixture.Host;

    [Fact]
    public async Task AfterTheAllowedSignInAttemptsFromOneAddressTheNextIsRefusedEvenWithTheRightToken()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Host.Address };
        var mark = Host.Log.Written;

        for (var attempt = 0; attempt < SignInAttempts; attempt++)
        {
            using var wrong = await SignInAsync(browser, $"guess-{attempt}");
            Assert.Equal((HttpStatusCode.Redirect, "/wallboard/login?failed=1"), (wrong.StatusCode, wrong.Headers.Location!.OriginalString));
        }

        using var refused = await SignInAsync(browser, TestTokens.SupervisorToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        // Only the attempts are counted: the form itself is still served.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/wallboard/login")).StatusCode);
        Assert.Empty(Host.Log.ProblemsSince(mark));
    }

    [Fact]
    public async Task AGatewayOverItsLimitOfBatchesInProgressIsAnswered429WithRetryAfterAndAnotherGatewayIsNot()
    {
        await using var held = await HeldRequest.StartAsync(Host.Address, TestTokens.NanjingToken, "/api/v1/gateway/events", Batch());

        var refused = await PostBatchAsync(TestTokens.NanjingToken);
        var otherGateway = await PostBatchAsync(TestTokens.HuaianToken);

        Assert.Equal((HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(GatewayRetryAfterSeconds)), (refused.Status, refused.RetryAfter));
        Assert.Contains("this gateway has too many requests in progress", refused.Body);
        Assert.Equal(HttpStatusCode.OK, otherGateway.Status);
        Assert.Equal(HttpStatusCode.OK, await held.FinishAsync());
        // The held batch's permit came back with its answer.
        Assert.Equal(HttpStatusCode.OK, (await PostBatchAsync(TestTokens.NanjingToken)).Status);
    }

    [Fact]
    public async Task CommandRequestsInProgressDoNotTakeTheEventBatchesPlace()
    {
        await using var held = await HeldRequest.StartAsync(Host.Address, TestTokens.NanjingToken, "/api/v1/gateway/commands/ack", """{"ids":[9223372036854775807]}""");
        using var gateway = Host.Client(TestTokens.NanjingToken);

        using var poll = await gateway.GetAsync("/api/v1/gateway/commands?wait=0");
        var batch = await PostBatchAsync(TestTokens.NanjingToken);

        Assert.Equal((HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(GatewayRetryAfterSeconds)), (poll.StatusCode, poll.Headers.RetryAfter?.Delta));
        Assert.Equal(HttpStatusCode.OK, batch.Status);
        Assert.Equal(HttpStatusCode.OK, await held.FinishAsync());
        using var afterwards = await gateway.GetAsync("/api/v1/gateway/commands?wait=0");
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
    }

    [Theory]
    [InlineData("GatewayConcurrentEventRequests", "0")]
    [InlineData("SignInWindowSeconds", "-5")]
    public async Task ABadLimitStopsTheStart(string setting, string value)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloHost.StartAsync(
            new("ContactCenter:SqlitePath", Path.Combine(fixture.Folder, "never-started.db")),
            new($"ContactCenter:RateLimits:{setting}", value)));
        Assert.Contains($"ContactCenter:RateLimits:{setting}", error.Message);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient browser, string token) =>
        browser.PostAsync("/wallboard/login", new FormUrlEncodedContent([new("token", token), new("returnUrl", "/wallboard")]));

    private static string Batch() => new GatewayBatch().Offered($"rl-{Guid.NewGuid():N}").Json();

    private async Task<(HttpStatusCode Status, TimeSpan? RetryAfter, string Body)> PostBatchAsync(string token)
    {
        using var gateway = Host.Client(token);
        using var response = await gateway.PostAsync("/api/v1/gateway/events", new StringContent(Batch(), System.Text.Encoding.UTF8, "application/json"));
        return (response.StatusCode, response.Headers.RetryAfter?.Delta, await response.Content.ReadAsStringAsync());
    }

    /// <summary>An embedded silo of this class's own: its limits are low, and its sign-in count is the tests' alone.</summary>
    public sealed class LimitedHost : IAsyncLifetime
    {
        public string Folder { get; } = Directory.CreateTempSubdirectory("cc-limits-").FullName;

        public SiloHost Host { get; private set; } = null!;

        public async Task InitializeAsync() => Host = await SiloHost.StartAsync(
            new("ContactCenter:Mode", "Embedded"),
            new("ContactCenter:SqlitePath", Path.Combine(Folder, "limits.db")),
            new("ContactCenter:RateLimits:SignInAttemptsPerWindow", SignInAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("ContactCenter:RateLimits:SignInWindowSeconds", "3600"),
            new("ContactCenter:RateLimits:GatewayConcurrentEventRequests", "1"),
            new("ContactCenter:RateLimits:GatewayConcurrentCommandRequests", "1"),
            new("ContactCenter:RateLimits:GatewayRetryAfterSeconds", GatewayRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        public async Task DisposeAsync()
        {
            await Host.DisposeAsync();
            Directory.Delete(Folder, recursive: true);
        }
    }
}
