using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace ContactCenter.Testing;

/// <summary>
/// A gateway POST that the silo has begun to serve and that stays in progress until the test lets it finish: a
/// request holding one of its gateway's rate-limiter permits, with no timing involved. The request asks
/// <c>Expect: 100-continue</c>, and the silo sends the 100 only when its endpoint starts reading the body, which
/// is after the rate limiter let the request in; only then is the body begun, and its last byte waits for
/// <see cref="FinishAsync"/>.
/// </summary>
public sealed class HeldRequest : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HeldBody _body;

    private HeldRequest(HttpClient http, HeldBody body, Task<HttpResponseMessage> response)
    {
        _http = http;
        _body = body;
        Response = response;
    }

    /// <summary>Completes once the request is finished and answered.</summary>
    public Task<HttpResponseMessage> Response { get; }

    /// <summary>Returns once the silo's endpoint is serving the request; throws if the silo answered it at once instead (e.g. 429).</summary>
    public static async Task<HeldRequest> StartAsync(Uri silo, string token, string path, string json)
    {
        // The 100 is waited for as long as the test may need; without it the client would send the body after a second anyway.
        var http = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(5) }) { BaseAddress = silo };
        var body = new HeldBody(json);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.ExpectContinue = true;
        var response = http.SendAsync(request);
        if (await Task.WhenAny(body.Serving, response) == response)
        {
            var early = await response;
            http.Dispose();
            throw new InvalidOperationException($"the silo answered {(int)early.StatusCode} before serving the held request");
        }

        return new HeldRequest(http, body, response);
    }

    /// <summary>Sends the rest of the body; the silo's answer.</summary>
    public async Task<HttpStatusCode> FinishAsync()
    {
        _body.Finish();
        using var response = await Response;
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        _body.Finish();
        try
        {
            (await Response).Dispose();
        }
        catch (HttpRequestException)
        {
            // The silo went away first: nothing is left to release.
        }

        _http.Dispose();
    }

    /// <summary>The body: its first byte once the silo reads, the rest when told.</summary>
    private sealed class HeldBody : HttpContent
    {
        private readonly string _json;
        private readonly TaskCompletionSource _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldBody(string json)
        {
            _json = json;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        public Task Serving => _serving.Task;

        public void Finish() => _finish.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var bytes = Encoding.UTF8.GetBytes(_json);
            _serving.TrySetResult();
            await stream.WriteAsync(bytes.AsMemory(0, 1));
            await stream.FlushAsync();
            await _finish.Task;
            await stream.WriteAsync(bytes.AsMemory(1));
        }

        // Unknown length: the body goes chunked, so the silo cannot have all of it before the last chunk.
        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
