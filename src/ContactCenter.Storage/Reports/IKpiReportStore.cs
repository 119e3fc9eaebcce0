namespace ContactCenter.Reports;

/// <summary>KPI history computed from the CDRs by the database (one grouped query), on PostgreSQL or SQLite.</summary>
public interface IKpiReportStore
{
    /// <summary>
    /// The report's rows, ordered by group (no group first, then by ordinal) and bucket, streamed as the
    /// database returns them. The query runs when enumeration starts.
    /// </summary>
    IAsyncEnumerable<KpiRow> QueryAsync(KpiReportQuery query, CancellationToken cancellationToken = default);
}
