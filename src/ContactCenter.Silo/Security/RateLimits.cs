using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace ContactCenter.Security;

/// <summary>The rate limits' settings, section <c>ContactCenter:RateLimits</c>. Read once at start-up.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "ContactCenter:RateLimits";

    /// <summary>
    /// Sign-in attempts, right or wrong, that one address may make per <see cref="SignInWindowSeconds"/>. A person
    /// mistypes a token a few times; a program guessing tokens is held to this many guesses a window.
    /// </summary>
    public int SignInAttemptsPerWindow { get; init; } = 10;

    public double SignInWindowSeconds { get; init; } = 60;

    /// <summary>
    /// Event batches one gateway may have in progress at once. The gateway client sends one batch at a time, and
    /// the load tests run several clients on one gateway token: the ingest run 8 by default (and has been tuned
    /// with 12), the simulation 4 per gateway. 64 is far above any of them, and still stops one gateway (a bug, a
    /// stolen token) from taking every request the silo can serve.
    /// </summary>
    public int GatewayConcurrentEventRequests { get; init; } = 64;

    /// <summary>
    /// Command polls and acknowledgements one gateway may have in progress at once. A client keeps one poll open
    /// and acknowledges after it returns, so a gateway needs one of these per media server, and a poll the
    /// client has given up may linger a moment. Kept apart from the events' limit, so the poll that is always
    /// open never takes a batch's place. Generous on purpose: a refused poll does not count as the gateway
    /// polling, and a gateway that cannot poll is declared lost.
    /// </summary>
    public int GatewayConcurrentCommandRequests { get; init; } = 16;

    /// <summary>
    /// The <c>Retry-After</c> of a gateway request refused for concurrency. A concurrency limit has no window to
    /// wait for; a batch in progress is answered in well under a second, so one second.
    /// </summary>
    public int GatewayRetryAfterSeconds { get; init; } = 1;

    internal TimeSpan SignInWindow => TimeSpan.FromSeconds(SignInWindowSeconds);

    internal void Validate()
    {
        Positive(SignInAttemptsPerWindow, nameof(SignInAttemptsPerWindow));
        Positive(GatewayConcurrentEventRequests, nameof(GatewayConcurrentEventRequests));
        Positive(GatewayConcurrentCommandRequests, nameof(GatewayConcurrentCommandRequests));
        Positive(GatewayRetryAfterSeconds, nameof(GatewayRetryAfterSeconds));
        if (!(SignInWindowSeconds > 0 && SignInWindowSeconds <= TimeSpan.FromDays(1).TotalSeconds))
        {
            throw new InvalidOperationException($"{Section}:{nameof(SignInWindowSeconds)} must be a positive number of seconds up to a day, not {SignInWindowSeconds}");
        }
    }

    private static void Positive(int value, string name)
    {
        if (value < 1)
        {
            throw new InvalidOperationException($"{Section}:{name} must be at least 1, not {value}");
        }
    }
}

/// <summary>
/// The limits on how fast and how much a caller may ask, with ASP.NET Core's rate limiter: sign-in attempts per
/// address, and per gateway the requests in progress. Every refusal is a 429 with <c>Retry-After</c> in seconds,
/// which the gateway client waits out at the same region rather than failing over.
/// </summary>
public static class RateLimits
{
    /// <summary>A fixed window of attempts per client address (<see cref="RateLimitOptions.SignInAttemptsPerWindow"/>).</summary>
    public const string SignIn = "sign-in";

    /// <summary>Event batches in progress per gateway (<see cref="RateLimitOptions.GatewayConcurrentEventRequests"/>).</summary>
    public const string GatewayEvents = "gateway-events";

    /// <summary>Command polls and acknowledgements in progress per gateway (<see cref="RateLimitOptions.GatewayConcurrentCommandRequests"/>).</summary>
    public const string GatewayCommands = "gateway-commands";

    /// <summary>The policies, from section <c>ContactCenter:RateLimits</c>; a bad setting stops the start.</summary>
    public static IServiceCollection AddContactCenterRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        options.Validate();
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) => RefuseAsync(context, TimeSpan.FromSeconds(options.GatewayRetryAfterSeconds));
            limiter.AddPolicy(SignIn, http => RateLimitPartition.GetFixedWindowLimiter(
                AddressOf(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInAttemptsPerWindow, Window = options.SignInWindow, QueueLimit = 0 }));
            limiter.AddPolicy(GatewayEvents, http => PerGateway(http, options.GatewayConcurrentEventRequests));
            limiter.AddPolicy(GatewayCommands, http => PerGateway(http, options.GatewayConcurrentCommandRequests));
        });
    }

    /// <summary>
    /// After authorization, so a gateway's requests are counted under the gateway the token proved, and a request
    /// without a valid token is answered 401 before it can take a gateway's place.
    /// </summary>
    public static IApplicationBuilder UseContactCenterRateLimits(this IApplicationBuilder app) => app.UseRateLimiter();

    // No queue: a request over the limit is answered at once, and the client decides when to come back.
    private static RateLimitPartition<string> PerGateway(HttpContext http, int permits) =>
        RateLimitPartition.GetConcurrencyLimiter(
            http.User.Identity?.Name ?? "",
            _ => new ConcurrencyLimiterOptions { PermitLimit = permits, QueueLimit = 0 });

    /// <summary>
    /// The address a sign-in is counted under. An IPv6 host usually holds a whole /64, so its attempts count
    /// under the /64; otherwise it could take a fresh address for every guess.
    /// </summary>
    internal static IPAddress AddressOf(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress ?? IPAddress.None;
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    /// <summary>The 429: how long to wait (the window's rest, or the gateway setting for a concurrency limit) and why.</summary>
    private static ValueTask RefuseAsync(OnRejectedContext context, TimeSpan concurrencyRetryAfter)
    {
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var untilReplenished) ? untilReplenished : concurrencyRetryAfter;
        // Whole seconds, rounded up, never 0: an earlier retry would only be refused again.
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return new ValueTask(Results.Problem(
            http.User.IsGateway()
                ? $"this gateway has too many requests in progress; try again in {seconds} s"
                : $"too many attempts from this address; try again in {seconds} s",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests").ExecuteAsync(http));
    }
}
