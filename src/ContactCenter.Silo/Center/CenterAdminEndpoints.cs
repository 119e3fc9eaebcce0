using ContactCenter.Agents;
using ContactCenter.Hosting;
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
    public static void MapCenterAdmin(this IEndpointRouteBuilder api)
    {
        var admin = api.MapGroup("/admin").RequireAuthorization(AccessPolicies.Admin).WithTags(ApiTags.Administration);
        admin.MapGet("/center", (IGrainFactory grains) => grains.GetGrain<ICenterDirectoryGrain>(ICenterDirectoryGrain.Key).GetAsync())
            .WithSummary("The ids of the center's queues and agents");
        admin.MapPost("/center", async (CenterFile file, CenterConfigurator configurator, CancellationToken cancellationToken) =>
            Answer(await configurator.ApplyAsync(file, cancellationToken)))
            .WithSummary("Apply a whole center file: queues, agents, skills, tiers and overflow")
            .WithDescription("Checked as a whole first: a file with any problem changes nothing, and the 400 lists every problem.")
            .Produces<CenterChange>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapPut("/queues/{queueId}", PutQueueAsync)
            .WithSummary("Create or change one queue")
            .Produces<QueueDefinition>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapPut("/agents/{agentId}", PutAgentAsync)
            .WithSummary("Create or change one agent: name, region, skills")
            .Produces<AgentStatus>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
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

    /// <param name="Queues">How many queues the center has now.</param>
    /// <param name="Agents">How many agents the center has now.</param>
    public sealed record CenterChange(int Queues, int Agents);

    private static IResult Answer(CenterApplied applied) =>
        applied.Succeeded ? Results.Ok(new CenterChange(applied.Queues, applied.Agents)) : Refused(applied.Problems);

    private static IResult Refused(IReadOnlyList<string> problems) => Results.Problem(
        string.Join("; ", problems), statusCode: StatusCodes.Status400BadRequest,
        extensions: new Dictionary<string, object?> { ["problems"] = problems });
}
