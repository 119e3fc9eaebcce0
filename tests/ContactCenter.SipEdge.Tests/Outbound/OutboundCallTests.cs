using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.SipEdge.Tests.Infrastructure;
using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Outbound;

/// <summary>
/// Outbound calls end to end: placed through the silo's API, delivered to the edge as <c>place_call</c>, claimed,
/// dialled on the outbound trunk to a subscriber played by sipp, and followed to the result the silo then holds:
/// the keys pressed after (or during) the question, busy, not answered; and never more calls at once than the
/// edge is allowed.
/// </summary>
[Collection(EdgeCollection.Name)]
[Slow("runs sipp subscribers through a silo")]
public sealed class OutboundCallTests(EdgeSiloFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

    private Task<TestEdge> EdgeDiallingAsync(int subscriberPort, int maxCalls = 30) => TestEdge.StartDiallingAsync(fixture.Host, subscriberPort, maxCalls);

    private async Task<string> PlaceAsync(string name, int maxDigits, int ringSeconds = 30)
    {
        var id = _center.Id(name);
        using var placed = await _center.Admin.PutAsJsonAsync(
            $"/api/v1/outbound-calls/{id}",
            new { to = "+8613912345678", prompt = "satisfaction", maxDigits, digitSeconds = 3, ringSeconds });
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        return id;
    }

    private async Task<JsonObject> FinishedAsync(string id) =>
        await Eventually.ReadAsync(
            async () => (await _center.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/outbound-calls/{id}"))!,
            call => call["phase"]?.GetValue<string>() == "finished",
            TimeSpan.FromSeconds(45));

    private static string? Text(JsonObject call, string field) => call[field]?.GetValue<string>();

    [Fact]
    public async Task ASubscriberWhoAnswersIsAskedAndTheKeysPressedDuringAndAfterTheQuestionAreTheResult()
    {
        var subscriber = TestEdge.PhonePorts();
        await using var edge = await EdgeDiallingAsync(subscriber.Sip);
        // From the answer: "4" during the question, "2" after it, then "#" ends the input before its wait is over.
        DtmfPcap.Write(Path.Combine(edge.Folder, "keys.pcap"), ('4', TimeSpan.Zero), ('2', TimeSpan.FromSeconds(TestEdge.QuestionSeconds + 0.5)), ('#', TimeSpan.FromSeconds(TestEdge.QuestionSeconds + 1)));
        await using var phone = Sipp.Start("subscriber-answers.xml", edge.Folder, "-p", $"{subscriber.Sip}", "-mp", $"{subscriber.Media}", "-m", "1");

        var id = await PlaceAsync("survey", maxDigits: 3);

        var phoneSaw = await phone.WaitAsync(TimeSpan.FromSeconds(40));
        Assert.True(phoneSaw.ExitCode == 0, phoneSaw.Describe() + edge.Describe());
        var call = await FinishedAsync(id);
        Assert.Equal(("answered", "42", "completed"), (Text(call, "result"), Text(call, "digits"), Text(call, "cause")));
        Assert.Equal(TestTokens.NanjingGateway, Text(call, "gatewayId"));
        var answeredAt = call["answeredAt"]!.GetValue<DateTimeOffset>();
        var finishedAt = call["finishedAt"]!.GetValue<DateTimeOffset>();
        // Ended by the "#" a second after the question, not by the 3 s wait for more keys.
        Assert.InRange(finishedAt - answeredAt, TimeSpan.FromSeconds(TestEdge.QuestionSeconds + 0.5), TimeSpan.FromSeconds(TestEdge.QuestionSeconds + 2.5));
        Assert.Equal(0, (await edge.Runtime.StatusAsync()).OutboundCalls);
    }

    [Theory]
    [InlineData("agent-busy.xml", "busy", 486)]
    [InlineData("agent-never-answers.xml", "noAnswer", null)]
    public async Task ASubscriberWhoDoesNotAnswerIsReportedWithWhy(string scenario, string result, int? sipStatus)
    {
        var subscriber = TestEdge.PhonePorts();
        await using var edge = await EdgeDiallingAsync(subscriber.Sip);
        await using var phone = Sipp.Start(scenario, edge.Folder, "-p", $"{subscriber.Sip}", "-m", "1");

        var id = await PlaceAsync("unanswered", maxDigits: 1, ringSeconds: 5);

        var phoneSaw = await phone.WaitAsync(TimeSpan.FromSeconds(40));
        Assert.True(phoneSaw.ExitCode == 0, phoneSaw.Describe() + edge.Describe());
        var call = await FinishedAsync(id);
        Assert.Equal(result, Text(call, "result"));
        Assert.Null(call["answeredAt"]);
        Assert.Null(call["digits"]);
        if (sipStatus is { } status)
        {
            Assert.Equal(status, call["sipStatus"]!.GetValue<int>());
        }
        else
        {
            // Rung out: the edge cancelled it after the request's ring time, and reports no status of the subscriber's.
            Assert.InRange(call["finishedAt"]!.GetValue<DateTimeOffset>() - call["dialedAt"]!.GetValue<DateTimeOffset>(), TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(15));
        }
    }

    [Fact]
    public async Task CallsBeyondTheEdgesLimitWaitTheirTurnAndAllGetThrough()
    {
        var subscriber = TestEdge.PhonePorts();
        await using var edge = await EdgeDiallingAsync(subscriber.Sip, maxCalls: 1);
        // Written before sipp starts: sipp reads the scenario's pcap files as it loads it.
        DtmfPcap.Write(Path.Combine(edge.Folder, "keys.pcap"));
        await using var phone = Sipp.Start("subscriber-answers.xml", edge.Folder, "-p", $"{subscriber.Sip}", "-mp", $"{subscriber.Media}", "-m", "3");

        // The question only: each call ends when it has been played.
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await PlaceAsync($"paced-{i}", maxDigits: 0));
        }

        var phoneSaw = await phone.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(phoneSaw.ExitCode == 0, phoneSaw.Describe() + edge.Describe());
        var calls = new List<JsonObject>();
        foreach (var id in ids)
        {
            calls.Add(await FinishedAsync(id));
        }

        Assert.All(calls, call => Assert.Equal(("answered", "completed"), (Text(call, "result"), Text(call, "cause"))));
        // One at a time: each was dialled only after the one before it had finished.
        var byDialling = calls.OrderBy(call => call["dialedAt"]!.GetValue<DateTimeOffset>()).ToList();
        for (var i = 1; i < byDialling.Count; i++)
        {
            Assert.True(byDialling[i]["dialedAt"]!.GetValue<DateTimeOffset>() >= byDialling[i - 1]["finishedAt"]!.GetValue<DateTimeOffset>(), string.Join('\n', calls));
        }

        Assert.Equal(1, edge.Runtime.Outbound.MostAtOnce);
    }
}
