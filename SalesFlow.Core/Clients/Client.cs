namespace SalesFlow.Core.Clients;

/// <summary>A business using SalesFlow (the tenant) with its channel secrets.</summary>
/// <param name="ApiKeyHash">SHA-256 hex of the management API key; the key itself is never stored.</param>
/// <param name="DefaultCountryCode">Calling code used for national phone numbers ("49" turns 0170… into +49170…).</param>
public sealed record Client(
    string Id,
    string Name,
    string ApiKeyHash,
    ClientChannelSecrets Secrets,
    string DefaultCountryCode = "1",
    string TimeZone = "UTC");

/// <param name="WhatsAppAppSecret">Meta app secret: signs X-Hub-Signature-256.</param>
/// <param name="WhatsAppVerifyToken">Answers Meta's subscription challenge.</param>
/// <param name="TwilioAuthToken">Signs X-Twilio-Signature.</param>
/// <param name="EmailWebhookSecret">SendGrid Inbound Parse is unsigned: the parse URL carries this secret (Basic auth password or ?key=).</param>
public sealed record ClientChannelSecrets(
    string WhatsAppAppSecret,
    string WhatsAppVerifyToken,
    string TwilioAuthToken,
    string EmailWebhookSecret);

public interface IClientStore
{
    Task<Client?> GetAsync(string clientId, CancellationToken ct);

    Task<Client?> FindByApiKeyHashAsync(string apiKeyHash, CancellationToken ct);

    /// <summary>Creates the client; false when the id is taken.</summary>
    Task<bool> TryCreateAsync(Client client, CancellationToken ct);
}
