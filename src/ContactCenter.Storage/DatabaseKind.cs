namespace ContactCenter;

/// <summary>The two databases the cluster runs on: SQLite for the embedded mode, PostgreSQL for the cluster mode.</summary>
public enum DatabaseKind
{
    Sqlite,
    PostgreSql,
}

/// <summary>Where the journal, CDRs and Orleans' own tables live.</summary>
public sealed record DatabaseTarget(DatabaseKind Kind, string ConnectionString)
{
    /// <summary>
    /// The ADO.NET invariant name the Orleans providers expect. For SQLite, Orleans 10.4 knows only the name
    /// "System.Data.SQLite" (it rejects "Microsoft.Data.Sqlite") and serves it with Microsoft.Data.Sqlite's driver.
    /// </summary>
    public string AdoNetInvariant => Kind == DatabaseKind.PostgreSql ? "Npgsql" : "System.Data.SQLite";

    /// <summary>The folder of schema scripts for this database, under deploy/sql.</summary>
    public string ScriptFolder => Kind == DatabaseKind.PostgreSql ? "postgresql" : "sqlite";
}
