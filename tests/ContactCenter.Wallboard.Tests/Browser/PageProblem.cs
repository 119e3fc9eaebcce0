namespace ContactCenter.Wallboard.Tests.Browser;

public enum PageProblemKind
{
    /// <summary>console.error or a failed console.assert.</summary>
    ConsoleError,

    /// <summary>An exception no script caught, or a promise rejection nobody handled.</summary>
    UncaughtException,

    /// <summary>A request that got no response: refused, reset, DNS, CORS, blocked.</summary>
    RequestFailed,

    /// <summary>A response with status 400 or above.</summary>
    HttpError,
}

/// <summary>Something that went wrong in a page; the message says what and, for requests, which URL.</summary>
public sealed record PageProblem(PageProblemKind Kind, string Message)
{
    public override string ToString() => $"{Kind}: {Message}";
}
