using SalesFlow.Core.Recommendations;
using SalesFlow.Functions.Runners;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Infrastructure.Embedded;

namespace SalesFlow.Functions.Extensions;

public static class RecommendationsExtensions
{
    /// <summary>
    /// Next best actions: the stores where the other state lives (SalesFlow:Store), the service the conversation engine
    /// calls after each turn, playbooks, and the recommendations timer.
    /// </summary>
    public static IServiceCollection AddRecommendations(this IServiceCollection services)
    {
        services.AddSingleton<IRecommendationStore>(sp => sp.GetRequiredService<AdapterChoice>().Store == AdapterExtensions.Cosmos
            ? new CosmosRecommendationStore(sp.GetRequiredService<CosmosStores>().Containers)
            : new SqliteRecommendationStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IPlaybookStore>(sp => sp.GetRequiredService<AdapterChoice>().Store == AdapterExtensions.Cosmos
            ? new CosmosPlaybookStore(sp.GetRequiredService<CosmosStores>().Containers)
            : new SqlitePlaybookStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<RecommendationService>();
        services.AddSingleton<PlaybookService>();
        services.AddSingleton<RecommendationSweeper>();
        services.AddSingleton<ITimerHandler, RecommendationsTimer>();
        return services;
    }
}
