using ContactCenter.Hosting;
using ContactCenter.Security;

namespace ContactCenter.Gateways;

/// <summary>
/// The command channel to gateways, by long polling: a gateway keeps one <c>GET /api/v1/gateway/commands</c>
/// open; it returns as soon as commands are pending (or empty after <c>wait</c> seconds), and the gateway
/// acknowledges the ids it has carried out. A command not acknowledged within
/// <see cref="ContactCenterOptions.CommandRedeliverySeconds"/> is delivered again, by any silo, after a restart too: delivery is at least once, so a gateway acts on
/// each command id once. Long polling was chosen over WebSocket or server-sent events because it passes
/// every proxy and load balancer a carrier runs, needs no connection state on the silo (any silo can serve
/// any gateway), and its acknowledgements are ordinary idempotent requests.
/// </summary>
public static class GatewayCommandEndpoints
{
    public const int MaxWaitSeconds = 60;
    public const int DefaultWaitSeconds = 25;
    public const int MaxCommandsPerPoll = 500;
    public const int MaxAcknowledgedPerRequest = 5_000;

    public sealed record CommandPage(IReadOnlyList<DeliveredCommand> Commands);

    /// <param name="Ids">The ids of the commands carried out (1 to 5,000); an id acknowledged before, or not this gateway's, is ignored.</param>
    public sealed record Acknowledgement(long[] Ids);

    /// <param name="Acknowledged">How many of the ids were open commands of this gateway, acknowledged now.</param>
    public sealed record AcknowledgementResult(int Acknowledged);

    public static void MapGatewayCommands(this IEndpointRouteBuilder api)
    {
        var commands = api.MapGroup("/gateway/commands").RequireAuthorization(AccessPolicies.Gateway)
            .RequireRateLimiting(RateLimits.GatewayCommands).WithTags(ApiTags.Gateways);
        commands.MapGet("/", PollAsync).AddEndpointFilter(RecordPollAsync)
            .WithSummary("Take the gateway's pending commands (long poll)")
            .WithDescription($"""
                Answers as soon as commands are pending, or with none after 'wait' seconds (0 to {MaxWaitSeconds},
                default {DefaultWaitSeconds}); at most 'max' commands (1 to {MaxCommandsPerPoll}). A call's commands come
                in order, the next only after the one before was acknowledged. Delivery is at least once: a command not
                acknowledged in time comes again (its 'deliveries' counts), so a gateway carries out each id once. A
                gateway that stops polling is taken for lost, and its calls are ended after a grace period.
                """)
            .Produces<CommandPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        commands.MapPost("/ack", AcknowledgeAsync)
            .WithSummary("Acknowledge the commands carried out")
            .Produces<AcknowledgementResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    /// <summary>The gateway counts as polling for as long as its poll is open: what tells the cluster it is alive.</summary>
    private static async ValueTask<object?> RecordPollAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        using var poll = http.RequestServices.GetRequiredService<GatewayHealthMonitor>().PollStarted(http.User.GatewayId());
        return await next(context);
    }

    private static async Task<IResult> PollAsync(HttpContext http, GatewayCommandOutbox outbox, ContactCenterOptions options, IHostApplicationLifetime lifetime, int? wait, int? max)
    {
        var waitSeconds = wait ?? DefaultWaitSeconds;
        var limit = max ?? 100;
        if (waitSeconds is < 0 or > MaxWaitSeconds || limit is < 1 or > MaxCommandsPerPoll)
        {
            return Results.Problem($"'wait' is 0-{MaxWaitSeconds} seconds and 'max' 1-{MaxCommandsPerPoll} commands", statusCode: StatusCodes.Status400BadRequest);
        }

        var gateway = http.User.GatewayId();
        // A silo that is stopping ends its open polls at once, with what is pending: else its stop waits out every
        // gateway's poll (25 s), and its gateways only then move to a silo that is staying.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        deadline.CancelAfter(TimeSpan.FromSeconds(waitSeconds));
        try
        {
            while (true)
            {
                var pending = await outbox.Store.TakePendingAsync(gateway, limit, TimeSpan.FromSeconds(options.CommandRedeliverySeconds), http.RequestAborted);
                if (pending.Count > 0 || deadline.IsCancellationRequested)
                {
                    return Results.Ok(new CommandPage(pending));
                }

                try
                {
                    await outbox.WaitForCommandsAsync(gateway, deadline.Token);
                }
                catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
                {
                    // The wait is over; one last look, then an empty page.
                }
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The gateway went away mid-wait (it stopped, failed over, or its own timeout ran out): an ordinary end
            // of a long poll, not an error. Commands taken in this round are delivered again after the redelivery time.
            return Results.StatusCode(StatusCodes.Status499ClientClosedRequest);
        }
    }

    private static async Task<IResult> AcknowledgeAsync(Acknowledgement acknowledgement, HttpContext http, GatewayCommandOutbox outbox)
    {
        if (acknowledgement.Ids is null || acknowledgement.Ids.Length is 0 or > MaxAcknowledgedPerRequest)
        {
            return Results.Problem($"'ids' lists 1-{MaxAcknowledgedPerRequest} command ids", statusCode: StatusCodes.Status400BadRequest);
        }

        var gateway = http.User.GatewayId();
        var acknowledged = await outbox.Store.AcknowledgeAsync(gateway, acknowledgement.Ids, http.RequestAborted);
        outbox.Wake(gateway); // the next command of a call waits for the acknowledgement of the one before
        return Results.Ok(new AcknowledgementResult(acknowledged));
    }
}
