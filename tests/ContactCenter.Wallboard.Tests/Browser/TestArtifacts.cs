namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>
/// Files the browser tests leave for people to look at (screenshots), under artifacts/ at the repository root:
/// ignored by git, and one place for CI to collect.
/// </summary>
public static class TestArtifacts
{
    /// <summary>artifacts/<paramref name="folder"/>/<paramref name="fileName"/> under the repository root.</summary>
    public static string PathFor(string folder, string fileName) => Path.Combine(RepositoryRoot(), "artifacts", folder, fileName);

    private static string RepositoryRoot()
    {
        for (var candidate = new DirectoryInfo(AppContext.BaseDirectory); candidate is not null; candidate = candidate.Parent)
        {
            if (File.Exists(Path.Combine(candidate.FullName, "Cluster.sln")))
            {
                return candidate.FullName;
            }
        }

        throw new InvalidOperationException("Cluster.sln not found above the test binaries");
    }
}
