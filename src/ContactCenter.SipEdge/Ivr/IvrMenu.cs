using System.Text.Json;
using ContactCenter.SipEdge.Media;

namespace ContactCenter.SipEdge.Ivr;

/// <summary>
/// A voice menu as its file describes it (deploy/sip-edge/menus/*.json): a prompt, the digits a caller may press
/// and where each leads (a queue, or a further menu), how long the menu waits for a digit, how often it asks again
/// after silence or a wrong digit, and where a caller goes who never chooses.
/// </summary>
public sealed class IvrMenuFile
{
    public string Name { get; set; } = "";

    /// <summary>The prompt's WAV file (8 kHz mono), relative to the menu file.</summary>
    public string Prompt { get; set; } = "";

    /// <summary>Played after a digit the menu does not offer, before the prompt again.</summary>
    public string? Invalid { get; set; }

    public double TimeoutSeconds { get; set; } = 5;

    /// <summary>How many times the menu asks again (after silence or a wrong digit) before <see cref="Otherwise"/>.</summary>
    public int Retries { get; set; } = 2;

    public Dictionary<string, IvrChoiceFile> Choices { get; set; } = [];

    /// <summary>Where a caller goes who chose nothing; without it the call is ended (<c>ivr_no_choice</c>).</summary>
    public IvrChoiceFile? Otherwise { get; set; }
}

public sealed class IvrChoiceFile
{
    public string? Queue { get; set; }

    public IvrMenuFile? Menu { get; set; }
}

/// <summary>A menu loaded and checked: its prompts as samples, every choice leading to exactly one place.</summary>
public sealed record IvrMenu(string Name, short[] Prompt, short[]? Invalid, TimeSpan Timeout, int Retries, IReadOnlyDictionary<char, IvrChoice> Choices, IvrChoice? Otherwise)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads a menu file; a clear error naming the file and the fault for anything wrong in it.</summary>
    public static IvrMenu Load(string path)
    {
        IvrMenuFile? file;
        try
        {
            file = JsonSerializer.Deserialize<IvrMenuFile>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a menu file: {ex.Message}", ex);
        }

        return From(file ?? throw new InvalidDataException($"{path}: empty"), Path.GetDirectoryName(Path.GetFullPath(path))!, path);
    }

    private static IvrMenu From(IvrMenuFile file, string folder, string path)
    {
        if (string.IsNullOrWhiteSpace(file.Name) || !file.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new InvalidDataException($"{path}: every menu needs a name of letters, digits, '-' and '_'");
        }

        if (file.TimeoutSeconds is <= 0 or > 60 || file.Retries is < 0 or > 9)
        {
            throw new InvalidDataException($"{path}: menu '{file.Name}': timeoutSeconds must be 0-60 and retries 0-9");
        }

        var choices = new Dictionary<char, IvrChoice>();
        foreach (var (digit, choice) in file.Choices)
        {
            if (digit.Length != 1 || !"0123456789*#".Contains(digit[0]))
            {
                throw new InvalidDataException($"{path}: menu '{file.Name}': '{digit}' is not a key of the phone (0-9, *, #)");
            }

            choices[digit[0]] = Choice(choice, folder, path, $"{file.Name}/{digit}");
        }

        return new IvrMenu(
            file.Name,
            LoadPrompt(file.Prompt, folder, path, file.Name),
            file.Invalid is null ? null : LoadPrompt(file.Invalid, folder, path, file.Name),
            TimeSpan.FromSeconds(file.TimeoutSeconds),
            file.Retries,
            choices,
            file.Otherwise is null ? null : Choice(file.Otherwise, folder, path, $"{file.Name}/otherwise"));
    }

    private static IvrChoice Choice(IvrChoiceFile choice, string folder, string path, string where) => (choice.Queue, choice.Menu) switch
    {
        ({ Length: > 0 } queue, null) => new IvrChoice(queue, null),
        (null, { } menu) => new IvrChoice(null, From(menu, folder, path)),
        _ => throw new InvalidDataException($"{path}: choice {where} must name exactly one of 'queue' and 'menu'"),
    };

    private static short[] LoadPrompt(string file, string folder, string path, string menu)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            throw new InvalidDataException($"{path}: menu '{menu}' has no prompt");
        }

        var full = Path.Combine(folder, file);
        return File.Exists(full) ? WavFile.ReadMono(full) : throw new InvalidDataException($"{path}: menu '{menu}': prompt {full} does not exist (deploy/sip-edge/make-prompts.sh makes the sample's)");
    }
}

/// <summary>Where a digit leads: a queue or a further menu.</summary>
public sealed record IvrChoice(string? Queue, IvrMenu? Menu);
