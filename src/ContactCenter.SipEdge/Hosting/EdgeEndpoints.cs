using System.Security.Cryptography;
using System.Text;
using ContactCenter.SipEdge.Media;

namespace ContactCenter.SipEdge.Hosting;

/// <summary>
/// The edge's own HTTP endpoints: liveness, its figures, and its recordings, which only the cluster reads (it
/// serves them to supervisors, audited): a request must carry the edge's gateway token, the secret the two
/// already share. Ranges are served, so a player can seek in a long call without fetching all of it.
/// </summary>
public static class EdgeEndpoints
{
    public static void MapEdgeEndpoints(this IEndpointRouteBuilder app, SipEdgeRuntime edge)
    {
        app.MapGet("/health/live", () => Results.Text("live"));
        app.MapGet("/status", async () => Results.Json(await edge.StatusAsync()));
        app.MapGet("/recordings/{**mediaRef}", (string mediaRef, HttpContext http) => Recording(edge.Options, mediaRef, http));
    }

    private static IResult Recording(SipEdgeOptions options, string mediaRef, HttpContext http)
    {
        if (!IsTheCluster(options, http.Request.Headers.Authorization.ToString()))
        {
            return Results.Unauthorized();
        }

        if (!RecordingFiles.TryResolve(options.RecordingsPath, mediaRef, out var path))
        {
            return Results.Problem("not a media reference of this edge (yyyy/MM/dd/{callId}.wav)", statusCode: StatusCodes.Status400BadRequest);
        }

        return File.Exists(path)
            ? Results.File(path, "audio/wav", fileDownloadName: Path.GetFileName(path), enableRangeProcessing: true)
            : Results.Problem($"no recording '{mediaRef}' on this edge (never made, or deleted after its retention)", statusCode: StatusCodes.Status404NotFound);
    }

    private static bool IsTheCluster(SipEdgeOptions options, string authorization)
    {
        const string scheme = "Bearer ";
        if (!authorization.StartsWith(scheme, StringComparison.Ordinal))
        {
            return false;
        }

        // Compared in constant time: the token is the edge's whole credential with the cluster.
        return CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(authorization[scheme.Length..]),
            Encoding.UTF8.GetBytes(options.GatewayToken));
    }
}
