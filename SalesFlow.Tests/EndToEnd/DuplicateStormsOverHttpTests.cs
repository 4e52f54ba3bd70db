using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Crm;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Meetings;
using SalesFlow.Infrastructure.Signatures;
using SalesFlow.Tests.Adapters;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// Issue 16's duplicate storms: the same signed delivery 50 times at once on each webhook that takes a vendor's
/// deliveries (inbound messages and delivery reports), on the real app (in-process Kestrel, SQLite): every copy is
/// answered 2xx (the vendor stops retrying) and the storm has one effect. The route table names the webhooks, so a new
/// one without a storm fails <see cref="EveryVendorWebhookRouteHasAStorm"/>.
/// </summary>
public sealed class DuplicateStormsOverHttpTests : IAsyncLifetime
{
    private const int Copies = 50;
    private const string Demo = "demo";

    /// <summary>The storms below, by the route they hit.</summary>
    private static readonly Dictionary<string, string> Storms = new(StringComparer.Ordinal)
    {
        ["api/webhooks/whatsapp/{clientId}"] = nameof(FiftyCopiesOfAWhatsAppMessageStoreOneMessageAndOneReply),
        ["api/webhooks/twilio/{clientId}"] = nameof(FiftyCopiesOfATwilioSmsStoreOneMessageAndOneReply),
        ["api/webhooks/email/{clientId}"] = nameof(FiftyCopiesOfAnInboundEmailStoreOneMessageAndOneReply),
        ["api/webhooks/twilio/{clientId}/status"] = nameof(FiftyCopiesOfATwilioStatusCallbackSettleTheMessageOnce),
        ["api/webhooks/sendgrid/{clientId}/events"] = nameof(FiftyCopiesOfASendGridEventBatchApplyEachEventOnce),
        ["api/webhooks/calcom/{clientId}"] = nameof(FiftyCopiesOfACalComBookingCancellationCancelTheMeetingOnce),
        ["api/webhooks/hubspot/{clientId}"] = nameof(FiftyCopiesOfAHubSpotDealEventSetTheOutcomeOnce),
    };

    /// <summary>As behind a proxy: Twilio and HubSpot sign the public URL they called.</summary>
    private const string PublicBaseUrl = "https://salesflow.example.com";

    private const string HubSpotClientSecret = "hubspot-app-client-secret-storm";
    private const string CalComSecret = "whsec_calcom_storm_5a5a5a5a";

    private InProcessApp _app = null!;

    public async Task InitializeAsync() => _app = await InProcessApp.StandaloneAsync(new()
    {
        ["SalesFlow:PublicBaseUrl"] = PublicBaseUrl,
        ["HubSpot:ApiBaseUrl"] = "http://127.0.0.1:9", // no HubSpot here: a sync the outcome queues fails fast and is only retried
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private IOutboxStore Outbox => _app.Services.GetRequiredService<IOutboxStore>();

    /// <summary>Sends <see cref="Copies"/> copies at once; each request is built anew (a request and its content are sent once).</summary>
    private async Task<HttpResponseMessage[]> StormAsync(Func<HttpRequestMessage> copy)
    {
        var requests = Enumerable.Range(0, Copies).Select(_ => copy()).ToArray();
        var responses = await Task.WhenAll(requests.Select(r => _app.Http.SendAsync(r)));
        foreach (var response in responses)
        {
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return responses;
    }

    private static HttpRequestMessage SignedTwilio(string pathAndQuery, Dictionary<string, string> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", Webhooks.TwilioSignatureFor(SalesFlowAppProcess.TwilioAuthToken, PublicBaseUrl + pathAndQuery, form));
        return request;
    }

    private async Task<string> NewLeadAsync()
    {
        var (lead, _) = await _app.Services.GetRequiredService<ILeadStore>().GetOrCreateByIdentityAsync(Demo, IdentityKind.Phone, "+4917" + Random.Shared.Next(10000000, 99999999), () => StoreContractTests.NewLead(Demo), default);
        return lead.Id;
    }

    private static async Task<int> SumAsync(HttpResponseMessage[] responses, string property)
    {
        var sum = 0;
        foreach (var response in responses)
        {
            sum += (await response.JsonAsync()).GetProperty(property).GetInt32();
        }

        return sum;
    }

    /// <summary>One inbound message and one reply for the recipient, also a moment later (a second turn would have run by then).</summary>
    private async Task AssertOneMessageAndOneReplyAsync(string recipient)
    {
        var replies = await Eventually.ReturnsAsync(async () => (await _app.Http.OutboxAsync()).Where(i => i.Str("recipient") == recipient).ToArray(), i => i.Length >= 1, because: "the reply is written");
        await Task.Delay(1500);
        Assert.Single(await _app.Http.OutboxAsync(replies[0].Str("leadId")));
        var conversation = await _app.Http.GetJsonAsync($"/api/conversations/{replies[0].Str("conversationId")}");
        Assert.Single(conversation.GetProperty("messages").EnumerateArray(), m => m.Str("direction") == "inbound");
    }

    private async Task<OutboxItem> SeedAsync(string status, string? providerId, ChannelKind channel, string recipient)
    {
        var leadId = await NewLeadAsync();
        return (await Outbox.AddAsync(OutboxSeeds.Reply(Demo, leadId, status, providerId, channel, recipient), default)).Item;
    }

    private async Task PatchConfigAsync(object config)
    {
        using var patched = await _app.Http.PatchAsync($"/api/clients/{Demo}/config", new StringContent(JsonSerializer.Serialize(config), Encoding.UTF8, "application/merge-patch+json"));
        Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync());
    }

    [Fact]
    public void EveryVendorWebhookRouteHasAStorm()
    {
        var routes = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Select(e => e.RoutePattern.RawText!.TrimStart('/'))
            .Where(r => r.StartsWith("api/webhooks/", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(routes);
        Assert.Empty(routes.Except(Storms.Keys));
        Assert.Empty(Storms.Keys.Except(routes));
        Assert.All(Storms.Values, test => Assert.NotNull(typeof(DuplicateStormsOverHttpTests).GetMethod(test)));
    }

    [Fact]
    public async Task FiftyCopiesOfAWhatsAppMessageStoreOneMessageAndOneReply()
    {
        var waId = "4917" + Random.Shared.Next(10_000_000, 99_999_999);
        var body = Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), "Hi, what does your CRM cost?");

        var responses = await StormAsync(() => Webhooks.SignedWhatsApp(Demo, body, SalesFlowAppProcess.WhatsAppAppSecret));

        Assert.Equal((1, Copies - 1), (await SumAsync(responses, "accepted"), await SumAsync(responses, "duplicates")));
        await AssertOneMessageAndOneReplyAsync("+" + waId);
    }

    [Fact]
    public async Task FiftyCopiesOfATwilioSmsStoreOneMessageAndOneReply()
    {
        var from = "+1415" + Random.Shared.Next(2_000_000, 9_999_999);
        var form = Webhooks.TwilioSms(from, "SM" + Guid.NewGuid().ToString("N"), "Do you ship to Canada?");

        await StormAsync(() => SignedTwilio($"/api/webhooks/twilio/{Demo}", form));

        await AssertOneMessageAndOneReplyAsync(from);
    }

    [Fact]
    public async Task FiftyCopiesOfAnInboundEmailStoreOneMessageAndOneReply()
    {
        var address = $"lead{Guid.NewGuid():N}@example.com";
        var messageId = Guid.NewGuid().ToString("N");

        var responses = await StormAsync(() => new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/email/{Demo}?key={SalesFlowAppProcess.EmailWebhookSecret}")
        {
            Content = Webhooks.AuthenticSendGridEmail(address, "Guten Tag, was kostet Ihr Produkt für 5 Nutzer?", messageId),
        });

        Assert.Equal((1, Copies - 1), (await SumAsync(responses, "accepted"), await SumAsync(responses, "duplicates")));
        await AssertOneMessageAndOneReplyAsync(address);
    }

    [Fact]
    public async Task FiftyCopiesOfATwilioStatusCallbackSettleTheMessageOnce()
    {
        var item = await SeedAsync(OutboxStatus.InDoubt, providerId: null, ChannelKind.Sms, "+491701234567");
        var sid = "SM" + Guid.NewGuid().ToString("N");
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = "AC00000000000000000000000000000000",
            ["ApiVersion"] = "2010-04-01",
            ["From"] = "+15005550006",
            ["To"] = "+491701234567",
            ["MessageSid"] = sid,
            ["SmsSid"] = sid,
            ["MessageStatus"] = "delivered",
            ["SmsStatus"] = "delivered",
        };

        var responses = await StormAsync(() => SignedTwilio($"/api/webhooks/twilio/{Demo}/status?outboxId={item.Id}", form));

        // "applied" says the report matched our message (a repeat matches too); the status moves forward only, once.
        foreach (var response in responses)
        {
            Assert.True((await response.JsonAsync()).GetProperty("applied").GetBoolean());
        }

        var settled = (await Outbox.GetAsync(Demo, item.Id, default))!;
        Assert.Equal((OutboxStatus.Delivered, sid), (settled.Status, settled.ProviderMessageId));
    }

    [Fact]
    public async Task FiftyCopiesOfASendGridEventBatchApplyEachEventOnce()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await PatchConfigAsync(new { email = new { eventWebhookPublicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()) } });
        var item = await SeedAsync(OutboxStatus.Sending, null, ChannelKind.Email, "lead@example.com");
        var messageId = "Xm" + Guid.NewGuid().ToString("N")[..20];
        string Event(string kind, string eventId) =>
            $$"""{"email":"lead@example.com","event":"{{kind}}","sg_event_id":"{{eventId}}","sg_message_id":"{{messageId}}.filterdrecv-1","outbox_id":"{{item.Id}}","timestamp":1700000000}""";
        var body = Encoding.UTF8.GetBytes("[" + string.Join(",\r\n", Event("processed", "ev-1"), Event("delivered", "ev-2"), Event("open", "ev-3")) + "]\r\n");
        // Signed now: a timestamp more than five minutes off is refused as a replay.
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(key.SignData([.. Encoding.UTF8.GetBytes(timestamp), .. body], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        var responses = await StormAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/sendgrid/{Demo}/events") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add(SendGridEventSignature.TimestampHeaderName, timestamp);
            request.Headers.Add(SendGridEventSignature.SignatureHeaderName, signature);
            return request;
        });

        Assert.Equal((3, 3 * (Copies - 1)), (await SumAsync(responses, "applied"), await SumAsync(responses, "duplicates")));
        var read = (await Outbox.GetAsync(Demo, item.Id, default))!;
        Assert.Equal((OutboxStatus.Read, messageId), (read.Status, read.ProviderMessageId));
    }

    [Fact]
    public async Task FiftyCopiesOfAWhatsAppStatusMoveTheMessageOnce()
    {
        var wamid = "wamid." + Guid.NewGuid().ToString("N");
        var item = await SeedAsync(OutboxStatus.Sent, wamid, ChannelKind.WhatsApp, "+491701234567");
        var body = Webhooks.WhatsAppStatus(wamid, "read", "491701234567");

        var responses = await StormAsync(() => Webhooks.SignedWhatsApp(Demo, body, SalesFlowAppProcess.WhatsAppAppSecret));

        Assert.Equal(Copies, await SumAsync(responses, "statuses"));
        Assert.Equal(OutboxStatus.Read, (await Outbox.GetAsync(Demo, item.Id, default))!.Status);
    }

    [Fact]
    public async Task FiftyCopiesOfACalComBookingCancellationCancelTheMeetingOnce()
    {
        await PatchConfigAsync(new { calcom = new { webhookSecret = CalComSecret } });
        var start = new DateTimeOffset(2030, 3, 12, 10, 0, 0, TimeSpan.Zero);
        var uid = "bk_storm_" + Guid.NewGuid().ToString("N")[..8];
        var meetings = _app.Services.GetRequiredService<IMeetingStore>();
        var meeting = (await meetings.AddAsync(MeetingStoreContractTests.NewMeeting(Demo, await NewLeadAsync(), start, externalId: uid), default)).Meeting;
        var body = Encoding.UTF8.GetBytes($$$"""
            {"triggerEvent":"BOOKING_CANCELLED","createdAt":"2030-03-11T10:00:00.000Z","payload":{"type":"demo","title":"Demo","startTime":"2030-03-12T10:00:00Z","endTime":"2030-03-12T10:30:00Z","organizer":{"name":"Host","email":"host@example.com","timeZone":"Europe/Berlin"},"attendees":[{"name":"Anna Schmidt","email":"anna@example.com","timeZone":"Europe/Berlin"}],"uid":"{{{uid}}}","bookingId":1001,"status":"CANCELLED","cancellationReason":"Cannot make it"}}
            """);

        var responses = await StormAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/calcom/{Demo}") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation(CalComSignature.HeaderName, CalComSignature.Compute(CalComSecret, body));
            return request;
        });

        var outcomes = new List<string>();
        foreach (var response in responses)
        {
            outcomes.Add((await response.JsonAsync()).Str("outcome"));
        }

        Assert.Equal(1, outcomes.Count(o => o == "applied"));
        Assert.All(outcomes.Where(o => o != "applied"), o => Assert.Equal("unchanged", o));
        Assert.Equal(MeetingStatus.Cancelled, (await meetings.GetAsync(Demo, meeting.Id, default))!.Status);
    }

    [Fact]
    public async Task FiftyCopiesOfAHubSpotDealEventSetTheOutcomeOnce()
    {
        await PatchConfigAsync(new { hubspot = new { accessToken = "pat-eu1-storm-token", clientSecret = HubSpotClientSecret, stageMap = new { won = "closedwon", lost = "closedlost" } } });
        var leadId = await NewLeadAsync();
        var dealId = Random.Shared.Next(10_000, 99_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _app.Services.GetRequiredService<ICrmLinkStore>().SaveAsync(
            CrmLink.New(Demo, leadId) with { ContactId = "5001", DealId = dealId, DealStage = "presentationscheduled", LastSyncedAt = DateTimeOffset.UtcNow, LastSyncedState = "value_proposition" }, default);
        var at = DateTimeOffset.UtcNow.AddSeconds(-5);
        var body = Encoding.UTF8.GetBytes($$"""
            [{"eventId":100,"subscriptionId":25,"portalId":33,"appId":1160452,"occurredAt":{{at.ToUnixTimeMilliseconds()}},"subscriptionType":"deal.propertyChange","attemptNumber":0,"objectId":{{dealId}},"propertyName":"dealstage","propertyValue":"closedwon","changeSource":"CRM_UI"}]
            """);
        var path = $"/api/webhooks/hubspot/{Demo}";

        var responses = await StormAsync(() =>
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add(HubSpotSignature.TimestampHeaderName, timestamp);
            request.Headers.Add(HubSpotSignature.V3HeaderName, HubSpotSignature.ComputeV3(HubSpotClientSecret, "POST", PublicBaseUrl + path, body, timestamp));
            return request;
        });

        Assert.Equal(1, await SumAsync(responses, "applied"));
        var outcome = (await _app.Http.GetJsonAsync($"/api/leads/{leadId}/crm")).GetProperty("outcome");
        Assert.Equal(("won", "hubspot"), (outcome.Str("outcome"), outcome.Str("source")));
    }
}
