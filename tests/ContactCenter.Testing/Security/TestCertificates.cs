using System.Diagnostics;

namespace ContactCenter.Testing;

/// <summary>
/// Silo-to-silo TLS certificates for test silos, made by the project's own deploy/local/dev-certificate.sh
/// (so the tests prove the script's certificates work): one cluster authority per test process, shared by
/// every silo the process starts, and other authorities on demand for silos that must be refused.
/// </summary>
public static class TestCertificates
{
    private static readonly Lazy<string> ClusterFolder = new(() => Make("cluster"));

    /// <summary>The settings that give a silo this test run's cluster certificate.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings() => SettingsFor(ClusterFolder.Value);

    /// <summary>A folder with ca.pem, silo.pem and silo.key of the cluster's authority.</summary>
    public static string Cluster => ClusterFolder.Value;

    /// <summary>A set from an authority of its own, which the test cluster's silos do not trust.</summary>
    public static string FromAnotherAuthority() => Make($"other-{Guid.NewGuid():N}");

    public static IEnumerable<KeyValuePair<string, string?>> SettingsFor(string folder) =>
    [
        new("ContactCenter:SiloTls:Certificate", Path.Combine(folder, "silo.pem")),
        new("ContactCenter:SiloTls:CertificateKey", Path.Combine(folder, "silo.key")),
        new("ContactCenter:SiloTls:Authority", Path.Combine(folder, "ca.pem")),
    ];

    private static string Make(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "contact-center-tests", $"certificates-{Environment.ProcessId}", name);
        var script = Path.Combine(RepositoryFolder.Root(), "deploy", "local", "dev-certificate.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, "--out", folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? folder
            : throw new InvalidOperationException($"dev-certificate.sh failed ({process.ExitCode}): {errors.Result}");
    }
}
