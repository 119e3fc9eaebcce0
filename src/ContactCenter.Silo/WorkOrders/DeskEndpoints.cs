using System.Reflection;
using ContactCenter.Security;

namespace ContactCenter.WorkOrders;

/// <summary>
/// The desks, pages served by the silo and signed in with their holder's own token (the wallboard's sign-in form, then
/// a cookie): the department's, which lists its open orders by deadline with a reply form on each; and the agent's,
/// with their state and its buttons, the caller's screen-pop pushed as a call is offered, the call's controls, and a
/// work order opened from the call. They read and write through the API, so they can do nothing their token cannot.
/// </summary>
public static class DeskEndpoints
{
    public const string DepartmentDeskPath = "/desk/department";

    public const string AgentDeskPath = "/desk/agent";

    public static void MapDesks(this IEndpointRouteBuilder app)
    {
        app.MapGet(DepartmentDeskPath, (HttpContext http) => Page(http, "department.html", "text/html; charset=utf-8"))
            .RequireAuthorization(policy => policy.RequireRole(Roles.Department))
            .ExcludeFromDescription();
        app.MapGet("/desk/department.js", (HttpContext http) => Page(http, "department.js", "text/javascript; charset=utf-8"))
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapGet(AgentDeskPath, (HttpContext http) => Page(http, "agent.html", "text/html; charset=utf-8"))
            .RequireAuthorization(policy => policy.RequireRole(Roles.Agent))
            .ExcludeFromDescription();
        app.MapGet("/desk/agent.js", (HttpContext http) => Page(http, "agent.js", "text/javascript; charset=utf-8"))
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
