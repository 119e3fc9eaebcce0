using ContactCenter.Journal;
using ContactCenter.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ContactCenter;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The journal (with its group-commit writer), the active-calls index and the schema migrator for one database.</summary>
    public static IServiceCollection AddContactCenterStorage(this IServiceCollection services, DatabaseTarget database)
    {
        services.AddSingleton(database);
        if (database.Kind == DatabaseKind.PostgreSql)
        {
            services.AddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString));
            services.AddSingleton<IJournalStore>(sp => new PostgresJournalStore(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        else
        {
            services.AddSingleton<IJournalStore>(new SqliteJournalStore(database.ConnectionString));
        }

        services.AddSingleton(sp => new GroupCommitJournal(sp.GetRequiredService<IJournalStore>(), sp.GetRequiredService<ILogger<GroupCommitJournal>>()));
        services.AddSingleton<ICallJournal>(sp => sp.GetRequiredService<GroupCommitJournal>());
        services.AddSingleton(sp => new SchemaMigrator(database, sp.GetRequiredService<ILogger<SchemaMigrator>>()));
        return services;
    }
}
