using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Infrastructure;

/// <summary>
/// The embedded silo of the edge's whole-call tests, which knows where the test edge serves its recordings: the
/// gateway the edges run as (<see cref="TestTokens.NanjingGateway"/>) has its <c>RecordingsUrl</c> on
/// <see cref="RecordingsPort"/>, which an edge takes with <see cref="TestEdge.ServeHttpAsync"/>. Calls answered in the
/// queue <see cref="CallbackSurveyQueue"/> are surveyed by a satisfaction callback at once, at any hour, and those answered
/// in <see cref="AfterCallSurveyQueue"/> by the IVR survey after the call; no others.
/// </summary>
public sealed class EdgeSiloFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-edge-silo-").FullName;

    public SiloHost Host { get; private set; } = null!;

    public const string CallbackSurveyQueue = "survey-callbacks";

    public const string AfterCallSurveyQueue = "survey-after-call";

    /// <summary>How long a callback survey waits before it calls again after no answer or busy: room for a test to start its next phone.</summary>
    public static readonly TimeSpan CallbackRetry = TimeSpan.FromSeconds(5);

    public int RecordingsPort { get; } = FreePorts.Next();

    public async Task InitializeAsync() => Host = await SiloHost.StartAsync(
        new("ContactCenter:Mode", "Embedded"),
        new("ContactCenter:SqlitePath", Path.Combine(_folder, "edge.db")),
        new("ContactCenter:Access:Gateways:0:RecordingsUrl", $"http://127.0.0.1:{RecordingsPort}"),
        new("ContactCenter:Surveys:Enabled", "true"),
        new("ContactCenter:Surveys:Default:Channel", ""),
        new("ContactCenter:Surveys:Default:SampleRate", "0"),
        new("ContactCenter:Surveys:Rules:0:Queue", CallbackSurveyQueue),
        new("ContactCenter:Surveys:Rules:0:Channel", "Callback"),
        new("ContactCenter:Surveys:Rules:0:SampleRate", "1"),
        new("ContactCenter:Surveys:Rules:1:Queue", AfterCallSurveyQueue),
        new("ContactCenter:Surveys:Rules:1:Channel", "Ivr"),
        new("ContactCenter:Surveys:Rules:1:SampleRate", "1"),
        new("ContactCenter:Surveys:Delay", "00:00:00"),
        new("ContactCenter:Surveys:CapDays", "0"),
        new("ContactCenter:Surveys:Callback:AllowedFrom", "00:00"),
        new("ContactCenter:Surveys:Callback:AllowedUntil", "00:00"),
        new("ContactCenter:Surveys:Callback:RetryAfter", CallbackRetry.ToString()),
        new("ContactCenter:Surveys:Callback:WaitWhileOnCall", "00:00:02"),
        new("ContactCenter:Surveys:Callback:RingSeconds", "5"),
        new("ContactCenter:Surveys:Callback:DigitSeconds", "3"));

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
