namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>
/// Where the Chromium to drive is: $CHROMIUM_PATH when set, else Debian's chromium on the PATH, installed from
/// Debian's packages when missing and the tests run as root (as the PostgreSQL the other tests start is), so
/// <c>dotnet test Cluster.sln</c> on a fresh machine needs nothing installed by hand.
/// </summary>
public static class ChromiumExecutable
{
    public const string PathVariable = "CHROMIUM_PATH";

    private static readonly Lazy<bool> Installed = new(InstallFromDebian);

    /// <summary>The executable's full path; throws saying how to get one when there is none.</summary>
    public static string Find()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // An explicit choice that is wrong should fail loudly, not fall back to another browser.
            return File.Exists(configured)
                ? configured
                : throw new FileNotFoundException($"{PathVariable} is set to {configured}, which does not exist");
        }

        return OnPath() ?? (Installed.Value ? OnPath() : null)
            ?? throw new FileNotFoundException(
                $"Chromium not found: install Debian's chromium package (apt-get install chromium; tests running as root do it) or set {PathVariable}");
    }

    private static string? OnPath() => (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => Path.Combine(folder, "chromium"))
        .Append("/usr/bin/chromium")
        .FirstOrDefault(File.Exists);

    private static bool InstallFromDebian()
    {
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
        {
            return false;
        }

        var install = new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", "apt-get update -qq && apt-get install -y -qq chromium"]);
        install.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = System.Diagnostics.Process.Start(install)!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
