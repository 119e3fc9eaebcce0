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
    public const string LoginPath = "/wallboard/login";

    public static AuthenticationBuilder AddBrowserSignIn(this AuthenticationBuilder authentication) => authentication
        .AddCookie(CookieScheme, cookie =>
        {
            cookie.Cookie.Name = "cc_operator";
            cookie.Cookie.HttpOnly = true;
            // Strict: no other site can make a signed-in browser send the cookie, which is what stands between a
            // supervisor's session and a forged request to force an agent's state.
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12); // a supervisor's shift
            cookie.SlidingExpiration = true;
            cookie.LoginPath = LoginPath;
            cookie.Events.OnRedirectToLogin = context => RedirectPagesOnly(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => RedirectPagesOnly(context, StatusCodes.Status403Forbidden);
        })
        .AddPolicyScheme(TokenOrCookieScheme, "API token or signed-in browser", scheme =>
            scheme.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenAuthentication.SchemeName
                    : CookieScheme);

    /// <summary>A page goes to the login form; an API call gets its status code, never an HTML redirect.</summary>
    private static Task RedirectPagesOnly(RedirectContext<CookieAuthenticationOptions> context, int apiStatus)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
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
