using System.Text.Json;
using ContactCenter.Customers;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ContactCenter.Agents;

/// <summary>
/// The agent's desk, live: <c>GET /api/v1/agents/{id}/stream</c> sends the agent's status as a server-sent event each
/// time it changes (its version), and with an offer or a call the caller's screen-pop, read once per call, so the page
/// has it as the phone rings without asking. The silo looks at the agent's grain twice a second per open desk: a call
/// the grain holds in memory, which 1,500 desks make 3,000 of a second across the cluster.
/// </summary>
public static class AgentDeskStream
{
    private static readonly TimeSpan LookEvery = TimeSpan.FromMilliseconds(500);

    /// <summary>One event: the status, and the screen-pop of its call (null without one, or for a withheld number).</summary>
    public sealed record DeskEvent(AgentStatus Status, ScreenPop? ScreenPop);

    public static async Task StreamAsync(string agentId, HttpContext http, IGrainFactory grains, IOptions<JsonOptions> json, IHostApplicationLifetime lifetime)
    {
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var agent = grains.GetGrain<IAgentGrain>(agentId);
        long? version = null;
        string? poppedFor = null;
        ScreenPop? screenPop = null;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var status = await agent.GetStatusAsync();
                if (status.Version != version)
                {
                    version = status.Version;
                    var callId = status.Offer?.CallId ?? status.CallId;
                    if (callId != poppedFor)
                    {
                        poppedFor = callId;
                        screenPop = callId is null ? null : await ScreenPopOfAsync(grains, status);
                    }

                    var payload = JsonSerializer.SerializeToUtf8Bytes(new DeskEvent(status, screenPop), json.Value.SerializerOptions);
                    await http.Response.Body.WriteAsync("data: "u8.ToArray(), stopping.Token);
                    await http.Response.Body.WriteAsync(payload, stopping.Token);
                    await http.Response.Body.WriteAsync("\n\n"u8.ToArray(), stopping.Token);
                    await http.Response.Body.FlushAsync(stopping.Token);
                }

                await Task.Delay(LookEvery, stopping.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // the page was closed, or the silo is stopping (the page reconnects to a silo that runs)
        }
    }

    private static async Task<ScreenPop?> ScreenPopOfAsync(IGrainFactory grains, AgentStatus status)
    {
        var caller = status.Offer?.Caller;
        if (caller is null && status.CallId is { } callId)
        {
            caller = (await grains.GetGrain<Calls.ICallGrain>(callId).GetSnapshotAsync())?.Caller;
        }

        return caller is null || caller == Calls.PhoneNumbers.Withheld ? null : await grains.GetGrain<ICustomerGrain>(caller).GetScreenPopAsync();
    }
}
