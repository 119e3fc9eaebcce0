using System.Security.Cryptography;
using ContactCenter.Audit;
using ContactCenter.Hosting;
using ContactCenter.Ingest;
using ContactCenter.Kpis;
using ContactCenter.Security;
using ContactCenter.Supervision;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ContactCenter.WorkOrders;

/// <summary>
/// Complaint work orders: opened by the agent who takes the complaint (its first responder and owner), by a supervisor
/// or a system through the API, or by a low satisfaction score; dispatched to the department that owns the category,
/// replied to by that department, confirmed with the customer and closed by the front line. Who may do what is
/// <see cref="WorkOrderAccess"/>'s; what each state takes is <see cref="WorkOrderLife"/>'s. Operators' requests are in
/// the audit log; every change of every party is in the order's own history.
/// </summary>
public static class WorkOrderEndpoints
{
    public const int MaxListed = 500;
    private const long MaxBodyBytes = 16 * 1024;

    /// <param name="Id">The order's id, for an opening that may be sent again (a repeat opens nothing new); the cluster makes one if none.</param>
    /// <param name="Owner">The first responder, for an order a supervisor opens on an agent's behalf; an agent's own order is theirs.</param>
    public sealed record OpenBody(string? Id, string? Subscriber, string? Category, string? Summary, string? CallId, string? Owner) : IAuditedRequest;

    public sealed record ChangeBody(string? Text) : IAuditedRequest;

    public sealed record CategoryView(string Id, string Name, string Department);

    public static void MapWorkOrders(this IEndpointRouteBuilder api)
    {
        var orders = api.MapGroup("/work-orders").RequireAuthorization(AccessPolicies.WorkOrders).WithTags(ApiTags.WorkOrders);
        orders.MapPost("", OpenAsync)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .AuditedAs("work_order_open", AuditTargets.WorkOrder, "id")
            .WithSummary("Open a complaint's work order, dispatched at once to the department that owns its category")
            .Produces<WorkOrderView>(StatusCodes.Status201Created)
            .Produces<WorkOrderView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapGet("", ListAsync)
            .WithSummary("Orders by deadline (the reply due first): an agent's own, a department's, or any an operator narrows by department, owner or subscriber")
            .Produces<WorkOrderView[]>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        orders.MapGet("/categories", (IOptions<WorkOrderOptions> options) =>
                options.Value.Categories.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new CategoryView(c.Key, c.Value.Name, c.Value.Department)))
            .WithSummary("The complaint categories, each with the department that owns its orders")
            .Produces<CategoryView[]>();
        orders.MapGet("/figures", FiguresAsync)
            .WithSummary("Open, overdue and problem orders now, and today's timeliness, by department and category (operators)")
            .Produces<WorkOrderFigures>()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        orders.MapGet("/{id}", GetAsync)
            .WithSummary("One order with its history")
            .Produces<WorkOrderView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        foreach (var (path, action) in new[]
        {
            ("notes", WorkOrderAction.Note), ("reply", WorkOrderAction.Reply), ("confirm", WorkOrderAction.Confirm),
            ("reopen", WorkOrderAction.Reopen), ("close", WorkOrderAction.Close),
        })
        {
            orders.MapPost($"/{{id}}/{path}", (string id, ChangeBody? body, HttpContext http, IGrainFactory grains) => ChangeAsync(id, action, body, http, grains))
                .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
                .AuditedAs($"work_order_{path}", AuditTargets.WorkOrder, "id")
                .WithSummary(Summary(action))
                .Produces<WorkOrderView>()
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status403Forbidden)
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict);
        }
    }

    private static string Summary(WorkOrderAction action) => action switch
    {
        WorkOrderAction.Note => "Add a note (anyone who may see the order)",
        WorkOrderAction.Reply => "The department's reply (dispatched or reopened orders)",
        WorkOrderAction.Confirm => "The customer was told the answer (the first responder; replied orders)",
        WorkOrderAction.Reopen => "The customer is not satisfied: back to the department, its deadline running again",
        _ => "Close the order (the first responder: replied or confirmed orders; a supervisor: any open one)",
    };

    private static async Task<IResult> OpenAsync(OpenBody? body, HttpContext http, IGrainFactory grains, IOptions<WorkOrderOptions> options, TimeProvider clock)
    {
        if (OpenProblem(body, options.Value) is { } problem)
        {
            return Problem(StatusCodes.Status400BadRequest, problem);
        }

        var user = http.User;
        if (user.IsDepartment())
        {
            return Problem(StatusCodes.Status403Forbidden, "a department replies to orders; the front line opens them");
        }

        var owner = user.IsAgent() ? user.Identity!.Name : body!.Owner;
        if (user.IsAgent() && body!.Owner is { } other && other != owner)
        {
            return Problem(StatusCodes.Status403Forbidden, "an agent opens orders as their own first responder");
        }

        var id = body!.Id ?? NewId(clock.GetUtcNow());
        var order = new OpenWorkOrder(body.Subscriber!, body.Category!, body.Summary!, body.CallId, owner,
            user.IsAgent() ? WorkOrderSource.Agent : WorkOrderSource.Api, WorkOrderAccess.Actor(user));
        var (opened, created) = await grains.ReferenceTo<IWorkOrderGrain>(id).OpenAsync(order);
        if (created)
        {
            return Results.Created(ApiRoutes.WorkOrder(id), opened);
        }

        // A repeat of the same opening is answered as the first was; another complaint under the id opened nothing.
        return opened.Subscriber == order.Subscriber && opened.Category == order.Category && opened.Summary == order.Summary && WorkOrderAccess.MaySee(user, opened)
            ? Results.Ok(opened)
            : Problem(StatusCodes.Status409Conflict, $"work order {id} exists with another complaint");
    }

    private static string? OpenProblem(OpenBody? body, WorkOrderOptions options) =>
        body is null ? "a JSON body with 'subscriber', 'category' and 'summary' is required"
        : body.Id is { } id && !IsOrderId(id) ? $"'id' must be 1-{IngestLimits.MaxIdLength} letters, digits or . _ : - @"
        : body.Id?.StartsWith(Surveys.SurveyLife.WorkOrderPrefix, StringComparison.Ordinal) == true
            ? $"ids beginning '{Surveys.SurveyLife.WorkOrderPrefix}' are the low satisfaction scores' orders; choose another"
        : body.Subscriber is not { } subscriber || !Calls.PhoneNumbers.IsE164(subscriber) ? "'subscriber' is the customer's E.164 number ('+' and 8 to 15 digits)"
        : body.Category is not { } category || options.DepartmentOf(category) is null ? $"'category' is one of: {string.Join(", ", options.Categories.Keys.Order(StringComparer.Ordinal))}"
        : body.Summary is not { Length: > 0 and <= WorkOrderLimits.MaxSummaryLength } summary || !WorkOrderLimits.IsText(summary)
            ? $"'summary' is 1-{WorkOrderLimits.MaxSummaryLength} characters of text (no control characters but line breaks and tabs)"
        : body.CallId is { } call && !EventFields.IsValidId(call) ? "'callId' is the id of the call the complaint was taken on"
        : body.Owner is { } owner && !EventFields.IsValidId(owner) ? "'owner' is an agent's id"
        : null;

    /// <summary>An order's id: an id of the API's alphabet without '/', which would not reach its own path.</summary>
    private static bool IsOrderId(string id) => EventFields.IsValidId(id) && !id.Contains('/', StringComparison.Ordinal);

    /// <summary>A new order's id: its day, then enough randomness that two silos opening at once never collide.</summary>
    private static string NewId(DateTimeOffset now) => $"wo-{now.UtcDateTime:yyyyMMdd}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";

    private static async Task<IResult> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var (order, refusal) = await FindAsync(id, http, grains);
        return refusal ?? Results.Ok(order);
    }

    private static async Task<IResult> ChangeAsync(string id, WorkOrderAction action, ChangeBody? body, HttpContext http, IGrainFactory grains)
    {
        var text = body?.Text;
        if (text is { Length: > WorkOrderLimits.MaxTextLength } || text is not null && !WorkOrderLimits.IsText(text))
        {
            return Problem(StatusCodes.Status400BadRequest, $"'text' is at most {WorkOrderLimits.MaxTextLength} characters of text (no control characters but line breaks and tabs)");
        }

        if (string.IsNullOrWhiteSpace(text) && action is WorkOrderAction.Note or WorkOrderAction.Reply or WorkOrderAction.Reopen)
        {
            return Problem(StatusCodes.Status400BadRequest, $"'text' is required for {action.ToString().ToLowerInvariant()}");
        }

        var (order, refusal) = await FindAsync(id, http, grains);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!WorkOrderAccess.MayDo(http.User, order!, action))
        {
            return Problem(StatusCodes.Status403Forbidden, $"{WorkOrderAccess.Actor(http.User)} may not {action.ToString().ToLowerInvariant()} work order {id}");
        }

        var change = new WorkOrderChange(action, WorkOrderAccess.Actor(http.User), text, Overrule: WorkOrderAccess.IsOperator(http.User));
        var outcome = await grains.ReferenceTo<IWorkOrderGrain>(id).ChangeAsync(change);
        return outcome.Refusal is { } why ? Problem(StatusCodes.Status409Conflict, why) : Results.Ok(outcome.Order);
    }

    /// <summary>The order, or the answer to give instead: 404 for none (or a bad id), 403 for one the user may not see.</summary>
    private static async Task<(WorkOrderView? Order, IResult? Refusal)> FindAsync(string id, HttpContext http, IGrainFactory grains)
    {
        if (!EventFields.IsValidId(id) || await grains.ReferenceTo<IWorkOrderGrain>(id).GetAsync() is not { } order)
        {
            return (null, Problem(StatusCodes.Status404NotFound, $"no work order '{id}'"));
        }

        return WorkOrderAccess.MaySee(http.User, order)
            ? (order, null)
            : (null, Problem(StatusCodes.Status403Forbidden, $"work order {id} is not {WorkOrderAccess.Actor(http.User)}'s"));
    }

    private static async Task<IResult> ListAsync(string? department, string? owner, string? subscriber, bool? open, int? limit, HttpContext http, IWorkOrderStore store, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxListed)
        {
            return Problem(StatusCodes.Status400BadRequest, $"'limit' is 1 to {MaxListed}");
        }

        if (new[] { department, owner }.Any(v => v is not null && !EventFields.IsValidId(v)) || subscriber is not null && !Calls.PhoneNumbers.IsE164(subscriber))
        {
            return Problem(StatusCodes.Status400BadRequest, "'department' and 'owner' are ids, 'subscriber' an E.164 number");
        }

        // An agent lists their own orders, a department its own, whatever else they ask.
        var user = http.User;
        var query = new WorkOrderQuery(
            user.IsDepartment() ? user.Identity!.Name : department,
            user.IsAgent() ? user.Identity!.Name : owner,
            subscriber,
            open ?? true,
            limit ?? 100);
        var records = await store.ListAsync(query, cancellationToken);
        return Results.Ok(records.Select(r => r.View()));
    }

    private static async Task<IResult> FiguresAsync(HttpContext http, IWorkOrderStore store, CenterCalendar calendar, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (http.User.IsAgent() || http.User.IsDepartment())
        {
            return Problem(StatusCodes.Status403Forbidden, "the center's figures are the operators'");
        }

        return Results.Ok(await WorkOrderFigures.TodayAsync(store, calendar, clock.GetUtcNow(), cancellationToken));
    }

    private static IResult Problem(int status, string detail) => Results.Problem(detail, statusCode: status);
}
