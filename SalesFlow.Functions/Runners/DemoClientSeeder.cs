using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Knowledge;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Runners;

/// <summary>
/// Creates the demo client on first start and prints, once, how to reach it. Secrets go to the
/// console only this one time and never to the logs. The demo client sells SalesFlow itself and gets a knowledge base
/// about it (<c>Demo/demo-knowledge.csv</c>, English and German FAQs), so a first try answers product questions from
/// knowledge as a client's own base would ("does it integrate with Salesforce?" was "I'm checking with the team").
/// </summary>
public sealed class DemoClientSeeder(IClientStore clients, KnowledgeService knowledge, IOptions<DemoClientOptions> options, IConfiguration configuration, ILogger<DemoClientSeeder> logger) : IHostedService
{
    public const string DemoClientId = "demo";

    /// <summary>The demo knowledge base's FAQs (id, question, answer), shipped beside the app.</summary>
    public static string KnowledgeFile => Path.Combine(AppContext.BaseDirectory, "Demo", "demo-knowledge.csv");

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

        if (o.Knowledge)
        {
            await AddKnowledgeAsync(cancellationToken);
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

    /// <summary>
    /// Indexes the demo FAQs with the configured embeddings. A failure (an embeddings endpoint that refuses the key) must
    /// not stop the app: the demo client then answers without knowledge, and the log says how to import the file later.
    /// </summary>
    private async Task AddKnowledgeAsync(CancellationToken ct)
    {
        try
        {
            var demoBase = await knowledge.CreateBaseAsync(DemoClientId, "SalesFlow", "What the demo client sells: SalesFlow itself (FAQs in English and German).", ct);
            await knowledge.ImportFaqsAsync(DemoClientId, demoBase.Id, FaqCsv.Parse(await File.ReadAllTextAsync(KnowledgeFile, ct)), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The demo client's knowledge base could not be indexed; it answers without it. Import {File} with POST /api/knowledge/bases/{{id}}/faqs/bulk once the embeddings work", KnowledgeFile);
        }
    }

    private static string Secret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
