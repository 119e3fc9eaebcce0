using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.SipEdge.Tests.Infrastructure;
using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Outbound;

/// <summary>
/// Satisfaction callbacks end to end: a call answered in the callback-surveyed queue ends, the survey places an
/// outbound call through the edge to the subscriber (sipp), who hears the question and keys a score that lands on the
/// survey; a busy subscriber is called again; a subscriber on a call with the center is not called until it ends.
/// </summary>
[Collection(EdgeCollection.Name)]
[Slow("runs sipp subscribers through a silo")]
public sealed class SatisfactionCallbackTests(EdgeSiloFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

    private Task<TestEdge> EdgeDiallingAsync(int subscriberPort, int maxCalls = 30) => TestEdge.StartDiallingAsync(fixture.Host, subscriberPort, maxCalls);

    /// <summary>The surveyed queue (shared by these tests) and an agent of this test's in it.</summary>
    private async Task<string> AgentInSurveyedQueueAsync()
    {
        await CenterClient.ExpectAsync(200, _center.Admin.PutAsJsonAsync($"/api/v1/admin/queues/{EdgeSiloFixture.CallbackSurveyQueue}", new
        {
            name = "callback surveys",
            region = "nanjing",
            tiers = new[] { new { tier = 1, afterSeconds = 0 } },
        }));
        var agent = _center.Id("a1");
        await CenterClient.ExpectAsync(200, _center.Admin.PutAsJsonAsync($"/api/v1/admin/agents/{agent}", new
        {
            name = "a1",
            region = "nanjing",
            skills = new[] { new { queue = EdgeSiloFixture.CallbackSurveyQueue, tier = 1 } },
        }));
        return agent;
    }

    private async Task TalkAsync(string callName, string agent, string subscriber)
    {
        var call = _center.Id(callName);
        var reply = await new GatewayBatch()
            .Offered(call, subscriber)
            .Event(call, 2, "queued", new { queue = EdgeSiloFixture.CallbackSurveyQueue })
            .Event(call, 3, "answered", new { agent })
            .Event(call, 4, "ended", new { cause = "normal", hungUpBy = "agent" })
            .PostAsync(_center.Gateway);
        Assert.Equal(4, reply.Count("acknowledged"));
    }

    private async Task<JsonObject?> SurveyAsync(string callName)
    {
        using var response = await _center.Admin.GetAsync($"/api/v1/surveys/{_center.Id(callName)}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
    }

    private async Task<JsonObject?> OutboundAsync(string callName, int attempt)
    {
        using var response = await _center.Admin.GetAsync($"/api/v1/outbound-calls/survey-callback-{attempt}-{_center.Id(callName)}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
    }

    private Task<JsonObject?> AnsweredAsync(string callName) =>
        Eventually.ReadAsync(() => SurveyAsync(callName), s => s?["status"]?.GetValue<string>() is "answered" or "failed" or "expired", TimeSpan.FromSeconds(60));

    [Fact]
    public async Task TheSubscriberIsCalledBackAndTheKeyTheyPressIsTheScore()
    {
        var subscriber = TestEdge.PhonePorts();
        await using var edge = await EdgeDiallingAsync(subscriber.Sip);
        DtmfPcap.Write(Path.Combine(edge.Folder, "keys.pcap"), ('4', TimeSpan.FromSeconds(TestEdge.QuestionSeconds + 0.5)));
        await using var phone = Sipp.Start("subscriber-answers.xml", edge.Folder, "-p", $"{subscriber.Sip}", "-mp", $"{subscriber.Media}", "-m", "1");
        var agent = await AgentInSurveyedQueueAsync();

        await TalkAsync("c1", agent, "+8613966600001");

        var survey = await AnsweredAsync("c1");
        Assert.Equal(("answered", 4), (survey!["status"]!.GetValue<string>(), survey["score"]!.GetValue<int>()));
        var call = (await OutboundAsync("c1", 1))!;
        Assert.Equal(("+8613966600001", "4"), (call["request"]!["to"]!.GetValue<string>(), call["digits"]!.GetValue<string>()));
        Assert.Null(await OutboundAsync("c1", 2));
        var phoneSaw = await phone.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(phoneSaw.ExitCode == 0, phoneSaw.Describe() + edge.Describe());
    }

    [Fact]
    public async Task ABusySubscriberIsCalledAgainAfterTheRetryWait()
    {
        var subscriber = TestEdge.PhonePorts();
        await using var edge = await EdgeDiallingAsync(subscriber.Sip);
        DtmfPcap.Write(Path.Combine(edge.Folder, "keys.pcap"), ('5', TimeSpan.FromSeconds(TestEdge.QuestionSeconds + 0.5)));
        var agent = await AgentInSurveyedQueueAsync();
        await using (var busy = Sipp.Start("agent-busy.xml", edge.Folder, "-p", $"{subscriber.Sip}", "-m", "1"))
        {
            await TalkAsync("c1", agent, "+8613966600002");
            var busySaw = await busy.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(busySaw.ExitCode == 0, busySaw.Describe() + edge.Describe());
        }

        await using var phone = Sipp.Start("subscriber-answers.xml", edge.Folder, "-p", $"{subscriber.Sip}", "-mp", $"{subscriber.Media}", "-m", "1");

        var survey = await AnsweredAsync("c1");
        Assert.Equal(("answered", 5), (survey!["status"]!.GetValue<string>(), survey["score"]!.GetValue<int>()));
        Assert.Equal("busy", (await OutboundAsync("c1", 1))!["result"]!.GetValue<string>());
        var second = (await OutboundAsync("c1", 2))!;
        Assert.Equal("answered", second["result"]!.GetValue<string>());
        Assert.True(second["placedAt"]!.GetValue<DateTimeOffset>() - (await OutboundAsync("c1", 1))!["finishedAt"]!.GetValue<DateTimeOffset>() >= EdgeSiloFixture.CallbackRetry - TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task ASubscriberOnACallWithTheCenterIsNotCalledBackUntilThatCallEnds()
    {
        var subscriber = TestEdge.PhonePorts();
        await using var edge = await EdgeDiallingAsync(subscriber.Sip);
        DtmfPcap.Write(Path.Combine(edge.Folder, "keys.pcap"), ('3', TimeSpan.FromSeconds(TestEdge.QuestionSeconds + 0.5)));
        var agent = await AgentInSurveyedQueueAsync();
        const string caller = "+8613966600003";
        // The subscriber calls again, and waits in a queue, while the first call's survey comes due.
        var again = _center.Id("again");
        Assert.Equal(2, (await new GatewayBatch().Offered(again, caller).Event(again, 2, "queued", new { queue = EdgeSiloFixture.CallbackSurveyQueue }).PostAsync(_center.Gateway)).Count("acknowledged"));

        await TalkAsync("c1", agent, caller);

        var waiting = await Eventually.ReadAsync(() => SurveyAsync("c1"), s => s is not null);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Null(await OutboundAsync("c1", 1));
        Assert.Equal("scheduled", (await SurveyAsync("c1"))!["status"]!.GetValue<string>());

        await using var phone = Sipp.Start("subscriber-answers.xml", edge.Folder, "-p", $"{subscriber.Sip}", "-mp", $"{subscriber.Media}", "-m", "1");
        Assert.Equal(1, (await new GatewayBatch().Event(again, 3, "ended", new { cause = "normal", hungUpBy = "caller" }).PostAsync(_center.Gateway)).Count("acknowledged"));

        var survey = await AnsweredAsync("c1");
        Assert.Equal(("answered", 3), (survey!["status"]!.GetValue<string>(), survey["score"]!.GetValue<int>()));
        Assert.NotNull(waiting);
    }
}
