namespace ContactCenter.Testing;

/// <summary>One embedded-mode silo on a fresh SQLite file, shared by the API tests; each test uses fresh call ids.</summary>
public sealed class EmbeddedHostFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-api-").FullName;

    public SiloHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await SiloHost.StartEmbeddedAsync(Path.Combine(_folder, "api.db"));

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
