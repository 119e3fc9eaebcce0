using System.Text.Json;

namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>A script evaluated by the test threw (or its promise rejected); the message is the page's.</summary>
public sealed class JavaScriptException(string message, string expression) : Exception(message)
{
    /// <summary>The expression the test evaluated.</summary>
    public string Expression { get; } = expression;

    /// <summary>The most telling text of a DevTools ExceptionDetails: the error's stack, else the thrown value.</summary>
    internal static string Describe(JsonElement details)
    {
        if (details.TryGetProperty("exception", out var thrown))
        {
            if (thrown.TryGetProperty("description", out var description))
            {
                return description.GetString()!;
            }

            if (thrown.TryGetProperty("value", out var value))
            {
                // `throw "text"` throws a string, not an Error: there is no stack, only the value.
                return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            }
        }

        return details.GetProperty("text").GetString()!;
    }
}
