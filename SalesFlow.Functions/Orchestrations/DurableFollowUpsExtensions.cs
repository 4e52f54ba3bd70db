using Microsoft.Extensions.DependencyInjection.Extensions;
using SalesFlow.Core.Conversations;

namespace SalesFlow.Functions.Orchestrations;

public static class DurableFollowUpsExtensions
{
    /// <summary>
    /// Under the Functions host: each lead's conversation runs as a Durable orchestration. Replaces the standalone
    /// signals (process-inbound queue + store timers) with the Durable ones; function classes that take in messages bind
    /// <c>[DurableClient] DurableTaskClient</c> and pass it to <see cref="DurableClientAccessor.Use"/>.
    /// </summary>
    public static IServiceCollection AddDurableFollowUps(this IServiceCollection services)
    {
        services.TryAddSingleton<DurableClientAccessor>();
        services.AddSingleton<LeadConversationActivities>();
        services.Replace(ServiceDescriptor.Singleton<ILeadConversationSignals, DurableLeadConversationSignals>());
        return services;
    }
}
