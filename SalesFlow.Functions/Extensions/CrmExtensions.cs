using SalesFlow.Core.Crm;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Runners;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Infrastructure.Crm;
using SalesFlow.Infrastructure.Embedded;

namespace SalesFlow.Functions.Extensions;

public static class CrmExtensions
{
    /// <summary>How long one HubSpot call may take before it counts as a (transient) timeout.</summary>
    private static readonly TimeSpan HubSpotCallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The CRM sync: links and lead outcomes where the other state lives (SalesFlow:Store), the HubSpot adapter (its base
    /// URL a setting validated at start-up; no HTTP-level retry: a failed sync is queued again instead), the sync-crm
    /// handler, the crm-retry timer and the reaction that queues a sync for clients with a hubspot config.
    /// </summary>
    public static IServiceCollection AddCrm(this IServiceCollection services)
    {
        services.AddSingleton<ICrmLinkStore>(sp => sp.GetRequiredService<AdapterChoice>().Store == AdapterExtensions.Cosmos
            ? new CosmosCrmLinkStore(sp.GetRequiredService<CosmosStores>().Containers)
            : new SqliteCrmLinkStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<ILeadOutcomeStore>(sp => sp.GetRequiredService<AdapterChoice>().Store == AdapterExtensions.Cosmos
            ? new CosmosLeadOutcomeStore(sp.GetRequiredService<CosmosStores>().Containers)
            : new SqliteLeadOutcomeStore(sp.GetRequiredService<SqliteDatabase>()));

        DeliveryExtensions.AddVendorOptions<HubSpotApiOptions>(services, HubSpotApiOptions.Section, o => o.Problems());
        services.AddHttpClient(HubSpotCrmGateway.HttpClientName, http => http.Timeout = HubSpotCallTimeout);
        services.AddSingleton<HubSpotRateLimits>();
        services.AddSingleton<ICrmGateway, HubSpotCrmGateway>();

        services.AddSingleton<CrmSyncService>();
        services.AddSingleton<CrmRetrySweeper>();
        services.AddSingleton<IWorkHandler, SyncCrmHandler>();
        services.AddSingleton<ITimerHandler, CrmRetryTimer>();
        services.AddSingleton<IIntegrationEventReaction, CrmSyncReaction>();
        return services;
    }
}
