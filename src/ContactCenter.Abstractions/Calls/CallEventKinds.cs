using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;

namespace ContactCenter.Calls;

/// <summary>The wire names of the call event kinds, read once from <see cref="CallEvent"/>'s JSON attributes.</summary>
public static class CallEventKinds
{
    private static readonly FrozenDictionary<Type, string> NamesByType = typeof(CallEvent)
        .GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToFrozenDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    private static readonly FrozenDictionary<string, Type> TypesByName =
        NamesByType.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>Every kind a gateway may send, in declaration order.</summary>
    public static IReadOnlyCollection<string> All { get; } = [.. NamesByType.Values.Order(StringComparer.Ordinal)];

    public static string NameOf(Type eventType) => NamesByType[eventType];

    public static bool TryGetType(string name, out Type eventType) => TypesByName.TryGetValue(name, out eventType!);
}
