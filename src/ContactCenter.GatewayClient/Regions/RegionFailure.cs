namespace ContactCenter.GatewayClient;

/// <summary>How a request to a region failed; the kinds differ in how soon they move the client to another region.</summary>
internal enum FailureKind
{
    /// <summary>No connection could be made. A dead silo refuses at once, so one of these is conclusive.</summary>
    Unreachable,
    /// <summary>No answer within the request timeout: a slow region may still recover.</summary>
    TimedOut,
    /// <summary>A 5xx answer, a connection broken mid-request, or an answer that is not the API's.</summary>
    Failed,
}

/// <summary>A request that did not get a usable answer from its region.</summary>
internal sealed record RegionFailure(FailureKind Kind, string Detail);
