using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>The cluster is not as the run needs it (a silo that does not answer, a token it refuses...): every problem found, no run.</summary>
public sealed class SimulationSetupException(IReadOnlyList<string> problems)
    : Exception("the cluster is not ready for this run:" + string.Concat(problems.Select(p => $"{Environment.NewLine}  - {p}")))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>The cluster's center as its directory lists it.</summary>
public sealed record CenterDirectory(IReadOnlyList<string> Queues, IReadOnlyList<string> Agents);

/// <summary>
/// What the run checks before it starts anything, so a cluster that is not as expected gets a sentence saying
/// what is wrong rather than a run that hangs or a stack trace: every region answers and is ready; the operator
/// token is an admin's; each region's gateway token is accepted by every region (the gateways fail over to them);
/// with <c>--keep-center</c>, the cluster has every queue the callers ask for; the loss check's database can be read.
/// </summary>
public static class ClusterPreflight
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <returns>The cluster's center, as it is before the run.</returns>
    /// <exception cref="SimulationSetupException">With every problem found.</exception>
    public static async Task<CenterDirectory> CheckAsync(SimulationOptions options, ReferenceCenter center, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) }) { Timeout = RequestTimeout };
        var problems = new List<string>();
        for (var i = 0; i < options.Silos.Count; i++)
        {
            var (status, detail) = await SendAsync(http, HttpMethod.Get, new Uri(options.Silos[i], "health/ready"), token: null, json: null, cancellationToken);
            if (status != HttpStatusCode.OK)
            {
                problems.Add($"region {i + 1} of {options.Silos.Count} ({options.Silos[i]}) {(status is null ? "does not answer" : "is not ready")}: {detail}");
            }
        }

        if (problems.Count > 0)
        {
            throw new SimulationSetupException(problems);
        }

        var directory = await DirectoryAsync(http, options, problems, cancellationToken);
        foreach (var (region, token) in options.GatewayTokens)
        {
            foreach (var silo in options.Silos)
            {
                // An empty batch changes nothing and is refused by what its token may do first: 401 for a token
                // the silo does not know, 403 for one that is not a gateway's (a supervisor's), 400 (empty) otherwise.
                var (status, detail) = await SendAsync(http, HttpMethod.Post, new Uri(silo, "api/v1/gateway/events"), token, """{"events":[]}""", cancellationToken);
                if (status is null or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    var why = status switch
                    {
                        HttpStatusCode.Unauthorized => "unknown token (401)",
                        HttpStatusCode.Forbidden => "not a gateway's token (403)",
                        _ => detail,
                    };
                    problems.Add($"{silo} refuses the {region} gateway's token (--gateway {region}=TOKEN): {why}");
                }
            }
        }

        if (options.KeepCenter && directory is not null)
        {
            var missing = center.Queues.Select(q => q.Queue).Except(directory.Queues, StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"--keep-center: the cluster's center has no queue {string.Join(", ", missing)}, which the simulated callers ask for "
                    + "(run without --keep-center to apply the reference center)");
            }
        }

        if (options.Database is { } database && await DatabaseProblemAsync(database, cancellationToken) is { } databaseProblem)
        {
            problems.Add(databaseProblem);
        }

        return problems.Count > 0 ? throw new SimulationSetupException(problems) : directory!;
    }

    /// <summary>The center's queues and agents, read with the operator token: refused means the token is not an admin's.</summary>
    private static async Task<CenterDirectory?> DirectoryAsync(HttpClient http, SimulationOptions options, List<string> problems, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Silos[0], "api/v1/admin/center"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.OperatorToken);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                problems.Add($"{options.Silos[0]} refuses the operator token (--operator-token), which must be an admin's to apply the center and "
                    + $"change agents' states: {(int)response.StatusCode} {await FirstLineAsync(response, cancellationToken)}".TrimEnd());
                return null;
            }

            using var body = await response.Content.ReadFromJsonAsync<JsonDocument>(cancellationToken);
            return new CenterDirectory(Ids(body!.RootElement, "queues"), Ids(body.RootElement, "agents"));
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            problems.Add($"{options.Silos[0]} did not list its center (GET /api/v1/admin/center): {ex.Message}");
            return null;
        }
    }

    private static List<string> Ids(JsonElement root, string name) =>
        root.TryGetProperty(name, out var ids) && ids.ValueKind == JsonValueKind.Array ? [.. ids.EnumerateArray().Select(i => i.GetString()!)] : [];

    /// <summary>The status (null when nothing answered) and a line saying what came back.</summary>
    private static async Task<(HttpStatusCode? Status, string Detail)> SendAsync(
        HttpClient http, HttpMethod method, Uri url, string? token, string? json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return (response.StatusCode, await FirstLineAsync(response, cancellationToken));
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"no answer within {RequestTimeout.TotalSeconds:0} s");
        }
    }

    private static async Task<string> FirstLineAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        var line = body.Split('\n')[0];
        return line.Length > 200 ? line[..200] + "..." : line;
    }

    private static async Task<string?> DatabaseProblemAsync(string database, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = LossCheck.Open(database);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM call_detail_records WHERE call_id = 'sim-preflight'";
            await command.ExecuteScalarAsync(cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is DbException or ArgumentException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            return $"the loss check cannot read the database (--database): {ex.Message.Split('\n')[0]}";
        }
    }
}
