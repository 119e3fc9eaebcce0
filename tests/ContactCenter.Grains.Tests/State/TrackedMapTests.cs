using ContactCenter.State;

namespace ContactCenter.Tests.State;

/// <summary>A map's changes, replayed in order on its snapshot, give the map back: whatever was set, set again or removed.</summary>
public sealed class TrackedMapTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ChangesReplayedOnTheSnapshotGiveTheMapBack(int seed)
    {
        var random = new Random(seed);
        var map = new TrackedMap<string, int>(StringComparer.Ordinal);
        map["kept"] = 1;
        var replayed = TrackedMap<string, int>.Of(new Dictionary<string, int>(map.Entries, StringComparer.Ordinal));
        map.ForgetChanges();

        for (var step = 0; step < 2_000; step++)
        {
            var key = $"k{random.Next(40)}";
            if (random.Next(3) == 0)
            {
                map.Remove(key);
            }
            else
            {
                map[key] = random.Next(1_000);
            }

            if (random.Next(10) == 0)
            {
                replayed.Apply(map.TakeChange());
            }
        }

        replayed.Apply(map.TakeChange());
        Assert.Equal(map.Entries.OrderBy(e => e.Key, StringComparer.Ordinal), replayed.Entries.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Null(map.TakeChange());
    }

    [Fact]
    public void AKeySetAndRemovedBetweenTwoWritesIsWrittenAsRemoved()
    {
        var map = new TrackedMap<string, int>(StringComparer.Ordinal);
        map["gone"] = 1;
        map.Remove("gone");

        var change = map.TakeChange()!;
        Assert.Empty(change.Set);
        Assert.Equal(["gone"], change.Removed);
    }
}
