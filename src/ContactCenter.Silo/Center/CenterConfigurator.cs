using System.Collections.Immutable;
using System.Text.Json;
using ContactCenter.Agents;
using ContactCenter.Placement;
using ContactCenter.Queues;

namespace ContactCenter.Center;

/// <summary>What applying a center definition did, or why it was refused.</summary>
public sealed record CenterApplied(int Queues, int Agents, IReadOnlyList<string> Problems)
{
    public bool Succeeded => Problems.Count == 0;
}

/// <summary>
/// Applies center definitions (the file at first start, the admin API at any time): validates the whole, then
/// configures queues before agents, so an agent's skills never point at a queue that does not exist yet.
/// Each grain's configure is idempotent, so applying the same definition twice changes nothing.
/// </summary>
public sealed partial class CenterConfigurator(IGrainFactory grains, HomeRegionMap homeRegions, ILogger<CenterConfigurator> logger)
{
    /// <summary>Enough in flight to keep the group commit's batches full, few enough not to swamp start-up.</summary>
    private const int Parallelism = 64;

    public static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private ICenterDirectoryGrain Directory => grains.GetGrain<ICenterDirectoryGrain>(ICenterDirectoryGrain.Key);

    public async Task<CenterApplied> ApplyAsync(CenterFile file, CancellationToken cancellationToken = default)
    {
        var existing = (await Directory.GetAsync()).Queues.ToHashSet(StringComparer.Ordinal);
        var problems = CenterValidation.Problems(file, existing);
        if (problems.Count > 0)
        {
            return new CenterApplied(0, 0, problems);
        }

        var agents = file.AllAgents().ToList();
        // Registered first, with their regions, so each grain's first activation is placed in its home region.
        await Directory.RegisterAsync(
            [.. file.Queues.Select(q => new CenterMember(q.Id!, q.Region))],
            [.. agents.Select(a => new CenterMember(a.Id!, a.Region))]);
        await homeRegions.RefreshAsync(cancellationToken);
        await Parallel.ForEachAsync(file.Queues, Options(cancellationToken), async (queue, _) =>
            await grains.GetGrain<IQueueGrain>(queue.Id!).ConfigureAsync(queue.ToConfiguration()));
        await Parallel.ForEachAsync(agents, Options(cancellationToken), async (agent, _) =>
            await grains.GetGrain<IAgentGrain>(agent.Id!).ConfigureAsync(agent.ToProfile()));
        LogApplied(file.Queues.Count, agents.Count);
        return new CenterApplied(file.Queues.Count, agents.Count, []);
    }

    /// <summary>Reads and applies a center file; on the first start of a center, called with the configured file.</summary>
    public async Task<CenterApplied> ApplyFileAsync(string path, CancellationToken cancellationToken = default)
    {
        CenterFile? file;
        try
        {
            await using var stream = File.OpenRead(path);
            file = await JsonSerializer.DeserializeAsync<CenterFile>(stream, FileJson, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return new CenterApplied(0, 0, [$"{path}: {ex.Message}"]);
        }

        return file is null ? new CenterApplied(0, 0, [$"{path}: empty"]) : await ApplyAsync(file, cancellationToken);
    }

    /// <summary>Applies the file only when the center has no queues or agents yet: afterwards the admin API is the source of truth.</summary>
    public async Task SeedAsync(string path, CancellationToken cancellationToken)
    {
        if (!(await Directory.GetAsync()).IsEmpty)
        {
            LogAlreadyConfigured(path);
            return;
        }

        var applied = await ApplyFileAsync(path, cancellationToken);
        if (!applied.Succeeded)
        {
            throw new InvalidOperationException($"the center file cannot be applied: {string.Join("; ", applied.Problems)}");
        }
    }

    private static ParallelOptions Options(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };

    [LoggerMessage(Level = LogLevel.Information, Message = "Center configured: {Queues} queues, {Agents} agents")]
    private partial void LogApplied(int queues, int agents);

    [LoggerMessage(Level = LogLevel.Information, Message = "The center is already configured; {Path} is not applied again (use the admin API to change it)")]
    private partial void LogAlreadyConfigured(string path);
}
