using System.Globalization;
using System.Text;

namespace ContactCenter.Reports;

/// <summary>
/// Report rows as CSV (RFC 4180): a header line with the JSON field names, CRLF line ends, a field quoted when it
/// holds a comma, a quote or a line break (its quotes doubled), numbers in the invariant culture, null as empty.
/// </summary>
public static class KpiCsv
{
    private static readonly (string Name, Func<KpiReportRow, string?> Value)[] Columns =
    [
        ("group", r => r.Group),
        ("bucketStart", r => r.BucketStart.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)),
        ("offered", r => Number(r.Offered)),
        ("answered", r => Number(r.Answered)),
        ("answeredWithinThreshold", r => Number(r.AnsweredWithinThreshold)),
        ("abandoned", r => Number(r.Abandoned)),
        ("shortAbandoned", r => Number(r.ShortAbandoned)),
        ("serviceLevel", r => Number(r.ServiceLevel)),
        ("averageSpeedOfAnswerSeconds", r => Number(r.AverageSpeedOfAnswerSeconds)),
        ("averageHandleTimeSeconds", r => Number(r.AverageHandleTimeSeconds)),
        ("averageTalkSeconds", r => Number(r.AverageTalkSeconds)),
        ("averageHoldSeconds", r => Number(r.AverageHoldSeconds)),
        ("abandonRate", r => Number(r.AbandonRate)),
        ("answerRate", r => Number(r.AnswerRate)),
        ("maxWaitSeconds", r => Number(r.MaxWaitSeconds)),
        ("totalTalkSeconds", r => Number(r.TotalTalkSeconds)),
        ("totalHoldSeconds", r => Number(r.TotalHoldSeconds)),
    ];

    public static string Header { get; } = Line(Columns.Select(c => c.Name));

    public static string Row(KpiReportRow row) => Line(Columns.Select(c => c.Value(row)));

    public static async Task WriteAsync(Stream body, IAsyncEnumerable<KpiReportRow> rows, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(Header.AsMemory(), cancellationToken);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(Row(row).AsMemory(), cancellationToken);
        }
    }

    /// <summary>One record, with its CRLF.</summary>
    public static string Line(IEnumerable<string?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    public static string Field(string? value) =>
        value is null ? ""
        : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
        : value;

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);
}
