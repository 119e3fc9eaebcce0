using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using ContactCenter.Hosting;
using ContactCenter.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ContactCenter.Wallboard;

/// <summary>
/// The supervisors' wallboard: its page (signed in with an operator token, then a cookie), the live frames as
/// server-sent events, and the same frame as JSON for programs.
/// </summary>
public static class WallboardEndpoints
{
    /// <summary>The page may only load what the silo itself serves: no inline script, no third party.</summary>
    /// <summary>What the silo's pages may load and run: their own scripts and styles only, in no one else's frame.</summary>
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";


    /// <summary>The pages on <paramref name="app"/>, the data they show under <paramref name="api"/>.</summary>
    public static void MapWallboard(this IEndpointRouteBuilder app, IEndpointRouteBuilder api)
    {
        var wallboard = api.MapGroup("/wallboard").RequireAuthorization(AccessPolicies.Operator).WithTags(ApiTags.Supervisors);
        wallboard.MapGet("/", CurrentAsync)
            .WithSummary("The wallboard's current frame: queues, agents, gateways, alerts and the center's KPIs")
            .WithDescription(AgentListDescription)
            .Produces<WallboardFrame>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        wallboard.MapGet("/trend", (WallboardFeed feed) => feed.Trend)
            .WithSummary("The last hour of the board, a point a minute: waiting calls and service level, of the center and each queue")
            .Produces<WallboardTrendView>();
        wallboard.MapGet("/stream", StreamAsync)
            .WithSummary("The wallboard's frames as server-sent events, one a second")
            .WithDescription(AgentListDescription)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        app.MapGet("/wallboard", (HttpContext http) => Page(http, "index.html", "text/html; charset=utf-8"))
            .RequireAuthorization(AccessPolicies.Operator);
        app.MapGet("/wallboard/wallboard.js", (HttpContext http) => Page(http, "wallboard.js", "text/javascript; charset=utf-8"))
            .RequireAuthorization(AccessPolicies.Operator);
        // The style sheet dresses the sign-in form too, so it is served to anyone; it holds nothing about the center.
        app.MapGet("/wallboard/wallboard.css", (HttpContext http) => Page(http, "wallboard.css", "text/css; charset=utf-8")).AllowAnonymous();

        // The landing page: links to what this silo serves, and nothing about the center, so open to anyone.
        app.MapGet("/", (HttpContext http) => Page(http, "home.html", "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(BrowserSignIn.LoginPath, LoginPage).AllowAnonymous();
        app.MapPost(BrowserSignIn.LoginPath, SignInAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimits.SignIn);
        app.MapPost(BrowserSignIn.LogoutPath, async (HttpContext http) =>
        {
            await http.SignOutAsync(BrowserSignIn.CookieScheme);
            return Results.Redirect(BrowserSignIn.LoginPath);
        }).AllowAnonymous().DisableAntiforgery();
    }

    /// <summary>Server-sent events: one <c>data:</c> line of JSON a frame, at once on connecting and then every second.</summary>
    private const string AgentListDescription =
        "The agents are those whose id, region or state contains 'agents' (the board's state names: Available, Ringing, On call, Wrap-up, Not ready), "
        + "the first 'agentLimit' of them by id (default 200, at most 2,000); 'agentCount' and 'agentsMatching' say how many there are.";

    private static async Task<IResult> CurrentAsync(WallboardFeed feed, IOptions<JsonOptions> json, string? agents, int? agentLimit, CancellationToken cancellationToken)
    {
        var (view, problem) = AgentListView.Parse(agents, agentLimit);
        if (view is null)
        {
            return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }

        var payload = await feed.CurrentAsync(cancellationToken);
        return Results.Bytes(payload.JsonFor(view, json.Value.SerializerOptions), "application/json");
    }

    private static async Task<IResult> StreamAsync(HttpContext http, WallboardFeed feed, IOptions<JsonOptions> json, string? agents, int? agentLimit, CancellationToken cancellationToken)
    {
        var (view, problem) = AgentListView.Parse(agents, agentLimit);
        if (view is null)
        {
            return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }

        await WriteStreamAsync(http, feed, view, json.Value.SerializerOptions, cancellationToken);
        return Results.Empty;
    }

    private static async Task WriteStreamAsync(HttpContext http, WallboardFeed feed, AgentListView view, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no"; // a reverse proxy must not hold frames back
        var frames = feed.Open(out var subscription);
        using (subscription)
        {
            await http.Response.WriteAsync("retry: 2000\n\n", cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
            try
            {
                await foreach (var payload in frames.ReadAllAsync(cancellationToken))
                {
                    await http.Response.Body.WriteAsync("data: "u8.ToArray(), cancellationToken);
                    await http.Response.Body.WriteAsync(payload.JsonFor(view, json), cancellationToken);
                    await http.Response.Body.WriteAsync("\n\n"u8.ToArray(), cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                // the page was closed
            }
        }
    }

    /// <summary>Exchanges an operator's, a department's or an agent's token, typed once, for a session cookie (each lands on its own page); gateway tokens are refused.</summary>
    private static async Task<IResult> SignInAsync(HttpContext http, ApiTokenDirectory tokens)
    {
        var form = await http.Request.ReadFormAsync();
        var token = form["token"].ToString().Trim();
        if (token.Length == 0 || !tokens.TryFind(token, out var principal)
            || !(principal.IsInRole(Roles.Supervisor) || principal.IsInRole(Roles.Admin) || principal.IsInRole(Roles.Department) || principal.IsInRole(Roles.Agent)))
        {
            return Results.Redirect($"{BrowserSignIn.LoginPath}?failed=1");
        }

        // The token's digest goes with the session, so a token withdrawn from the configuration ends it too.
        var identity = new ClaimsIdentity(principal.Claims.Append(new Claim(BrowserSignIn.TokenDigestClaim, ApiTokenDirectory.Digest(token))), BrowserSignIn.CookieScheme);
        await http.SignInAsync(BrowserSignIn.CookieScheme, new ClaimsPrincipal(identity));
        var returnUrl = form["returnUrl"].ToString();
        // Only a path of this site: an open redirect would let a link send a supervisor anywhere after signing in. A
        // department's desk is its page; the wallboard is the operators'.
        var home = principal.IsInRole(Roles.Department) ? WorkOrders.DeskEndpoints.DepartmentDeskPath
            : principal.IsInRole(Roles.Agent) ? WorkOrders.DeskEndpoints.AgentDeskPath
            : "/wallboard";
        // Operators may be sent to any page of the site; a desk's holder only to their desk (any other page would refuse them).
        var allowed = RedirectHttpResult.IsLocalUrl(returnUrl) && (home == "/wallboard" || returnUrl.StartsWith(home, StringComparison.Ordinal));
        return Results.Redirect(allowed ? returnUrl : home);
    }

    /// <summary>The sign-in form, carrying where to go afterwards and saying when the last attempt failed.</summary>
    private static IResult LoginPage(HttpContext http, string? returnUrl, string? failed)
    {
        using var reader = new StreamReader(Resource("login.html"));
        var html = reader.ReadToEnd()
            .Replace("{{returnUrl}}", System.Net.WebUtility.HtmlEncode(returnUrl ?? "/wallboard"), StringComparison.Ordinal)
            .Replace("{{failed}}", failed is null ? "" : "<p id=\"login-failed\" class=\"login-failed\">That token is not a supervisor's, an admin's, a department's or an agent's.</p>", StringComparison.Ordinal);
        SecureHeaders(http);
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static IResult Page(HttpContext http, string file, string contentType)
    {
        SecureHeaders(http);
        return Results.Stream(Resource(file), contentType);
    }

    /// <summary>The headers of every page the silo serves (the wallboard's, the desks').</summary>
    internal static void SecureHeaders(HttpContext http)
    {
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
    }

    private static Stream Resource(string file) => Assembly.GetExecutingAssembly().GetManifestResourceStream($"wallboard/{file}")
        ?? throw new InvalidOperationException($"the wallboard's {file} is not embedded in the silo");
}
