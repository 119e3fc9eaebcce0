namespace ContactCenter.Testing;

/// <summary>
/// The programs the tests drive as real peers (Chromium, sipp, sox, flite): found on the PATH, and installed from
/// Debian's packages when missing and the tests run as root (as the PostgreSQL the other tests start is), so
/// <c>dotnet test Cluster.sln</c> on a fresh machine needs nothing installed by hand.
/// </summary>
public static class DebianPackages
{
    private static readonly object Gate = new();
    private static readonly HashSet<string> Tried = [];

    /// <summary>The command's full path, or null when it is missing and cannot be installed.</summary>
    public static string? Find(string command, string package) => OnPath(command) ?? (Install(package) ? OnPath(command) : null);

    /// <summary>Ensures every command is there (one apt-get for all that are missing); throws naming the packages to install otherwise.</summary>
    public static void Require(params (string Command, string Package)[] tools)
    {
        var missing = tools.Where(t => OnPath(t.Command) is null).Select(t => t.Package).Distinct().ToArray();
        if (missing.Length == 0 || (Install(missing) && tools.All(t => OnPath(t.Command) is not null)))
        {
            return;
        }

        throw new FileNotFoundException($"missing: {string.Join(", ", tools.Where(t => OnPath(t.Command) is null).Select(t => t.Command))}; install Debian's {string.Join(" ", missing)} (apt-get install; tests running as root do it)");
    }

    private static string? OnPath(string command) => (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Append("/usr/bin")
        .Select(folder => Path.Combine(folder, command))
        .FirstOrDefault(File.Exists);

    private static bool Install(params string[] packages)
    {
        lock (Gate)
        {
            // Once per package per test run: a failed install is not retried by every test.
            var wanted = packages.Where(Tried.Add).ToArray();
            if (wanted.Length == 0 || Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
            {
                return false;
            }

            var install = new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", $"apt-get update -qq && apt-get install -y -qq {string.Join(' ', wanted)}"]);
            install.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var process = System.Diagnostics.Process.Start(install)!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
    }
}
