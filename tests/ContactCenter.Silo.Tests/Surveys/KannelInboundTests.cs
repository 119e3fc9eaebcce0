using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Testing;

namespace ContactCenter.Tests.Surveys;

/// <summary>
/// What reaches the SMS endpoints besides good replies: requests without the key, malformed ones, senders that are no
/// subscriber, replies with no survey, the same message delivered twice, a flood from one number, delivery reports
/// for nothing. Each gets its clear answer, and none a 500.
/// </summary>
[Slow("starts Kannel")]
public sealed class KannelInboundTests(SmsSurveyFixture surveys) : IClassFixture<SmsSurveyFixture>
{
    private readonly HttpClient _kannel = surveys.Host.Client(token: null);

    private static string Key => SmsSurveyFixture.InboundKey;

    private async Task<(int Status, JsonObject? Body)> IncomingAsync(string query)
    {
        using var response = await _kannel.GetAsync($"/api/v1/sms/kannel/incoming?{query}");
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject);
    }

    private static string Outcome((int Status, JsonObject? Body) reply) =>
        reply.Status == 200 ? reply.Body!["outcome"]!.GetValue<string>() : $"{reply.Status}: {reply.Body?["detail"]}";

    [Theory]
    [InlineData("from=%2B8613900000001&text=5")]
    [InlineData("key=wrong&from=%2B8613900000001&text=5")]
    [InlineData("key=&from=%2B8613900000001&text=5")]
    public async Task ARequestWithoutTheKeyIsRefused(string query)
    {
        Assert.Equal(401, (await IncomingAsync(query)).Status);
        using var report = await _kannel.GetAsync($"/api/v1/sms/kannel/delivery?{query}&ref=1.c1&status=1");
        Assert.Equal(401, (int)report.StatusCode);
    }

    [Theory]
    [InlineData("text=5", "sender")]
    [InlineData("from=%2B8613900000001", "text")]
    [InlineData("from=%2B8613900000001&text=5&id=", null)]
    public async Task AMalformedTextIsA400WithItsReason(string query, string? reason)
    {
        var reply = await IncomingAsync($"key={Key}&{query}");
        if (reason is null)
        {
            Assert.Equal("no_survey", Outcome(reply)); // an empty id is no id
            return;
        }

        Assert.Equal(400, reply.Status);
        Assert.Contains(reason, reply.Body!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnOversizedTextIsA400AndAnUnknownSenderIsSaidSo()
    {
        Assert.Equal(400, (await IncomingAsync($"key={Key}&from=%2B8613900000001&text={new string('5', 2_001)}")).Status);
        Assert.Equal("unknown_sender", Outcome(await IncomingAsync($"key={Key}&from=VODAFONE&text=5")));
        Assert.Equal("unknown_sender", Outcome(await IncomingAsync($"key={Key}&from=123&text=5")));
    }

    [Fact]
    public async Task AReplyWithNoSurveyIsSaidSoAndAnOptOutIsHonouredAnyway()
    {
        var subscriber = Uri.EscapeDataString(surveys.NewSubscriber());
        Assert.Equal("no_survey", Outcome(await IncomingAsync($"key={Key}&from={subscriber}&text=5")));
        Assert.Equal("opted_out", Outcome(await IncomingAsync($"key={Key}&from={subscriber}&text=STOP")));
        // National forms of the number are the same subscriber.
        var national = surveys.NewSubscriber();
        Assert.Equal("opted_out", Outcome(await IncomingAsync($"key={Key}&from={national[3..]}&text=TD")));
        Assert.Equal("no_survey", Outcome(await IncomingAsync($"key={Key}&from=00{national[1..]}&text=5")));
    }

    [Fact]
    public async Task TheSameMessageDeliveredTwiceIsTakenOnceAndAFloodIsNotRead()
    {
        var subscriber = Uri.EscapeDataString(surveys.NewSubscriber());
        Assert.Equal("no_survey", Outcome(await IncomingAsync($"key={Key}&from={subscriber}&text=5&id=m-1")));
        Assert.Equal("duplicate", Outcome(await IncomingAsync($"key={Key}&from={subscriber}&text=5&id=m-1")));

        var outcomes = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            outcomes.Add(Outcome(await IncomingAsync($"key={Key}&from={subscriber}&text=hello{i}&id=f-{i}")));
        }

        Assert.Equal("flooding", outcomes[^1]);
        Assert.Equal(9, outcomes.Count(o => o == "no_survey")); // ten in ten minutes, the first one above included
    }

    [Fact]
    public async Task APostedTextIsReadFromItsBodyAndSender()
    {
        var subscriber = surveys.NewSubscriber();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sms/kannel/incoming?key={Key}&id=p-1")
        {
            Content = new StringContent("退订", System.Text.Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("X-Kannel-From", subscriber);
        using var response = await _kannel.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("opted_out", (await response.Content.ReadFromJsonAsync<JsonObject>())!["outcome"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("ref=c1&status=1", 400)]
    [InlineData("ref=0.c1&status=1", 400)]
    [InlineData("ref=1.&status=1", 400)]
    [InlineData("ref=1.c1&status=3", 400)]
    [InlineData("ref=1.c1&status=x", 400)]
    [InlineData("status=1", 400)]
    [InlineData("ref=1.no-such-call&status=1", 404)]
    public async Task ADeliveryReportForNothingOrMalformedIsRefusedWithItsReason(string query, int status)
    {
        using var response = await _kannel.GetAsync($"/api/v1/sms/kannel/delivery?key={Key}&{query}");
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains("detail", await response.Content.ReadAsStringAsync());
    }
}
