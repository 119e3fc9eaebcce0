using System.Reflection;
using ContactCenter.Security;

namespace ContactCenter.WorkOrders;

/// <summary>
/// The department's desk: a page served by the silo, signed in with the department's own token (the wallboard's
/// sign-in form, then a cookie), which lists the department's open orders by deadline with a reply form on each. It
/// reads and writes through the work-order API, so it can do nothing the department's token cannot.
/// </summary>
public static class DeskEndpoints
{
    public const string DepartmentDeskPath = "/desk/department";

    public static void MapDesks(this IEndpointRouteBuilder app)
    {
        app.MapGet(DepartmentDeskPath, (HttpContext http) => Page(http, "department.html", "text/html; charset=utf-8"))
            .RequireAuthorization(policy => policy.RequireRole(Roles.Department))
            .ExcludeFromDescription();
        app.MapGet("/desk/department.js", (HttpContext http) => Page(http, "department.js", "text/javascript; charset=utf-8"))
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapGet("/desk/whoami", (HttpContext http) => Results.Ok(new { name = http.User.Identity?.Name, role = WorkOrderAccess.Actor(http.User) }))
            .RequireAuthorization(policy => policy.RequireRole(Roles.Department, Roles.Agent, Roles.Supervisor, Roles.Admin))
            .ExcludeFromDescription();
    }

    private static IResult Page(HttpContext http, string file, string contentType)
    {
        Wallboard.WallboardEndpoints.SecureHeaders(http);
        var page = Assembly.GetExecutingAssembly().GetManifestResourceStream($"desk/{file}")
            ?? throw new InvalidOperationException($"the desk's {file} is not embedded in the silo");
        return Results.Stream(page, contentType);
    }
}
