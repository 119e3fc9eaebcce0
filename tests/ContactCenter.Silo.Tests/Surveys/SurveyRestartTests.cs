using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Testing;
using ContactCenter.Testing.Sms;

namespace ContactCenter.Tests.Surveys;

/// <summary>
/// A survey's timer is its row: a survey scheduled by a silo that stops before it could send (Kannel was down) is sent
/// by the silo that starts on the same database, once.
/// </summary>
[Slow("starts Kannel and a silo twice")]
public sealed class SurveyRestartTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-survey-restart-").FullName;
    private readonly Uri _silo = new($"http://127.0.0.1:{FreePorts.Next()}");
    private KannelSmsCenter _kannel = null!;

    public async Task InitializeAsync() => _kannel = await KannelSmsCenter.StartAsync(SmsSurveyFixture.InboundUrl(_silo));

    [Fact]
    public async Task ASurveyScheduledBeforeTheSiloStoppedIsSentOnceByTheNextOne()
    {
        var settings = SmsSurveyFixture.Settings(_silo, Path.Combine(_folder, "restart.db"), _kannel);
        var prefix = Guid.NewGuid().ToString("N")[..8];
        const string subscriber = "+8613955501234";
        await _kannel.StopSmsboxAsync();
        await using (var first = await SiloHost.StartAsync(settings))
        {
            var center = new CenterClient(first, prefix);
            await center.QueueAsync("billing");
            await center.AgentAsync("a1", ready: true, "billing");
            await SmsSurveyFixture.TalkAsync(center, "c1", "billing", "a1", subscriber);
            var waiting = await Eventually.ReadAsync(() => SurveyAsync(center), s => s?["status"]?.GetValue<string>() == "scheduled");
            Assert.NotNull(waiting);
        }

        await _kannel.StartSmsboxAsync();
        await using var second = await SiloHost.StartAsync(settings);
        var again = new CenterClient(second, prefix);

        var received = await Eventually.ReadAsync(() => Task.FromResult(_kannel.Received.Where(m => m.To == subscriber).ToList()), m => m.Count > 0);
        Assert.Single(received);
        var sent = await Eventually.ReadAsync(() => SurveyAsync(again), s => s?["status"]?.GetValue<string>() == "sent");
        Assert.Equal("sent", sent!["status"]!.GetValue<string>());
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(_kannel.Received, m => m.To == subscriber);
    }

    private static async Task<JsonObject?> SurveyAsync(CenterClient center)
    {
        using var response = await center.Admin.GetAsync($"/api/v1/surveys/{center.Id("c1")}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
    }

    public async Task DisposeAsync()
    {
        await _kannel.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
