using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Tests.Infrastructure;
using Npgsql;

namespace ContactCenter.Tests.Supervision;

/// <summary>The supervisor audit log in cluster mode, on a private PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
[Slow("a private PostgreSQL")]
public sealed class SupervisorAuditPostgreSqlTests(PostgresServer postgres)
{
    [Fact]
    public async Task ActionsAndRefusalsAreInTheAuditTableBeforeTheAnswer()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var host = await SiloHost.StartClusterAsync(connectionString, $"audit-{Guid.NewGuid():N}");
        var center = new CenterClient(host);
        await center.QueueAsync("gotone");
        await center.AgentAsync("a1", ready: true, "gotone");
        using var supervisor = host.Client(TestTokens.SupervisorToken);
        using var desk = host.Client(TestTokens.DeskAgentToken);
        var path = $"/api/v1/supervisor/agents/{center.Id("a1")}/not-ready";

        await CenterClient.ExpectAsync(403, desk.PostAsJsonAsync(path, new { reason = "break" }));
        await CenterClient.ExpectAsync(200, supervisor.PostAsJsonAsync(path, new { reason = "meeting" }));
        await CenterClient.ExpectAsync(400, supervisor.PostAsJsonAsync(path, new { reason = "" }));

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var rows = new NpgsqlCommand(
                "SELECT actor, role, outcome, details->>'reason', completed_at IS NOT NULL FROM supervisor_audit WHERE target_id = @agent AND action LIKE 'force%' ORDER BY audit_id", connection);
            rows.Parameters.AddWithValue("agent", center.Id("a1"));
            await using var reader = await rows.ExecuteReaderAsync();
            var found = new List<(string, string, string, string?, bool)>();
            while (await reader.ReadAsync())
            {
                found.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetBoolean(4)));
            }

            Assert.Equal(
                [(TestTokens.DeskAgent, "agent", "forbidden", null, false), ("sup-1", "supervisor", "succeeded", "meeting", true), ("sup-1", "supervisor", "invalid", "", true)],
                found);
        }

        var page = await supervisor.GetFromJsonAsync<JsonObject>("/api/v1/audit?action=force_not_ready&limit=2");
        Assert.Equal(["invalid", "succeeded"], page!["entries"]!.AsArray().Select(e => e!["outcome"]!.GetValue<string>()));
        var refused = await supervisor.GetFromJsonAsync<JsonObject>($"/api/v1/audit?actor={TestTokens.DeskAgent}");
        Assert.Equal("forbidden", refused!["entries"]![0]!["outcome"]!.GetValue<string>());
    }
}
