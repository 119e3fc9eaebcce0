using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Testing;
using ContactCenter.Testing.Sms;

namespace ContactCenter.Tests.Surveys;

/// <summary>
/// A real Kannel (fakesmsc as the phones) and an embedded silo that surveys every answered call by SMS through it,
/// at once and at any hour (the quiet hours have tests of their own). Kannel's get-url and delivery reports reach
/// the silo's SMS endpoints with the key; the tests use fresh ids and subscriber numbers, so they never meet.
/// </summary>
public sealed class SmsSurveyFixture : IAsyncLifetime
{
    public const string InboundKey = "kannel-inbound-test-key";
    public const string ShortCode = "10086";

    private readonly string _folder = Directory.CreateTempSubdirectory("cc-surveys-").FullName;
    private int _nextSubscriber = Random.Shared.Next(1_000, 9_000) * 1_000;

    public KannelSmsCenter Kannel { get; private set; } = null!;

    public SiloHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var silo = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        Kannel = await KannelSmsCenter.StartAsync(InboundUrl(silo));
        Host = await SiloHost.StartAsync(Settings(silo, Path.Combine(_folder, "surveys.db"), Kannel));
    }

    /// <summary>An embedded silo at <paramref name="silo"/> on <paramref name="sqlitePath"/>, surveying every answered call through <paramref name="kannel"/> at once.</summary>
    public static KeyValuePair<string, string?>[] Settings(Uri silo, string sqlitePath, KannelSmsCenter kannel) =>
    [
        new("Urls", silo.ToString()),
        new("ContactCenter:Mode", "Embedded"),
        new("ContactCenter:SqlitePath", sqlitePath),
        new("ContactCenter:Sms:Kannel:SendSmsUrl", kannel.SendSmsUrl.ToString()),
        new("ContactCenter:Sms:Kannel:Username", KannelSmsCenter.Username),
        new("ContactCenter:Sms:Kannel:Password", KannelSmsCenter.Password),
        new("ContactCenter:Sms:Kannel:From", ShortCode),
        new("ContactCenter:Sms:Kannel:DeliveryReportUrl", $"{silo}api/v1/sms/kannel/delivery?key={InboundKey}"),
        new("ContactCenter:Sms:Kannel:InboundKey", InboundKey),
        new("ContactCenter:Surveys:Enabled", "true"),
        new("ContactCenter:Surveys:Default:SampleRate", "1"),
        new("ContactCenter:Surveys:Delay", "00:00:00"),
        new("ContactCenter:Surveys:CapDays", "0"),
        new("ContactCenter:Surveys:QuietFrom", "00:00"),
        new("ContactCenter:Surveys:QuietUntil", "00:00"),
        new("ContactCenter:Surveys:RetryAfter", "00:00:01"),
        new("ContactCenter:Surveys:RetryAtMost", "00:00:02"),
    ];

    /// <summary>Kannel's get-url for a silo at <paramref name="silo"/>.</summary>
    public static string InboundUrl(Uri silo) => $"{silo}api/v1/sms/kannel/incoming?key={InboundKey}&from=%p&text=%a&id=%I";

    /// <summary>A subscriber number no other test uses.</summary>
    public string NewSubscriber() => $"+86139{Interlocked.Increment(ref _nextSubscriber):D8}";

    /// <summary>A call from <paramref name="caller"/>, queued, answered by <paramref name="agent"/> and ended, as a gateway reports it.</summary>
    public static async Task TalkAsync(CenterClient center, string callName, string queue, string agent, string caller)
    {
        var call = center.Id(callName);
        var reply = await new GatewayBatch()
            .Offered(call, caller)
            .Event(call, 2, "queued", new { queue = center.Id(queue) })
            .Event(call, 3, "answered", new { agent = center.Id(agent) })
            .Event(call, 4, "ended", new { cause = "normal", hungUpBy = "caller" })
            .PostAsync(center.Gateway);
        Assert.Equal(4, reply.Count("acknowledged"));
    }

    /// <summary>The messages that reached <paramref name="subscriber"/>'s phone, once there are <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<ReceivedSms>> MessagesToAsync(string subscriber, int count) =>
        await Eventually.ReadAsync(() => Task.FromResult<IReadOnlyList<ReceivedSms>>([.. Kannel.Received.Where(m => m.To == subscriber)]), m => m.Count >= count);

    public async Task<JsonObject?> SurveyAsync(CenterClient center, string callName)
    {
        using var response = await center.Admin.GetAsync($"/api/v1/surveys/{center.Id(callName)}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
    }

    /// <summary>The survey once <paramref name="condition"/> holds of it (or the last reading).</summary>
    public Task<JsonObject?> SurveyWhenAsync(CenterClient center, string callName, Func<JsonObject, bool> condition) =>
        Eventually.ReadAsync(() => SurveyAsync(center, callName), s => s is not null && condition(s));

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Kannel.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
