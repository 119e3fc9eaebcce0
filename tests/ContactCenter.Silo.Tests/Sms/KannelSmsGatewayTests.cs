using System.Collections.Concurrent;
using System.Net;
using ContactCenter.Sms;
using ContactCenter.Testing.Sms;

namespace ContactCenter.Tests.Sms;

/// <summary>
/// The SMS gateway seam against a real Kannel (bearerbox, smsbox, fakesmsc as the phones): a Chinese survey
/// question reaches the phone intact and its delivery reports come back with the message's reference; a bad
/// login is a refusal, a Kannel that is down is "unavailable" (the sender keeps the message); and a subscriber's
/// reply comes out of Kannel's get-url as the subscriber wrote it.
/// </summary>
[Slow("starts Kannel")]
public sealed class KannelSmsGatewayTests : IAsyncLifetime
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Uri> _requests = new();
    private readonly int _listenerPort = FreePorts.Next();
    private KannelSmsCenter _kannel = null!;

    private string ListenerUrl => $"http://127.0.0.1:{_listenerPort}/";

    public async Task InitializeAsync()
    {
        _listener.Prefixes.Add(ListenerUrl);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                try
                {
                    var context = await _listener.GetContextAsync();
                    _requests.Enqueue(context.Request.Url!);
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
            }
        });
        _kannel = await KannelSmsCenter.StartAsync($"{ListenerUrl}inbound?from=%p&to=%P&text=%a");
    }

    private KannelSmsGateway Gateway(string password = KannelSmsCenter.Password, Uri? sendSmsUrl = null) => new(new HttpClient(), new KannelOptions
    {
        SendSmsUrl = sendSmsUrl ?? _kannel.SendSmsUrl,
        Username = KannelSmsCenter.Username,
        Password = password,
        From = "10086",
        DeliveryReportUrl = new Uri($"{ListenerUrl}delivery?channel=sms"),
    });

    [Fact]
    public async Task AChineseQuestionReachesThePhoneIntactAndItsDeliveryReportsComeBack()
    {
        const string question = "您好，请为刚才的服务打分：回复1-5（5为非常满意），回复TD退订。";

        var submission = await Gateway().SendAsync(new OutgoingSms("survey-c1", "+8613912345678", question), CancellationToken.None);

        Assert.True(submission.Taken, submission.Refusal);
        var received = Assert.Single(await Eventually.ReadAsync(() => Task.FromResult(_kannel.Received), r => r.Count > 0));
        Assert.Equal(("10086", "+8613912345678", question), (received.From, received.To, received.Text));
        var reports = await Eventually.ReadAsync(
            () => Task.FromResult(_requests.Where(u => u.AbsolutePath == "/delivery").Select(u => System.Web.HttpUtility.ParseQueryString(u.Query)).ToList()),
            r => r.Any(q => q["status"] == "1"));
        Assert.All(reports, q => Assert.Equal(("sms", "survey-c1"), (q["channel"], q["ref"])));
        Assert.Equal(SmsDelivery.Delivered, KannelSmsGateway.DeliveryOf(int.Parse(reports.Last()["status"]!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task ABadLoginIsARefusalAndAKannelThatIsDownIsUnavailable()
    {
        var refused = await Gateway(password: "wrong").SendAsync(new OutgoingSms("survey-c2", "+8613912345678", "5?"), CancellationToken.None);
        Assert.False(refused.Taken);
        Assert.Contains("Authorization failed", refused.Refusal, StringComparison.OrdinalIgnoreCase);

        var down = Gateway(sendSmsUrl: new Uri($"http://127.0.0.1:{FreePorts.Next()}/cgi-bin/sendsms"));
        await Assert.ThrowsAsync<SmsGatewayUnavailableException>(() => down.SendAsync(new OutgoingSms("survey-c3", "+8613912345678", "5?"), CancellationToken.None));
        Assert.Empty(_kannel.Received);
    }

    [Fact]
    public async Task ASubscribersReplyComesOutOfKannelAsTheyWroteIt()
    {
        await _kannel.SendFromSubscriberAsync("+8613912345678", "10086", "非常满意，谢谢");

        var inbound = await Eventually.ReadAsync(
            () => Task.FromResult(_requests.FirstOrDefault(u => u.AbsolutePath == "/inbound")), u => u is not null);
        var query = System.Web.HttpUtility.ParseQueryString(inbound!.Query);
        Assert.Equal(("+8613912345678", "10086", "非常满意，谢谢"), (query["from"], query["to"], query["text"]));
    }

    public async Task DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _kannel.DisposeAsync();
    }
}
