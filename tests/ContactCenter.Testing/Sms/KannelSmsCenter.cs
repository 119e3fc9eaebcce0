using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ContactCenter.Testing.Sms;

/// <summary>
/// A real Kannel on loopback ports for the tests: bearerbox and smsbox from Debian's <c>kannel</c>, with two fake SMS
/// center links served by <c>fakesmsc</c> from <c>kannel-extras</c>. One link carries the messages the cluster sends
/// (a long-running fakesmsc receives them, as the subscribers' phones would: <see cref="Received"/>); the other
/// carries what subscribers send (<see cref="SendFromSubscriberAsync"/> runs a fakesmsc for each message, since a
/// fake link takes one client at a time). Kannel's replies to the cluster go to <paramref name="inboundUrl"/>.
/// </summary>
public sealed partial class KannelSmsCenter : IAsyncDisposable
{
    public const string Username = "cluster";
    public const string Password = "kannel-test-secret";
    private const string FakeSmsc = "/usr/lib/kannel/test/fakesmsc";

    private readonly List<Process> _processes = [];
    private readonly ConcurrentQueue<ReceivedSms> _received = new();
    private readonly int _toPhonesPort;
    private readonly int _fromPhonesPort;
    private string? _config;
    private Process? _smsbox;

    private KannelSmsCenter(string folder, int sendSmsPort, int toPhonesPort, int fromPhonesPort)
    {
        Folder = folder;
        SendSmsUrl = new Uri($"http://127.0.0.1:{sendSmsPort}/cgi-bin/sendsms");
        _toPhonesPort = toPhonesPort;
        _fromPhonesPort = fromPhonesPort;
    }

    public string Folder { get; }

    /// <summary>smsbox's sendsms interface.</summary>
    public Uri SendSmsUrl { get; }

    /// <summary>The messages that reached the phones so far, oldest first.</summary>
    public IReadOnlyList<ReceivedSms> Received => [.. _received];

    /// <param name="inboundUrl">Kannel's <c>get-url</c> for subscribers' messages, with Kannel's escapes (<c>%p</c> sender, <c>%a</c> text...).</param>
    public static async Task<KannelSmsCenter> StartAsync(string? inboundUrl = null)
    {
        DebianPackages.Require(("bearerbox", "kannel"), ("smsbox", "kannel"));
        if (!File.Exists(FakeSmsc))
        {
            DebianPackages.Require(("fakesmsc-is-in-kannel-extras", "kannel-extras"));
        }

        var folder = Directory.CreateTempSubdirectory("kannel-").FullName;
        var (admin, boxes, sendSms, toPhones, fromPhones) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        var center = new KannelSmsCenter(folder, sendSms, toPhones, fromPhones);
        var config = Path.Combine(folder, "kannel.conf");
        await File.WriteAllTextAsync(config, $"""
            group = core
            admin-port = {admin}
            admin-password = "{Password}"
            admin-allow-ip = "127.0.0.1"
            smsbox-port = {boxes}
            box-allow-ip = "127.0.0.1"
            box-deny-ip = "*.*.*.*"
            dlr-storage = internal
            log-file = "{folder}/bearerbox.log"
            log-level = 1

            group = smsc
            smsc = fake
            smsc-id = TO_PHONES
            port = {toPhones}
            connect-allow-ip = "127.0.0.1"

            group = smsc
            smsc = fake
            smsc-id = FROM_PHONES
            port = {fromPhones}
            connect-allow-ip = "127.0.0.1"
            allowed-smsc-id = "FROM_PHONES"

            group = smsbox
            bearerbox-host = 127.0.0.1
            bearerbox-port = {boxes}
            sendsms-port = {sendSms}
            # Subscribers' UCS-2 (Chinese) messages reach the get-url as UTF-8.
            mo-recode = true
            # A get-url or delivery report that meets a silo being restarted is sent again (docs/surveys.md).
            http-request-retry = 3
            log-file = "{folder}/smsbox.log"
            log-level = 1

            group = sendsms-user
            username = {Username}
            password = {Password}
            max-messages = 10

            group = sms-service
            keyword = default
            catch-all = true
            max-messages = 0
            {(inboundUrl is null ? "text = \"\"" : $"get-url = \"{inboundUrl}\"")}
            """);
        center.Start("/usr/sbin/bearerbox", config);
        await WaitForPortAsync(boxes);
        center._config = config;
        center._smsbox = center.Start("/usr/sbin/smsbox", config);
        await WaitForPortAsync(sendSms);
        center.StartPhones();
        return center;
    }

    /// <summary>A subscriber sends <paramref name="text"/> from <paramref name="from"/> to <paramref name="to"/>; returns once Kannel has it.</summary>
    public async Task SendFromSubscriberAsync(string from, string to, string text)
    {
        // ucs2: the text url-encoded as UTF-16BE, as a phone sends Chinese.
        var ucs2 = string.Concat(Encoding.BigEndianUnicode.GetBytes(text).Select(b => $"%{b:X2}"));
        using var phone = Process.Start(new ProcessStartInfo(FakeSmsc, ["-H", "127.0.0.1", "-r", $"{_fromPhonesPort}", "-m", "1", "-i", "0.1", $"{from} {to} ucs2 {ucs2}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var log = new StringBuilder();
        var sent = new TaskCompletionSource();
        DataReceivedEventHandler read = (_, line) =>
        {
            lock (log)
            {
                log.AppendLine(line.Data);
            }

            if (line.Data?.Contains("sent message 1", StringComparison.Ordinal) == true)
            {
                sent.TrySetResult();
            }
        };
        phone.OutputDataReceived += read;
        phone.ErrorDataReceived += read;
        phone.BeginOutputReadLine();
        phone.BeginErrorReadLine();
        try
        {
            // fakesmsc stays connected after its last message: it is stopped once the message is out, a moment
            // later, so bearerbox has read it before the link closes.
            await sent.Task.WaitAsync(TimeSpan.FromSeconds(15));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"fakesmsc did not send the message: {log}");
        }
        finally
        {
            phone.Kill();
            await phone.WaitForExitAsync();
        }
    }

    public string Describe() => string.Join('\n',
        new[] { "bearerbox.log", "smsbox.log" }.Select(f => Path.Combine(Folder, f)).Where(File.Exists).Select(f => string.Join('\n', File.ReadLines(f).TakeLast(15))));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            try
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                // Gone already.
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A log still being written: the temporary folder stays.
        }
    }

    /// <summary>Stops smsbox, Kannel's HTTP side: sendsms refuses connections, as a gateway that is down does.</summary>
    public async Task StopSmsboxAsync()
    {
        _smsbox!.Kill(entireProcessTree: true);
        await _smsbox.WaitForExitAsync();
        _processes.Remove(_smsbox);
    }

    /// <summary>Starts smsbox again after <see cref="StopSmsboxAsync"/>.</summary>
    public async Task StartSmsboxAsync()
    {
        _smsbox = Start("/usr/sbin/smsbox", _config!);
        await WaitForPortAsync(SendSmsUrl.Port);
    }

    private Process Start(string program, params string[] arguments)
    {
        var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    /// <summary>The phones' side of the link the cluster sends on: a fakesmsc that sends nothing and logs each message it gets.</summary>
    private void StartPhones()
    {
        var phones = Process.Start(new ProcessStartInfo(FakeSmsc, ["-H", "127.0.0.1", "-r", $"{_toPhonesPort}", "-m", "0", "x y text unused"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        DataReceivedEventHandler read = (_, line) =>
        {
            if (line.Data is { } text && GotMessage().Match(text) is { Success: true } m)
            {
                _received.Enqueue(new ReceivedSms(m.Groups["from"].Value, m.Groups["to"].Value, Decode(m.Groups["type"].Value, m.Groups["data"].Value)));
            }
        };
        phones.OutputDataReceived += read;
        phones.ErrorDataReceived += read;
        phones.BeginOutputReadLine();
        phones.BeginErrorReadLine();
        _processes.Add(phones);
    }

    private static string Decode(string type, string data) => type switch
    {
        "ucs2" or "ucs-2" => Encoding.BigEndianUnicode.GetString(PercentBytes(data)),
        "data" => Encoding.UTF8.GetString(PercentBytes(data)),
        _ => data,
    };

    /// <summary>The bytes of a url-encoded text, taken as bytes (fakesmsc's <c>ucs2</c> is UTF-16BE, not UTF-8).</summary>
    private static byte[] PercentBytes(string data)
    {
        var bytes = new List<byte>(data.Length);
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] == '%' && i + 2 < data.Length && byte.TryParse(data.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.Add(data[i] == '+' ? (byte)' ' : (byte)data[i]);
            }
        }

        return [.. bytes];
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"Kannel did not open port {port}");
    }

    [GeneratedRegex(@"Got message \d+: <(?<from>\S+) (?<to>\S+) (?<type>text|data|ucs-?2) (?<data>.*)>$")]
    private static partial Regex GotMessage();
}

/// <summary>A message as it reached a phone.</summary>
public sealed record ReceivedSms(string From, string To, string Text);
