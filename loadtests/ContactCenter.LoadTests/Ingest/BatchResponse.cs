using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContactCenter.LoadTests.Ingest;

/// <summary>
/// The part of the silo's answer to a batch that the generator acts on: one result per event, in the batch's
/// order. The answer's counts are left out: the generator counts outcomes itself, per event.
/// </summary>
public sealed record BatchResponse(IReadOnlyList<EventResult> Results);

/// <summary>One event's outcome: accepted, duplicate, held, rejected, forbidden or unavailable.</summary>
public sealed record EventResult(int Index, string Outcome, string? Reason);

/// <summary>Source-generated (de)serialization: no reflection on the generator's hot path.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(BatchResponse))]
[JsonSerializable(typeof(Reporting.IngestReport))]
public sealed partial class LoadTestJson : JsonSerializerContext;
