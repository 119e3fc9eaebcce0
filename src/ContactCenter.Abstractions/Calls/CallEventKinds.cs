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

    /// <summary>The kinds a gateway may send: all but the cluster's own record of a refused event.</summary>
    private static readonly FrozenDictionary<string, Type> GatewayTypesByName = NamesByType
        .Where(p => p.Key != typeof(EventRefused))
        .ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>Every kind a gateway may send, in name order.</summary>
    public static IReadOnlyCollection<string> FromGateways { get; } = [.. GatewayTypesByName.Keys.Order(StringComparer.Ordinal)];

    public static string NameOf(Type eventType) => NamesByType[eventType];

    /// <summary>The event type of a kind a gateway sent; false for an unknown kind, and for one only the cluster writes.</summary>
    public static bool TryGetGatewayType(string name, out Type eventType) => GatewayTypesByName.TryGetValue(name, out eventType!);
}
