using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.SipEdge.Tests.Infrastructure;
using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Calls;

/// <summary>
/// The IVR survey after the call, end to end: a call answered in the IVR-surveyed queue, whose agent (sipp) hangs up,
/// keeps its caller (sipp) on the line, who hears the question and keys a score that lands on the survey; the call
/// itself ended when the agent hung up, and its recording stopped there. A caller who hangs up first is not asked.
/// </summary>
[Collection(EdgeCollection.Name)]
[Slow("runs sipp calls through a silo, with seconds of media each")]
public sealed class AfterCallSurveyTests(EdgeSiloFixture fixture)
{
    private const string Queue = EdgeSiloFixture.AfterCallSurveyQueue;

    private readonly CenterClient _center = new(fixture.Host);

    private static Task<TestEdge> EdgeAsync(SiloHost silo) => TestEdge.StartAsync(silo, (options, folder) =>
    {
        options.Numbers["10086"] = new() { Queue = Queue };
        options.Outbound.Prompts["satisfaction"] = Path.Combine(folder, TestEdge.QuestionPrompt);
    });

    /// <summary>An agent of this test's, ready in the surveyed queue at a sipp phone; logged out when the test is over.</summary>
    private async Task<(int Sip, int Media)> AgentPhoneAsync()
    {
        await CenterClient.ExpectAsync(200, _center.Admin.PutAsJsonAsync($"/api/v1/admin/queues/{Queue}", new
        {
            name = "after-call surveys",
            region = "nanjing",
            tiers = new[] { new { tier = 1, afterSeconds = 0 } },
        }));
        var phone = TestEdge.PhonePorts();
        await CenterClient.ExpectAsync(200, _center.Admin.PutAsJsonAsync($"/api/v1/admin/agents/{_center.Id("agent")}", new
        {
            name = "agent",
            region = "nanjing",
            skills = new[] { new { queue = Queue, tier = 1 } },
        }));
        await CenterClient.ExpectAsync(200, _center.Admin.PostAsJsonAsync($"/api/v1/agents/{_center.Id("agent")}/login", new { endpoint = $"sip:{_center.Id("agent")}@127.0.0.1:{phone.Sip}" }));
        await _center.ReadyAsync("agent");
        return phone;
    }

    private Task LogOutAsync() => _center.Admin.PostAsync($"/api/v1/agents/{_center.Id("agent")}/logout", null);

    private static Sipp Phone(TestEdge edge, string scenario, (int Sip, int Media) phone, params string[] more) =>
        Sipp.Start(scenario, edge.Folder, ["-p", $"{phone.Sip}", "-mp", $"{phone.Media}", "-m", "1", .. more]);

    private static Sipp Caller(TestEdge edge, string scenario, params string[] more)
    {
        var phone = TestEdge.PhonePorts();
        return Sipp.Start(scenario, edge.Folder, [edge.Address, "-s", "10086", "-p", $"{phone.Sip}", "-mp", $"{phone.Media}", "-m", "1", .. more]);
    }

    private static async Task<Dictionary<string, object?>> CdrOfAsync(TestEdge edge, string caller) =>
        Assert.Single(await Eventually.ReadAsync(
            async () => (await edge.CdrsAsync(Queue)).Where(row => caller.Equals(row["caller"])).ToList(), rows => rows.Count > 0));

    private async Task<JsonObject?> SurveyAsync(string callId)
    {
        using var response = await _center.Admin.GetAsync($"/api/v1/surveys/{callId}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
    }

    private Task<JsonObject?> ClosedSurveyAsync(string callId) =>
        Eventually.ReadAsync(() => SurveyAsync(callId), s => s?["status"]?.GetValue<string>() is "answered" or "failed" or "expired", TimeSpan.FromSeconds(60));

    private static void Succeeded(SippResult sipp, TestEdge edge) => Assert.True(sipp.ExitCode == 0, sipp.Describe() + "\n" + edge.Describe());

    [Fact]
    public async Task TheCallerTheAgentHungUpOnHearsTheQuestionAndTheKeyTheyPressIsTheScore()
    {
        var agentPhone = await AgentPhoneAsync();
        await using var edge = await EdgeAsync(fixture.Host);
        // The agent talks 1.5 s after answering; the caller keys 2 some 6 s after their call was answered, in the question's time.
        DtmfPcap.Write(Path.Combine(edge.Folder, "keys.pcap"), ('2', TimeSpan.Zero));
        try
        {
            await using var agent = Phone(edge, "agent-hangs-up.xml", agentPhone, "-d", "1500");
            await using var caller = Caller(edge, "caller-answers-survey.xml", "-d", "6000");

            Succeeded(await caller.WaitAsync(TimeSpan.FromSeconds(60)), edge);
            Succeeded(await agent.WaitAsync(TimeSpan.FromSeconds(10)), edge);
            var cdr = await CdrOfAsync(edge, "+8613512345678");
            Assert.Equal(("agent", _center.Id("agent")), (cdr["hung_up_by"], cdr["agent"]));
            var survey = (await ClosedSurveyAsync((string)cdr["call_id"]!))!;
            Assert.True(survey["status"]!.GetValue<string>() == "answered", survey.ToJsonString() + edge.Describe());
            Assert.Equal((2, true), (survey["score"]!.GetValue<int>(), survey["followUp"]!.GetValue<bool>()));
            Assert.Equal(_center.Id("agent"), survey["agent"]!.GetValue<string>());
            // The recording is the conversation only: it stopped when the agent hung up, before the question.
            var recording = Directory.GetFiles(edge.RecordingsPath, "*.wav", SearchOption.AllDirectories).Single();
            Assert.InRange((await Sox.MeasureAsync(recording, 1)).Seconds, 0.5, 4.0);
            Assert.Empty(edge.Log.Errors);
        }
        finally
        {
            await LogOutAsync();
        }
    }

    [Fact]
    public async Task ACallerWhoHangsUpOnTheAgentIsNotAskedAndNotCountedAsSurveyed()
    {
        var agentPhone = await AgentPhoneAsync();
        await using var edge = await EdgeAsync(fixture.Host);
        try
        {
            await using var agent = Phone(edge, "agent-answers.xml", agentPhone);
            await using var caller = Caller(edge, "caller.xml", "-d", "3000");

            Succeeded(await caller.WaitAsync(TimeSpan.FromSeconds(40)), edge);
            Succeeded(await agent.WaitAsync(TimeSpan.FromSeconds(10)), edge);
            var cdr = await CdrOfAsync(edge, "+8613812345678");
            Assert.Equal("caller", cdr["hung_up_by"]);
            var survey = (await ClosedSurveyAsync((string)cdr["call_id"]!))!;
            Assert.Equal("failed", survey["status"]!.GetValue<string>());
            Assert.Null(survey["sentAt"]);
            Assert.Contains("not asked", survey["failure"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Empty(edge.Log.Errors);
        }
        finally
        {
            await LogOutAsync();
        }
    }

    [Fact]
    public async Task TheGatewayIsAskedAtTheAnswerAndItsReportIsCheckedAndTakenOnce()
    {
        await AgentPhoneAsync();
        await LogOutAsync(); // only the agent's id is needed: the gateway here is the test itself
        var call = _center.Id("c1");
        Assert.Equal(3, (await new GatewayBatch()
            .Offered(call, "+8613512300001")
            .Event(call, 2, "queued", new { queue = Queue })
            .Event(call, 3, "answered", new { agent = _center.Id("agent") })
            .PostAsync(_center.Gateway)).Count("acknowledged"));

        var asked = (await _center.CommandForAsync("c1", "survey_after_call"))!;
        Assert.Equal(("satisfaction", 1), (asked["command"]!["prompt"]!.GetValue<string>(), asked["command"]!["maxDigits"]!.GetValue<int>()));
        await _center.AcknowledgeAsync(asked);
        Assert.Equal(1, (await new GatewayBatch().Event(call, 4, "ended", new { cause = "normal", hungUpBy = "agent" }).PostAsync(_center.Gateway)).Count("acknowledged"));

        var path = $"/api/v1/gateway/calls/{call}/survey-answer";
        var answer = new { asked = true, digits = "5", cause = "completed", at = DateTimeOffset.UtcNow };
        await CenterClient.ExpectAsync(400, _center.Gateway.PostAsJsonAsync(path, new { asked = true, digits = "5x", cause = "completed", at = DateTimeOffset.UtcNow }));
        await CenterClient.ExpectAsync(400, _center.Gateway.PostAsJsonAsync(path, new { asked = false, digits = "5", cause = "completed", at = DateTimeOffset.UtcNow }));
        await CenterClient.ExpectAsync(400, _center.Gateway.PostAsJsonAsync(path, new { digits = "5" }));
        await CenterClient.ExpectAsync(400, _center.Gateway.PostAsync(path, new StringContent("{\"asked\":\"yes\"}", System.Text.Encoding.UTF8, "application/json")));
        using (var huaian = fixture.Host.Client(TestTokens.HuaianToken))
        {
            await CenterClient.ExpectAsync(403, huaian.PostAsJsonAsync(path, answer));
        }

        await CenterClient.ExpectAsync(200, _center.Gateway.PostAsJsonAsync(path, answer));
        await CenterClient.ExpectAsync(200, _center.Gateway.PostAsJsonAsync(path, answer));
        await CenterClient.ExpectAsync(409, _center.Gateway.PostAsJsonAsync(path, answer with { digits = "1", at = DateTimeOffset.UtcNow.AddSeconds(1) }));
        await CenterClient.ExpectAsync(409, _center.Gateway.PostAsJsonAsync($"/api/v1/gateway/calls/{_center.Id("none")}/survey-answer", answer));
        var survey = (await SurveyAsync(call))!;
        Assert.Equal(("answered", 5), (survey["status"]!.GetValue<string>(), survey["score"]!.GetValue<int>()));
        // The gateway's clock of the report, and the call's end: sent when the question began, at the end.
        Assert.NotNull(survey["sentAt"]);
    }
}
