using ContactCenter.Agents;
using ContactCenter.Ingest;
using ContactCenter.Placement;
using ContactCenter.Queues;
using ContactCenter.Security;

namespace ContactCenter.Center;

/// <summary>
/// Managing the center (admin role): one queue or agent at a time, or a whole center definition in the
/// center file's format. Every change is validated first and refused whole, with every reason, when wrong.
/// </summary>
public static class CenterAdminEndpoints
{
    public static void MapCenterAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").RequireAuthorization(AccessPolicies.Admin);
        admin.MapGet("/center", (IGrainFactory grains) => grains.GetGrain<ICenterDirectoryGrain>(ICenterDirectoryGrain.Key).GetAsync());
        admin.MapPost("/center", async (CenterFile file, CenterConfigurator configurator, CancellationToken cancellationToken) =>
            Answer(await configurator.ApplyAsync(file, cancellationToken)));
        admin.MapPut("/queues/{queueId}", PutQueueAsync);
        admin.MapPut("/agents/{agentId}", PutAgentAsync);
    }

    private static async Task<IResult> PutQueueAsync(
        string queueId, QueueDefinition queue, IGrainFactory grains, HomeRegionMap homeRegions, CancellationToken cancellationToken)
    {
        var directory = grains.GetGrain<ICenterDirectoryGrain>(ICenterDirectoryGrain.Key);
        var queues = (await directory.GetAsync()).Queues.Append(queueId).ToHashSet(StringComparer.Ordinal);
        var problems = (EventFields.IsValidId(queueId) ? [] : new[] { $"queue '{queueId}': not a valid id" })
            .Concat(CenterValidation.QueueProblems(queueId, queue, queues)).ToList();
        if (problems.Count > 0)
        {
            return Refused(problems);
        }

        await directory.RegisterAsync([new CenterMember(queueId, queue.Region)], []);
        await homeRegions.RefreshAsync(cancellationToken);
        await grains.GetGrain<IQueueGrain>(queueId).ConfigureAsync(queue.ToConfiguration());
        return Results.Ok(QueueDefinition.From(queueId, queue.ToConfiguration()));
    }

    private static async Task<IResult> PutAgentAsync(
        string agentId, AgentDefinition agent, IGrainFactory grains, HomeRegionMap homeRegions, CancellationToken cancellationToken)
    {
        var directory = grains.GetGrain<ICenterDirectoryGrain>(ICenterDirectoryGrain.Key);
        var queues = (await directory.GetAsync()).Queues.ToHashSet(StringComparer.Ordinal);
        var problems = CenterValidation.AgentProblems(agentId, agent, queues).ToList();
        if (problems.Count > 0)
        {
            return Refused(problems);
        }

        await directory.RegisterAsync([], [new CenterMember(agentId, agent.Region)]);
        await homeRegions.RefreshAsync(cancellationToken);
        return Results.Ok(await grains.GetGrain<IAgentGrain>(agentId).ConfigureAsync(agent.ToProfile()));
    }

    private static IResult Answer(CenterApplied applied) =>
        applied.Succeeded ? Results.Ok(new { applied.Queues, applied.Agents }) : Refused(applied.Problems);

    private static IResult Refused(IReadOnlyList<string> problems) => Results.Problem(
        string.Join("; ", problems), statusCode: StatusCodes.Status400BadRequest,
        extensions: new Dictionary<string, object?> { ["problems"] = problems });
}
