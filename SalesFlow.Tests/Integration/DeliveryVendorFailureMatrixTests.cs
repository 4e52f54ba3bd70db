using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Queue;
using SalesFlow.Tests.Support;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.Integration;

/// <summary>
/// Issue 16's vendor failure matrix for the three senders (WhatsApp Cloud API, Twilio, SendGrid), generated as vendor ×
/// failure kind: each cell puts one outbox item of the demo client through the real app (in-process Kestrel, embedded
/// SQLite store and queue, the queue runner, the delivery service, the real adapters) against the in-test vendor server
/// scripted to fail that way once (or for good), and checks the item's end state, its reason, how often the vendor was
/// called and how often it acted (<see cref="VendorServer.Effects"/>): a retryable failure is retried with backoff (no
/// sooner than Retry-After, never longer than Delivery:RetryMaxDelay) and sent once; one that stays is parked as failed
/// with the reason and sent once when replayed; a lost answer (timeout, connection reset) and a 2xx without the message
/// id are in doubt, never resent on their own, and sent once when replayed; a permanent refusal fails at once.
/// </summary>
public sealed class DeliveryVendorFailureMatrixTests(DeliveryVendorFailureMatrixTests.App app) : IClassFixture<DeliveryVendorFailureMatrixTests.App>
{
    private const int MaxAttempts = 3;

    public enum Failure
    {
        ServerError,
        HtmlErrorPage,
        RetryAfterSeconds,
        RetryAfterHttpDate,
        RetryAfterBeyondTheCap,
        StaysDown,
        Timeout,
        ConnectionReset,
        InvalidJsonOn2xx,
        WrongShapeOn2xx,
        PermanentRefusal,
    }

    public static TheoryData<string, Failure> Cells()
    {
        var cells = new TheoryData<string, Failure>();
        foreach (var vendor in new[] { App.WhatsApp, App.Twilio, App.SendGrid })
        {
            foreach (var failure in Enum.GetValues<Failure>())
            {
                cells.Add(vendor, failure);
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Every_vendor_failure_ends_sent_once_or_parked_with_its_reason_and_replays_to_exactly_one_send(string vendorName, Failure failure)
    {
        var vendor = app.Vendor(vendorName);
        var item = await app.NewItemAsync(vendor);
        vendor.Server.Enqueue(Script(vendor, failure, item.Recipient));
        await app.DeliverAsync(item);

        switch (failure)
        {
            case Failure.ServerError or Failure.HtmlErrorPage or Failure.RetryAfterBeyondTheCap:
                await SentAfterOneRetryAsync(vendor, item);
                break;

            case Failure.RetryAfterSeconds or Failure.RetryAfterHttpDate:
                var times = await SentAfterOneRetryAsync(vendor, item);
                // Retry-After asked for 1 s (seconds), or for a date 2 s ahead at whole seconds (so at least 1 s).
                Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(950), $"retried {times[1] - times[0]} after a 429 that asked for 1 s");
                break;

            case Failure.StaysDown:
                var failed = await app.StatusAsync(item, OutboxStatus.Failed);
                Assert.Contains($"gave up after {MaxAttempts} attempts", failed.Error, StringComparison.Ordinal);
                Assert.Equal((MaxAttempts, 0), (vendor.Calls(item.Recipient).Count, vendor.Effects(item.Recipient)));
                await ReplayedToExactlyOneSendAsync(vendor, item, MaxAttempts + 1);
                break;

            case Failure.Timeout or Failure.ConnectionReset:
                var inDoubt = await app.StatusAsync(item, OutboxStatus.InDoubt);
                Assert.Contains("not resent automatically", inDoubt.Error, StringComparison.Ordinal);
                Assert.Equal((1, 0), (vendor.Calls(item.Recipient).Count, vendor.Effects(item.Recipient)));
                await ReplayedToExactlyOneSendAsync(vendor, item, 2);
                break;

            case Failure.InvalidJsonOn2xx or Failure.WrongShapeOn2xx:
                // The vendor took the message (2xx) but its answer lacks the id: never sent again on our own (that would be
                // a duplicate); the vendor's status report, which names the outbox item, settles it.
                var accepted = await app.StatusAsync(item, OutboxStatus.InDoubt);
                Assert.Contains("accepted", accepted.Error, StringComparison.Ordinal);
                Assert.Equal((1, 1), (vendor.Calls(item.Recipient).Count, vendor.Effects(item.Recipient)));
                break;

            case Failure.PermanentRefusal:
                var refused = await app.StatusAsync(item, OutboxStatus.Failed);
                Assert.StartsWith(vendor.PermanentCode + ":", refused.Error, StringComparison.Ordinal);
                Assert.Equal((1, 0), (vendor.Calls(item.Recipient).Count, vendor.Effects(item.Recipient)));
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(failure), failure, "a failure kind without expectations");
        }
    }

    private async Task<IReadOnlyList<DateTimeOffset>> SentAfterOneRetryAsync(App.DeliveryVendor vendor, OutboxItem item)
    {
        var sent = await app.StatusAsync(item, OutboxStatus.Sent);
        Assert.False(string.IsNullOrEmpty(sent.ProviderMessageId));
        Assert.Equal(2, sent.Attempts);
        var calls = vendor.Calls(item.Recipient);
        Assert.Equal((2, 1), (calls.Count, vendor.Effects(item.Recipient)));
        return calls;
    }

    private async Task ReplayedToExactlyOneSendAsync(App.DeliveryVendor vendor, OutboxItem item, int callsAfter)
    {
        using (var resend = await app.Http.PostAsync($"/api/outbox/{item.Id}/resend", null))
        {
            Assert.Equal(HttpStatusCode.OK, resend.StatusCode);
        }

        await app.StatusAsync(item, OutboxStatus.Sent);
        using (var again = await app.Http.PostAsync($"/api/outbox/{item.Id}/resend", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode); // a sent item is never resent
        }

        Assert.Equal((callsAfter, 1), (vendor.Calls(item.Recipient).Count, vendor.Effects(item.Recipient)));
    }

    private static VendorResponse[] Script(App.DeliveryVendor vendor, Failure failure, string recipient) => failure switch
    {
        Failure.ServerError => [vendor.ServerError()],
        Failure.HtmlErrorPage => [VendorResponse.HtmlPage(502)],
        Failure.RetryAfterSeconds => [vendor.TooManyRequests("1")],
        Failure.RetryAfterHttpDate => [vendor.TooManyRequests(DateTimeOffset.UtcNow.AddSeconds(2).ToString("r", CultureInfo.InvariantCulture))],
        Failure.RetryAfterBeyondTheCap => [vendor.TooManyRequests("86400")],
        Failure.StaysDown => [.. Enumerable.Range(0, MaxAttempts).Select(_ => VendorResponse.HtmlPage(503))],
        Failure.Timeout => [new VendorResponse(504, Delay: TimeSpan.FromSeconds(30))],
        Failure.ConnectionReset => [VendorResponse.ConnectionReset(vendor.SuccessStatus)],
        Failure.InvalidJsonOn2xx => [VendorResponse.InvalidJson(vendor.SuccessStatus)],
        Failure.WrongShapeOn2xx => [new VendorResponse(vendor.SuccessStatus, """{"unexpected":{"shape":true}}""")],
        Failure.PermanentRefusal => [vendor.Refusal(recipient)],
        _ => throw new ArgumentOutOfRangeException(nameof(failure)),
    };

    /// <summary>The app with short backoff and vendor timeout, and the demo client configured for all three vendors.</summary>
    public sealed class App : IAsyncLifetime
    {
        public const string WhatsApp = "WhatsApp Cloud API";
        public const string Twilio = "Twilio";
        public const string SendGrid = "SendGrid";

        private const string PhoneNumberId = "106540352242922";
        private const string AccessToken = "EAAG-matrix-access-token";
        private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
        private const string AuthToken = "matrix-twilio-auth-token";
        private const string ApiKey = "SG.matrix-sendgrid-key";

        private InProcessApp _app = null!;
        private readonly Dictionary<string, DeliveryVendor> _vendors = [];

        public HttpClient Http => _app.Http;

        public DeliveryVendor Vendor(string name) => _vendors[name];

        public async Task InitializeAsync()
        {
            var graph = await WhatsAppGraphServer.StartAsync(PhoneNumberId, AccessToken);
            var twilio = await TwilioApiServer.StartAsync(AccountSid, AuthToken);
            var sendGrid = await SendGridApiServer.StartAsync(ApiKey);
            _vendors[WhatsApp] = new DeliveryVendor(
                graph,
                ChannelKind.WhatsApp,
                200,
                "131030",
                () => "+4917" + Digits(9),
                WhatsAppGraphServer.InternalError,
                retryAfter => WhatsAppGraphServer.Error(429, 130429, "(#130429) Rate limit hit", headers: new Dictionary<string, string> { ["Retry-After"] = retryAfter }),
                _ => WhatsAppGraphServer.RecipientNotAllowed(),
                call => call.Json?["to"]?.GetValue<string>());
            _vendors[Twilio] = new DeliveryVendor(
                twilio,
                ChannelKind.Sms,
                201,
                "21211",
                () => "+1415" + Digits(7),
                TwilioApiServer.InternalError,
                TwilioApiServer.TooManyRequests,
                TwilioApiServer.InvalidToNumber,
                call => TwilioApiServer.Form(call).GetValueOrDefault("To"));
            _vendors[SendGrid] = new DeliveryVendor(
                sendGrid,
                ChannelKind.Email,
                202,
                "400",
                () => $"lead.{Digits(8)}@kunde.example",
                () => SendGridApiServer.Error(500, "internal error"),
                retryAfter => SendGridApiServer.TooManyRequests(86400, retryAfter),
                _ => SendGridApiServer.InvalidFrom(),
                call => call.Json?["personalizations"]?[0]?["to"]?[0]?["email"]?.GetValue<string>());

            _app = await InProcessApp.StandaloneAsync(new()
            {
                ["WhatsApp:GraphBaseUrl"] = graph.BaseUrlSetting,
                ["Twilio:ApiBaseUrl"] = twilio.BaseUrlSetting,
                ["SendGrid:ApiBaseUrl"] = sendGrid.BaseUrlSetting,
                ["Delivery:MaxAttempts"] = MaxAttempts.ToString(CultureInfo.InvariantCulture),
                ["Delivery:RetryBaseDelay"] = "00:00:00.1",
                ["Delivery:RetryMaxDelay"] = "00:00:01",
                ["Delivery:VendorCallTimeout"] = "00:00:03", // long enough for a normal answer on a busy 2-core machine
                ["Delivery:PerRecipientInterval"] = "00:00:00",
            });
            var config = $$"""
                {
                  "whatsapp": { "phoneNumberId": "{{PhoneNumberId}}", "accessToken": "{{AccessToken}}" },
                  "twilio": { "accountSid": "{{AccountSid}}", "authToken": "{{AuthToken}}", "smsFrom": "+15005550006" },
                  "email": { "fromAddress": "sales@demo.example", "fromName": "Demo Sales", "sendGridApiKey": "{{ApiKey}}" }
                }
                """;
            using var response = await _app.Http.PatchAsync("/api/clients/demo/config", new StringContent(config, Encoding.UTF8, "application/merge-patch+json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        /// <summary>A new lead of the demo client with an address on the vendor's channel, and a reply to it in the outbox.</summary>
        public async Task<OutboxItem> NewItemAsync(DeliveryVendor vendor)
        {
            var recipient = vendor.NewRecipient();
            var now = DateTimeOffset.UtcNow;
            var email = vendor.Channel == ChannelKind.Email;
            var (lead, _) = await _app.Services.GetRequiredService<ILeadStore>().GetOrCreateByIdentityAsync(
                "demo",
                email ? IdentityKind.Email : IdentityKind.Phone,
                recipient,
                () => new Lead { Id = Ids.New("lead"), ClientId = "demo", Name = "Anna Meyer", Email = email ? recipient : null, Phone = email ? null : recipient, CreatedAt = now, UpdatedAt = now },
                default);
            var (item, created) = await _app.Services.GetRequiredService<IOutboxStore>().AddAsync(
                new OutboxItem
                {
                    Id = Ids.New("out"),
                    ClientId = "demo",
                    LeadId = lead.Id,
                    ConversationId = Ids.New("conv"),
                    Channel = vendor.Channel,
                    Recipient = recipient,
                    Text = "Gern schicke ich Ihnen die Preise für 5 Nutzer.",
                    IdempotencyKey = "matrix:" + Guid.NewGuid().ToString("N"),
                    CreatedAt = now,
                    UpdatedAt = now,
                },
                default);
            Assert.True(created);
            return item;
        }

        public Task DeliverAsync(OutboxItem item) =>
            _app.Services.GetRequiredService<IWorkQueue>().EnqueueAsync(Queues.Deliver, DeliverWork.Serialize(new DeliverWork(item.ClientId, item.Id)), TimeSpan.Zero, DeliverWork.CoalesceKey(item.Id), default);

        public Task<OutboxItem> StatusAsync(OutboxItem item, string status) =>
            Eventually.ReturnsAsync(
                async () => (await _app.Services.GetRequiredService<IOutboxStore>().GetAsync(item.ClientId, item.Id, default))!,
                i => i.Status == status,
                TimeSpan.FromSeconds(15),
                because: $"outbox item {item.Id} ends {status}");

        public async Task DisposeAsync()
        {
            await _app.DisposeAsync();
            foreach (var vendor in _vendors.Values)
            {
                await vendor.Server.DisposeAsync();
            }
        }

        private static string Digits(int count) =>
            string.Concat(Enumerable.Range(0, count).Select(_ => Random.Shared.Next(10).ToString(CultureInfo.InvariantCulture)));

        /// <param name="SuccessStatus">The vendor's own success status (Graph 200, Twilio 201, SendGrid 202).</param>
        /// <param name="PermanentCode">The vendor code <paramref name="Refusal"/> carries into the item's error.</param>
        /// <param name="RecipientOf">The recipient a send call names (to tell the cells' calls apart on a shared server).</param>
        public sealed record DeliveryVendor(
            VendorServer Server,
            ChannelKind Channel,
            int SuccessStatus,
            string PermanentCode,
            Func<string> NewRecipient,
            Func<VendorResponse> ServerError,
            Func<string, VendorResponse> TooManyRequests,
            Func<string, VendorResponse> Refusal,
            Func<ReceivedRequest, string?> RecipientOf)
        {
            /// <summary>When each send call to <paramref name="recipient"/> arrived, in order.</summary>
            public IReadOnlyList<DateTimeOffset> Calls(string recipient) =>
                [.. Server.Received.Zip(Server.ReceivedAt).Where(c => RecipientOf(c.First) == recipient).Select(c => c.Second)];

            /// <summary>How many sends to <paramref name="recipient"/> the vendor acted on.</summary>
            public int Effects(string recipient) => Server.Effects.Count(c => RecipientOf(c) == recipient);
        }
    }
}
