using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Integration;
using SalesFlow.Infrastructure.Azure.ServiceBus;

namespace SalesFlow.Functions.Extensions;

/// <summary>
/// Integration events (lead became hot, state changed, opted out, escalated) go to the Service Bus topic of
/// section IntegrationEvents when a deployment configures one; otherwise they are not published anywhere. Either way
/// SalesFlow's own reactions (<see cref="IIntegrationEventReaction"/>) see them first.
/// </summary>
public static class IntegrationEventsExtensions
{
    public static IServiceCollection AddIntegrationEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IntegrationEventsOptions>().BindConfiguration(IntegrationEventsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IntegrationEventsOptions>, IntegrationEventsOptionsValidator>();

        // The services publish through the reactions (CRM sync, alerts); the publisher is where events then leave.
        services.AddSingleton<IIntegrationEvents, ReactingIntegrationEvents>();
        var options = configuration.GetSection(IntegrationEventsOptions.Section).Get<IntegrationEventsOptions>() ?? new IntegrationEventsOptions();
        if (!options.IsConfigured)
        {
            services.AddSingleton<IIntegrationEventPublisher, UnpublishedIntegrationEvents>();
            return services;
        }

        // Built on first use, after the start-up check has vetted the settings; the container disposes both (async).
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<IntegrationEventsOptions>>().Value.CreateClient());
        services.AddSingleton(sp => sp.GetRequiredService<ServiceBusClient>().CreateSender(sp.GetRequiredService<IOptions<IntegrationEventsOptions>>().Value.Topic!.Trim()));
        services.AddSingleton<IIntegrationEventPublisher, ServiceBusIntegrationEvents>();
        return services;
    }

    private sealed class IntegrationEventsOptionsValidator : IValidateOptions<IntegrationEventsOptions>
    {
        public ValidateOptionsResult Validate(string? name, IntegrationEventsOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
