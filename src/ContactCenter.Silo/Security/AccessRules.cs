namespace ContactCenter.Security;

/// <summary>
/// What makes a set of tokens safe to serve: each names one holder, none is empty, and outside Development
/// none is a well-known one (the development tokens in <c>appsettings.Development.json</c>, the examples'
/// placeholders) or short enough to guess.
/// A problem stops the start (and a changed configuration with one is not taken up), because a duplicate
/// would make one holder act as another and a published token would open a production center.
/// </summary>
public static class AccessRules
{
    /// <summary>The prefix of the tokens that ship with the project for local runs; everyone who has the source knows them.</summary>
    public const string DevelopmentTokenPrefix = "dev-";

    /// <summary>The placeholder the deployment examples carry where an operator puts a real token.</summary>
    public const string PlaceholderTokenPrefix = "CHANGE-ME";

    /// <summary>Outside Development a token must be long enough not to be guessed (the limiter slows guesses, it does not stop them).</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>Every problem with <paramref name="access"/>, naming holders by section and id, never quoting a token.</summary>
    public static IReadOnlyList<string> Problems(AccessOptions access, bool isDevelopment)
    {
        var holders = access.Gateways.Select((g, i) => (Holder: $"Gateways:{i} ('{g.Id}')", g.Id, g.Token))
            .Concat(access.Operators.Select((o, i) => (Holder: $"Operators:{i} ('{o.Name}')", Id: o.Name, o.Token)))
            .Concat(access.Agents.Select((a, i) => (Holder: $"Agents:{i} ('{a.Id}')", a.Id, a.Token)))
            .Concat(access.Departments.Select((d, i) => (Holder: $"Departments:{i} ('{d.Id}')", d.Id, d.Token)))
            .ToList();

        var problems = new List<string>();
        foreach (var (holder, id, token) in holders)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                problems.Add($"ContactCenter:Access:{holder} has no id or name");
            }

            if (string.IsNullOrWhiteSpace(token))
            {
                problems.Add($"ContactCenter:Access:{holder} has an empty token");
            }
            else if (!isDevelopment && NotServable(token) is { } reason)
            {
                problems.Add($"ContactCenter:Access:{holder} has {reason}, refused outside the Development environment");
            }
        }

        problems.AddRange(holders
            .Where(h => !string.IsNullOrWhiteSpace(h.Token))
            .GroupBy(h => h.Token, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"ContactCenter:Access: {string.Join(" and ", g.Select(h => h.Holder))} have the same token; each holder needs its own"));

        problems.AddRange(access.Gateways
            .Select((g, i) => (g, i))
            .Where(x => x.g.RecordingsUrl is { } url && !(url.IsAbsoluteUri && url.Scheme is "http" or "https"))
            .Select(x => $"ContactCenter:Access:Gateways:{x.i} ('{x.g.Id}') has a RecordingsUrl that is not an absolute http or https address"));

        // Gateways are told apart by id (their calls, their commands, their limits), people by name: one entry each.
        problems.AddRange(Repeated("Gateways", access.Gateways.Select(g => g.Id))
            .Concat(Repeated("Operators", access.Operators.Select(o => o.Name)))
            .Concat(Repeated("Agents", access.Agents.Select(a => a.Id)))
            .Concat(Repeated("Departments", access.Departments.Select(d => d.Id))));

        problems.AddRange(access.Operators
            .Select((o, i) => (o, i))
            .Where(x => x.o.Role is not (Roles.Supervisor or Roles.Admin))
            .Select(x => $"ContactCenter:Access:Operators:{x.i} ('{x.o.Name}') has role '{x.o.Role}'; use {Roles.Supervisor} or {Roles.Admin}"));
        return problems;
    }

    private static IEnumerable<string> Repeated(string list, IEnumerable<string> ids) => ids
        .Where(id => !string.IsNullOrWhiteSpace(id))
        .GroupBy(id => id, StringComparer.Ordinal)
        .Where(g => g.Count() > 1)
        .Select(g => $"ContactCenter:Access:{list}: '{g.Key}' is given {g.Count()} times; each needs one entry");

    private static string? NotServable(string token) =>
        token.StartsWith(DevelopmentTokenPrefix, StringComparison.Ordinal) ? $"a development token ({DevelopmentTokenPrefix}...), which is published with the source"
        : token.StartsWith(PlaceholderTokenPrefix, StringComparison.OrdinalIgnoreCase) ? $"the example files' placeholder ({PlaceholderTokenPrefix}...)"
        : token.Length < MinimumTokenLength ? $"a token shorter than {MinimumTokenLength} characters"
        : null;
}
