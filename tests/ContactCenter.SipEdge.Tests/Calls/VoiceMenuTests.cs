using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.SipEdge.Tests.Infrastructure;
using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Calls;

/// <summary>
/// Callers in a voice menu whose prompts are the real text-to-speech ones (deploy/sip-edge/make-prompts.sh, flite):
/// keys pressed as RFC 4733 events (sipp replaying a capture) choose the queue; a caller who presses nothing goes
/// where the menu says otherwise. The cluster sees <c>ivr_entered</c>, <c>ivr_exited</c> with the path, and the queue.
/// </summary>
[Collection(EdgeCollection.Name)]
[Slow("runs sipp calls through a silo and makes the prompts with flite")]
public sealed class VoiceMenuTests(EdgeSiloFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

    /// <param name="mainPrompt">One of make-prompts.sh's prompts (welcome is about 11 s, invalid about 3 s).</param>
    private async Task<TestEdge> EdgeWithMenuAsync(double timeoutSeconds, string mainPrompt = "welcome")
    {
        await _center.QueueAsync("billing");
        await _center.QueueAsync("data");
        return await TestEdge.StartAsync(fixture.Host, (options, folder) =>
        {
            MakePrompts(Path.Combine(folder, "prompts"));
            var menu = new JsonObject
            {
                ["name"] = "main",
                ["prompt"] = $"prompts/{mainPrompt}.wav",
                ["invalid"] = "prompts/invalid.wav",
                ["timeoutSeconds"] = timeoutSeconds,
                ["retries"] = 1,
                ["choices"] = new JsonObject
                {
                    ["1"] = new JsonObject { ["queue"] = _center.Id("billing") },
                    ["2"] = new JsonObject
                    {
                        ["menu"] = new JsonObject
                        {
                            ["name"] = "services",
                            ["prompt"] = "prompts/services.wav",
                            ["choices"] = new JsonObject { ["1"] = new JsonObject { ["queue"] = _center.Id("data") } },
                        },
                    },
                },
                ["otherwise"] = new JsonObject { ["queue"] = _center.Id("billing") },
            };
            var path = Path.Combine(folder, "menu.json");
            File.WriteAllText(path, menu.ToJsonString());
            options.Numbers["10086"] = new() { Menu = path };
        });
    }

    [Fact]
    public async Task KeysPressedDuringThePromptsLeadThroughTwoMenusToTheirQueueAndTheAgent()
    {
        await using var edge = await EdgeWithMenuAsync(timeoutSeconds: 5);
        var agentPhone = TestEdge.PhonePorts();
        await _center.AgentAtAsync("agent", $"sip:{_center.Id("agent")}@127.0.0.1:{agentPhone.Sip}", ready: true, "data");
        // "2" during the welcome prompt (cutting it short), "1" a second and a half later, during the services prompt.
        DtmfPcap.Write(Path.Combine(edge.Folder, "keys.pcap"), ('2', TimeSpan.FromSeconds(1)), ('1', TimeSpan.FromSeconds(2.5)));
        var callerPhone = TestEdge.PhonePorts();

        await using var agent = Sipp.Start("agent-answers.xml", edge.Folder, "-p", $"{agentPhone.Sip}", "-mp", $"{agentPhone.Media}", "-m", "1");
        await using var caller = Sipp.Start("caller-presses-keys.xml", edge.Folder, edge.Address, "-s", "10086", "-p", $"{callerPhone.Sip}", "-mp", $"{callerPhone.Media}", "-m", "1", "-d", "7000");

        var callerSaw = await caller.WaitAsync(TimeSpan.FromSeconds(40));
        var agentSaw = await agent.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(callerSaw.ExitCode == 0, callerSaw.Describe() + edge.Describe());
        Assert.True(agentSaw.ExitCode == 0, agentSaw.Describe() + edge.Describe());
        var cdr = Assert.Single(await Eventually.ReadAsync(() => edge.CdrsAsync(_center.Id("data")), rows => rows.Count > 0));
        Assert.Equal(_center.Id("agent"), cdr["agent"]);
        var call = await _center.Gateway.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{cdr["call_id"]}");
        Assert.Equal("main/2/1", call!["ivrPath"]?.GetValue<string>());
        Assert.Empty(await edge.CdrsAsync(_center.Id("billing")));
    }

    [Fact]
    public async Task ACallerWhoPressesNothingIsAskedAgainThenGoesWhereTheMenuSaysOtherwise()
    {
        await using var edge = await EdgeWithMenuAsync(timeoutSeconds: 0.5, mainPrompt: "invalid");
        // Someone logged in (not ready), so the queue keeps the call instead of announcing that nobody is there.
        await _center.AgentAsync("agent", ready: false, "billing");
        DtmfPcap.Write(Path.Combine(edge.Folder, "keys.pcap"));

        // The prompt (about 3 s), half a second of silence, the prompt again, half a second: then the billing queue.
        await using var caller = Sipp.Start("caller-presses-keys.xml", edge.Folder, edge.Address, "-s", "10086", "-p", $"{TestEdge.PhonePorts().Sip}", "-m", "1", "-d", "10000");

        var callerSaw = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(callerSaw.ExitCode == 0, callerSaw.Describe() + edge.Describe());
        var cdr = Assert.Single(await Eventually.ReadAsync(() => edge.CdrsAsync(_center.Id("billing")), rows => rows.Count > 0));
        var call = await _center.Gateway.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{cdr["call_id"]}");
        Assert.Equal("main/otherwise", call!["ivrPath"]?.GetValue<string>());
        Assert.Equal(1L, cdr["abandoned"]);
    }

    private static void MakePrompts(string folder)
    {
        using var script = Process.Start(Path.Combine(RepositoryFolder.Root(), "deploy", "sip-edge", "make-prompts.sh"), folder);
        script.WaitForExit();
        Assert.Equal(0, script.ExitCode);
    }
}
