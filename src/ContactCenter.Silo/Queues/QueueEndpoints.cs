using System.Collections.Immutable;
using ContactCenter.Center;
using ContactCenter.Hosting;
using ContactCenter.Ingest;
using ContactCenter.Placement;
using ContactCenter.Security;

namespace ContactCenter.Queues;

/// <summary>Queues as operators see them: every queue's summary, and one queue's waiting calls and agents.</summary>
public static class QueueEndpoints
{
    /// <summary>A queue's live picture, its configuration in the center file's terms (seconds).</summary>
    public sealed record QueueView(
        string QueueId,
        QueueDefinition Configuration,
        ImmutableArray<WaitingCallView> Waiting,
        ImmutableArray<string> IdleAgents,
        int LoggedInAgents,
        QueueFigures Figures,
        string ActiveInRegion);

    /// <param name="ActiveInRegion">The region of the silo the queue runs on now: its own, unless that region is lost.</param>
    public sealed record QueueSummary(
        string QueueId, string Name, string Region, string ActiveInRegion, int Waiting, DateTimeOffset? OldestWaitingSince,
        int IdleAgents, int LoggedInAgents, QueueFigures Figures);

    public static void MapQueues(this IEndpointRouteBuilder api)
    {
        var queues = api.MapGroup("/queues").RequireAuthorization(AccessPolicies.Operator).WithTags(ApiTags.Queues);
        queues.MapGet("/", ListAsync)
            .WithSummary("Every queue: waiting calls, agents and live KPIs")
            .Produces<IReadOnlyList<QueueSummary>>();
        queues.MapGet("/{queueId}", GetAsync)
            .WithSummary("One queue: its configuration, its waiting calls in order, idle agents and live KPIs")
            .Produces<QueueView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> ListAsync(IGrainFactory grains)
    {
        var directory = await grains.GetGrain<ICenterDirectoryGrain>(ICenterDirectoryGrain.Key).GetAsync();
        var statuses = await Task.WhenAll(directory.Queues.Select(id => grains.GetGrain<IQueueGrain>(id).GetStatusAsync()));
        return Results.Ok(statuses.Where(s => s.Configuration is not null).Select(s => new QueueSummary(
            s.QueueId, s.Configuration!.Name, s.Configuration.Region, s.ActiveInRegion, s.Waiting.Length,
            s.Waiting.IsEmpty ? null : s.Waiting.Min(w => w.WaitingSince), s.IdleAgents.Length, s.LoggedInAgents, s.Figures)));
    }

    private static async Task<IResult> GetAsync(string queueId, IGrainFactory grains, HomeRegionMap center)
    {
        if (!EventFields.IsValidId(queueId))
        {
            return Results.Problem("not a valid queue id", statusCode: StatusCodes.Status400BadRequest);
        }

        // Asked of this silo's copy of the center, not the queue: a queue grain activated for a made-up id would
        // keep itself alive with its timer for good.
        switch (await center.IsConfiguredAsync(HomeRegionKind.Queue, queueId))
        {
            case false:
                return Results.Problem($"there is no queue '{queueId}'", statusCode: StatusCodes.Status404NotFound);
            case null:
                return Results.Problem("the center's queues could not be read; try again", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var status = await grains.GetGrain<IQueueGrain>(queueId).GetStatusAsync();
        return status.Configuration is null
            ? Results.NotFound()
            : Results.Ok(new QueueView(status.QueueId, QueueDefinition.From(queueId, status.Configuration), status.Waiting, status.IdleAgents, status.LoggedInAgents, status.Figures, status.ActiveInRegion));
    }
}
