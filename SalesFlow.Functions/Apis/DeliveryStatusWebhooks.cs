using Microsoft.AspNetCore.Mvc;
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
/// body must parse (400 naming the field, nothing stored). SendGrid signs a timestamp too: one more than five minutes
/// from now is a replay (or a clock far off) and is refused like a bad signature, naming the timestamp. Reports only move an item forwards, so a repeated report
/// changes nothing; SendGrid events are also deduplicated on <c>sg_event_id</c>.
/// </summary>
public static class DeliveryStatusWebhooks
{
    /// <summary>The query parameter of a status callback URL that names our outbox item (Twilio signs the whole URL).</summary>
    public const string OutboxIdParameter = "outboxId";

    // The responses are declared here: WebhooksApi maps these handlers, and minimal APIs read the handler's attributes.
    [ProducesResponseType<TwilioStatusResultDto>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
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
        return TypedResults.Ok(new TwilioStatusResultDto(applied));
    }

    [ProducesResponseType<SendGridEventsResultDto>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
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

        if (!SendGridEventSignature.IsFresh(http.Request.Headers[SendGridEventSignature.TimestampHeaderName], clock))
        {
            return WebhooksApi.StaleSignature(http, SendGridEventSignature.TimestampHeaderName, SendGridEventSignature.MaxTimestampSkew);
        }

        var events = SendGridEvent.ParseBatch(body);
        int applied = 0, duplicates = 0, unmatched = 0, ignored = 0, suppressed = 0;
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
            }

            // An event that changes no status (deferred, click, unsubscribe, …) is only recorded.
            var outcome = e.Status is not { } status ? "ignored" : await ApplyAsync(outbox, client.Id, e, status, now, ct) ? "applied" : "unmatched";

            // A copy of this delivery running at the same moment applied it too (to the same effect): the one that records it counts it.
            if (!await feedback.TryRecordEventAsync(client.Id, e.EventId, now, ct))
            {
                duplicates++;
                CountReport("sendgrid", "duplicate");
                continue;
            }

            suppressed += e.SuppressesAddress ? 1 : 0;
            applied += outcome == "applied" ? 1 : 0;
            unmatched += outcome == "unmatched" ? 1 : 0;
            ignored += outcome == "ignored" ? 1 : 0;
            CountReport("sendgrid", outcome);
        }

        return TypedResults.Ok(new SendGridEventsResultDto(applied, duplicates, unmatched, ignored, suppressed));
    }

    /// <summary>By our id first (custom_args outbox_id: it also finds an item whose send was never recorded), then by SendGrid's.</summary>
    private static async Task<bool> ApplyAsync(IOutboxStore outbox, string clientId, SendGridEvent e, string status, DateTimeOffset now, CancellationToken ct)
    {
        var error = status == OutboxStatus.Failed ? e.Describe() : null;
        return (e.OutboxId is { } outboxId && await outbox.ApplyStatusAsync(clientId, outboxId, e.XMessageId, status, error, now, ct))
            || (e.XMessageId is { } messageId && await outbox.ApplyProviderStatusAsync(clientId, messageId, status, error, now, ct));
    }

    private static void CountReport(string vendor, string outcome) =>
        SalesFlowMetrics.DeliveryStatusReports.Add(1, new KeyValuePair<string, object?>("vendor", vendor), new KeyValuePair<string, object?>("outcome", outcome));
}
