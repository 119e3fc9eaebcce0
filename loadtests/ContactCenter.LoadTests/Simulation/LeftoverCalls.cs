using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ContactCenter.GatewayClient;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>What ending an earlier run's calls did.</summary>
/// <param name="Refused">Ends the cluster refused, with one reason (the call's agent or queue may stay taken).</param>
public sealed record LeftoverReport(int Found, int Ended, int Refused, string? RefusedReason);

/// <summary>
/// A gateway that starts carries no calls, so every call the cluster still thinks it has is over: a simulator
/// stopped without hanging up (killed, or a crash) leaves calls in the cluster, some talking to agents, who then
/// could not be made ready, some waiting in queues, whose offers would ring nobody. Before the run, each region's
/// gateway lists its calls that have not ended (<c>GET /api/v1/calls</c>, its own only) and reports <c>ended</c> for
/// those a simulation started (ids <c>sim-...</c>; calls of other tools are left alone), as a real gateway does
/// for the calls it lost in a restart. The cluster's effects then free their agents and queues.
/// </summary>
public static class LeftoverCalls
{
    private const string SimulatedCallPrefix = "sim-";
    private const int PageSize = 500;

    public static async Task<LeftoverReport> EndAsync(IReadOnlyList<(string Region, string Token, IReadOnlyList<Region> Regions)> gateways,
        TimeSpan requestTimeout, CancellationToken cancellationToken)
    {
        int found = 0, ended = 0, refused = 0;
        string? reason = null;
        foreach (var (_, token, regions) in gateways)
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = regions[0].BaseAddress, Timeout = requestTimeout };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var ends = await EndEventsAsync(http, cancellationToken);
            if (ends.Count == 0)
            {
                continue;
            }

            found += ends.Count;
            await using var client = new ContactCenterClient(new GatewayClientOptions { Regions = regions, Token = token, RequestTimeout = requestTimeout });
            foreach (var receipt in await client.SendBatchAsync(ends, cancellationToken))
            {
                if (receipt.IsAcknowledged)
                {
                    ended++;
                }
                else
                {
                    refused++;
                    reason ??= $"{receipt.Event.CallId}: {receipt.Outcome} {receipt.Reason}".TrimEnd();
                }
            }
        }

        return new LeftoverReport(found, ended, refused, reason);
    }

    /// <summary>An <c>ended</c> event, next in sequence, for each of the gateway's simulated calls that has not ended.</summary>
    private static async Task<List<GatewayEvent>> EndEventsAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        string? after = null;
        do
        {
            var page = await http.GetFromJsonAsync<JsonDocument>($"api/v1/calls?limit={PageSize}{(after is null ? "" : $"&after={Uri.EscapeDataString(after)}")}", cancellationToken);
            using (page)
            {
                var root = page!.RootElement;
                ids.AddRange(root.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("callId").GetString()!)
                    .Where(id => id.StartsWith(SimulatedCallPrefix, StringComparison.Ordinal)));
                after = root.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            }
        }
        while (after is not null);

        var ends = new ConcurrentBag<GatewayEvent>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (callId, ct) =>
        {
            using var response = await http.GetAsync($"api/v1/calls/{Uri.EscapeDataString(callId)}", ct);
            if (!response.IsSuccessStatusCode)
            {
                return; // gone meanwhile
            }

            using var call = await response.Content.ReadFromJsonAsync<JsonDocument>(ct);
            var root = call!.RootElement;
            if (root.TryGetProperty("endedAt", out var endedAt) && endedAt.ValueKind != JsonValueKind.Null)
            {
                return;
            }

            var sequence = root.GetProperty("lastSequence").GetInt32() + 1;
            // Its own event id: the earlier run may have sent an event of that sequence that is still on its way.
            ends.Add(GatewayEvent.Ended($"{callId}-{sequence}-left-over", callId, sequence, DateTimeOffset.UtcNow, "gateway_restarted", HangupSide.System));
        });
        return [.. ends.OrderBy(e => e.CallId, StringComparer.Ordinal)];
    }
}
