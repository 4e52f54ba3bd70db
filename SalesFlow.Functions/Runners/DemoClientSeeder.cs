using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Clients;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Runners;

/// <summary>
/// Creates the demo client on first start and prints, once, how to reach it. Secrets go to the
/// console only this one time and never to the logs.
/// </summary>
public sealed class DemoClientSeeder(IClientStore clients, IOptions<DemoClientOptions> options, IConfiguration configuration) : IHostedService
{
    public const string DemoClientId = "demo";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled || await clients.GetAsync(DemoClientId, cancellationToken) is not null)
        {
            return;
        }

        // An empty setting counts as unset: an empty secret would guard nothing.
        static string Given(string? value, Func<string> otherwise) => string.IsNullOrEmpty(value) ? otherwise() : value;
        var apiKey = Given(o.ApiKey, () => "sf_" + Secret());
        var secrets = new ClientChannelSecrets(
            Given(o.WhatsAppAppSecret, Secret),
            Given(o.WhatsAppVerifyToken, Secret),
            Given(o.TwilioAuthToken, Secret),
            Given(o.EmailWebhookSecret, Secret));
        var created = await clients.TryCreateAsync(new Client(DemoClientId, "SalesFlow Demo", ClientAuthenticator.HashKey(apiKey), secrets, "49", "Europe/Berlin"), cancellationToken);
        if (!created)
        {
            return;
        }

        var baseUrl = (configuration["SalesFlow:PublicBaseUrl"] ?? configuration["urls"]?.Split(';')[0] ?? "http://localhost:7071").TrimEnd('/');
        Console.Out.WriteLine($"""

            ── SalesFlow: demo client created (shown once) ─────────────────────────────
              client id            {DemoClientId}
              API key              {apiKey}
                                   curl -H "Authorization: Bearer {apiKey}" {baseUrl}/api/outbox
              WhatsApp webhook     {baseUrl}/api/webhooks/whatsapp/{DemoClientId}
                app secret         {secrets.WhatsAppAppSecret}
                verify token       {secrets.WhatsAppVerifyToken}
              Twilio webhook       {baseUrl}/api/webhooks/twilio/{DemoClientId}
                auth token         {secrets.TwilioAuthToken}
              E-mail (Inbound Parse) {baseUrl}/api/webhooks/email/{DemoClientId}?key={secrets.EmailWebhookSecret}
            ─────────────────────────────────────────────────────────────────────────────

            """);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Secret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
