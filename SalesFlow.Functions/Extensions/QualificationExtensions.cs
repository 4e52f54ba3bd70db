using SalesFlow.Core.Qualification;
using SalesFlow.Functions.Runners;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Infrastructure.Embedded;

namespace SalesFlow.Functions.Extensions;

public static class QualificationExtensions
{
    /// <summary>
    /// The rep-facing qualification services: the lead score reader, the stored score snapshots and learnt weights where
    /// the other state lives (SalesFlow:Store), the refresher the turn calls, the learner and the score-refresh timer.
    /// </summary>
    public static IServiceCollection AddQualification(this IServiceCollection services)
    {
        services.AddSingleton<LeadScoreReader>();
        services.AddSingleton<ILeadScoreStore>(sp => sp.GetRequiredService<AdapterChoice>().Store == AdapterExtensions.Cosmos
            ? new CosmosLeadScoreStore(sp.GetRequiredService<CosmosStores>().Containers)
            : new SqliteLeadScoreStore(sp.GetRequiredService<SqliteDatabase>()));
        // Read by every turn's score refresh, changed only by a refit: cached per client for minutes.
        services.AddSingleton<ILeadScoreModelStore>(sp => new CachedLeadScoreModels(
            sp.GetRequiredService<AdapterChoice>().Store == AdapterExtensions.Cosmos
                ? new CosmosLeadScoreModelStore(sp.GetRequiredService<CosmosStores>().Containers)
                : new SqliteLeadScoreModelStore(sp.GetRequiredService<SqliteDatabase>()),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<LeadScoreRefresher>();
        services.AddSingleton<LeadScoreLearner>();
        services.AddSingleton<LeadScoreSweeper>();
        services.AddSingleton<ITimerHandler, ScoreRefreshTimer>();
        return services;
    }
}
