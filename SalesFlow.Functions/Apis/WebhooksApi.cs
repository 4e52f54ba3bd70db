using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Channels.Parsing;
using SalesFlow.Infrastructure.Signatures;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Observability;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// Provider webhooks. Each one: the client must exist (read through <see cref="CachingClientStore.GetRecentAsync"/>: a
/// secret changed through the config API counts on the next webhook), the signature must verify over the raw
/// bytes (401 and nothing stored otherwise), the body must parse (400), then every message is
/// stored and queued before the provider gets its 200.
/// </summary>
public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        // Each answers 404 for an unknown client and 401 for a signature (or secret) that does not verify. The delivery
        // status webhooks declare their responses on their handlers (DeliveryStatusWebhooks).
        var hooks = app.MapGroup("/api/webhooks").WithTags("Webhooks");
        hooks.MapGet("/whatsapp/{clientId}", VerifyWhatsAppAsync).WithName("WhatsAppVerify").WithSummary("Meta's subscription challenge: answers hub.challenge as text/plain.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        hooks.MapPost("/whatsapp/{clientId}", WhatsAppAsync).WithName("WhatsAppWebhook").WithSummary("WhatsApp Cloud API deliveries (X-Hub-Signature-256).")
            .Produces<WebhookAcceptedDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        hooks.MapPost("/twilio/{clientId}", TwilioAsync).WithName("TwilioWebhook").WithSummary("Twilio SMS and WhatsApp (X-Twilio-Signature): answers empty TwiML (text/xml); the reply goes out through Twilio's REST API.")
            .Produces<string>(StatusCodes.Status200OK, "text/xml").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        hooks.MapPost("/email/{clientId}", EmailAsync).WithName("EmailWebhook").WithSummary("SendGrid Inbound Parse (secret in the URL).")
            .Produces<WebhookAcceptedDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        hooks.MapPost("/twilio/{clientId}/status", DeliveryStatusWebhooks.TwilioStatusAsync).WithName("TwilioStatusCallback")
            .WithSummary("Twilio message status callback (X-Twilio-Signature): queued/sent → sent, delivered, read, undelivered/failed → failed with ErrorCode. ?outboxId= in the callback URL names the item.");
        hooks.MapPost("/sendgrid/{clientId}/events", DeliveryStatusWebhooks.SendGridEventsAsync).WithName("SendGridEventWebhook")
            .WithSummary("SendGrid Event Webhook (ECDSA signed): processed/delivered/open move the item on; bounce, dropped, spamreport fail it and suppress the address. Deduplicated on sg_event_id.");
        return app;
    }

    private static async Task<IResult> VerifyWhatsAppAsync(string clientId, HttpContext http, CachingClientStore clients, CancellationToken ct)
    {
        var client = await clients.GetRecentAsync(clientId, ct);
        if (client is null)
        {
            return UnknownClient(http, clientId);
        }

        var query = http.Request.Query;
        if (query["hub.mode"] != "subscribe" || !ClientAuthenticator.FixedTimeEquals(client.WebhookSecrets().WhatsAppVerifyToken, query["hub.verify_token"]))
        {
            return ErrorHandling.Problem(http, StatusCodes.Status403Forbidden, "hub.verify_token does not match.", "hub.verify_token");
        }

        return TypedResults.Text(query["hub.challenge"].ToString(), "text/plain");
    }

    private static async Task<IResult> WhatsAppAsync(string clientId, HttpContext http, CachingClientStore clients, IWebhookIntake intake, CancellationToken ct)
    {
        var client = await clients.GetRecentAsync(clientId, ct);
        if (client is null)
        {
            return UnknownClient(http, clientId);
        }

        var body = await ReadBodyAsync(http, ct);
        if (!MetaSignature.IsValid(client.WebhookSecrets().WhatsAppAppSecret, body, http.Request.Headers["X-Hub-Signature-256"]))
        {
            return BadSignature(http, "X-Hub-Signature-256");
        }

        return await AcceptAsync(http, client, WhatsAppWebhookParser.Parse(body), intake, ct);
    }

    private static async Task<IResult> TwilioAsync(string clientId, HttpContext http, CachingClientStore clients, IWebhookIntake intake, IOptions<SalesFlowOptions> options, CancellationToken ct)
    {
        var client = await clients.GetRecentAsync(clientId, ct);
        if (client is null)
        {
            return UnknownClient(http, clientId);
        }

        var (body, signed) = await ReadTwilioSignedAsync(http, client, options.Value, ct);
        if (!signed)
        {
            return BadSignature(http, "X-Twilio-Signature");
        }

        // A repeated field is signed like a single one (Twilio's own check drops duplicate pairs), so taking all values
        // ("SM1,SM1") would turn a replayed request into a new message id; Twilio never repeats a field, the first counts.
        // The fields are read again strictly: the lenient reading above keeps an escape that is not UTF-8 as text.
        await AcceptAsync(http, client, TwilioWebhookParser.ParseForm(body, TimeProvider.System), intake, ct);

        // Empty TwiML: the reply goes out through the REST API once the turn has run.
        return TypedResults.Text("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>", "text/xml");
    }

    private static async Task<IResult> EmailAsync(string clientId, HttpContext http, CachingClientStore clients, IWebhookIntake intake, CancellationToken ct)
    {
        var client = await clients.GetRecentAsync(clientId, ct);
        if (client is null)
        {
            return UnknownClient(http, clientId);
        }

        // Inbound Parse is unsigned; the URL configured in SendGrid carries the client's secret
        // as ?key= or as the password of https://user:secret@host/… (Basic auth).
        if (!ClientAuthenticator.FixedTimeEquals(client.WebhookSecrets().EmailWebhookSecret, EmailSecret(http)))
        {
            return BadSignature(http, "key");
        }

        var body = await ReadBodyAsync(http, ct);
        var message = await SendGridInboundParser.ParseAsync(new MemoryStream(body), http.Request.ContentType ?? "", ct);
        return await AcceptAsync(http, client, new WebhookBatch([message], []), intake, ct);
    }

    private static async Task<IResult> AcceptAsync(HttpContext http, Client client, WebhookBatch batch, IWebhookIntake intake, CancellationToken ct)
    {
        var skipped = 0;
        foreach (var field in batch.Unreadable)
        {
            // Which field and whose id, never the content: the bytes are whatever the sender put there.
            skipped += field.Skipped ? 1 : 0;
            Log(http).LogWarning(
                "Webhook {Path} for client {ClientId}: {Field} of {ProviderMessageId} is not valid UTF-8 text; {Outcome}",
                http.Request.Path.Value,
                client.Id,
                field.Field,
                field.Id ?? "(no readable id)",
                field.Skipped ? "skipped" : "left out");
        }

        var result = await intake.AcceptAsync(client, batch, http.Response.Headers[ObservabilityExtensions.CorrelationHeader].ToString(), ct);
        var accepted = 0;
        var duplicates = 0;
        for (var i = 0; i < batch.Messages.Count; i++)
        {
            var channel = new KeyValuePair<string, object?>("channel", batch.Messages[i].Channel.ToWire());
            if (result.Duplicates[i])
            {
                duplicates++;
                SalesFlowMetrics.DuplicateDeliveries.Add(1, channel);
            }
            else
            {
                accepted++;
                SalesFlowMetrics.InboundMessages.Add(1, channel);
            }
        }

        return TypedResults.Ok(new WebhookAcceptedDto(accepted, duplicates, result.StatusesApplied, skipped));
    }

    /// <summary>
    /// A Twilio request's raw form body and whether X-Twilio-Signature verifies with the client's auth token over the URL
    /// Twilio called and the form fields: inbound messages and status callbacks alike.
    /// </summary>
    internal static async Task<(byte[] Body, bool Signed)> ReadTwilioSignedAsync(HttpContext http, Client client, SalesFlowOptions options, CancellationToken ct)
    {
        var body = await ReadBodyAsync(http, ct);
        var fields = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        var pairs = fields.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? "")));
        return (body, TwilioSignature.IsValid(client.WebhookSecrets().TwilioAuthToken, PublicUrl(http, options), pairs, http.Request.Headers["X-Twilio-Signature"]));
    }

    private static ILogger Log(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("SalesFlow.Webhooks");

    /// <summary>The raw bytes, buffered within the request size limit: signatures are over exactly these.</summary>
    internal static async Task<byte[]> ReadBodyAsync(HttpContext http, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    /// <summary>Twilio signs the URL it called: the configured public base URL when behind a proxy, else the request's own.</summary>
    internal static string PublicUrl(HttpContext http, SalesFlowOptions options) =>
        options.PublicBaseUrl is { Length: > 0 } baseUrl
            ? baseUrl.TrimEnd('/') + http.Request.PathBase + http.Request.Path + http.Request.QueryString
            : http.Request.GetEncodedUrl();

    private static string? EmailSecret(HttpContext http)
    {
        if (http.Request.Query["key"] is { Count: > 0 } key)
        {
            return key.ToString();
        }

        if (AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var auth) && auth.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && auth.Parameter is not null)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Parameter));
                return decoded[(decoded.IndexOf(':', StringComparison.Ordinal) + 1)..];
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    internal static IResult UnknownClient(HttpContext http, string clientId) =>
        ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"No client '{clientId}'.", "clientId");

    internal static IResult BadSignature(HttpContext http, string header)
    {
        SalesFlowMetrics.RejectedWebhooks.Add(1);
        return ErrorHandling.Problem(http, StatusCodes.Status401Unauthorized, $"{header} does not verify.", header);
    }

    /// <summary>401 for a delivery whose signature verifies but whose signed timestamp is too far from now.</summary>
    internal static IResult StaleSignature(HttpContext http, string header, TimeSpan window)
    {
        SalesFlowMetrics.RejectedWebhooks.Add(1);
        return ErrorHandling.Problem(http, StatusCodes.Status401Unauthorized, $"{header} is more than {window.TotalMinutes:0} minutes from now: a replayed or delayed delivery is refused.", header);
    }
}
