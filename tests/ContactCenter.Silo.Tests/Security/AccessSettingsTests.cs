
namespace ContactCenter.Tests.Security;

/// <summary>
/// Tokens that cannot be served safely stop the silo's start with a message naming the entry, never the token;
/// a running silo does not take up such a change. Before: a duplicate made every authenticated request a 500,
/// and the development tokens opened any center that shipped the default settings.
/// </summary>
[Slow("starts and restarts silos of its own")]
public sealed class AccessSettingsTests : IDisposable
{
    private const string CommandsPath = "/api/v1/gateway/commands?wait=0";
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-access-").FullName;

    [Fact]
    public async Task TwoHoldersWithOneTokenStopTheStartNamingBoth()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(("ContactCenter:Access:Gateways:1:Token", TestTokens.NanjingToken)));

        Assert.Contains("Gateways:0 ('gw-nanjing-1') and Gateways:1 ('gw-huaian-1') have the same token", refused.Message);
        Assert.DoesNotContain(TestTokens.NanjingToken, refused.Message);
    }

    [Fact]
    public async Task TwoGatewaysWithOneIdStopTheStart()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(("ContactCenter:Access:Gateways:1:Id", "gw-nanjing-1")));

        Assert.Contains("Gateways: 'gw-nanjing-1' is given 2 times", refused.Message);
    }

    [Fact]
    public async Task AnEmptyTokenStopsTheStart()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(("ContactCenter:Access:Operators:0:Token", " ")));

        Assert.Contains("Operators:0 ('sup-1') has an empty token", refused.Message);
    }

    [Fact]
    public async Task ARecordingsUrlThatIsNotAnHttpAddressStopsTheStart()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(("ContactCenter:Access:Gateways:0:RecordingsUrl", "edge-nanjing-1:5090")));

        Assert.Contains("Gateways:0 ('gw-nanjing-1') has a RecordingsUrl that is not an absolute http or https address", refused.Message);
    }

    [Theory]
    [InlineData("dev-gateway-nanjing-1", "development token")]
    [InlineData("CHANGE-ME-long-random-token-1", "placeholder")]
    [InlineData("short-token", "shorter than 16 characters")]
    public async Task AWellKnownOrGuessableTokenIsRefusedOutsideDevelopment(string token, string reason)
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(("ContactCenter:Access:Gateways:0:Token", token)));

        Assert.Contains("Gateways:0 ('gw-nanjing-1')", refused.Message);
        Assert.Contains(reason, refused.Message);
    }

    [Fact]
    public async Task ADevelopmentTokenOpensTheApiInDevelopment()
    {
        await using var silo = await SiloHost.StartInEnvironmentAsync(
            "Development", Embedded([("ContactCenter:Access:Gateways:0:Token", "dev-gateway-nanjing-1")]));

        using var gateway = silo.Client("dev-gateway-nanjing-1");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await gateway.GetAsync(CommandsPath)).StatusCode);
    }

    [Fact]
    public async Task AChangeThatBreaksTheRulesIsNotTakenUpAndTheTokensInForceKeepWorking()
    {
        await using var silo = await StartAsync();
        var mark = silo.Log.Written;

        silo.Configuration["ContactCenter:Access:Gateways:1:Token"] = TestTokens.NanjingToken;
        silo.Configuration.Reload();

        using var nanjing = silo.Client(TestTokens.NanjingToken);
        using var huaian = silo.Client(TestTokens.HuaianToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await nanjing.GetAsync(CommandsPath)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await huaian.GetAsync(CommandsPath)).StatusCode);
        Assert.Contains(silo.Log.Since(mark), e => e.MessageTemplate.Text.StartsWith("The changed access settings are not taken up", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<SiloHost> StartAsync(params (string Key, string Value)[] settings) => SiloHost.StartAsync(Embedded(settings));

    private KeyValuePair<string, string?>[] Embedded((string Key, string Value)[] settings) =>
    [
        new("ContactCenter:Mode", "Embedded"),
        new("ContactCenter:SqlitePath", Path.Combine(_folder, $"{Guid.NewGuid():N}.db")),
        .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)),
    ];
}
