using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ContactCenter.SipEdge.Media;

/// <summary>
/// Where a call's recording lives: its <c>mediaRef</c> (reported in <c>recording_started</c>) is the day the call
/// was answered and the call's id, <c>yyyy/MM/dd/{callId}.wav</c>, relative to <see cref="Hosting.SipEdgeOptions.RecordingsPath"/>.
/// The one rule for writing a recording and for finding it again when the cluster asks for it.
/// </summary>
public static partial class RecordingFiles
{
    public static string MediaRef(DateTimeOffset answeredAt, string callId) => $"{answeredAt.UtcDateTime:yyyy/MM/dd}/{callId}.wav";

    /// <summary>The file of a media reference, or false for anything that is not one (a path of the caller's making).</summary>
    public static bool TryResolve(string root, string mediaRef, [NotNullWhen(true)] out string? path)
    {
        path = null;
        if (!MediaRefShape().IsMatch(mediaRef))
        {
            return false;
        }

        var full = Path.GetFullPath(Path.Combine(root, mediaRef));
        var rootFull = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootFull, StringComparison.Ordinal))
        {
            return false;
        }

        path = full;
        return true;
    }

    // A call id is letters, digits and - _ . : @ (no slash, so no way out of the day's folder).
    [GeneratedRegex(@"^\d{4}/\d{2}/\d{2}/[A-Za-z0-9_:@-][A-Za-z0-9._:@-]{0,127}\.wav$")]
    private static partial Regex MediaRefShape();
}
