using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContactCenter.LoadTests.Reporting;

/// <summary>Source-generated JSON for the report: no reflection, and enums by name for people reading the file.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IngestReport))]
[JsonSerializable(typeof(ContactCenter.LoadTests.Simulation.SimulationReport))]
public sealed partial class ReportJson : JsonSerializerContext;
