using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Crm;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Meetings;
using SalesFlow.Infrastructure.Signatures;
using SalesFlow.Tests.Adapters;
using SalesFlow.Tests.Channels.Signatures;
using SalesFlow.Tests.Support;
using Xunit.Abstractions;

namespace SalesFlow.Tests.Security;

/// <summary>
/// Forged, replayed and stale deliveries for every webhook route of the route table (a new webhook route without a
/// signer and a genuine delivery here fails the first test): forged → 401 problem+json naming the signature and nothing
/// stored; the same signed delivery again → no second effect; a vendor-signed timestamp outside five minutes → 401
/// naming the timestamp header and saying why.
/// </summary>
public sealed class WebhookSignatureMatrixTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Demo = "demo";

    /// <summary>Routes whose vendor signs a timestamp, and the header that carries it.</summary>
    private static readonly Dictionary<string, string> TimestampField = new(StringComparer.Ordinal)
    {
        ["/api/webhooks/sendgrid/{clientId}/events"] = SendGridEventSignature.TimestampHeaderName,
        ["/api/webhooks/hubspot/{clientId}"] = HubSpotSignature.TimestampHeaderName,
    };

    private readonly WebhookSigning _signing = new();
    private InProcessApp _app = null!;
    private HttpClient _vendor = null!;

    public async Task InitializeAsync()
    {
        _app = await InProcessApp.StandaloneAsync();
        _vendor = new HttpClient { BaseAddress = _app.BaseUrl };
        using var patched = await _app.Http.PatchAsync($"/api/clients/{Demo}/config", new StringContent(_signing.ConfigPatch, Encoding.UTF8, "application/merge-patch+json"));
        Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        _signing.Dispose();
        _vendor.Dispose();
        await _app.DisposeAsync();
    }

    private IReadOnlyList<RouteEntry> SignedRoutes => [.. RouteTable.Of(_app.Services).Where(r => r.IsWebhook && r.Method == "POST")];

    [Fact]
    public async Task EveryWebhookRouteHasASignerAndAGenuineDelivery()
    {
        Assert.True(SignedRoutes.Count >= 7, "the route table lost its webhooks");
        List<string> missing = [];
        foreach (var route in SignedRoutes)
        {
            if (!WebhookSigning.SignatureField.ContainsKey(route.Pattern))
            {
                missing.Add($"{route}: no signer in WebhookSigning");
                continue;
            }

            using var response = await _vendor.SendAsync(await SignedAsync(route, await GenuineAsync(route)));
            if (!response.IsSuccessStatusCode)
            {
                missing.Add($"{route}: the genuine signed delivery got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public async Task ForgedSignaturesAreRefusedWithProblemJsonAndStoreNothing()
    {
        List<string> failures = [];
        var tried = 0;
        foreach (var route in SignedRoutes.Where(r => WebhookSigning.SignatureField.ContainsKey(r.Pattern)))
        {
            var genuine = await GenuineAsync(route);
            var forgeries = new (string Name, Func<Task<HttpRequestMessage>> Build)[]
            {
                ("wrong secret", () => SignedAsync(route, genuine, forged: true)),
                ("no signature", () => Task.FromResult(Unsigned(route, genuine))),
                ("another body's signature", async () => Swapped(await SignedAsync(route, genuine with { Body = [.. genuine.Body, (byte)' '] }), genuine)),
                ("signature header garbage", () => Task.FromResult(WithHeader(Unsigned(route, genuine), WebhookSigning.SignatureField[route.Pattern], "sha256=zz" + new string('0', 3000)))),
            };
            foreach (var (name, build) in forgeries)
            {
                // Inbound Parse signs nothing: the secret in the URL is its only proof, whatever the body.
                if (name == "another body's signature" && WebhookSigning.SignatureField[route.Pattern] == "key")
                {
                    continue;
                }

                tried++;
                var before = StoreFingerprint.Of(_app.Services);
                using var response = await _vendor.SendAsync(await build());
                var body = await response.Content.ReadAsStringAsync();
                var field = WebhookSigning.SignatureField[route.Pattern];
                if (response.StatusCode != HttpStatusCode.Unauthorized || response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !body.Contains($"\"field\":\"{field}\"", StringComparison.Ordinal))
                {
                    failures.Add($"{route} [{name}]: {(int)response.StatusCode} {body}");
                }
                else if (StoreFingerprint.Of(_app.Services).RequestChangesSince(before) is { Length: > 0 } changes)
                {
                    failures.Add($"{route} [{name}]: stored {changes}");
                }
            }
        }

        output.WriteLine($"{tried} forged deliveries");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task ASignedDeliveryReplayedHasNoSecondEffect()
    {
        List<string> failures = [];
        foreach (var route in SignedRoutes.Where(r => WebhookSigning.SignatureField.ContainsKey(r.Pattern)))
        {
            var genuine = await GenuineAsync(route);
            var first = await SignedAsync(route, genuine);
            var replay = await CopyAsync(first);
            var before = await StoreFingerprint.SettledAsync(_app.Services);

            using var accepted = await _vendor.SendAsync(first);
            var afterFirst = await StoreFingerprint.SettledAsync(_app.Services);
            using var replayed = await _vendor.SendAsync(replay);
            var afterReplay = await StoreFingerprint.SettledAsync(_app.Services);

            if (!accepted.IsSuccessStatusCode || afterFirst.ChangesSince(before, "jobs").Length == 0)
            {
                failures.Add($"{route}: the genuine delivery had no effect ({(int)accepted.StatusCode} {await accepted.Content.ReadAsStringAsync()})");
            }
            else if ((int)replayed.StatusCode >= 500 || afterReplay.ChangesSince(afterFirst, "jobs") is { Length: > 0 })
            {
                failures.Add($"{route}: the replay answered {(int)replayed.StatusCode} and changed {afterReplay.ChangesSince(afterFirst, "jobs")}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task AVendorSignedTimestampOutsideFiveMinutesIsRefusedSayingWhy()
    {
        Assert.All(TimestampField.Keys, pattern => Assert.Contains(SignedRoutes, r => r.Pattern == pattern));
        List<string> failures = [];
        foreach (var route in SignedRoutes.Where(r => TimestampField.ContainsKey(r.Pattern)))
        {
            foreach (var skew in new[] { TimeSpan.FromMinutes(-6), TimeSpan.FromMinutes(6), TimeSpan.FromDays(-400) })
            {
                var stale = await SignedAsync(route, await GenuineAsync(route), at: DateTimeOffset.UtcNow + skew);
                var before = StoreFingerprint.Of(_app.Services);
                using var response = await _vendor.SendAsync(stale);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.Unauthorized || !body.Contains($"\"field\":\"{TimestampField[route.Pattern]}\"", StringComparison.Ordinal) || !body.Contains("5 minutes", StringComparison.Ordinal))
                {
                    failures.Add($"{route} signed {skew} off: {(int)response.StatusCode} {body}");
                }
                else if (StoreFingerprint.Of(_app.Services).RequestChangesSince(before) is { Length: > 0 } changes)
                {
                    failures.Add($"{route} signed {skew} off: stored {changes}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task SendGridsOwnSignedEventsFromTheirPublishedVectorAreRefusedAsStale()
    {
        // The vendor's signature verifies (so the answer names the timestamp, not the signature), but it was made in 2021.
        var vector = SignatureFixtures.Json("sendgrid", "sendgrid_event_webhook_vectors.json").GetProperty("vectors").EnumerateArray()
            .First(v => v.GetProperty("expected_valid").GetBoolean() && v.OptionalString("payload_file") == "payload_multi_event.bin");
        using var patched = await _app.Http.PatchAsync($"/api/clients/{Demo}/config", new StringContent(JsonSerializer.Serialize(new { email = new { eventWebhookPublicKey = vector.RequiredString("public_key_b64_der") } }), Encoding.UTF8, "application/merge-patch+json"));
        Assert.True(patched.IsSuccessStatusCode);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/sendgrid/{Demo}/events") { Content = new ByteArrayContent(SignatureFixtures.Bytes("sendgrid", vector.RequiredString("payload_file"))) };
        request.Headers.Add(SendGridEventSignature.TimestampHeaderName, vector.RequiredString("timestamp"));
        request.Headers.Add(SendGridEventSignature.SignatureHeaderName, vector.RequiredString("signature_b64"));
        var before = StoreFingerprint.Of(_app.Services);

        await ApiJson.AssertProblemAsync(await _vendor.SendAsync(request), HttpStatusCode.Unauthorized, SendGridEventSignature.TimestampHeaderName);

        Assert.Equal("", StoreFingerprint.Of(_app.Services).RequestChangesSince(before));
    }

    [Fact]
    public async Task ForgedVerificationTokensAreRefusedWithProblemJson()
    {
        var verification = RouteTable.Of(_app.Services).Where(r => r.Method == "GET" && (r.IsWebhook || r.Pattern.StartsWith("/api/verify/", StringComparison.Ordinal))).ToList();
        Assert.Equal(2, verification.Count);
        await ApiJson.AssertProblemAsync(await _vendor.GetAsync($"/api/webhooks/whatsapp/{Demo}?hub.mode=subscribe&hub.verify_token=forged&hub.challenge=1158201444"), HttpStatusCode.Forbidden, "hub.verify_token");
        await ApiJson.AssertProblemAsync(await _vendor.GetAsync($"/api/webhooks/whatsapp/{Demo}?hub.mode=subscribe&hub.challenge=1158201444"), HttpStatusCode.Forbidden, "hub.verify_token");
        await ApiJson.AssertProblemAsync(await _vendor.GetAsync($"/api/verify/email/{Demo}/{Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}"), HttpStatusCode.NotFound, "token");
    }

    /// <summary>A delivery the vendor would send for this route, with an effect: a new message, or a report on something SalesFlow holds.</summary>
    private sealed record Delivery(string Path, string ContentType, byte[] Body);

    private async Task<Delivery> GenuineAsync(RouteEntry route)
    {
        var unique = Guid.NewGuid().ToString("N");
        switch (route.Pattern)
        {
            case "/api/webhooks/whatsapp/{clientId}":
                return new($"/api/webhooks/whatsapp/{Demo}", "application/json", Webhooks.WhatsAppText("49170" + Random.Shared.Next(1_000_000, 9_999_999), "wamid." + unique, "Hi, what does it cost?"));
            case "/api/webhooks/twilio/{clientId}":
                return new($"/api/webhooks/twilio/{Demo}", "application/x-www-form-urlencoded", await new FormUrlEncodedContent(Webhooks.TwilioSms("+1415" + Random.Shared.Next(2_000_000, 9_999_999), "SM" + unique, "Hi, what does it cost?")).ReadAsByteArrayAsync());
            case "/api/webhooks/twilio/{clientId}/status":
                var sms = await SeedOutboxAsync(ChannelKind.Sms, "SM" + unique);
                return new($"/api/webhooks/twilio/{Demo}/status?outboxId={sms.Id}", "application/x-www-form-urlencoded", await new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["AccountSid"] = "AC00000000000000000000000000000000", ["MessageSid"] = sms.ProviderMessageId!, ["SmsSid"] = sms.ProviderMessageId!, ["MessageStatus"] = "delivered",
                    ["SmsStatus"] = "delivered", ["From"] = "+15005550006", ["To"] = sms.Recipient, ["ApiVersion"] = "2010-04-01",
                }).ReadAsByteArrayAsync());
            case "/api/webhooks/email/{clientId}":
                using (var form = Webhooks.AuthenticSendGridEmail($"lead{unique}@example.com", "Hello, what does your CRM cost?"))
                {
                    return new($"/api/webhooks/email/{Demo}", form.Headers.ContentType!.ToString(), await form.ReadAsByteArrayAsync());
                }

            case "/api/webhooks/sendgrid/{clientId}/events":
                var mail = await SeedOutboxAsync(ChannelKind.Email, null);
                return new($"/api/webhooks/sendgrid/{Demo}/events", "application/json", Encoding.UTF8.GetBytes(
                    $$"""[{"email":"{{mail.Recipient}}","event":"delivered","sg_event_id":"ev-{{unique}}","sg_message_id":"Xm{{unique[..20]}}.filterdrecv-1","outbox_id":"{{mail.Id}}","timestamp":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}]""" + "\r\n"));
            case "/api/webhooks/calcom/{clientId}":
                var uid = "bk_" + unique;
                await _app.Services.GetRequiredService<IMeetingStore>().AddAsync(MeetingStoreContractTests.NewMeeting(Demo, (await SeedLeadAsync()).Id, DateTimeOffset.UtcNow.AddDays(3), externalId: uid), default);
                var start = DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                return new($"/api/webhooks/calcom/{Demo}", "application/json", JsonSerializer.SerializeToUtf8Bytes(new
                {
                    triggerEvent = "BOOKING_CANCELLED",
                    createdAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    payload = new
                    {
                        uid,
                        status = "CANCELLED",
                        cancellationReason = "Cannot make it",
                        startTime = start,
                        endTime = start,
                        attendees = new[] { new { name = "Anna", email = "anna@example.com", timeZone = "Europe/Berlin" } },
                        organizer = new { name = "Host", email = "host@example.com", timeZone = "Europe/Berlin" },
                    },
                }));
            case "/api/webhooks/hubspot/{clientId}":
                var dealId = Random.Shared.NextInt64(100_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
                var lead = await SeedLeadAsync();
                await _app.Services.GetRequiredService<ICrmLinkStore>().SaveAsync(CrmLink.New(Demo, lead.Id) with { ContactId = "5001", DealId = dealId, DealStage = "presentationscheduled", LastSyncedAt = DateTimeOffset.UtcNow }, default);
                return new($"/api/webhooks/hubspot/{Demo}", "application/json", Encoding.UTF8.GetBytes(
                    $$"""[{"eventId":{{Random.Shared.Next()}},"subscriptionId":25,"portalId":33,"appId":1160452,"occurredAt":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"subscriptionType":"deal.propertyChange","attemptNumber":0,"objectId":{{dealId}},"propertyName":"dealstage","propertyValue":"closedwon","changeSource":"CRM_UI"}]"""));
            default:
                throw new ArgumentException($"no genuine delivery for webhook route {route}: add one here", nameof(route));
        }
    }

    private async Task<Lead> SeedLeadAsync() =>
        (await _app.Services.GetRequiredService<ILeadStore>().GetOrCreateByIdentityAsync(Demo, IdentityKind.Phone, "+4917" + Random.Shared.Next(10_000_000, 99_999_999), () => StoreContractTests.NewLead(Demo), default)).Lead;

    private async Task<OutboxItem> SeedOutboxAsync(ChannelKind channel, string? providerId)
    {
        var lead = await SeedLeadAsync();
        var id = Ids.New("out");
        var now = DateTimeOffset.UtcNow;
        return (await _app.Services.GetRequiredService<IOutboxStore>().AddAsync(new OutboxItem
        {
            Id = id, ClientId = Demo, LeadId = lead.Id, ConversationId = "conv_1", Channel = channel, Recipient = channel == ChannelKind.Email ? $"{id}@example.com" : "+491701234567",
            Text = "Thanks for your message", IdempotencyKey = "key-" + id, Status = OutboxStatus.Sent, ProviderMessageId = providerId, CreatedAt = now, UpdatedAt = now,
        }, default)).Item;
    }

    private HttpRequestMessage Unsigned(RouteEntry route, Delivery delivery)
    {
        _ = route;
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_app.BaseUrl, delivery.Path)) { Content = new ByteArrayContent(delivery.Body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", delivery.ContentType);
        return request;
    }

    private async Task<HttpRequestMessage> SignedAsync(RouteEntry route, Delivery delivery, bool forged = false, DateTimeOffset? at = null)
    {
        var request = Unsigned(route, delivery);
        await _signing.SignAsync(route.Pattern, request, forged, at);
        return request;
    }

    /// <summary>The signed request's headers and URL on <paramref name="other"/>'s body.</summary>
    private static HttpRequestMessage Swapped(HttpRequestMessage signed, Delivery other)
    {
        var request = new HttpRequestMessage(signed.Method, signed.RequestUri) { Content = new ByteArrayContent(other.Body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", other.ContentType);
        foreach (var (name, values) in signed.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, values);
        }

        return request;
    }

    private static async Task<HttpRequestMessage> CopyAsync(HttpRequestMessage signed)
    {
        var copy = Swapped(signed, new Delivery("", signed.Content!.Headers.ContentType!.ToString(), await signed.Content.ReadAsByteArrayAsync()));
        return copy;
    }

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string value)
    {
        if (name == "key")
        {
            request.RequestUri = new Uri(request.RequestUri!.AbsoluteUri + (request.RequestUri.Query.Length > 0 ? "&" : "?") + "key=" + Uri.EscapeDataString(value));
        }
        else
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
