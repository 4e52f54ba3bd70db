using Microsoft.Extensions.Logging;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using SalesFlow.Infrastructure.Embedded;

namespace SalesFlow.Infrastructure.Delivery;

/// <summary>
/// The <see cref="IChannelSender"/>: per item, the client's configured vendor for the item's channel, else the embedded
/// <see cref="OutboxSink"/> (a client without credentials keeps the outbox-only behaviour). WhatsApp goes through Meta's
/// Cloud API when the client set whatsapp.phoneNumberId and accessToken, else through Twilio when it set
/// twilio.whatsAppFrom and credentials; SMS through Twilio; e-mail through SendGrid. The client comes from the
/// <see cref="IClientStore"/> registered for the app, the <see cref="ProtectedClientStore"/> that decrypts its secrets.
/// Its log names the route and ids only; no sender logs a secret or a message text.
/// </summary>
public sealed class RoutingChannelSender(
    IClientStore clients,
    WhatsAppCloudSender whatsApp,
    TwilioMessageSender twilio,
    SendGridEmailSender sendGrid,
    OutboxSink sink,
    ILogger<RoutingChannelSender> logger) : IChannelSender
{
    public async Task<string> SendAsync(OutboxItem item, CancellationToken ct)
    {
        var client = await clients.GetAsync(item.ClientId, ct);
        var config = client?.Config;
        var route = Route(item.Channel, config);
        logger.LogDebug("Outbox item {OutboxId} of client {ClientId} goes out through {Route}", item.Id, item.ClientId, route);
        return route switch
        {
            DeliveryRoute.WhatsAppCloudApi => await whatsApp.SendAsync(item, config!.WhatsApp!, ct),
            DeliveryRoute.Twilio => await twilio.SendAsync(item, config!.Twilio!, ct),
            DeliveryRoute.SendGrid => await sendGrid.SendAsync(item, config!.Email!, client!.Name, ct),
            _ => await sink.SendAsync(item, ct),
        };
    }

    /// <summary>Which vendor sends on <paramref name="channel"/> for a client with <paramref name="config"/>.</summary>
    public static DeliveryRoute Route(ChannelKind channel, ClientConfig? config) => channel switch
    {
        ChannelKind.WhatsApp when WhatsAppCloudSender.IsConfigured(config) => DeliveryRoute.WhatsAppCloudApi,
        ChannelKind.WhatsApp when TwilioMessageSender.CanSendWhatsApp(config) => DeliveryRoute.Twilio,
        ChannelKind.Sms when TwilioMessageSender.CanSendSms(config) => DeliveryRoute.Twilio,
        ChannelKind.Email when SendGridEmailSender.IsConfigured(config) => DeliveryRoute.SendGrid,
        _ => DeliveryRoute.EmbeddedOutbox,
    };
}

public enum DeliveryRoute
{
    /// <summary>Nothing leaves the machine (<see cref="OutboxSink"/>).</summary>
    EmbeddedOutbox,
    WhatsAppCloudApi,
    Twilio,
    SendGrid,
}
