namespace ContactCenter.Testing;

/// <summary>The checkout the tests run from, found by its solution file, for the project's own scripts and artifacts folder.</summary>
public static class RepositoryFolder
{
    public static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Cluster.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Cluster.sln not found above the test binaries");
    }
}
