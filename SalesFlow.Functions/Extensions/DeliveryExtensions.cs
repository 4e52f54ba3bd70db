using Microsoft.Extensions.Options;
using SalesFlow.Core.Delivery;
using SalesFlow.Infrastructure.Delivery;
using SalesFlow.Infrastructure.Embedded;

namespace SalesFlow.Functions.Extensions;

public static class DeliveryExtensions
{
    /// <summary>
    /// The real channel senders behind <see cref="IChannelSender"/> (<see cref="RoutingChannelSender"/>): each vendor's base
    /// URL is a setting validated at start-up. The HttpClients have no retry handler on purpose: a retried POST after a
    /// timeout can send the message twice; the delivery service retries on the <see cref="DeliveryException"/> instead.
    /// </summary>
    public static IServiceCollection AddChannelSenders(this IServiceCollection services)
    {
        AddVendorOptions<WhatsAppApiOptions>(services, WhatsAppApiOptions.Section, o => o.Problems());
        AddVendorOptions<TwilioApiOptions>(services, TwilioApiOptions.Section, o => o.Problems());
        AddVendorOptions<SendGridApiOptions>(services, SendGridApiOptions.Section, o => o.Problems());

        services.AddHttpClient(WhatsAppCloudSender.HttpClientName, VendorCallTimeout);
        services.AddTransient<TwilioBaseUrlHandler>();
        services.AddHttpClient(TwilioMessageSender.HttpClientName, VendorCallTimeout)
            // Like the SDK's own default client: a redirect is the answer, not something to follow with the credentials.
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false })
            .AddHttpMessageHandler<TwilioBaseUrlHandler>();
        services.AddHttpClient(SendGridEmailSender.HttpClientName, VendorCallTimeout);

        services.AddSingleton<WhatsAppCloudSender>();
        services.AddSingleton(sp => new TwilioMessageSender(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<SalesFlowOptions>>().Value.PublicBaseUrl));
        services.AddSingleton<SendGridEmailSender>();
        services.AddSingleton<OutboxSink>();
        services.AddSingleton<IChannelSender, RoutingChannelSender>();
        return services;
    }

    /// <summary>How long one vendor call may take before it counts as unanswered (Delivery:VendorCallTimeout).</summary>
    private static void VendorCallTimeout(IServiceProvider services, HttpClient http) =>
        http.Timeout = services.GetRequiredService<IOptions<DeliveryOptions>>().Value.VendorCallTimeout;

    /// <summary>Binds the section and fails the start with one line per problem, naming the setting.</summary>
    internal static void AddVendorOptions<T>(IServiceCollection services, string section, Func<T, IEnumerable<string>> problems)
        where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new ProblemsValidation<T>(problems));
    }

    private sealed class ProblemsValidation<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            problems(options).ToList() is { Count: > 0 } found ? ValidateOptionsResult.Fail(found) : ValidateOptionsResult.Success;
    }
}
