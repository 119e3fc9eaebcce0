using ContactCenter.Hosting;
using ContactCenter.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Orleans.Runtime;

namespace ContactCenter.Tests.Hosting;

/// <summary>
/// Seen in a two-region run: the simulator's agent break during the seconds after kill -9 of huaian got a 500
/// (OrleansMessageRejectionException: unable to connect to the dead silo). A silo out of reach is the cluster's
/// passing trouble: 503 with Retry-After. A bug stays a 500.
/// </summary>
[Collection(EmbeddedHostCollection.Name)]
public sealed class UnreachableSiloTests(EmbeddedHostFixture fixture)
{
    [Theory]
    [MemberData(nameof(Unreachable))]
    public async Task AGrainCallThatCannotReachItsSiloIsAnswered503WithRetryAfter(Exception failure)
    {
        var http = NewRequest();

        Assert.True(await new UnreachableSiloHandler().TryHandleAsync(http, failure, CancellationToken.None));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        Assert.Equal("2", http.Response.Headers.RetryAfter.ToString());
        http.Response.Body.Position = 0;
        Assert.Contains("cannot be reached", await new StreamReader(http.Response.Body).ReadToEndAsync());
    }

    /// <summary>A timed-out grain call may have run: the caller is told so, and not invited to repeat it.</summary>
    [Fact]
    public async Task AGrainCallThatTimedOutIsA504WithoutRetryAfter()
    {
        var http = NewRequest();

        Assert.True(await new UnreachableSiloHandler().TryHandleAsync(http, new TimeoutException("response did not arrive on time"), CancellationToken.None));

        Assert.Equal(StatusCodes.Status504GatewayTimeout, http.Response.StatusCode);
        Assert.False(http.Response.Headers.ContainsKey("Retry-After"));
    }

    [Fact]
    public async Task AnyOtherFailureIsLeftToBeA500()
    {
        Assert.False(await new UnreachableSiloHandler().TryHandleAsync(NewRequest(), new InvalidOperationException("a bug"), CancellationToken.None));
    }

    public static TheoryData<Exception> Unreachable() =>
    [
        // Orleans makes this one itself only (its constructors are internal), as it did in the run.
        (Exception)Activator.CreateInstance(
            typeof(OrleansMessageRejectionException), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance,
            null, ["Exception while sending message: unable to connect to S127.0.0.1:11112:1"], null)!,
        new SiloUnavailableException("the silo is gone"),
        new AggregateException(new SiloUnavailableException("wrapped")),
    ];

    private DefaultHttpContext NewRequest() => new() { RequestServices = fixture.Host.Services, Response = { Body = new MemoryStream() } };
}
