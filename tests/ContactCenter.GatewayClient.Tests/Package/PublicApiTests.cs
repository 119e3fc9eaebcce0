using PublicApiGenerator;

namespace ContactCenter.GatewayClient.Tests.Package;

/// <summary>
/// Gateway vendors build against the client's public API: a change to it must be seen, and meant. The approved
/// text sits beside the client (src/ContactCenter.GatewayClient/PublicApi.approved.txt); after a deliberate
/// change, run with UPDATE_PUBLIC_API=1 and review the diff (and the package version) with the code.
/// </summary>
public sealed class PublicApiTests
{
    private const string UpdateVariable = "UPDATE_PUBLIC_API";

    private static readonly string Approved = Path.Combine(RepositoryFolder.Root(), "src", "ContactCenter.GatewayClient", "PublicApi.approved.txt");

    [Fact]
    public void ThePublicApiIsTheApprovedOne()
    {
        var current = typeof(ContactCenterClient).Assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }).ReplaceLineEndings("\n") + "\n";
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(Approved, current);
        }

        Assert.True(File.Exists(Approved), $"{Approved} is missing; run the test with {UpdateVariable}=1 to write it");
        Assert.True(File.ReadAllText(Approved) == current,
            $"the client's public API changed: if that is meant, run `{UpdateVariable}=1 dotnet test tests/ContactCenter.GatewayClient.Tests --filter PublicApiTests`, review the diff and the package version");
    }
}
