using System.Text.Json;

namespace ContactCenter;

/// <summary>The snake_case names enums take in stored rows and reports ("self_service").</summary>
public static class JsonNames
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
