using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Calls;
using ContactCenter.Hosting;
using ContactCenter.Ingest;
using ContactCenter.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContactCenter.Tests.Documentation;

/// <summary>
/// The OpenAPI document is generated from the endpoints; these tests hold it to them: every API endpoint is in
/// it with its responses, the event body it describes is what the parser reads, and the committed copy
/// (docs/openapi-v1.json, what a gateway vendor integrates against) is the document the silo serves.
/// </summary>
[Collection(EmbeddedHostCollection.Name)]
public sealed class ApiDocumentTests(EmbeddedHostFixture fixture)
{
    /// <summary>Set to 1 to write the served document over the committed copy (then review the diff).</summary>
    private const string UpdateVariable = "UPDATE_API_DOCUMENT";

    private static readonly string CommittedCopy = Path.Combine(RepositoryFolder.Root(), "docs", "openapi-v1.json");

    [Fact]
    public async Task TheServedDocumentIsTheCommittedCopy()
    {
        var served = Normalized(await ServedAsync());
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(CommittedCopy, served);
        }

        Assert.True(File.Exists(CommittedCopy), $"{CommittedCopy} is missing; run the tests with {UpdateVariable}=1 to write it");
        var committed = Normalized(JsonNode.Parse(await File.ReadAllTextAsync(CommittedCopy))!);
        Assert.True(committed == served,
            $"the API changed and docs/openapi-v1.json did not: run `{UpdateVariable}=1 dotnet test tests/ContactCenter.Silo.Tests --filter ApiDocumentTests` and commit the file");
    }

    [Fact]
    public async Task EveryApiEndpointIsDocumentedWithASummaryItsResponsesAndItsAccess()
    {
        var paths = (await ServedAsync())["paths"]!.AsObject();
        var endpoints = fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(ApiRoutes.Version1, StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(method => (Method: method.ToLowerInvariant(), Path: e.RoutePattern.RawText!.TrimEnd('/'))))
            .ToList();

        Assert.NotEmpty(endpoints);
        foreach (var (method, path) in endpoints)
        {
            var operation = paths[path]?[method];
            Assert.True(operation is not null, $"{method.ToUpperInvariant()} {path} is not in the document");
            Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), $"{method} {path} has no summary");
            Assert.NotNull(operation["tags"]);
            var responses = operation["responses"]!.AsObject();
            Assert.True(responses.Any(r => r.Key.StartsWith('2')), $"{method} {path} documents no success");
            // Every API endpoint needs a token; the document says so, and what a refusal looks like.
            Assert.NotNull(operation["security"]);
            Assert.Contains("401", responses.Select(r => r.Key));
            Assert.Contains("403", responses.Select(r => r.Key));
        }

        // And nothing is documented that is not served.
        var documented = paths.SelectMany(p => p.Value!.AsObject().Select(o => (o.Key, p.Key))).ToHashSet();
        Assert.Equal(documented.Count, endpoints.Distinct().Count());
    }

    [Fact]
    public async Task TheDocumentedEventTypesAreExactlyTheOnesTheSiloReads()
    {
        var schemas = (await ServedAsync())["components"]!["schemas"]!;
        var mapping = schemas["CallEvent"]!["discriminator"]!["mapping"]!.AsObject().Select(m => m.Key).Order(StringComparer.Ordinal);

        Assert.Equal(CallEventKinds.FromGateways.Order(StringComparer.Ordinal), mapping);
    }

    [Fact]
    public void ABatchWrittenAsTheDocumentDescribesItIsReadBackEventForEvent()
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(-1);
        CallEvent[] events =
        [
            new CallOffered("e1", "c1", 1, at, "+8613800000001", "10086", "nanjing"),
            new IvrEntered("e2", "c1", 2, at, "main"),
            new IvrExited("e3", "c1", 3, at, "main/billing/balance"),
            new CallQueued("e4", "c1", 4, at, "billing"),
            new AgentRinging("e5", "c1", 5, at, "a1"),
            new AgentRingFailed("e6", "c1", 6, at, "a1", "busy"),
            new CallAnswered("e7", "c1", 7, at, "a1"),
            new CallHeld("e8", "c1", 8, at),
            new CallResumed("e9", "c1", 9, at),
            new CallTransferred("e10", "c1", 10, at, "sales", null),
            new ParticipantJoined("e11", "c1", 11, at, "sup-1", ParticipantRole.Supervisor),
            new ParticipantLeft("e12", "c1", 12, at, "sup-1"),
            new RecordingStarted("e13", "c1", 13, at, "rec/c1.wav"),
            new RecordingPaused("e14", "c1", 14, at),
            new RecordingResumed("e15", "c1", 15, at),
            new RecordingStopped("e16", "c1", 16, at, "rec/c1.wav"),
            new CallEnded("e17", "c1", 17, at, "normal", HangupSide.Caller),
        ];
        Assert.Equal(CallEventKinds.FromGateways.Order(StringComparer.Ordinal), events.Select(e => e.Kind).Order(StringComparer.Ordinal));

        // Written with the silo's own JSON settings, as the document's schemas are generated from them.
        var json = fixture.Host.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        using var body = JsonDocument.Parse(JsonSerializer.Serialize(new GatewayEventBatch(at.AddSeconds(1), events), json));
        var parsed = fixture.Host.Services.GetRequiredService<CallEventParser>().Parse(body.RootElement);

        Assert.All(parsed, p => Assert.Null(p.Error));
        Assert.Equal(events, parsed.Select(p => p.Event));
    }

    [Fact]
    public async Task TheBrowsablePageLoadsTheDocument()
    {
        using var anonymous = fixture.Host.Client(token: null);
        var page = await anonymous.GetStringAsync($"{ApiDocument.PagePath}/index.html");
        var settings = await anonymous.GetStringAsync($"{ApiDocument.PagePath}/index.js");

        Assert.Contains("swagger-ui", page, StringComparison.Ordinal);
        Assert.Contains(ApiDocument.Path, settings + page, StringComparison.Ordinal);
    }

    private async Task<JsonNode> ServedAsync()
    {
        // Anyone may read the document: it describes the API and holds nothing about the center.
        using var anonymous = fixture.Host.Client(token: null);
        return JsonNode.Parse(await anonymous.GetStringAsync(ApiDocument.Path))!;
    }

    private static string Normalized(JsonNode document) => document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
}
