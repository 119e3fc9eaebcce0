using System.Collections.Immutable;

namespace ContactCenter.Center;

[GenerateSerializer, Alias("cc.CenterDirectoryState")]
public sealed class CenterDirectoryState
{
    [Id(0)] public SortedSet<string> Queues { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public SortedSet<string> Agents { get; set; } = new(StringComparer.Ordinal);
}

public sealed class CenterDirectoryGrain(
    [PersistentState("center", StorageNames.GroupCommit)] IPersistentState<CenterDirectoryState> state) : Grain, ICenterDirectoryGrain
{
    public async Task RegisterAsync(ImmutableArray<string> queues, ImmutableArray<string> agents)
    {
        var added = false;
        foreach (var queue in queues)
        {
            added |= state.State.Queues.Add(queue);
        }

        foreach (var agent in agents)
        {
            added |= state.State.Agents.Add(agent);
        }

        if (added)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<CenterDirectory> GetAsync() => Task.FromResult(new CenterDirectory([.. state.State.Queues], [.. state.State.Agents]));
}
