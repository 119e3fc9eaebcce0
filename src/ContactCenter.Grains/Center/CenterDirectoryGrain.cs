using System.Collections.Immutable;

namespace ContactCenter.Center;

[GenerateSerializer, Alias("cc.CenterDirectoryState")]
public sealed class CenterDirectoryState
{
    [Id(0)] public SortedSet<string> Queues { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public SortedSet<string> Agents { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public Dictionary<string, string> QueueRegions { get; set; } = new(StringComparer.Ordinal);
    [Id(3)] public Dictionary<string, string> AgentRegions { get; set; } = new(StringComparer.Ordinal);
    [Id(4)] public long RegionsVersion { get; set; }
}

public sealed class CenterDirectoryGrain(
    [PersistentState("center", StorageNames.GroupCommit)] IPersistentState<CenterDirectoryState> state) : Grain, ICenterDirectoryGrain
{
    private HomeRegions? _homeRegions;

    private CenterDirectoryState Directory => state.State;

    public async Task RegisterAsync(ImmutableArray<CenterMember> queues, ImmutableArray<CenterMember> agents)
    {
        var added = Register(queues, Directory.Queues, Directory.QueueRegions) | Register(agents, Directory.Agents, Directory.AgentRegions);
        if (added)
        {
            Directory.RegionsVersion++;
            _homeRegions = null;
            await state.WriteStateAsync();
        }
    }

    public Task<CenterDirectory> GetAsync() => Task.FromResult(new CenterDirectory([.. Directory.Queues], [.. Directory.Agents]));

    public Task<HomeRegions?> GetHomeRegionsAsync(long knownVersion)
    {
        if (knownVersion == Directory.RegionsVersion)
        {
            return Task.FromResult<HomeRegions?>(null);
        }

        _homeRegions ??= new HomeRegions(
            Directory.RegionsVersion,
            Directory.QueueRegions.ToImmutableDictionary(StringComparer.Ordinal),
            Directory.AgentRegions.ToImmutableDictionary(StringComparer.Ordinal));
        return Task.FromResult<HomeRegions?>(_homeRegions);
    }

    private static bool Register(ImmutableArray<CenterMember> members, SortedSet<string> ids, Dictionary<string, string> regions)
    {
        var changed = false;
        foreach (var member in members)
        {
            changed |= ids.Add(member.Id);
            if (!regions.TryGetValue(member.Id, out var region) || region != member.Region)
            {
                regions[member.Id] = member.Region;
                changed = true;
            }
        }

        return changed;
    }
}
