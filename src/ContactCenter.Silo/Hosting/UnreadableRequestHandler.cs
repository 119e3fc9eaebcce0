using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace ContactCenter.Hosting;

/// <summary>
/// A request whose body or parameters the API cannot bind (malformed JSON, a number sent as text, a name not
/// among an enum's, a body over its size limit) is the caller's mistake: it is answered with its status (400,
/// 413) and a problem saying what could not be read and where, rather than the empty 400 minimal APIs give by
/// default. <see cref="Microsoft.AspNetCore.Routing.RouteHandlerOptions.ThrowOnBadRequest"/> is on so that
/// such failures reach this handler.
/// </summary>
public sealed class UnreadableRequestHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (http.Response.HasStarted || exception is not BadHttpRequestException unreadable)
        {
            return false;
        }

        var detail = unreadable.InnerException is JsonException json
            ? $"the body is not this request's JSON: {json.Message}"
            : unreadable.Message;
        await Results.Problem(detail, statusCode: unreadable.StatusCode, title: "Unreadable request").ExecuteAsync(http);
        return true;
    }
}
