using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Alerts;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Meetings;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Functions.Runners;

namespace SalesFlow.Functions.Extensions;

public static class AlertsExtensions
{
    /// <summary>Staff alerts (hot lead, escalation, meeting booked) and the daily summary; the store follows SalesFlow:Store.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddSingleton<IActivityReport>(sp => sp.GetRequiredService<AdapterChoice>().Store == AdapterExtensions.Cosmos
            ? new CosmosActivityReport(sp.GetRequiredService<CosmosStores>().Containers)
            : new SqliteActivityReport(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<StaffOutbox>();
        services.AddSingleton<IIntegrationEventReaction, ActivityRecorder>();
        services.AddSingleton<IIntegrationEventReaction, AlertReaction>();
        services.AddSingleton(sp => new DailySummaryService(
            sp.GetRequiredService<IActivityReport>(),
            sp.GetRequiredService<IClientStore>(),
            sp.GetRequiredService<IUsageStore>(),
            sp.GetRequiredService<IMeetingStore>(),
            sp.GetRequiredService<IOutboxStore>(),
            sp.GetRequiredService<StaffOutbox>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DailySummaryService>>()));
        services.AddSingleton<ITimerHandler, DailySummaryTimer>();
        return services;
    }
}
