using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime;

namespace ContactCenter.Hosting;

/// <summary>
/// A request that needed a grain on a silo that is gone (a region killed, in the seconds before the cluster
/// declares it dead and its grains come back elsewhere) fails in Orleans' messaging before the grain ran. That
/// is the cluster's passing trouble, not the caller's fault nor a bug: it is answered 503 with <c>Retry-After</c>,
/// so an agent desk or a script tries again, instead of a 500. A grain call that timed out may have run, so it is
/// a 504 without an invitation to repeat it. Any other exception stays a 500.
/// </summary>
public sealed class UnreachableSiloHandler : IExceptionHandler
{
    public const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (http.Response.HasStarted)
        {
            return false;
        }

        if (IsUnreachableSilo(exception))
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Results.Problem(
                "a silo this request needed cannot be reached (a region lost or coming back); try again in a moment",
                statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(http);
            return true;
        }

        if (exception is TimeoutException)
        {
            await Results.Problem(
                "the cluster did not answer in time; the action may or may not have been done: look before doing it again",
                statusCode: StatusCodes.Status504GatewayTimeout).ExecuteAsync(http);
            return true;
        }

        return false;
    }

    /// <summary>Orleans' failures to reach a silo at all, however wrapped: the request did not run.</summary>
    public static bool IsUnreachableSilo(Exception exception) => exception switch
    {
        OrleansMessageRejectionException or SiloUnavailableException => true,
        AggregateException { InnerExceptions: [var only] } => IsUnreachableSilo(only),
        _ => exception.InnerException is { } inner && IsUnreachableSilo(inner),
    };
}
