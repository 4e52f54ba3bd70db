namespace SalesFlow.Functions.Apis;

/// <summary>POST /api/admin/clients: the new client's API key and webhook secrets, shown this once.</summary>
public sealed record CreatedClientDto(string Id, string Name, string ApiKey, WhatsAppWebhookDto WhatsApp, TwilioWebhookDto Twilio, EmailWebhookDto Email);

/// <param name="Webhook">The path to give Meta as the callback URL.</param>
public sealed record WhatsAppWebhookDto(string Webhook, string AppSecret, string VerifyToken);

public sealed record TwilioWebhookDto(string Webhook, string AuthToken);

/// <param name="Webhook">The inbound-parse path, its secret in the query.</param>
public sealed record EmailWebhookDto(string Webhook);

/// <summary>POST /api/admin/clients/{clientId}/keys/rotate: the new key, shown this once, and until when the old one works.</summary>
public sealed record RotatedKeyDto(string Id, string ApiKey, DateTimeOffset PreviousKeyValidUntil);
