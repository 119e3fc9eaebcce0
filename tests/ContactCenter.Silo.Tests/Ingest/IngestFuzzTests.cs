using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Ingest;
using ContactCenter.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace ContactCenter.Tests.Ingest;

/// <summary>
/// Our own fuzzer, bounded to run in CI: seeded mutations of valid batches, posted to a real silo over HTTP and fed
/// to the parser in process. Nothing a gateway sends may produce a 5xx, lose an event's result, or make the silo
/// log an error.
/// </summary>
[Collection(EmbeddedHostCollection.Name)]
[Slow("thousands of random batches")]
public sealed class IngestFuzzTests(EmbeddedHostFixture fixture, ITestOutputHelper output)
{
    private const int Seed = 20_261_203;

    [Fact]
    public async Task MutatedBatchesPostedToARealSiloNeverGetA5xxAndEveryEventGetsAResult()
    {
        const int Requests = 2_000;
        var center = new CenterClient(fixture.Host);
        await center.QueueAsync("fuzz");
        var mark = fixture.Host.Log.Written;
        using var gateway = fixture.Host.Client();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var clock = Stopwatch.StartNew();

        // Four gateways' worth in flight, each with its own seed, so the run is repeatable and takes seconds.
        await Parallel.ForEachAsync(Enumerable.Range(0, 4), async (worker, _) =>
        {
            var mutator = new BatchMutator(Seed + worker, center.Id("fuzz"));
            for (var i = 0; i < Requests / 4; i++)
            {
                var body = mutator.Mutated();
                var (status, answer) = await PostAsync(gateway, body, tooLarge: body.Length > IngestLimits.MaxBodyBytes);
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                var where = $"seed {Seed + worker}, request {i}: HTTP {status} {answer[..Math.Min(answer.Length, 300)]}";
                Assert.True(status < 500, where);
                if (body.Length > IngestLimits.MaxBodyBytes)
                {
                    Assert.True(status == 413, where);
                }
                else if (BatchJudge.EventCount(body) is { } count)
                {
                    Assert.True(status is 200 or 403, where);
                    var results = JsonNode.Parse(answer)!["results"]!.AsArray();
                    Assert.Equal(Enumerable.Range(0, count), results.Select(r => r!["index"]!.GetValue<int>()).Order());
                }
                else
                {
                    Assert.True(status == 400, where);
                }
            }
        });

        output.WriteLine($"{Requests} requests in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"HTTP {s.Key} x{s.Value}"))}");
        fixture.Host.Log.AssertNoProblemsSince(mark);
        // The mutations must reach both sides of the API, or the run proves little.
        Assert.True(statuses.GetValueOrDefault(200) > Requests / 10 && statuses.GetValueOrDefault(400) > Requests / 10, string.Join(", ", statuses));
    }

    [Fact]
    public void TheParserJudgesEveryEventOfAMutatedBatchAndThrowsNothingButABatchFormatError()
    {
        const int Batches = 30_000;
        var parser = new CallEventParser(TimeProvider.System, Options.Create(new IngestOptions()));
        var mutator = new BatchMutator(Seed, "fuzz-queue");
        var (batches, events, rejected) = (0, 0, 0);
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < Batches; i++)
        {
            var body = mutator.Mutated();
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body, CallEventParser.DocumentOptions);
            }
            catch (JsonException)
            {
                continue;
            }

            using (document)
            {
                IReadOnlyList<ParsedEvent> parsed;
                try
                {
                    parsed = parser.Parse(document.RootElement);
                }
                catch (BatchFormatException)
                {
                    continue;
                }

                batches++;
                Assert.Equal(document.RootElement.GetProperty("events").GetArrayLength(), parsed.Count);
                for (var index = 0; index < parsed.Count; index++)
                {
                    var e = parsed[index];
                    Assert.Equal(index, e.Index);
                    Assert.True((e.Event is null) != (e.Error is null), $"batch {i}, event {index}: an event or an error, not both or neither");
                    // Every reason goes back to the gateway as JSON text.
                    Assert.True(e.Error is null || IsWholeSurrogatePairs(e.Error), e.Error);
                    events++;
                    rejected += e.Error is null ? 0 : 1;
                }
            }
        }

        output.WriteLine($"{Batches} mutated bodies in {clock.Elapsed.TotalSeconds:F1} s: {batches} batches, {events} events, {rejected} rejected");
        Assert.True(batches > Batches / 4 && rejected > events / 20 && rejected < events, $"{batches} batches, {events} events, {rejected} rejected");
    }

    private static bool IsWholeSurrogatePairs(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<(int Status, string Body)> PostAsync(HttpClient client, byte[] body, bool tooLarge)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await client.PostAsync("/api/v1/gateway/events", content);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException) when (tooLarge)
        {
            // The silo answered 413 from the length alone and closed the connection while the body was still going out.
            return (413, "");
        }
    }
}
