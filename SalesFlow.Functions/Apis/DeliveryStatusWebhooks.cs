using System.Text.Json;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Channels.Parsing;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Observability;
using SalesFlow.Functions.Extensions;
using SalesFlow.Infrastructure.Signatures;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// The vendors' delivery reports for messages SalesFlow sent: Twilio's status callback and SendGrid's Event Webhook.
/// Like every webhook: the client must exist, the signature must verify over the raw bytes (401, nothing stored), the
/// body must parse (400 naming the field, nothing stored). Reports only move an item forwards, so a repeated report
/// changes nothing; SendGrid events are also deduplicated on <c>sg_event_id</c>.
/// </summary>
public static class DeliveryStatusWebhooks
{
    /// <summary>The query parameter of a status callback URL that names our outbox item (Twilio signs the whole URL).</summary>
    public const string OutboxIdParameter = "outboxId";

    /// <summary>The custom argument (custom_args) a SendGrid send carries and every event of it echoes.</summary>
    public const string SendGridOutboxIdArgument = "outbox_id";

    public static async Task<IResult> TwilioStatusAsync(string clientId, HttpContext http, IClientStore clients, IntakeService intake, IOptions<SalesFlowOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var client = await clients.GetAsync(clientId, ct);
        if (client is null)
        {
            return WebhooksApi.UnknownClient(http, clientId);
        }

        var (body, signed) = await WebhooksApi.ReadTwilioSignedAsync(http, client, options.Value, ct);
        if (!signed)
        {
            return WebhooksApi.BadSignature(http, "X-Twilio-Signature");
        }

        // The parser names a missing MessageSid; a request that is not a status report names MessageStatus.
        var batch = TwilioWebhookParser.ParseForm(body, clock);
        if (batch.Statuses is not [var update])
        {
            throw new WebhookFormatException("A status callback carries MessageStatus and no Body.", "MessageStatus");
        }

        var outboxId = http.Request.Query[OutboxIdParameter].ToString();
        var applied = await intake.ApplyStatusAsync(client, update with { OutboxId = outboxId.Length > 0 ? outboxId : null }, ct);
        CountReport("twilio", applied ? "applied" : "unmatched");
        return TypedResults.Ok(new { applied });
    }

    public static async Task<IResult> SendGridEventsAsync(string clientId, HttpContext http, IClientStore clients, IOutboxStore outbox, IDeliveryFeedbackStore feedback, TimeProvider clock, CancellationToken ct)
    {
        var client = await clients.GetAsync(clientId, ct);
        if (client is null)
        {
            return WebhooksApi.UnknownClient(http, clientId);
        }

        var body = await WebhooksApi.ReadBodyAsync(http, ct);
        if (!SendGridEventSignature.IsValid(
                client.Config?.Email?.EventWebhookPublicKey ?? "",
                http.Request.Headers[SendGridEventSignature.TimestampHeaderName].ToString(),
                body,
                http.Request.Headers[SendGridEventSignature.SignatureHeaderName]))
        {
            return WebhooksApi.BadSignature(http, SendGridEventSignature.SignatureHeaderName);
        }

        var events = SendGridEvent.ParseBatch(body);
        int applied = 0, duplicates = 0, unmatched = 0, suppressed = 0;
        foreach (var e in events)
        {
            if (await feedback.HasEventAsync(client.Id, e.EventId, ct))
            {
                duplicates++;
                CountReport("sendgrid", "duplicate");
                continue;
            }

            // Applied first, recorded after: a crash in between makes SendGrid redeliver, and applying again changes nothing.
            var now = clock.GetUtcNow();
            if (e.SuppressesAddress)
            {
                await feedback.SuppressEmailAsync(new EmailSuppression(client.Id, e.Email!, e.Describe(), now), ct);
                suppressed++;
            }

            var found = e.Status is not { } status || await ApplyAsync(outbox, client.Id, e, status, now, ct);
            applied += found ? 1 : 0;
            unmatched += found ? 0 : 1;
            CountReport("sendgrid", found ? "applied" : "unmatched");
            await feedback.TryRecordEventAsync(client.Id, e.EventId, now, ct);
        }

        return TypedResults.Ok(new { applied, duplicates, unmatched, suppressed });
    }

    private static Task<bool> ApplyAsync(IOutboxStore outbox, string clientId, SendGridEvent e, string status, DateTimeOffset now, CancellationToken ct)
    {
        var error = status == OutboxStatus.Failed ? e.Describe() : null;
        return e.OutboxId is { } outboxId
            ? outbox.ApplyStatusAsync(clientId, outboxId, e.XMessageId, status, error, now, ct)
            : e.XMessageId is { } messageId
                ? outbox.ApplyProviderStatusAsync(clientId, messageId, status, error, now, ct)
                : Task.FromResult(false);
    }

    private static void CountReport(string vendor, string outcome) =>
        SalesFlowMetrics.DeliveryStatusReports.Add(1, new KeyValuePair<string, object?>("vendor", vendor), new KeyValuePair<string, object?>("outcome", outcome));
}

/// <summary>One event of SendGrid's Event Webhook, as far as delivery state needs it.</summary>
/// <param name="XMessageId">The part of <c>sg_message_id</c> before the first '.': the X-Message-Id the send returned.</param>
/// <param name="OutboxId">The <c>outbox_id</c> custom argument, when the send carried it.</param>
public sealed record SendGridEvent(string EventId, string Event, string? Email, string? XMessageId, string? OutboxId, string? Reason)
{
    /// <summary>Events after which no further e-mail goes to the address.</summary>
    public bool SuppressesAddress => Event is "bounce" or "dropped" or "spamreport";

    /// <summary>What the event does to the item; null when nothing (deferred, click, unsubscribe, …).</summary>
    public string? Status => Event switch
    {
        "processed" => OutboxStatus.Sent,
        "delivered" => OutboxStatus.Delivered,
        "open" => OutboxStatus.Read,
        "bounce" or "dropped" or "spamreport" => OutboxStatus.Failed,
        _ => null,
    };

    public string Describe() => Reason is { Length: > 0 } reason ? $"sendgrid {Event}: {reason}" : $"sendgrid {Event}";

    /// <summary>The whole batch or nothing: a malformed event fails the request naming the field (e.g. <c>[2].sg_event_id</c>).</summary>
    public static IReadOnlyList<SendGridEvent> ParseBatch(ReadOnlySpan<byte> body)
    {
        JsonDocument doc;
        try
        {
            // SendGrid's own sample bodies may start with a byte-order mark, which the JSON reader refuses.
            doc = JsonDocument.Parse(body.StartsWith("\uFEFF"u8) ? body[3..].ToArray() : body.ToArray());
        }
        catch (JsonException e)
        {
            throw new WebhookFormatException($"The body is not JSON: {e.Message}", "body");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new WebhookFormatException("The body must be a JSON array of events.", "body");
            }

            var events = new List<SendGridEvent>();
            var i = 0;
            foreach (var element in doc.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    throw new WebhookFormatException($"Event {i} is not a JSON object.", $"[{i}]");
                }

                var kind = Text(element, "event", i) ?? throw new WebhookFormatException($"Event {i} has no 'event'.", $"[{i}].event");
                var id = Text(element, "sg_event_id", i) ?? throw new WebhookFormatException($"Event {i} has no 'sg_event_id'.", $"[{i}].sg_event_id");
                var email = Text(element, "email", i);
                var e = new SendGridEvent(
                    id,
                    kind,
                    email,
                    Text(element, "sg_message_id", i)?.Split('.')[0] is { Length: > 0 } x ? x : null,
                    Text(element, SendGridOutboxIdArgumentName, i),
                    Text(element, "reason", i) ?? Text(element, "response", i));
                if (e.SuppressesAddress && string.IsNullOrWhiteSpace(email))
                {
                    throw new WebhookFormatException($"Event {i} ({kind}) has no 'email' to suppress.", $"[{i}].email");
                }

                events.Add(e);
                i++;
            }

            return events;
        }
    }

    private const string SendGridOutboxIdArgumentName = DeliveryStatusWebhooks.SendGridOutboxIdArgument;

    private static string? Text(JsonElement element, string name, int index) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
            ? null
            : value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw new WebhookFormatException($"Event {index}: '{name}' must be a string.", $"[{index}].{name}");
}
