using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Infrastructure.Signatures;
using SalesFlow.Tests.Adapters;
using SalesFlow.Tests.Channels.Signatures;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// The vendors' delivery reports over HTTP on the real app (in-process Kestrel, SQLite in a temp folder): Twilio's status
/// callback signed with the demo client's auth token, SendGrid's Event Webhook signed by SendGrid itself (its published
/// vectors) or with a key made here.
/// </summary>
public sealed class DeliveryStatusWebhooksOverHttpTests : IAsyncLifetime
{
    private const string Demo = "demo";

    private InProcessApp _app = null!;

    public async Task InitializeAsync() => _app = await InProcessApp.StandaloneAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private IOutboxStore Outbox => _app.Services.GetRequiredService<IOutboxStore>();

    private async Task<OutboxItem> SeedAsync(string status, string? providerId, ChannelKind channel = ChannelKind.Sms, string recipient = "+15005550006")
    {
        var leads = _app.Services.GetRequiredService<ILeadStore>();
        var (lead, _) = await leads.GetOrCreateByIdentityAsync(Demo, IdentityKind.Phone, "+4917" + Random.Shared.Next(10000000, 99999999), () => StoreContractTests.NewLead(Demo), default);
        return (await Outbox.AddAsync(OutboxSeeds.Reply(Demo, lead.Id, status, providerId, channel, recipient), default)).Item;
    }

    private async Task<OutboxItem> StoredAsync(OutboxItem item) => (await Outbox.GetAsync(Demo, item.Id, default))!;

    /// <summary>The form Twilio posts to a StatusCallback (Messages resource), signed over the exact URL.</summary>
    private HttpRequestMessage TwilioStatus(string sid, string status, string? errorCode = null, string? outboxId = null, string? token = null)
    {
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = "AC00000000000000000000000000000000",
            ["ApiVersion"] = "2010-04-01",
            ["From"] = "+15005550006",
            ["To"] = "+491701234567",
            ["MessageSid"] = sid,
            ["SmsSid"] = sid,
            ["MessageStatus"] = status,
            ["SmsStatus"] = status,
        };
        if (errorCode is not null)
        {
            form["ErrorCode"] = errorCode;
        }

        var url = new Uri(_app.BaseUrl, $"/api/webhooks/twilio/{Demo}/status" + (outboxId is null ? "" : $"?outboxId={outboxId}")).ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", Webhooks.TwilioSignatureFor(token ?? SalesFlowAppProcess.TwilioAuthToken, url, form));
        return request;
    }

    [Fact]
    public async Task TwilioStatusCallbacksMoveASentSmsToDeliveredAndReadOnlyForwardsAndRepeatsChangeNothing()
    {
        var sid = "SM" + Guid.NewGuid().ToString("N");
        var item = await SeedAsync(OutboxStatus.Sent, sid);

        Assert.Equal(HttpStatusCode.OK, (await _app.Http.SendAsync(TwilioStatus(sid, "delivered"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.Http.SendAsync(TwilioStatus(sid, "delivered"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.Http.SendAsync(TwilioStatus(sid, "sent"))).StatusCode); // late and out of order
        Assert.Equal(OutboxStatus.Delivered, (await StoredAsync(item)).Status);

        await _app.Http.SendAsync(TwilioStatus(sid, "read"));
        Assert.Equal(OutboxStatus.Read, (await StoredAsync(item)).Status);
    }

    [Fact]
    public async Task AnUndeliveredTwilioStatusFailsTheMessageWithTwiliosErrorCode()
    {
        var sid = "SM" + Guid.NewGuid().ToString("N");
        var item = await SeedAsync(OutboxStatus.Sent, sid);

        var response = await _app.Http.SendAsync(TwilioStatus(sid, "undelivered", errorCode: "30003"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var failed = await StoredAsync(item);
        Assert.Equal(OutboxStatus.Failed, failed.Status);
        Assert.Contains("30003", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATwilioStatusCallbackNamingOurOutboxIdSettlesAnInDoubtMessageAndRecordsItsSid()
    {
        var sid = "SM" + Guid.NewGuid().ToString("N");
        var item = await SeedAsync(OutboxStatus.InDoubt, providerId: null);

        var response = await _app.Http.SendAsync(TwilioStatus(sid, "sent", outboxId: item.Id));

        Assert.True((await response.JsonAsync()).GetProperty("applied").GetBoolean());
        var settled = await StoredAsync(item);
        Assert.Equal((OutboxStatus.Sent, sid), (settled.Status, settled.ProviderMessageId));
    }

    [Fact]
    public async Task ATwilioStatusCallbackWithABadSignatureIs401AndOneWithoutMessageSidIs400NamingItAndNeitherChangesAnything()
    {
        var sid = "SM" + Guid.NewGuid().ToString("N");
        var item = await SeedAsync(OutboxStatus.Sent, sid);

        var forged = await _app.Http.SendAsync(TwilioStatus(sid, "failed", errorCode: "30007", token: "not-the-auth-token"));
        var url = new Uri(_app.BaseUrl, $"/api/webhooks/twilio/{Demo}/status").ToString();
        var noSid = new Dictionary<string, string> { ["AccountSid"] = "AC00000000000000000000000000000000", ["MessageStatus"] = "delivered" };
        var malformed = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(noSid) };
        malformed.Headers.Add("X-Twilio-Signature", Webhooks.TwilioSignatureFor(SalesFlowAppProcess.TwilioAuthToken, url, noSid));

        await ApiJson.AssertProblemAsync(forged, HttpStatusCode.Unauthorized, "X-Twilio-Signature");
        await ApiJson.AssertProblemAsync(await _app.Http.SendAsync(malformed), HttpStatusCode.BadRequest, "MessageSid");
        Assert.Equal(OutboxStatus.Sent, (await StoredAsync(item)).Status);
    }

    [Fact]
    public async Task AFailedMessageIsResentThroughTheQueueWhileASentOneIs409AndAnUnknownOne404()
    {
        var failed = await SeedAsync(OutboxStatus.Failed, null);
        var sent = await SeedAsync(OutboxStatus.Sent, "SM" + Guid.NewGuid().ToString("N"));

        var resent = await _app.Http.PostAsync($"/api/outbox/{failed.Id}/resend", null);
        var conflict = await _app.Http.PostAsync($"/api/outbox/{sent.Id}/resend", null);
        var missing = await _app.Http.PostAsync("/api/outbox/out_missing/resend", null);

        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        await ApiJson.AssertProblemAsync(conflict, HttpStatusCode.Conflict, "status");
        await ApiJson.AssertProblemAsync(missing, HttpStatusCode.NotFound, "outboxId");

        // The standalone queue runner delivers it through the embedded sender.
        var delivered = await Eventually.ReturnsAsync(() => StoredAsync(failed), i => i.Status == OutboxStatus.Sent, because: "the resent item is delivered");
        Assert.Equal(1, delivered.Attempts);
        Assert.NotNull(delivered.ProviderMessageId);
    }

    private static readonly JsonElement SendGridMultiEventVector = SignatureFixtures.Json("sendgrid", "sendgrid_event_webhook_vectors.json").GetProperty("vectors")
        .EnumerateArray().First(v => v.GetProperty("expected_valid").GetBoolean() && v.GetProperty("payload_file").GetString() == "payload_multi_event.bin");

    private async Task SetEventWebhookKeyAsync(string publicKeyBase64)
    {
        var patched = await _app.Http.PatchAsync(
            $"/api/clients/{Demo}/config",
            new StringContent(JsonSerializer.Serialize(new { email = new { eventWebhookPublicKey = publicKeyBase64 } }), Encoding.UTF8, Functions.Apis.ClientConfigApi.MergePatchContentType));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
    }

    private static HttpRequestMessage SendGridEvents(byte[] body, string timestamp, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/sendgrid/{Demo}/events") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(SendGridEventSignature.TimestampHeaderName, timestamp);
        request.Headers.Add(SendGridEventSignature.SignatureHeaderName, signature);
        return request;
    }

    [Fact]
    public async Task SendGridsPublishedBounceFailsTheMessageSuppressesTheAddressIsAppliedOnceAndStopsFurtherEmail()
    {
        // SendGrid's published multi-event vector: "processed" then "bounce" (552 over quota) of message qNwBLgPQQjW6DJvKQwSAbw to invalid@gmail.com.
        // Its own signature dates from 2021 and is refused as stale (WebhookSignatureMatrixTests), so the same bytes are signed now with a key made here.
        var body = SignatureFixtures.Bytes("sendgrid", SendGridMultiEventVector.GetProperty("payload_file").GetString()!);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await SetEventWebhookKeyAsync(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
        var item = await SeedAsync(OutboxStatus.Sent, "qNwBLgPQQjW6DJvKQwSAbw", ChannelKind.Email, "invalid@gmail.com");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(key.SignData([.. Encoding.UTF8.GetBytes(timestamp), .. body], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        HttpRequestMessage Signed() => SendGridEvents(body, timestamp, signature);

        var first = await (await _app.Http.SendAsync(Signed())).JsonAsync();
        var again = await (await _app.Http.SendAsync(Signed())).JsonAsync();

        Assert.Equal((2, 0, 1), (first.GetProperty("applied").GetInt32(), first.GetProperty("duplicates").GetInt32(), first.GetProperty("suppressed").GetInt32()));
        Assert.Equal((0, 2), (again.GetProperty("applied").GetInt32(), again.GetProperty("duplicates").GetInt32()));
        var failed = await StoredAsync(item);
        Assert.Equal(OutboxStatus.Failed, failed.Status);
        Assert.Contains("552 5.2.2", failed.Error, StringComparison.Ordinal);
        var suppression = await _app.Services.GetRequiredService<IDeliveryFeedbackStore>().FindEmailSuppressionAsync(Demo, "invalid@gmail.com", default);
        Assert.StartsWith("sendgrid bounce: 552 5.2.2", suppression!.Reason, StringComparison.Ordinal);

        // The next e-mail to that address is not sent, and says why.
        var next = await SeedAsync(OutboxStatus.Pending, null, ChannelKind.Email, "Invalid@Gmail.com");
        await _app.Services.GetRequiredService<DeliveryService>().DeliverAsync(Demo, next.Id, default);
        var suppressed = await StoredAsync(next);
        Assert.Equal(OutboxStatus.Suppressed, suppressed.Status);
        Assert.Contains("suppression list", suppressed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendGridEventsNamingOurOutboxIdMoveTheMessageToReadAndABadSignatureOrAMalformedBatchChangesNothing()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await SetEventWebhookKeyAsync(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
        var item = await SeedAsync(OutboxStatus.Sending, null, ChannelKind.Email, "lead@example.com");
        var messageId = "Xm" + Guid.NewGuid().ToString("N")[..20];
        string Event(string kind, string eventId) =>
            $$"""{"email":"lead@example.com","event":"{{kind}}","sg_event_id":"{{eventId}}","sg_message_id":"{{messageId}}.filterdrecv-1","outbox_id":"{{item.Id}}","timestamp":1700000000}""";
        var events = new[] { Event("processed", "ev-1"), Event("delivered", "ev-2"), Event("open", "ev-3") };
        var body = Encoding.UTF8.GetBytes("[" + string.Join(",\r\n", events) + "]\r\n");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string Sign(byte[] b) => Convert.ToBase64String(key.SignData([.. Encoding.UTF8.GetBytes(timestamp), .. b], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        var malformedBody = Encoding.UTF8.GetBytes("[" + events[0] + ",\r\n{\"event\":\"delivered\",\"email\":\"lead@example.com\"}]\r\n");
        await ApiJson.AssertProblemAsync(await _app.Http.SendAsync(SendGridEvents(malformedBody, timestamp, Sign(malformedBody))), HttpStatusCode.BadRequest, "[1].sg_event_id");
        await ApiJson.AssertProblemAsync(await _app.Http.SendAsync(SendGridEvents(body, timestamp, Sign(malformedBody))), HttpStatusCode.Unauthorized, SendGridEventSignature.SignatureHeaderName);
        Assert.Equal(OutboxStatus.Sending, (await StoredAsync(item)).Status);

        var applied = await (await _app.Http.SendAsync(SendGridEvents(body, timestamp, Sign(body)))).JsonAsync();

        Assert.Equal(3, applied.GetProperty("applied").GetInt32());
        var read = await StoredAsync(item);
        Assert.Equal((OutboxStatus.Read, messageId), (read.Status, read.ProviderMessageId));
        Assert.Null(await _app.Services.GetRequiredService<IDeliveryFeedbackStore>().FindEmailSuppressionAsync(Demo, "lead@example.com", default));
    }
}

/// <summary>A WhatsApp status that echoes our outbox id (biz_opaque_callback_data) settles an item whose send was never recorded.</summary>
public sealed class WhatsAppStatusCorrelationOverHttpTests : IAsyncLifetime
{
    private InProcessApp _app = null!;

    public async Task InitializeAsync() => _app = await InProcessApp.StandaloneAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AWhatsAppStatusEchoingOurOutboxIdSettlesAnInDoubtMessageAndRecordsItsWamid()
    {
        var outbox = _app.Services.GetRequiredService<IOutboxStore>();
        var (lead, _) = await _app.Services.GetRequiredService<ILeadStore>().GetOrCreateByIdentityAsync("demo", IdentityKind.Phone, "+491705550123", () => StoreContractTests.NewLead("demo"), default);
        var id = Ids.New("out");
        await outbox.AddAsync(new OutboxItem
        {
            Id = id, ClientId = "demo", LeadId = lead.Id, ConversationId = "conv_1", Channel = ChannelKind.WhatsApp, Recipient = "+491705550123",
            Text = "Hi", IdempotencyKey = "key-" + id, Status = OutboxStatus.InDoubt, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
        }, default);
        var wamid = "wamid." + Guid.NewGuid().ToString("N");
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            @object = "whatsapp_business_account",
            entry = new[]
            {
                new
                {
                    id = "102290129340398",
                    changes = new[]
                    {
                        new
                        {
                            field = "messages",
                            value = new
                            {
                                messaging_product = "whatsapp",
                                metadata = new { display_phone_number = "15550783881", phone_number_id = "106540352242922" },
                                statuses = new[] { new { id = wamid, status = "delivered", timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), recipient_id = "491705550123", biz_opaque_callback_data = id } },
                            },
                        },
                    },
                },
            },
        }));

        var response = await _app.Http.SendAsync(Webhooks.SignedWhatsApp("demo", body, SalesFlowAppProcess.WhatsAppAppSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var settled = (await outbox.GetAsync("demo", id, default))!;
        Assert.Equal((OutboxStatus.Delivered, wamid), (settled.Status, settled.ProviderMessageId));
    }
}
