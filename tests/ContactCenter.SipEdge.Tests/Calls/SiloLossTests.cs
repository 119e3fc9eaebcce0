using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.SipEdge.Tests.Infrastructure;
using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Calls;

/// <summary>
/// An edge whose silo goes away mid-call keeps the call up, its media flowing and its recording going, holds the
/// call's events (the caller's hang-up among them) while no region answers, and reports them once one does: the
/// cluster then has the whole call, ended by the caller, with its CDR. The silo here is the test's own, stopped and
/// started again on the same database and address.
/// </summary>
[Slow("stops and starts a silo under a sipp call")]
public sealed class SiloLossTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-silo-loss-").FullName;

    [Fact]
    public async Task ACallGoesOnWhileItsSiloIsGoneAndTheClusterHasAllOfItOnceTheSiloIsBack()
    {
        KeyValuePair<string, string?>[] settings =
        [
            new("ContactCenter:Mode", "Embedded"),
            new("ContactCenter:SqlitePath", Path.Combine(_folder, "silo.db")),
            new("Urls", $"http://127.0.0.1:{FreePorts.Next()}"),
        ];
        var silo = await SiloHost.StartAsync(settings);
        var siloStopped = false;
        SiloHost? restarted = null;
        try
        {
            var center = new CenterClient(silo);
            await center.QueueAsync("billing");
            var agentPhone = TestEdge.PhonePorts();
            await center.AgentAtAsync("agent", $"sip:{center.Id("agent")}@127.0.0.1:{agentPhone.Sip}", ready: true, "billing");
            await using var edge = await TestEdge.StartAsync(silo, o => o.Numbers["10086"] = new() { Queue = center.Id("billing") });
            var callerPhone = TestEdge.PhonePorts();
            await using var agent = Sipp.Start("agent-answers.xml", edge.Folder, "-p", $"{agentPhone.Sip}", "-mp", $"{agentPhone.Media}", "-m", "1");
            // Twelve seconds on the line: the silo is gone for the middle of it and the caller hangs up before it is back.
            await using var caller = Sipp.Start("caller.xml", edge.Folder, edge.Address, "-s", "10086", "-p", $"{callerPhone.Sip}", "-mp", $"{callerPhone.Media}", "-m", "1", "-d", "12000");
            var callId = (await Eventually.ReadAsync(async () => (await edge.Runtime.Loop.InvokeAsync(() => edge.Runtime.Director.Snapshot())).FirstOrDefault()?.Id, id => id is not null))!;
            await Eventually.ReadAsync(() => PhaseAsync(center, callId), phase => phase == "talking");

            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await silo.DisposeAsync();
            siloStopped = true;
            var stopTook = stopping.Elapsed;
            var relayedAtLoss = (await edge.Runtime.StatusAsync()).RtpRelayed;
            var callerSaw = await caller.WaitAsync(TimeSpan.FromSeconds(40));
            var during = await edge.Runtime.StatusAsync();
            Assert.True(callerSaw.ExitCode == 0, callerSaw.Describe() + edge.Describe());
            Assert.Equal(0, (await agent.WaitAsync(TimeSpan.FromSeconds(10))).ExitCode);
            // Media went on while no silo answered: seconds of it, both ways (50 packets a second a side).
            Assert.True(during.RtpRelayed - relayedAtLoss > 300, $"{during.RtpRelayed - relayedAtLoss} packets relayed while the silo was gone ({relayedAtLoss} before; the stop took {stopTook})");
            Assert.Equal(0, during.Calls);

            restarted = await SiloHost.StartAsync(settings);
            var cdr = Assert.Single(await Eventually.ReadAsync(() => edge.CdrsAsync(center.Id("billing"), restarted), rows => rows.Count > 0, TimeSpan.FromSeconds(60)));
            Assert.Equal((callId, "caller", center.Id("agent")), ((string)cdr["call_id"]!, (string?)cdr["hung_up_by"], (string?)cdr["agent"]));
            var recording = Directory.GetFiles(edge.RecordingsPath, "*.wav", SearchOption.AllDirectories).Single();
            Assert.InRange((await Sox.MeasureAsync(recording, 1)).Seconds, 9.0, 12.5);
            Assert.Empty(edge.Log.Errors);
        }
        finally
        {
            if (!siloStopped)
            {
                await silo.DisposeAsync();
            }

            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }
        }
    }

    private static async Task<string?> PhaseAsync(CenterClient center, string callId)
    {
        using var response = await center.Gateway.GetAsync($"/api/v1/calls/{callId}");
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonObject>())?["phase"]?.GetValue<string>() : null;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
