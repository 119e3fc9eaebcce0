using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContactCenter.Testing;

/// <summary>One scrape of a silo's /metrics, in the Prometheus text format: its samples by name and labels.</summary>
public sealed partial class PrometheusScrape(string text)
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples =
        [.. text.Split('\n').Where(line => line.Length > 0 && line[0] != '#').Select(Parse)];

    public static async Task<PrometheusScrape> ReadAsync(HttpClient operatorClient)
    {
        using var response = await operatorClient.GetAsync("/metrics");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return new PrometheusScrape(await response.Content.ReadAsStringAsync());
    }

    public IEnumerable<string> Names => _samples.Select(s => s.Name).Distinct();

    public bool Has(string name) => _samples.Any(s => s.Name == name);

    /// <summary>The one sample of the name with these labels (and any others); 0 when there is none.</summary>
    public double Value(string name, params (string Label, string Value)[] labels)
    {
        var matching = _samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Label) == l.Value)).ToList();
        Assert.True(matching.Count <= 1, $"{matching.Count} samples of {name} match");
        return matching.Count == 0 ? 0 : matching[0].Value;
    }

    /// <summary>The metric names the Grafana dashboard (deploy/grafana/contact-center.json) reads in its expressions.</summary>
    public static IReadOnlyList<string> DashboardMetrics()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryFolder.Root(), "deploy", "grafana", "contact-center.json")));
        return [.. dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(panel => panel.TryGetProperty("targets", out _))
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray().Select(target => target.GetProperty("expr").GetString()!))
            .SelectMany(expression => Word().Matches(expression).Select(m => m.Value))
            .Where(word => !PromQlWords.Contains(word))
            .Distinct()];
    }

    /// <summary>The PromQL functions, aggregations and label names of the dashboard's expressions: not metrics.</summary>
    private static readonly HashSet<string> PromQlWords =
        ["sum", "max", "by", "rate", "histogram_quantile", "le", "name", "queue", "outcome", "phase", "state", "gateway", "http_route", "type", "instance"];

    private static (string, Dictionary<string, string>, double) Parse(string line)
    {
        var match = SampleLine().Match(line);
        Assert.True(match.Success, $"not a sample line: {line}");
        var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        return (match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(\w+)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();

    /// <summary>The words of an expression, not those of a duration such as [1m].</summary>
    [GeneratedRegex(@"(?<![0-9a-z_])[a-z_][a-z0-9_]*")]
    private static partial Regex Word();
}
