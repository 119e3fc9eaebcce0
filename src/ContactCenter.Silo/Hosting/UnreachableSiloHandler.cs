using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime;

namespace ContactCenter.Hosting;

/// <summary>
/// A request that needed a grain on a silo that is gone (a region killed, in the seconds before the cluster
/// declares it dead and its grains come back elsewhere) fails in Orleans' messaging. That is the cluster's
/// passing trouble, not the caller's fault nor a bug: it is answered 503 with <c>Retry-After</c>, so an agent
/// desk or a script tries again, instead of a 500. Any other exception stays a 500.
/// </summary>
public sealed class UnreachableSiloHandler : IExceptionHandler
{
    public const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnreachableSilo(exception) || http.Response.HasStarted)
        {
            return false;
        }

        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Results.Problem(
            "a silo this request needed cannot be reached (a region lost or coming back); try again in a moment",
            statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(http);
        return true;
    }

    /// <summary>Orleans' failures to reach a silo or to hear from it in time, however wrapped.</summary>
    public static bool IsUnreachableSilo(Exception exception) => exception switch
    {
        OrleansMessageRejectionException or SiloUnavailableException or TimeoutException => true,
        AggregateException { InnerExceptions: [var only] } => IsUnreachableSilo(only),
        _ => exception.InnerException is { } inner && IsUnreachableSilo(inner),
    };
}
