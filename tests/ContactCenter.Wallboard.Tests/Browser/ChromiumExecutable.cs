using ContactCenter.Testing;

namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>Where the Chromium to drive is: $CHROMIUM_PATH when set, else Debian's chromium (<see cref="DebianPackages"/>).</summary>
public static class ChromiumExecutable
{
    public const string PathVariable = "CHROMIUM_PATH";

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

        return DebianPackages.Find("chromium", "chromium")
            ?? throw new FileNotFoundException(
                $"Chromium not found: install Debian's chromium package (apt-get install chromium; tests running as root do it) or set {PathVariable}");
    }
}
