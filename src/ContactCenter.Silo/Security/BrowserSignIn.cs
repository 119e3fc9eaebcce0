using ContactCenter.Observability;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ContactCenter.Security;

/// <summary>
/// People at a browser (the wallboard, the Orleans dashboard) sign in once with their operator token and then
/// carry a cookie; programs send the token itself as a bearer header. One default scheme picks between the two
/// per request, so every endpoint's policy holds for both.
/// </summary>
public static class BrowserSignIn
{
    public const string CookieScheme = "SupervisorCookie";
    public const string TokenOrCookieScheme = "TokenOrCookie";
    private const string CookieName = "cc_operator";
    public const string LoginPath = "/wallboard/login";
    public const string LogoutPath = "/wallboard/logout";
    public const string TokenDigestClaim = "cc:token-digest";

    /// <summary>
    /// The header the wallboard sends with every change it asks for. A form on another page cannot set a header,
    /// so a change carried by the cookie without it was not asked for by the wallboard (defence beside SameSite,
    /// which does not stop a sibling subdomain).
    /// </summary>
    public const string RequestHeader = "X-Contact-Center";

    public static AuthenticationBuilder AddBrowserSignIn(this AuthenticationBuilder authentication) => authentication
        .AddCookie(CookieScheme, cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            // Strict: no other site can make a signed-in browser send the cookie, which is what stands between a
            // supervisor's session and a forged request to force an agent's state.
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12); // a supervisor's shift, not extended by the page's own polling
            cookie.SlidingExpiration = false;
            cookie.Events.OnValidatePrincipal = context =>
            {
                // A token withdrawn from the configuration ends the sessions signed in with it.
                var digest = context.Principal?.FindFirst(TokenDigestClaim)?.Value;
                if (digest is null || !context.HttpContext.RequestServices.GetRequiredService<ApiTokenDirectory>().IsCurrent(digest))
                {
                    context.RejectPrincipal();
                }

                return Task.CompletedTask;
            };
            cookie.LoginPath = LoginPath;
            cookie.Events.OnRedirectToLogin = context => RedirectPagesOnly(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => RedirectPagesOnly(context, StatusCodes.Status403Forbidden);
        })
        .AddPolicyScheme(TokenOrCookieScheme, "API token or signed-in browser", scheme =>
            scheme.ForwardDefaultSelector = context => HasBearerToken(context.Request) ? ApiTokenAuthentication.SchemeName : CookieScheme);

    private static bool HasBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var from) && string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    /// <summary>Refuses a change to the API carried by the session cookie without the wallboard's header (see <see cref="RequestHeader"/>).</summary>
    public static IApplicationBuilder UseBrowserRequestCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var isChange = !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method));
        // The same test as the scheme's selector: anything but a bearer token (a Basic header a proxy made the browser add,
        // say) leaves the request to the cookie, and the cookie needs the header.
        var byCookie = context.Request.Path.StartsWithSegments("/api") && !HasBearerToken(context.Request)
            && context.Request.Cookies.ContainsKey(CookieName);
        if (isChange && byCookie && !context.Request.Headers.ContainsKey(RequestHeader))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync($"a change from a browser session needs the {RequestHeader} header");
            return;
        }

        // Signing in or out from another site's page (a forged form: one person's browser put in another's session).
        var signing = HttpMethods.IsPost(context.Request.Method) && (context.Request.Path == LoginPath || context.Request.Path == LogoutPath);
        if (signing && context.Request.Headers.Origin is [{ } origin] && !SameOrigin(origin, context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("signing in or out is done from this site's own pages");
            return;
        }

        await next(context);
    });

    /// <summary>
    /// A page goes to the login form; an API call or a metrics scrape (a program, not a person) gets its status
    /// code, never an HTML redirect.
    /// </summary>
    private static Task RedirectPagesOnly(RedirectContext<CookieAuthenticationOptions> context, int apiStatus)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments(ContactCenterMetrics.ScrapePath))
        {
            context.Response.StatusCode = apiStatus;
        }
        else if (apiStatus == StatusCodes.Status401Unauthorized)
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = apiStatus;
        }

        return Task.CompletedTask;
    }
}
