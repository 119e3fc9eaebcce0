using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Surveys;
using ContactCenter.Testing;

namespace ContactCenter.Tests.Surveys;

/// <summary>
/// The whole SMS survey loop through a real Kannel: a call ends, the question reaches the subscriber's phone, the
/// phone's reply comes back through Kannel's get-url, and the score lands on the survey and in today's figures. A low
/// score is a follow-up for supervisors; an unreadable reply is asked once more; an unsubscribe word ends the
/// survey and every later one.
/// </summary>
[Slow("starts Kannel")]
public sealed class SmsSurveyLoopTests(SmsSurveyFixture surveys) : IClassFixture<SmsSurveyFixture>
{
    private readonly CenterClient _center = new(surveys.Host);

    private async Task CenterAsync()
    {
        await _center.QueueAsync("billing");
        await _center.AgentAsync("a1", ready: true, "billing");
    }

    [Fact]
    public async Task AnEndedCallsSurveyReachesThePhoneAndTheRepliedScoreLandsOnTheSurveyAndInTheFigures()
    {
        await CenterAsync();
        var subscriber = surveys.NewSubscriber();

        await SmsSurveyFixture.TalkAsync(_center, "c1", "billing", "a1", subscriber);

        var question = Assert.Single(await surveys.MessagesToAsync(subscriber, 1));
        Assert.Equal(SmsSurveyFixture.ShortCode, question.From);
        Assert.Equal(SurveyRule.DefaultQuestion, question.Text);
        var sent = await surveys.SurveyWhenAsync(_center, "c1", s => s["deliveredAt"] is not null);
        Assert.Equal("sent", sent!["status"]!.GetValue<string>());

        await surveys.Kannel.SendFromSubscriberAsync(subscriber, SmsSurveyFixture.ShortCode, "非常满意，谢谢");

        var answered = await surveys.SurveyWhenAsync(_center, "c1", s => s["status"]!.GetValue<string>() == "answered");
        Assert.Equal(5, answered!["score"]!.GetValue<int>());
        Assert.False(answered["followUp"]!.GetValue<bool>());
        var figures = await Eventually.ReadAsync(
            () => _center.Admin.GetFromJsonAsync<JsonObject>("/api/v1/surveys/figures"),
            f => f!["byQueue"]![_center.Id("billing")]?["answered"]?.GetValue<int>() == 1);
        var billing = figures!["byQueue"]![_center.Id("billing")]!;
        Assert.Equal((1, 1, 1), (billing["sent"]!.GetValue<int>(), billing["answered"]!.GetValue<int>(), billing["satisfied"]!.GetValue<int>()));
        Assert.Equal(1.0, billing["csat"]!.GetValue<double>());
        Assert.Equal(1, figures["byAgent"]![_center.Id("a1")]!["answered"]!.GetValue<int>());

        // The wallboard shows the same figures (read every few seconds).
        var board = await Eventually.ReadAsync(
            () => _center.Admin.GetFromJsonAsync<JsonObject>("/api/v1/wallboard"),
            b => b!["satisfaction"]?["queues"]?[_center.Id("billing")]?["answered"]?.GetValue<int>() == 1);
        Assert.Equal(1.0, board!["satisfaction"]!["queues"]![_center.Id("billing")]!["csat"]!.GetValue<double>());

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
        var range = $"from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}";
        var report = await _center.Admin.GetFromJsonAsync<JsonArray>($"/api/v1/reports/surveys?by=agent&{range}");
        var row = Assert.Single(report!, r => r!["group"]!.GetValue<string>() == _center.Id("a1"))!;
        Assert.Equal((1, 1, 1.0, 1.0, 0.0), (row["sent"]!.GetValue<int>(), row["answered"]!.GetValue<int>(), row["csat"]!.GetValue<double>(),
            row["responseRate"]!.GetValue<double>(), row["optOutRate"]!.GetValue<double>()));
        var csv = await _center.Admin.GetStringAsync($"/api/v1/reports/surveys?by=queue&format=csv&{range}");
        Assert.StartsWith("group,day,sent,answered,satisfied,lowScores,optedOut,csat,responseRate,optOutRate,averageScore\r\n", csv);
        Assert.Contains($"{_center.Id("billing")},{today:yyyy-MM-dd},1,1,1,0,0,1,1,0,5\r\n", csv);
        await CenterClient.ExpectAsync(400, _center.Admin.GetAsync($"/api/v1/reports/surveys?by=region&{range}"));
        await CenterClient.ExpectAsync(400, _center.Admin.GetAsync("/api/v1/reports/surveys?from=2026-12-08&to=2026-12-01"));
        await CenterClient.ExpectAsync(400, _center.Admin.GetAsync("/api/v1/reports/surveys?from=yesterday&to=2026-12-01"));
    }

    [Fact]
    public async Task ALowScoreIsAFollowUpForSupervisorsUntilOneClosesIt()
    {
        await CenterAsync();
        var subscriber = surveys.NewSubscriber();
        await SmsSurveyFixture.TalkAsync(_center, "c1", "billing", "a1", subscriber);
        await surveys.MessagesToAsync(subscriber, 1);

        await surveys.Kannel.SendFromSubscriberAsync(subscriber, SmsSurveyFixture.ShortCode, "1");

        var answered = await surveys.SurveyWhenAsync(_center, "c1", s => s["status"]!.GetValue<string>() == "answered");
        Assert.True(answered!["followUp"]!.GetValue<bool>());
        var open = await _center.Admin.GetFromJsonAsync<JsonArray>($"/api/v1/surveys/follow-ups?queue={_center.Id("billing")}");
        Assert.Equal(_center.Id("c1"), Assert.Single(open!)!["callId"]!.GetValue<string>());

        await CenterClient.ExpectAsync(200, _center.Admin.PostAsJsonAsync($"/api/v1/surveys/{_center.Id("c1")}/follow-up", new { note = "called back" }));

        Assert.Empty((await _center.Admin.GetFromJsonAsync<JsonArray>($"/api/v1/surveys/follow-ups?queue={_center.Id("billing")}"))!);
        await CenterClient.ExpectAsync(409, _center.Admin.PostAsJsonAsync($"/api/v1/surveys/{_center.Id("c1")}/follow-up", new { note = "again" }));
        await CenterClient.ExpectAsync(404, _center.Admin.PostAsJsonAsync($"/api/v1/surveys/{_center.Id("nosuch")}/follow-up", new { note = "x" }));

        // The low score opened a work order for service quality, about the call, once (the survey records it).
        async Task<JsonObject?> OrderAsync()
        {
            using var response = await _center.Admin.GetAsync($"/api/v1/work-orders/survey-{_center.Id("c1")}");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
        }

        var order = await Eventually.ReadAsync(OrderAsync, o => o is not null);
        Assert.Equal(("service_quality", "lowScore", _center.Id("c1")), (order!["department"]!.GetValue<string>(), order["source"]!.GetValue<string>(), order["callId"]!.GetValue<string>()));
        Assert.Contains(_center.Id("a1"), order["summary"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreadableReplyIsAskedOnceMoreAndTheNextReplyCounts()
    {
        await CenterAsync();
        var subscriber = surveys.NewSubscriber();
        await SmsSurveyFixture.TalkAsync(_center, "c1", "billing", "a1", subscriber);
        await surveys.MessagesToAsync(subscriber, 1);

        await surveys.Kannel.SendFromSubscriberAsync(subscriber, SmsSurveyFixture.ShortCode, "3还是4吧");

        var messages = await surveys.MessagesToAsync(subscriber, 2);
        Assert.Equal(new SurveyPolicyOptions().AskAgain, messages[1].Text);
        await surveys.Kannel.SendFromSubscriberAsync(subscriber, SmsSurveyFixture.ShortCode, "４");
        var answered = await surveys.SurveyWhenAsync(_center, "c1", s => s["status"]!.GetValue<string>() == "answered");
        Assert.Equal(4, answered!["score"]!.GetValue<int>());
    }

    [Fact]
    public async Task AnUnsubscribeWordEndsTheSurveyAndNoLaterCallIsSurveyed()
    {
        await CenterAsync();
        var subscriber = surveys.NewSubscriber();
        await SmsSurveyFixture.TalkAsync(_center, "c1", "billing", "a1", subscriber);
        await surveys.MessagesToAsync(subscriber, 1);

        await surveys.Kannel.SendFromSubscriberAsync(subscriber, SmsSurveyFixture.ShortCode, "退订");

        await surveys.SurveyWhenAsync(_center, "c1", s => s["status"]!.GetValue<string>() == "optedOut");
        await SmsSurveyFixture.TalkAsync(_center, "c2", "billing", "a1", subscriber);
        // The second call's end is committed and its effects applied before this reads: no survey, no message.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Null(await surveys.SurveyAsync(_center, "c2"));
        Assert.Single(surveys.Kannel.Received, m => m.To == subscriber);
    }

    [Fact]
    public async Task WhileKannelIsDownTheSurveyWaitsAndRetriesAndWhenItIsBackTheQuestionIsSentOnce()
    {
        await CenterAsync();
        var subscriber = surveys.NewSubscriber();
        await surveys.Kannel.StopSmsboxAsync();
        try
        {
            await SmsSurveyFixture.TalkAsync(_center, "c1", "billing", "a1", subscriber);

            var waiting = await surveys.SurveyWhenAsync(_center, "c1", s => s["status"]!.GetValue<string>() == "scheduled");
            Assert.NotNull(waiting);
            // Retried (every 1-2 s here) while Kannel is down: nothing leaves, the survey stays scheduled.
            await Task.Delay(TimeSpan.FromSeconds(4));
            Assert.Equal("scheduled", (await surveys.SurveyAsync(_center, "c1"))!["status"]!.GetValue<string>());
        }
        finally
        {
            await surveys.Kannel.StartSmsboxAsync();
        }

        Assert.Single(await surveys.MessagesToAsync(subscriber, 1));
        await surveys.SurveyWhenAsync(_center, "c1", s => s["status"]!.GetValue<string>() == "sent");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(surveys.Kannel.Received, m => m.To == subscriber);
    }
}
