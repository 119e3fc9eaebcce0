using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ContactCenter.State;

/// <summary>
/// A dictionary that remembers which keys were set or removed since its changes were last taken, so a grain state
/// built of such maps can be written as what changed (<see cref="IChangeLogState"/>) rather than in whole. Values
/// are meant to be immutable: a value changed in place, not set again, would not be seen as a change.
/// </summary>
public sealed class TrackedMap<TKey, TValue> : IReadOnlyDictionary<TKey, TValue>, ITrackedChanges where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _entries;
    private readonly HashSet<TKey> _changed;

    public TrackedMap(IEqualityComparer<TKey>? comparer = null)
        : this(new Dictionary<TKey, TValue>(comparer))
    {
    }

    private TrackedMap(Dictionary<TKey, TValue> entries)
    {
        _entries = entries;
        _changed = new HashSet<TKey>(entries.Comparer);
    }

    /// <summary>A map holding <paramref name="entries"/> (taken over, not copied), with no changes yet.</summary>
    public static TrackedMap<TKey, TValue> Of(Dictionary<TKey, TValue> entries) => new(entries);

    /// <summary>The entries as they are, for a snapshot: read them before the map changes again.</summary>
    public Dictionary<TKey, TValue> Entries => _entries;

    public bool HasChanges => _changed.Count > 0;

    public TValue this[TKey key]
    {
        get => _entries[key];
        set
        {
            _entries[key] = value;
            _changed.Add(key);
        }
    }

    public int Count => _entries.Count;

    public Dictionary<TKey, TValue>.KeyCollection Keys => _entries.Keys;

    public Dictionary<TKey, TValue>.ValueCollection Values => _entries.Values;

    IEnumerable<TKey> IReadOnlyDictionary<TKey, TValue>.Keys => _entries.Keys;

    IEnumerable<TValue> IReadOnlyDictionary<TKey, TValue>.Values => _entries.Values;

    public bool ContainsKey(TKey key) => _entries.ContainsKey(key);

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value) => _entries.TryGetValue(key, out value);

    public bool Remove(TKey key) => Remove(key, out _);

    public bool Remove(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (!_entries.Remove(key, out value))
        {
            return false;
        }

        _changed.Add(key);
        return true;
    }

    /// <summary>What was set or removed since the last call (null when nothing), and forgets it.</summary>
    public MapChange<TKey, TValue>? TakeChange()
    {
        if (_changed.Count == 0)
        {
            return null;
        }

        var change = MapChange<TKey, TValue>.Of(_entries, _changed);
        _changed.Clear();
        return change;
    }

    public void ForgetChanges() => _changed.Clear();

    /// <summary>Replays a change read back from storage (not itself recorded as a change).</summary>
    public void Apply(MapChange<TKey, TValue>? change)
    {
        if (change is null)
        {
            return;
        }

        change.ApplyTo(_entries);
    }

    public Dictionary<TKey, TValue>.Enumerator GetEnumerator() => _entries.GetEnumerator();

    IEnumerator<KeyValuePair<TKey, TValue>> IEnumerable<KeyValuePair<TKey, TValue>>.GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();
}

/// <summary>A part of a state that records its changes (<see cref="IChangeLogState"/>).</summary>
public interface ITrackedChanges
{
    /// <summary>Forgets the changes recorded: they are in a snapshot taken now.</summary>
    void ForgetChanges();
}

/// <summary>The entries of a <see cref="TrackedMap{TKey, TValue}"/> set and removed between two writes.</summary>
[GenerateSerializer, Immutable, Alias("cc.MapChange`2")]
public sealed record MapChange<TKey, TValue>(
    [property: Id(0)] Dictionary<TKey, TValue> Set,
    [property: Id(1)] List<TKey> Removed) where TKey : notnull
{
    /// <summary>The <paramref name="changed"/> keys of <paramref name="entries"/>: set to their value where present, removed where not.</summary>
    public static MapChange<TKey, TValue> Of(Dictionary<TKey, TValue> entries, IEnumerable<TKey> changed)
    {
        var set = new Dictionary<TKey, TValue>(entries.Comparer);
        var removed = new List<TKey>();
        foreach (var key in changed)
        {
            if (entries.TryGetValue(key, out var value))
            {
                set[key] = value;
            }
            else
            {
                removed.Add(key);
            }
        }

        return new MapChange<TKey, TValue>(set, removed);
    }

    /// <summary>Makes <paramref name="entries"/> what they were when this change was taken, for its keys.</summary>
    public void ApplyTo(Dictionary<TKey, TValue> entries)
    {
        foreach (var key in Removed)
        {
            entries.Remove(key);
        }

        foreach (var (key, value) in Set)
        {
            entries[key] = value;
        }
    }
}
