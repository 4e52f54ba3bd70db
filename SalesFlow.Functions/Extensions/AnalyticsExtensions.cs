using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Analytics;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Leads;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Infrastructure.Embedded;

namespace SalesFlow.Functions.Extensions;

public static class AnalyticsExtensions
{
    /// <summary>
    /// Pre-aggregated analytics (store per SalesFlow:Store) and its hooks: the turn observer, the escalation and meeting
    /// reaction, and decorators of the outcome and usage stores (registered after them: call after AddCrm).
    /// </summary>
    public static IServiceCollection AddAnalytics(this IServiceCollection services)
    {
        services.AddSingleton<IAnalyticsStore>(sp => sp.GetRequiredService<AdapterChoice>().Store == AdapterExtensions.Cosmos
            ? new CosmosAnalyticsStore(sp.GetRequiredService<CosmosStores>().Containers)
            : new SqliteAnalyticsStore(sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AnalyticsRecorder>();
        services.AddSingleton<ITurnObserver>(sp => sp.GetRequiredService<AnalyticsRecorder>());
        services.AddSingleton<IIntegrationEventReaction>(sp => sp.GetRequiredService<AnalyticsRecorder>());
        Decorate<ILeadOutcomeStore>(services, (sp, inner) => new AnalyticsOutcomeStore(inner, sp.GetRequiredService<AnalyticsRecorder>()));
        Decorate<IUsageStore>(services, (sp, inner) => new AnalyticsUsageStore(inner, sp.GetRequiredService<AnalyticsRecorder>()));
        return services;
    }

    /// <summary>Wraps the service's last registration (whatever its lifetime shape) in <paramref name="wrap"/>.</summary>
    private static void Decorate<T>(IServiceCollection services, Func<IServiceProvider, T, T> wrap)
        where T : class
    {
        var inner = services.Last(d => d.ServiceType == typeof(T));
        services.Remove(inner);
        services.AddSingleton(sp => wrap(sp, (T)(inner.ImplementationInstance
            ?? inner.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!))));
    }
}

/// <summary>Records a lead's outcome in analytics after the store has it.</summary>
internal sealed class AnalyticsOutcomeStore(ILeadOutcomeStore inner, AnalyticsRecorder analytics) : ILeadOutcomeStore
{
    public Task<LeadOutcome?> GetAsync(string clientId, string leadId, CancellationToken ct) => inner.GetAsync(clientId, leadId, ct);

    public Task<IReadOnlyList<LeadOutcome>> ListAsync(string clientId, int limit, CancellationToken ct) => inner.ListAsync(clientId, limit, ct);

    public async Task SetAsync(LeadOutcome outcome, CancellationToken ct)
    {
        await inner.SetAsync(outcome, ct);
        await analytics.OutcomeSetAsync(outcome, ct);
    }

    /// <summary>Recorded only when stored: a duplicate of a vendor's event is not a second outcome.</summary>
    public async Task<bool> SetIfNewerAsync(LeadOutcome outcome, CancellationToken ct)
    {
        if (!await inner.SetIfNewerAsync(outcome, ct))
        {
            return false;
        }

        await analytics.OutcomeSetAsync(outcome, ct);
        return true;
    }
}

/// <summary>Adds every model call recorded to analytics (tokens, cost, latency, failures by model).</summary>
internal sealed class AnalyticsUsageStore(IUsageStore inner, AnalyticsRecorder analytics) : IUsageStore
{
    public async Task AddAsync(AiUsageRecord record, CancellationToken ct)
    {
        await inner.AddAsync(record, ct);
        await analytics.ModelCalledAsync(record, ct);
    }

    public Task<IReadOnlyList<AiUsageRecord>> ListAsync(string clientId, string? leadId, int limit, CancellationToken ct) => inner.ListAsync(clientId, leadId, limit, ct);

    public Task<UsageSummary> SummarizeLeadAsync(string clientId, string leadId, CancellationToken ct) => inner.SummarizeLeadAsync(clientId, leadId, ct);

    public Task<UsageSummary> SummarizeClientAsync(string clientId, DateTimeOffset? since, CancellationToken ct) => inner.SummarizeClientAsync(clientId, since, ct);

    public Task<UsageReport> ReportAsync(string clientId, string? leadId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) => inner.ReportAsync(clientId, leadId, from, to, ct);

    public Task<int> EraseLeadAsync(string clientId, string leadId, CancellationToken ct) => inner.EraseLeadAsync(clientId, leadId, ct);
}
