using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ContactCenter.LoadTests.Cli;

/// <summary>
/// The kinds of value the load-test commands take, with the checks System.CommandLine runs on them: a wrong value
/// is an error naming the option and what it wants, and nothing starts.
/// </summary>
internal static class CliValues
{
    /// <summary>Where tokens come from: a command line is visible to every user of the machine (ps), the environment is not.</summary>
    public const string OperatorTokenVariable = "CONTACT_CENTER_OPERATOR_TOKEN";
    public const string GatewayTokensVariable = "CONTACT_CENTER_GATEWAY_TOKENS";

    public static Option<int> WholeNumber(string name, string description, int defaultValue, int min = 1, int max = int.MaxValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        InRange(option, min, max);
        return option;
    }

    public static Option<int?> OptionalWholeNumber(string name, string description, int min = 1, int max = int.MaxValue)
    {
        var option = new Option<int?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } value && (value < min || value > max))
            {
                result.AddError($"{name} wants a whole number from {min} to {max}, not {value}");
            }
        });
        return option;
    }

    public static Option<double> Number(string name, string description, double defaultValue, double min, double max)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<double>();
            if (value < min || value > max || double.IsNaN(value))
            {
                result.AddError($"{name} wants a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not {value.ToString(CultureInfo.InvariantCulture)}");
            }
        });
        return option;
    }

    /// <summary>http(s) addresses, repeatable and comma-separated; none listed twice.</summary>
    public static Option<Uri[]> Silos(string name, string description, params string[] aliases)
    {
        var option = new Option<Uri[]>(name, aliases)
        {
            Description = description,
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => [new Uri("http://127.0.0.1:5080")],
            CustomParser = result =>
            {
                var silos = new List<Uri>();
                foreach (var item in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                {
                    if (!Uri.TryCreate(item, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                    {
                        result.AddError($"{name} wants http(s) addresses, not '{item}'");
                        return [];
                    }

                    // A region twice in the list would make failing over to it a move to where the client already is.
                    if (silos.Contains(url))
                    {
                        result.AddError($"{name}: {item} is listed twice");
                        return [];
                    }

                    silos.Add(url);
                }

                return [.. silos];
            },
        };
        return option;
    }

    /// <summary>NAME=PID pairs, repeatable: processes whose CPU (and memory) the report includes.</summary>
    public static Option<(string Name, int Pid)[]> Processes(string name, string description)
    {
        return new Option<(string, int)[]>(name)
        {
            Description = description,
            DefaultValueFactory = _ => [],
            CustomParser = result =>
            {
                var processes = new List<(string, int)>();
                foreach (var token in result.Tokens)
                {
                    if (token.Value.Split('=', 2) is [{ Length: > 0 } process, var pid] && int.TryParse(pid, CultureInfo.InvariantCulture, out var id) && id > 0)
                    {
                        processes.Add((process, id));
                    }
                    else
                    {
                        result.AddError($"{name} wants NAME=PID, not '{token.Value}'");
                    }
                }

                return [.. processes];
            },
        };
    }

    public static void InRange(Option<int> option, int min, int max) => option.Validators.Add(result =>
    {
        var value = result.GetValueOrDefault<int>();
        if (value < min || value > max)
        {
            result.AddError($"{option.Name} wants a whole number from {min} to {max}, not {value}");
        }
    });

    /// <summary>Parses one command's arguments; throws <see cref="OptionsException"/> with every problem found.</summary>
    public static ParseResult ParseOrThrow(Command command, IReadOnlyList<string> args)
    {
        var result = command.Parse([.. args]);
        return result.Errors.Count == 0 ? result : throw new OptionsException(string.Join(Environment.NewLine, result.Errors.Select(e => e.Message)));
    }
}

/// <summary>The command line cannot be used as given.</summary>
public sealed class OptionsException(string message) : Exception(message);
