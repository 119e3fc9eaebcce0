using System.Text.Json;
using ContactCenter.Customers;
using ContactCenter.Security;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ContactCenter.Agents;

/// <summary>
/// The agent's desk, live: <c>GET /api/v1/agents/{id}/stream</c> sends the agent's status as a server-sent event each
/// time it changes (its version), and with an offer or a call the caller's screen-pop, read once per call, so the page
/// has it as the phone rings without asking. The silo looks at the agent's grain twice a second per open desk: a call
/// the grain holds in memory, which 1,500 desks make 3,000 of a second across the cluster.
/// </summary>
public static partial class AgentDeskStream
{
    private static readonly TimeSpan LookEvery = TimeSpan.FromMilliseconds(500);

    /// <summary>A stream ends this long after it opened, and the browser opens the next: the session is checked again then.</summary>
    private static readonly TimeSpan LongestStream = TimeSpan.FromMinutes(5);

    /// <summary>A comment this often keeps a quiet stream open through proxies that cut idle connections.</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    /// <summary>One event: the status, and the screen-pop of its call (null without one, for a withheld number, or when it cannot be read).</summary>
    public sealed record DeskEvent(AgentStatus Status, ScreenPop? ScreenPop);

    public static async Task StreamAsync(
        string agentId, HttpContext http, IGrainFactory grains, IOptions<JsonOptions> json, IHostApplicationLifetime lifetime, ApiTokenDirectory tokens, ILogger logger)
    {
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no"; // a reverse proxy must not hold events back
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        stopping.CancelAfter(LongestStream);
        var session = http.User.FindFirst(BrowserSignIn.TokenDigestClaim)?.Value;
        var agent = grains.GetGrain<IAgentGrain>(agentId);
        long? version = null;
        string? poppedFor = null;
        ScreenPop? screenPop = null;
        var quietSince = DateTimeOffset.UtcNow;
        try
        {
            // Before any grain call: whatever fails later, the page has a stream to retry.
            await http.Response.WriteAsync("retry: 2000\n\n", stopping.Token);
            await http.Response.Body.FlushAsync(stopping.Token);
            while (!stopping.IsCancellationRequested && (session is null || tokens.IsCurrent(session)))
            {
                try
                {
                    var status = await agent.GetStatusAsync();
                    if (status.Version != version)
                    {
                        version = status.Version;
                        var callId = status.Offer?.CallId ?? status.CallId;
                        if (callId != poppedFor)
                        {
                            poppedFor = callId;
                            screenPop = callId is null ? null : await ScreenPopOfAsync(grains, status, logger);
                        }

                        await SendAsync(http, JsonSerializer.SerializeToUtf8Bytes(new DeskEvent(status, screenPop), json.Value.SerializerOptions), stopping.Token);
                        quietSince = DateTimeOffset.UtcNow;
                    }
                    else if (DateTimeOffset.UtcNow - quietSince >= Heartbeat)
                    {
                        await http.Response.WriteAsync(": still here\n\n", stopping.Token);
                        await http.Response.Body.FlushAsync(stopping.Token);
                        quietSince = DateTimeOffset.UtcNow;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The agent's grain did not answer (its silo lost a moment ago): looked at again after a pause.
                    LogStatusUnread(logger, ex, agentId);
                    await Task.Delay(TimeSpan.FromSeconds(2), stopping.Token);
                }

                await Task.Delay(LookEvery, stopping.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // the page was closed, the silo is stopping, or the stream's time is up: the page opens the next one
        }
    }

    private static async Task SendAsync(HttpContext http, byte[] payload, CancellationToken cancellationToken)
    {
        await http.Response.Body.WriteAsync("data: "u8.ToArray(), cancellationToken);
        await http.Response.Body.WriteAsync(payload, cancellationToken);
        await http.Response.Body.WriteAsync("\n\n"u8.ToArray(), cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>The caller's screen-pop; none when the number is withheld, or when it cannot be read (the status still goes out).</summary>
    private static async Task<ScreenPop?> ScreenPopOfAsync(IGrainFactory grains, AgentStatus status, ILogger logger)
    {
        try
        {
            var caller = status.Offer?.Caller;
            if (caller is null && status.CallId is { } callId)
            {
                caller = (await grains.GetGrain<Calls.ICallGrain>(callId).GetSnapshotAsync())?.Caller;
            }

            return caller is null || caller == Calls.PhoneNumbers.Withheld ? null : await grains.GetGrain<ICustomerGrain>(caller).GetScreenPopAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogScreenPopUnread(logger, ex, status.AgentId);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent desk stream of {AgentId}: the agent's status could not be read; trying again")]
    private static partial void LogStatusUnread(ILogger logger, Exception ex, string agentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent desk stream of {AgentId}: the caller's screen-pop could not be read; the desk shows the call without it")]
    private static partial void LogScreenPopUnread(ILogger logger, Exception ex, string agentId);
}
