using ContactCenter.ActiveCalls;
using ContactCenter.Audit;
using ContactCenter.Customers;
using ContactCenter.Gateways;
using ContactCenter.GrainState;
using ContactCenter.Journal;
using ContactCenter.Reports;
using ContactCenter.Schema;
using ContactCenter.Surveys;
using ContactCenter.WorkOrders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace ContactCenter;

public static class StorageServiceCollectionExtensions
{

    /// <summary>
    /// For one database: the journal (with its group-commit writer) and active-calls index, the group-commit grain
    /// storage, the gateway command outbox, subscriber master data, the supervisor audit log, KPI history from the CDRs, the surveys, and the schema migrator.
    /// </summary>
    /// <param name="callStore">
    /// What the Call grains persist through. <see cref="CallStoreDesign.GrainStatePerEvent"/> (the benchmark baseline)
    /// needs the silo's default grain storage, which the host configures.
    /// </param>
    public static IServiceCollection AddContactCenterStorage(this IServiceCollection services, DatabaseTarget database, CallStoreDesign callStore = CallStoreDesign.Journal)
    {
        services.AddSingleton(database);
        if (database.Kind == DatabaseKind.PostgreSql)
        {
            services.AddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString));
            services.AddSingleton<IJournalStore>(sp => new PostgresJournalStore(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<IGrainStateStore>(sp => new PostgresGrainStateStore(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<IGatewayCommandStore>(sp => new PostgresGatewayCommandStore(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<ISubscriberRows>(sp => new PostgresSubscriberRows(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<IContactHistory>(sp => new PostgresContactHistory(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<ISupervisorAuditLog>(sp => new PostgresSupervisorAuditLog(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<IKpiReportStore>(sp => new PostgresKpiReportStore(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<ISurveyStore>(sp => new PostgresSurveyStore(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<IWorkOrderStore>(sp => new PostgresWorkOrderStore(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        else
        {
            services.AddSingleton<IJournalStore>(new SqliteJournalStore(database.ConnectionString));
            services.AddSingleton<IGrainStateStore>(new SqliteGrainStateStore(database.ConnectionString));
            services.AddSingleton<IGatewayCommandStore>(new SqliteGatewayCommandStore(database.ConnectionString));
            services.AddSingleton<ISubscriberRows>(new SqliteSubscriberRows(database.ConnectionString));
            services.AddSingleton<IContactHistory>(new SqliteContactHistory(database.ConnectionString));
            services.AddSingleton<ISupervisorAuditLog>(new SqliteSupervisorAuditLog(database.ConnectionString));
            services.AddSingleton<IKpiReportStore>(new SqliteKpiReportStore(database.ConnectionString));
            services.AddSingleton<ISurveyStore>(new SqliteSurveyStore(database.ConnectionString));
            services.AddSingleton<IWorkOrderStore>(new SqliteWorkOrderStore(database.ConnectionString));
        }

        services.AddSingleton<ISubscriberDirectory>(sp => new BatchedSubscriberDirectory(sp.GetRequiredService<ISubscriberRows>()));
        services.AddSingleton(sp => new GroupCommitJournal(sp.GetRequiredService<IJournalStore>(), sp.GetRequiredService<ILogger<GroupCommitJournal>>()));
        services.AddSingleton<ILiveCallIndex>(sp => new LiveCallIndex(sp.GetRequiredService<IJournalStore>()));
        if (callStore == CallStoreDesign.GrainStatePerEvent)
        {
            services.AddSingleton<ICallJournal>(sp => new PerEventGrainStateJournal(
                sp.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME),
                sp.GetRequiredService<IJournalStore>(),
                sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            services.AddSingleton<ICallJournal>(sp => sp.GetRequiredService<GroupCommitJournal>());
        }

        // Orleans' own binary serializer rather than the default (Newtonsoft JSON with type names): the state
        // types carry [Id]s, so it is version-tolerant, and it costs a fraction of the CPU and bytes on the
        // routing path, where every queue and agent change is a write.
        services.AddGrainStorage(StorageNames.GroupCommit, (sp, _) =>
            new GroupCommitGrainStorage(sp.GetRequiredService<IGrainStateStore>(), new OrleansGrainStorageSerializer(sp.GetRequiredService<Orleans.Serialization.Serializer>())));
        services.AddSingleton(sp => new GatewayCommandOutbox(sp.GetRequiredService<IGatewayCommandStore>()));
        services.AddSingleton<IGatewayCommands>(sp => sp.GetRequiredService<GatewayCommandOutbox>());
        services.AddSingleton(new SubscriberImport(database));
        services.AddSingleton(sp => new SchemaMigrator(database, sp.GetRequiredService<ILogger<SchemaMigrator>>()));
        return services;
    }
}
