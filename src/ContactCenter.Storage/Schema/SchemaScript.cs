using System.Globalization;
using System.Reflection;

namespace ContactCenter.Schema;

/// <summary>One numbered script of deploy/sql, carried inside this assembly.</summary>
public sealed record SchemaScript(int Version, string Name, string Sql)
{
    /// <summary>The scripts for one database, in version order. A name starts with its version: "010-call-journal.sql".</summary>
    public static IReadOnlyList<SchemaScript> For(DatabaseKind kind)
    {
        var assembly = typeof(SchemaScript).Assembly;
        var prefix = $"sql/{new DatabaseTarget(kind, "").ScriptFolder}/";
        return [.. assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(name => Load(assembly, name, name[prefix.Length..]))
            .OrderBy(script => script.Version)];
    }

    private static SchemaScript Load(Assembly assembly, string resource, string fileName)
    {
        var digits = fileName.Split('-', 2)[0];
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"schema script '{fileName}' does not start with its version number");
        }

        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return new SchemaScript(version, fileName, reader.ReadToEnd());
    }
}
