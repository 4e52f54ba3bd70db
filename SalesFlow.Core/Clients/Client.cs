namespace SalesFlow.Core.Clients;

/// <summary>A business using SalesFlow (the tenant) with its channel secrets.</summary>
/// <param name="ApiKeyHash">SHA-256 hex of the management API key; the key itself is never stored.</param>
/// <param name="DefaultCountryCode">Calling code used for national phone numbers ("49" turns 0170… into +49170…).</param>
/// <param name="Config">What the client set through the config API (channels, cadence, quiet hours); null until then.</param>
/// <param name="PreviousApiKeyHash">After a key rotation: the old key's hash, valid until <paramref name="PreviousApiKeyExpiresAt"/>.</param>
/// <param name="ETag">Store version for guarded updates; never part of the stored data.</param>
public sealed record Client(
    string Id,
    string Name,
    string ApiKeyHash,
    ClientChannelSecrets Secrets,
    string DefaultCountryCode = "1",
    string TimeZone = "UTC",
    ClientConfig? Config = null,
    string? PreviousApiKeyHash = null,
    DateTimeOffset? PreviousApiKeyExpiresAt = null,
    string? ETag = null)
{
    /// <summary>
    /// The one place a client's webhook secrets are read: a value set through the config API (the
    /// vendor's real secret) wins over the one generated at onboarding.
    /// </summary>
    public ClientChannelSecrets WebhookSecrets() => new(
        Config?.WhatsApp?.AppSecret ?? Secrets.WhatsAppAppSecret,
        Config?.WhatsApp?.VerifyToken ?? Secrets.WhatsAppVerifyToken,
        Config?.Twilio?.AuthToken ?? Secrets.TwilioAuthToken,
        Config?.Email?.WebhookSecret ?? Secrets.EmailWebhookSecret);

    /// <summary>True when <paramref name="apiKeyHash"/> is the current key, or the previous one within its grace period.</summary>
    public bool AcceptsApiKeyHash(string apiKeyHash, DateTimeOffset now) =>
        apiKeyHash == ApiKeyHash || (apiKeyHash == PreviousApiKeyHash && now < PreviousApiKeyExpiresAt);

    /// <summary>Every secret (onboarding and configured) passed through <paramref name="map"/>: how stores encrypt and decrypt.</summary>
    public Client MapSecrets(Func<string, string> map) => this with
    {
        Secrets = new ClientChannelSecrets(map(Secrets.WhatsAppAppSecret), map(Secrets.WhatsAppVerifyToken), map(Secrets.TwilioAuthToken), map(Secrets.EmailWebhookSecret)),
        Config = Config?.MapSecrets(map),
    };
}

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

    /// <summary>
    /// Replaces the client if it is still at <c>client.ETag</c> (config, key rotation); returns it with its new ETag.
    /// A lost race is a <see cref="Common.ConcurrencyException"/>. A new <c>ApiKeyHash</c> is claimed (unique) here too.
    /// </summary>
    Task<Client> ReplaceAsync(Client client, CancellationToken ct);
}

/// <summary>
/// Encrypts secrets at rest (embedded: ASP.NET Core Data Protection with its key ring in the data
/// folder; a Key Vault adapter can take its place). Protected values are opaque text.
/// </summary>
public interface ISecretProtector
{
    string Protect(string secret);

    string Unprotect(string protectedSecret);
}

/// <summary>How both stores encrypt a client's secrets on the way in and decrypt them on the way out.</summary>
public static class ClientSecretProtection
{
    /// <summary>Marks an encrypted value, so rows written before encryption (plain text) still read.</summary>
    private const string Prefix = "enc1:";

    public static Client Protect(this ISecretProtector protector, Client client) =>
        client.MapSecrets(secret => secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret : Prefix + protector.Protect(secret));

    public static Client Unprotect(this ISecretProtector protector, Client client) =>
        client.MapSecrets(secret => secret.StartsWith(Prefix, StringComparison.Ordinal) ? protector.Unprotect(secret[Prefix.Length..]) : secret);
}
