using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Testing;

/// <summary>
/// A test's own corner of a center, driven over the real HTTP API: queues and agents with fresh ids (so tests
/// on one host never meet), set up by an admin, and the gateway's side of the command channel.
/// </summary>
/// <param name="prefix">Makes the ids unique; a test that restarts its host passes the same one to both.</param>
public sealed class CenterClient(SiloHost host, string? prefix = null)
{
    private readonly string _prefix = prefix ?? Guid.NewGuid().ToString("N")[..8];

    public HttpClient Admin { get; } = host.Client(TestTokens.AdminToken);

    public HttpClient Gateway { get; } = host.Client();

    public string Id(string name) => $"{name}-{_prefix}";

    /// <param name="offerTimeoutSeconds">How long an agent's phone rings before the offer goes to the next agent.</param>
    public async Task QueueAsync(string name, double offerTimeoutSeconds = 15)
    {
        using var response = await Admin.PutAsJsonAsync($"/api/v1/admin/queues/{Id(name)}", new
        {
            name,
            region = "nanjing",
            tiers = new[] { new { tier = 1, afterSeconds = 0 } },
            offerTimeoutSeconds,
        });
        Assert.Equal(200, (int)response.StatusCode);
    }

    /// <summary>An agent with a tier-1 skill for each queue, logged in at a SIP endpoint, and ready when asked.</summary>
    public Task AgentAsync(string name, bool ready, params string[] queues) => AgentAtAsync(name, Endpoint(name), ready, queues);

    /// <summary>An agent as <see cref="AgentAsync"/>, logged in at the given endpoint (a phone the test runs).</summary>
    public async Task AgentAtAsync(string name, string endpoint, bool ready, params string[] queues)
    {
        using var configured = await Admin.PutAsJsonAsync($"/api/v1/admin/agents/{Id(name)}", new
        {
            name,
            region = "nanjing",
            skills = queues.Select(q => new { queue = Id(q), tier = 1 }),
        });
        Assert.Equal(200, (int)configured.StatusCode);
        await ExpectAsync(200, Admin.PostAsJsonAsync($"/api/v1/agents/{Id(name)}/login", new { endpoint }));
        if (ready)
        {
            await ReadyAsync(name);
        }
    }

    public Task ReadyAsync(string agentName) => ExpectAsync(200, Admin.PostAsync($"/api/v1/agents/{Id(agentName)}/ready", null));

    public string Endpoint(string agentName) => $"sip:{Id(agentName)}@pbx.test";

    /// <summary>Offers a call and queues it, as the gateway reports it.</summary>
    public async Task QueueCallAsync(string callName, string queueName, string caller = "+8613812345678")
    {
        var reply = await new GatewayBatch()
            .Offered(Id(callName), caller)
            .Event(Id(callName), 2, "queued", new { queue = Id(queueName) })
            .PostAsync(Gateway);
        Assert.Equal(2, reply.Count("acknowledged"));
    }

    /// <summary>One long poll of the command channel: the commands delivered (not acknowledged).</summary>
    public async Task<JsonArray> PollAsync(int waitSeconds = 0)
    {
        var page = await Gateway.GetFromJsonAsync<JsonObject>($"/api/v1/gateway/commands?wait={waitSeconds}");
        return page!["commands"]!.AsArray();
    }

    /// <summary>Polls until a command about the call arrives (or the poll's wait ends), acknowledging nothing.</summary>
    public async Task<JsonNode?> CommandForAsync(string callName, string kind, int waitSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(waitSeconds);
        do
        {
            var found = (await PollAsync(1)).FirstOrDefault(c => IsFor(c, callName, kind));
            if (found is not null)
            {
                return found;
            }
        }
        while (DateTime.UtcNow < deadline);
        return null;
    }

    public bool IsFor(JsonNode? delivered, string callName, string kind) =>
        delivered!["command"]!["callId"]!.GetValue<string>() == Id(callName) && delivered["command"]!["kind"]!.GetValue<string>() == kind;

    public async Task<int> AcknowledgeAsync(params JsonNode?[] delivered)
    {
        using var response = await Gateway.PostAsJsonAsync("/api/v1/gateway/commands/ack", new { ids = delivered.Select(d => d!["id"]!.GetValue<long>()) });
        Assert.Equal(200, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["acknowledged"]!.GetValue<int>();
    }

    public async Task<JsonObject> QueueStatusAsync(string name) =>
        (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/queues/{Id(name)}"))!;

    public async Task<JsonObject> AgentStatusAsync(string name) =>
        (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/agents/{Id(name)}"))!;

    public static async Task<HttpResponseMessage> ExpectAsync(int status, Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}
