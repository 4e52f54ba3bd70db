using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using SalesFlow.Functions.Extensions;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Delivery;

/// <summary>The app's own registration of the channel senders (<see cref="DeliveryExtensions.AddChannelSenders"/>) with the given settings, logs captured.</summary>
internal sealed class SenderTestHost : IAsyncDisposable
{
    private SenderTestHost(ServiceProvider provider, CapturedLogs logs)
    {
        Provider = provider;
        Logs = logs;
    }

    public ServiceProvider Provider { get; }

    public CapturedLogs Logs { get; }

    public T Get<T>()
        where T : notnull => Provider.GetRequiredService<T>();

    /// <param name="vendorCallTimeout">Replaces the senders' HttpClient timeout (30 s in the app), for timeout tests.</param>
    public static SenderTestHost Create(Dictionary<string, string?> settings, IClientStore? clients = null, TimeSpan? vendorCallTimeout = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new CapturedLogs();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<SalesFlowOptions>().BindConfiguration(SalesFlowOptions.Section);
        services.AddChannelSenders();
        if (vendorCallTimeout is { } timeout)
        {
            foreach (var name in new[] { Infrastructure.Delivery.WhatsAppCloudSender.HttpClientName, Infrastructure.Delivery.TwilioMessageSender.HttpClientName, Infrastructure.Delivery.SendGridEmailSender.HttpClientName })
            {
                services.AddHttpClient(name, http => http.Timeout = timeout);
            }
        }
        if (clients is not null)
        {
            services.AddSingleton(clients);
        }

        return new SenderTestHost(services.BuildServiceProvider(), logs);
    }

    public static OutboxItem Item(ChannelKind channel, string recipient, string text = "Hallo Anna, gern schicke ich Ihnen die Preise.", string clientId = "acme") => new()
    {
        Id = "out_" + Guid.NewGuid().ToString("N")[..12],
        ClientId = clientId,
        LeadId = "lead_1",
        ConversationId = "conv_1",
        Channel = channel,
        Recipient = recipient,
        Text = text,
        IdempotencyKey = "reply:" + Guid.NewGuid().ToString("N"),
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    public async ValueTask DisposeAsync() => await Provider.DisposeAsync();
}
