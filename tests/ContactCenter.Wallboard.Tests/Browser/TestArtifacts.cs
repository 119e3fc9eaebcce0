
namespace ContactCenter.Wallboard.Tests.Browser;

/// <summary>
/// Files the browser tests leave for people to look at (screenshots), under artifacts/ at the repository root:
/// ignored by git, and one place for CI to collect.
/// </summary>
public static class TestArtifacts
{
    /// <summary>artifacts/<paramref name="folder"/>/<paramref name="fileName"/> under the repository root.</summary>
    public static string PathFor(string folder, string fileName) => Path.Combine(RepositoryFolder.Root(), "artifacts", folder, fileName);
}
