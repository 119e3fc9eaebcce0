using System.Text.Json;

namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>
/// What a user does, done through the DOM: simpler than synthesizing key and mouse events, and what the page's
/// own handlers see is the same (input and change events, a click).
/// </summary>
public sealed partial class BrowserPage
{
    /// <summary>Replaces the value of the input matching <paramref name="selector"/> and fires input and change.</summary>
    public Task TypeAsync(string selector, string text) => EvaluateAsync($$"""
        (() => {
          const element = {{FindElement(selector)}};
          element.focus();
          // The prototype's setter rather than `element.value =`, so that frameworks which wrap the
          // property (React does) see the change as a user's.
          const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(element), 'value')?.set;
          if (setter) { setter.call(element, {{Literal(text)}}); } else { element.value = {{Literal(text)}}; }
          element.dispatchEvent(new Event('input', { bubbles: true }));
          element.dispatchEvent(new Event('change', { bubbles: true }));
        })()
        """);

    /// <summary>Clicks the element matching <paramref name="selector"/>; a disabled one is an error, not a no-op.</summary>
    public Task ClickAsync(string selector) => EvaluateAsync($$"""
        (() => {
          const element = {{FindElement(selector)}};
          if (element.disabled) { throw new Error('cannot click ' + {{Literal(selector)}} + ': it is disabled'); }
          element.scrollIntoView({ block: 'center' });
          element.click();
        })()
        """);

    /// <summary>The text of the element matching <paramref name="selector"/>, as shown (innerText).</summary>
    public async Task<string> TextAsync(string selector) =>
        (await EvaluateAsync<string>($"{FindElement(selector)}.innerText"))!;

    /// <summary>An expression for the element, throwing a JavaScript error that names the selector when none matches.</summary>
    private static string FindElement(string selector) =>
        $"(document.querySelector({Literal(selector)}) ?? (() => {{ throw new Error('no element matches ' + {Literal(selector)}); }})())";

    /// <summary>A JavaScript string literal (JSON strings are valid JavaScript) with the given text.</summary>
    private static string Literal(string text) => JsonSerializer.Serialize(text);
}
