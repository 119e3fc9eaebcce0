using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Ingest;

/// <summary>
/// Bodies that are JSON by the grammar but hold something no event can be read from: each such event gets its own
/// rejection, the rest of its batch is processed, and the silo answers without a 5xx and logs no error.
/// </summary>
[Collection(EmbeddedHostCollection.Name)]
public sealed class PoisonInputTests(EmbeddedHostFixture fixture)
{
    private SiloHost Host => fixture.Host;

    public static TheoryData<string, string, string> PoisonEvents => new()
    {
        // name, the event's JSON (CALL and NOW are filled in), the reason's start
        { "lone surrogate in a field", """{"eventId":"p-1","callId":"CALL","sequence":1,"type":"offered","occurredAt":"NOW","caller":"+86138\ud80012345678","dialled":"10086","region":"nanjing"}""", "'caller' holds text that is not valid Unicode text" },
        { "lone low surrogate in the id", """{"eventId":"p-\udc00","callId":"CALL","sequence":1,"type":"held","occurredAt":"NOW"}""", "'eventId' holds text that is not valid Unicode text" },
        { "lone surrogate in a field's name", """{"eventId":"p-1","callId":"CALL","sequence":1,"type":"held","occurredAt":"NOW","x\ud800":"y"}""", "field 6's name is not valid Unicode text" },
        { "lone surrogate in an unknown nested field", """{"eventId":"p-1","callId":"CALL","sequence":1,"type":"held","occurredAt":"NOW","extra":{"deep":["\ud800"]}}""", "'extra' holds text that is not valid Unicode text" },
        { "a field given twice", """{"eventId":"p-1","callId":"CALL","sequence":1,"type":"held","type":"ended","occurredAt":"NOW"}""", "'type' is given twice" },
        { "a field given twice, once escaped", """{"eventId":"p-1","callId":"CALL","sequence":1,"type":"held","occurredAt":"NOW","t\u0079pe":"ended"}""", "'type' is given twice" },
        { "a huge sequence", """{"eventId":"p-1","callId":"CALL","sequence":1e400,"type":"held","occurredAt":"NOW"}""", "'sequence' must be a whole number" },
        { "a fractional sequence", """{"eventId":"p-1","callId":"CALL","sequence":1.5,"type":"held","occurredAt":"NOW"}""", "'sequence' must be a whole number" },
        { "a sequence as a string", """{"eventId":"p-1","callId":"CALL","sequence":"1","type":"held","occurredAt":"NOW"}""", "'sequence' is required and must be a number" },
        { "a number for a string", """{"eventId":12,"callId":"CALL","sequence":1,"type":"held","occurredAt":"NOW"}""", "'eventId' must be a string" },
        { "an object for a string", """{"eventId":"p-1","callId":{"id":"CALL"},"sequence":1,"type":"held","occurredAt":"NOW"}""", "'callId' must be a string" },
        { "null for a required field", """{"eventId":"p-1","callId":"CALL","sequence":1,"type":null,"occurredAt":"NOW"}""", "'type' is required" },
        { "a time out of any calendar", """{"eventId":"p-1","callId":"CALL","sequence":1,"type":"held","occurredAt":"9999-12-31T23:59:59-14:00"}""", "'occurredAt' must be an ISO-8601 time" },
        { "an array for an event", """["p-1","CALL",1,"held"]""", "an event must be a JSON object" },
        { "null for an event", "null", "an event must be a JSON object" },
    };

    [Theory]
    [MemberData(nameof(PoisonEvents))]
    public async Task APoisonEventIsRejectedWithItsReasonAndTheRestOfTheBatchIsAccepted(string name, string poison, string reason)
    {
        var (before, after) = ($"poison-{Guid.NewGuid():N}", $"poison-{Guid.NewGuid():N}");
        var mark = Host.Log.Written;

        var reply = await PostAsync(Body(Offered(before), poison.Replace("CALL", $"poison-{Guid.NewGuid():N}").Replace("NOW", GatewayBatch.Now), Offered(after)));

        Assert.True(reply.Status == 200, $"{name}: HTTP {reply.Status} {reply.Body}");
        Assert.Equal(("accepted", "rejected", "accepted"), (reply.Outcome(0), reply.Outcome(1), reply.Outcome(2)));
        Assert.StartsWith(reason, reply.Reason(1));
        Host.Log.AssertNoProblemsSince(mark);
    }

    [Fact]
    public async Task BytesThatAreNotUtf8InsideAStringRejectOnlyTheirEvent()
    {
        var call = $"utf8-{Guid.NewGuid():N}";
        var body = Encoding.UTF8.GetBytes(Body(Offered(call), """{"eventId":"u-1","callId":"CALLX","sequence":1,"type":"held","occurredAt":"NOW","note":"BAD"}""".Replace("NOW", GatewayBatch.Now)));
        var bad = Encoding.ASCII.GetBytes("BAD");
        var at = body.AsSpan().IndexOf(bad);
        // 0xC3 0x28: a lead byte followed by a byte that cannot continue it.
        byte[] poisoned = [.. body[..at], 0xC3, 0x28, 0xFF, .. body[(at + bad.Length)..]];
        var mark = Host.Log.Written;

        var reply = await PostAsync(poisoned);

        Assert.Equal((200, "accepted", "rejected"), (reply.Status, reply.Outcome(0), reply.Outcome(1)));
        Assert.StartsWith("'note' holds text that is not valid Unicode text", reply.Reason(1));
        Host.Log.AssertNoProblemsSince(mark);
    }

    public static TheoryData<string, string, int, string> UnusableBodies => new()
    {
        { "a top-level array", """[{"events":[]}]""", 400, "a JSON object with an 'events' array" },
        { "a top-level string", "\"events\"", 400, "a JSON object with an 'events' array" },
        { "events given twice", """{"events":[],"events":[]}""", 400, "'events' is given twice" },
        { "a surrogate in a top-level name", """{"\ud800":1,"events":[]}""", 400, "a property name of the body is not valid Unicode text" },
        { "nesting deeper than a batch may be", "{\"events\":[" + new string('[', 40) + new string(']', 40) + "]}", 400, "not valid JSON" },
        { "truncated", """{"events":[{"eventId":"x""", 400, "not valid JSON" },
        { "empty", "", 400, "not valid JSON" },
        { "bytes before the JSON", "\u0001{\"events\":[]}", 400, "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(UnusableBodies))]
    public async Task ABodyThatIsNotABatchIsABadRequestAndNoServerError(string name, string body, int status, string reason)
    {
        var mark = Host.Log.Written;

        var reply = await PostAsync(body);

        Assert.True(reply.Status == status, $"{name}: HTTP {reply.Status} {reply.Body}");
        Assert.Contains(reason, reply.Body);
        Host.Log.AssertNoProblemsSince(mark);
    }

    [Fact]
    public async Task AnEventWithTooManyFieldsIsRejected()
    {
        var fields = new JsonObject { ["eventId"] = "wide", ["callId"] = $"wide-{Guid.NewGuid():N}", ["sequence"] = 1, ["type"] = "held", ["occurredAt"] = GatewayBatch.Now };
        for (var i = 0; i < 100; i++)
        {
            fields[$"extra{i}"] = i;
        }

        var reply = await new GatewayBatch().Add(fields).PostAsync(Host.Client());

        Assert.Equal("an event has at most 64 fields", reply.Reason(0));
    }

    [Fact]
    public async Task AGatewayThatHangsUpWhileSendingIsNoErrorOfTheSilo()
    {
        var mark = Host.Log.Written;
        using var client = Host.Client();
        using var abandon = new CancellationTokenSource();
        // A body that never ends: the gateway gives up half-way through sending it.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/gateway/events") { Content = new NeverEndingBody(abandon) };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(request, abandon.Token));

        var answered = await WaitForAsync(() => Host.Log.RequestsSince(mark, "/api/v1/gateway/events"));
        Assert.All(answered, r => Assert.True(r.Status < 500, $"logged HTTP {r.Status} at {r.Level}"));
        Host.Log.AssertNoProblemsSince(mark);
    }

    private static string Offered(string call) =>
        $$"""{"eventId":"{{call}}-1","callId":"{{call}}","sequence":1,"type":"offered","occurredAt":"{{GatewayBatch.Now}}","caller":"+8613812345678","dialled":"10086","region":"nanjing"}""";

    private static string Body(params string[] events) => $"{{\"events\":[{string.Join(',', events)}]}}";

    private Task<BatchReply> PostAsync(string body) => PostAsync(Encoding.UTF8.GetBytes(body));

    private async Task<BatchReply> PostAsync(byte[] body)
    {
        using var client = Host.Client();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/api/v1/gateway/events", content);
        return new BatchReply((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<IReadOnlyList<T>> WaitForAsync<T>(Func<IReadOnlyList<T>> read)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            if (read() is { Count: > 0 } found)
            {
                return found;
            }
        }

        throw new TimeoutException("the silo never logged the request");
    }

    /// <summary>Sends the start of a batch, then gives up (cancels) while the silo waits for the rest.</summary>
    private sealed class NeverEndingBody(CancellationTokenSource abandon) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync("{\"events\":[{\"eventId\":"u8.ToArray());
            await stream.FlushAsync();
            await Task.Delay(300);
            await abandon.CancelAsync();
            await Task.Delay(Timeout.Infinite, abandon.Token);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
