using System.Globalization;
using System.Net;
using System.Text;
using SalesFlow.Tests.Support;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// Issue 12's "done when" for delivery, on the real app (in-process Kestrel, embedded store and queue): the demo client's
/// channels set through <c>PATCH /api/clients/demo/config</c> (merge patch), the vendor base URLs pointed at in-test
/// servers that speak Graph, Twilio and SendGrid; a lead's message on each channel gets its reply as the vendor call.
/// </summary>
public sealed class VendorDeliveryOverHttpTests : IAsyncLifetime
{
    private const string PhoneNumberId = "106540352242922";
    private const string AccessToken = "EAAG-demo-access-token-4d4d";
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "demo-twilio-auth-token-6e6e";
    private const string ApiKey = "SG.demo-sendgrid-key-8f8f";

    private WhatsAppGraphServer _graph = null!;
    private TwilioApiServer _twilio = null!;
    private SendGridApiServer _sendGrid = null!;
    private InProcessApp _app = null!;

    public async Task InitializeAsync()
    {
        _graph = await WhatsAppGraphServer.StartAsync(PhoneNumberId, AccessToken);
        _twilio = await TwilioApiServer.StartAsync(AccountSid, AuthToken);
        _sendGrid = await SendGridApiServer.StartAsync(ApiKey);
        _app = await InProcessApp.StandaloneAsync(new()
        {
            ["WhatsApp:GraphBaseUrl"] = _graph.BaseUrlSetting,
            ["WhatsApp:GraphVersion"] = "v23.0",
            ["Twilio:ApiBaseUrl"] = _twilio.BaseUrlSetting,
            ["SendGrid:ApiBaseUrl"] = _sendGrid.BaseUrlSetting,
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _graph.DisposeAsync();
        await _twilio.DisposeAsync();
        await _sendGrid.DisposeAsync();
    }

    private async Task ConfigureAsync(string json)
    {
        using var response = await _app.Http.PatchAsync("/api/clients/demo/config", new StringContent(json, Encoding.UTF8, "application/merge-patch+json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<System.Text.Json.JsonElement> SentReplyToAsync(string recipient) =>
        (await Eventually.ReturnsAsync(
            async () => (await _app.Http.OutboxAsync()).Where(i => i.Str("recipient") == recipient && i.Str("purpose") == "reply").ToArray(),
            i => i.Length == 1 && i[0].Str("status") == "sent",
            because: "the reply is delivered through the vendor"))[0];

    [Fact]
    public async Task ASignedWhatsAppMessageIsAnsweredThroughTheGraphApiWithTheConfiguredTokenAlsoAfterAVendor500()
    {
        await ConfigureAsync($$"""{ "whatsapp": { "phoneNumberId": "{{PhoneNumberId}}", "accessToken": "{{AccessToken}}" } }""");
        _graph.Enqueue(WhatsAppGraphServer.InternalError());
        var waId = "4917033" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);

        using var webhook = await _app.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), "Hi, what does your CRM cost for 5 users?"), SalesFlowAppProcess.WhatsAppAppSecret));
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);

        var reply = await SentReplyToAsync("+" + waId);
        var sends = _graph.Sends;
        Assert.Equal(2, sends.Count);
        Assert.All(sends, s => Assert.Equal($"Bearer {AccessToken}", s.Headers["Authorization"]));
        Assert.All(sends, s => Assert.Equal($"/v23.0/{PhoneNumberId}/messages", s.Path));
        Assert.Equal(reply.Str("text"), sends[1].Json!["text"]!["body"]!.GetValue<string>());
        Assert.Equal("+" + waId, sends[1].Json!["to"]!.GetValue<string>());
        Assert.StartsWith("wamid.", reply.Str("providerMessageId"), StringComparison.Ordinal);
        Assert.Empty(_twilio.Received);
    }

    [Fact]
    public async Task ASignedTwilioSmsIsAnsweredThroughTwilioMessages()
    {
        await ConfigureAsync($$"""{ "twilio": { "accountSid": "{{AccountSid}}", "authToken": "{{AuthToken}}", "smsFrom": "+15005550006" } }""");
        var from = "+1415" + Random.Shared.Next(2_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

        // The configured auth token is the one Twilio signs with, so the webhook verifies against it now.
        using var webhook = await _app.Http.SendAsync(Webhooks.SignedTwilio(_app.BaseUrl, "demo", Webhooks.TwilioSms(from, "SM" + Guid.NewGuid().ToString("N"), "Do you ship to Canada?"), AuthToken));
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);

        var reply = await SentReplyToAsync(from);
        var call = Assert.Single(_twilio.Sends);
        Assert.Equal($"/2010-04-01/Accounts/{AccountSid}/Messages.json", call.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")), call.Headers["Authorization"]);
        var form = TwilioApiServer.Form(call);
        Assert.Equal((from, "+15005550006", reply.Str("text")), (form["To"], form["From"], form["Body"]));
        Assert.StartsWith("SM", reply.Str("providerMessageId"), StringComparison.Ordinal);
        Assert.Empty(_graph.Received);
    }

    [Fact]
    public async Task AnInboundEmailIsAnsweredThroughSendGridAsAReplyInItsThread()
    {
        await ConfigureAsync($$"""{ "email": { "fromAddress": "sales@demo.example", "fromName": "Demo Sales", "sendGridApiKey": "{{ApiKey}}" } }""");
        var address = $"jonas.{Guid.NewGuid():N}@kunde.example";
        var messageId = $"{Guid.NewGuid():N}@mail.kunde.example";

        using var form = new MultipartFormDataContent
        {
            { new StringContent($"Jonas Weber <{address}>"), "from" },
            { new StringContent("sales@demo.example"), "to" },
            { new StringContent("Re: Ihr Angebot"), "subject" },
            { new StringContent("Guten Tag, was kostet Ihr CRM für 5 Nutzer?"), "text" },
            { new StringContent($"Message-ID: <{messageId}>\nIn-Reply-To: <offer-1@demo.example>\nReferences: <offer-1@demo.example>\nFrom: Jonas Weber <{address}>\n"), "headers" },
            { new StringContent($"{{\"to\":[\"sales@demo.example\"],\"from\":\"{address}\"}}"), "envelope" },
            { new StringContent("pass"), "SPF" },
            { new StringContent("{@kunde.example : pass}"), "dkim" },
        };
        using var webhook = await _app.Http.PostAsync($"/api/webhooks/email/demo?key={SalesFlowAppProcess.EmailWebhookSecret}", form);
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);

        var reply = await SentReplyToAsync(address);
        var call = Assert.Single(_sendGrid.Sends);
        Assert.Equal($"Bearer {ApiKey}", call.Headers["Authorization"]);
        var body = call.Json!;
        Assert.Equal(address, body["personalizations"]![0]!["to"]![0]!["email"]!.GetValue<string>());
        Assert.Equal(("sales@demo.example", "Demo Sales"), (body["from"]!["email"]!.GetValue<string>(), body["from"]!["name"]!.GetValue<string>()));
        Assert.Equal("Re: Ihr Angebot", body["subject"]!.GetValue<string>());
        Assert.Equal($"<{messageId}>", body["headers"]!["In-Reply-To"]!.GetValue<string>());
        Assert.Equal($"<offer-1@demo.example> <{messageId}>", body["headers"]!["References"]!.GetValue<string>());
        Assert.Equal(reply.Str("text"), body["content"]![0]!["value"]!.GetValue<string>());
        Assert.Equal((reply.Str("id"), "demo"), (body["custom_args"]!["outbox_id"]!.GetValue<string>(), body["custom_args"]!["client_id"]!.GetValue<string>()));
        Assert.Equal(_sendGrid.MessageIds.Single(), reply.Str("providerMessageId"));
    }
}
