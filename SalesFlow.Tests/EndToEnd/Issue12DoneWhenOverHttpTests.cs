using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.FollowUps;
using SalesFlow.Tests.Support;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// Issue 12's "done when", the parts not proven elsewhere, on the real app (in-process Kestrel, SQLite, the embedded
/// queue runner): the demo client's channels, cadence and quiet hours set only through
/// <c>PATCH /api/clients/demo/config</c>, the vendor base URLs pointed at in-test servers speaking Graph, Twilio and
/// SendGrid. A reply per channel, and the WhatsApp reply after one vendor 500, are proven by
/// <see cref="VendorDeliveryOverHttpTests"/>; they are not repeated here.
/// </summary>
public sealed class Issue12DoneWhenOverHttpTests : IAsyncLifetime
{
    private const string PhoneNumberId = "106540352242922";
    private const string AccessToken = "EAAG-done-when-access-token-a1a1";
    private const string AppSecret = "done-when-meta-app-secret-b2b2";
    private const string VerifyToken = "done-when-verify-token-c3c3";
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "done-when-twilio-auth-token-d4d4";
    private const string SmsFrom = "+15005550006";
    private const string SendGridApiKey = "SG.done-when-sendgrid-key-e5e5";
    private const string EmailWebhookSecret = "done-when-email-webhook-secret-f6f6";

    private static readonly string[] Secrets = [AccessToken, AppSecret, VerifyToken, AuthToken, SendGridApiKey, EmailWebhookSecret];

    private WhatsAppGraphServer _graph = null!;
    private TwilioApiServer _twilio = null!;
    private SendGridApiServer _sendGrid = null!;
    private InProcessApp _app = null!;
    private string _patchResponse = "";

    public async Task InitializeAsync()
    {
        _graph = await WhatsAppGraphServer.StartAsync(PhoneNumberId, AccessToken);
        _twilio = await TwilioApiServer.StartAsync(AccountSid, AuthToken);
        _sendGrid = await SendGridApiServer.StartAsync(SendGridApiKey);
        // Only the vendor base URLs are settings here; everything about the client comes through its config API.
        _app = await InProcessApp.StandaloneAsync(new()
        {
            ["WhatsApp:GraphBaseUrl"] = _graph.BaseUrlSetting,
            ["WhatsApp:GraphVersion"] = "v23.0",
            ["Twilio:ApiBaseUrl"] = _twilio.BaseUrlSetting,
            ["SendGrid:ApiBaseUrl"] = _sendGrid.BaseUrlSetting,
        });

        // A follow-up step of seconds and no quiet hours, so the test neither waits hours nor depends on the time it runs.
        _patchResponse = await PatchConfigAsync($$"""
            { "whatsapp": { "phoneNumberId": "{{PhoneNumberId}}", "accessToken": "{{AccessToken}}", "appSecret": "{{AppSecret}}", "verifyToken": "{{VerifyToken}}" },
              "twilio": { "accountSid": "{{AccountSid}}", "authToken": "{{AuthToken}}", "smsFrom": "{{SmsFrom}}" },
              "email": { "fromAddress": "sales@demo.example", "fromName": "Demo Sales", "sendGridApiKey": "{{SendGridApiKey}}", "webhookSecret": "{{EmailWebhookSecret}}" },
              "followUps": { "cadence": ["PT2S", "PT1H"] },
              "quietHours": { "start": "00:00", "end": "00:00", "weekends": false } }
            """);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _graph.DisposeAsync();
        await _twilio.DisposeAsync();
        await _sendGrid.DisposeAsync();
    }

    private async Task<string> PatchConfigAsync(string json)
    {
        using var response = await _app.Http.PatchAsync("/api/clients/demo/config", new StringContent(json, Encoding.UTF8, "application/merge-patch+json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return body;
    }

    private static string NewGermanMobile() => "+4917055" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);

    private ReceivedRequest[] TwilioSendsTo(string phone) => [.. _twilio.Sends.Where(s => TwilioApiServer.Form(s).GetValueOrDefault("To") == phone)];

    private ReceivedRequest[] GraphSendsTo(string phone) => [.. _graph.Sends.Where(s => s.Json?["to"]?.GetValue<string>() == phone)];

    /// <summary>The follow-ups timer sweeps every 30 s; the test sweeps itself (as FollowUpsOverHttpTests does) to stay fast.</summary>
    private Task SweepFollowUpsAsync() => _app.Services.GetRequiredService<StoreFollowUpDriver>().SweepAsync(default);

    [Fact]
    public async Task A_posted_lead_with_sms_consent_reaches_Twilio_Messages_with_the_lead_s_number()
    {
        var phone = NewGermanMobile();

        using var response = await _app.Http.PostAsJsonAsync("/api/leads", new { name = "Anna Berger", phone, consent = new { sms = true }, interest = "heat pumps" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        Assert.Equal("sms", created.Str("channel"));
        var call = (await Eventually.ReturnsAsync(() => Task.FromResult(TwilioSendsTo(phone)), s => s.Length > 0, because: "the first contact goes out through Twilio's Messages API")).Single();
        Assert.Equal($"/2010-04-01/Accounts/{AccountSid}/Messages.json", call.Path);
        var form = TwilioApiServer.Form(call);
        Assert.Equal(SmsFrom, form["From"]);
        Assert.Contains("Anna", form["Body"], StringComparison.Ordinal);
        var item = (await Eventually.ReturnsAsync(() => _app.Http.OutboxAsync(created.Str("leadId")), i => i.Any(x => x.Str("id") == created.Str("outboxId") && x.Str("status") == "sent"), because: "the first contact is recorded as sent"))
            .Single(x => x.Str("id") == created.Str("outboxId"));
        Assert.Equal(form["Body"], item.Str("text"));
        Assert.StartsWith("SM", item.Str("providerMessageId"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quiet_WhatsApp_lead_gets_its_first_follow_up_after_the_cadence_step_as_another_Graph_call()
    {
        var waId = "4917066" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        using var webhook = await _app.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), "Hi, what does your CRM cost for 5 users?"), AppSecret));
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
        var reply = (await Eventually.ReturnsAsync(() => Task.FromResult(GraphSendsTo("+" + waId)), s => s.Length > 0, because: "the reply goes out through the Graph API")).Single();

        // The lead stays quiet; once the 2 s step is due a sweep writes the follow-up and delivery sends it through Graph.
        var calls = await Eventually.ReturnsAsync(
            async () =>
            {
                await SweepFollowUpsAsync();
                return GraphSendsTo("+" + waId);
            },
            s => s.Length == 2,
            because: "the first follow-up step is sent through the Graph API");

        var followUp = (await Eventually.ReturnsAsync(
            async () => (await _app.Http.OutboxAsync()).Where(i => i.Str("recipient") == "+" + waId && i.Str("purpose") == "follow_up").ToArray(),
            i => i.Length == 1 && i[0].Str("status") == "sent",
            because: "the follow-up is recorded as sent"))[0];
        var call = calls[1];
        Assert.NotSame(reply, call);
        Assert.Equal($"Bearer {AccessToken}", call.Headers["Authorization"]);
        Assert.Equal($"/v23.0/{PhoneNumberId}/messages", call.Path);
        // The lead wrote minutes ago: the 24-hour window is open, so free text, not a template.
        Assert.Equal("text", call.Json!["type"]!.GetValue<string>());
        Assert.Equal(followUp.Str("text"), call.Json!["text"]!["body"]!.GetValue<string>());
        Assert.StartsWith("wamid.", followUp.Str("providerMessageId"), StringComparison.Ordinal);
        Assert.Empty(_twilio.Sends);
    }

    [Fact]
    public async Task STOP_gets_exactly_one_confirmation_at_Twilio_and_then_silence_and_a_pending_follow_up_is_suppressed()
    {
        var phone = NewGermanMobile();
        Task<HttpResponseMessage> SmsAsync(string text) =>
            _app.Http.SendAsync(Webhooks.SignedTwilio(_app.BaseUrl, "demo", Webhooks.TwilioSms(phone, "SM" + Guid.NewGuid().ToString("N"), text), AuthToken));
        async Task<JsonElement[]> ItemsAsync(string leadId, string purpose) => [.. (await _app.Http.OutboxAsync(leadId)).Where(i => i.Str("purpose") == purpose)];

        Assert.Equal(HttpStatusCode.OK, (await SmsAsync("Do you ship to Canada?")).StatusCode);
        await Eventually.ReturnsAsync(() => Task.FromResult(TwilioSendsTo(phone)), s => s.Length == 1, because: "the question is answered through Twilio");
        var leadId = (await _app.Http.OutboxAsync()).Single(i => i.Str("recipient") == phone).Str("leadId");

        // The lead stays quiet: the first step is written and its first attempt is throttled by Twilio (429, Retry-After
        // 10 s), so it is pending in the outbox when the lead says STOP.
        _twilio.Enqueue(TwilioApiServer.TooManyRequests(retryAfter: "10"));
        var pending = (await Eventually.ReturnsAsync(
            async () =>
            {
                await SweepFollowUpsAsync();
                return await ItemsAsync(leadId, "follow_up");
            },
            i => i.Length == 1 && i[0].Str("status") == "pending" && i[0].GetProperty("attempts").GetInt32() == 1,
            because: "the follow-up step is written and its first attempt throttled"))[0];

        Assert.Equal(HttpStatusCode.OK, (await SmsAsync("STOP")).StatusCode);
        var confirmation = (await Eventually.ReturnsAsync(() => ItemsAsync(leadId, "opt_out_confirmation"), i => i.Length == 1 && i[0].Str("status") == "sent", because: "STOP is confirmed"))[0];
        var followUp = (await Eventually.ReturnsAsync(() => ItemsAsync(leadId, "follow_up"), i => i.Single().Str("status") != "pending", timeout: TimeSpan.FromSeconds(30), because: "the throttled step is retried"))[0];
        Assert.Equal((pending.Str("id"), "suppressed"), (followUp.Str("id"), followUp.Str("status")));
        var followUps = await _app.Http.GetJsonAsync($"/api/leads/{leadId}/followups");
        Assert.Equal(("finished", "opted_out"), (followUps.Str("status"), followUps.Str("reason")));

        // A second STOP: its turn runs (the conversation counts it) and writes nothing.
        var conversationId = confirmation.Str("conversationId");
        var turns = (await _app.Http.GetJsonAsync($"/api/conversations/{conversationId}")).GetProperty("turnCount").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await SmsAsync("STOP")).StatusCode);
        await Eventually.ReturnsAsync(
            () => _app.Http.GetJsonAsync($"/api/conversations/{conversationId}"),
            c => c.GetProperty("turnCount").GetInt32() == turns + 1,
            because: "the second STOP's turn has run");
        await SweepFollowUpsAsync();

        // The same phone posted again as a form lead is found opted out and written nothing.
        using var repost = await _app.Http.PostAsJsonAsync("/api/leads", new { name = "Gus", phone, consent = new { sms = true } });
        Assert.Equal(HttpStatusCode.OK, repost.StatusCode);
        var body = await repost.JsonAsync();
        Assert.Equal((leadId, "opted_out"), (body.Str("leadId"), body.Str("status")));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("outboxId").ValueKind);

        // Silence: nothing to send beyond the reply and the one confirmation (an item written but not yet delivered
        // counts too: the per-recipient send interval may hold it back), and at Twilio the follow-up's only call is the
        // throttled one.
        var items = await _app.Http.OutboxAsync(leadId);
        Assert.Equal(["opt_out_confirmation", "reply"], items.Where(i => i.Str("status") != "suppressed").Select(i => i.Str("purpose")).Order(StringComparer.Ordinal));
        var bodies = TwilioSendsTo(phone).Select(s => TwilioApiServer.Form(s)["Body"]).ToArray();
        Assert.Equal(3, bodies.Length);
        Assert.Equal([pending.Str("text"), confirmation.Str("text")], bodies[1..]);
    }

    [Fact]
    public async Task The_config_shows_every_secret_masked_and_none_in_plain_text()
    {
        using var response = await _app.Http.GetAsync("/api/clients/demo/config");
        var raw = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, raw, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, _patchResponse, StringComparison.Ordinal);
        }

        var config = JsonDocument.Parse(raw).RootElement;
        var whatsapp = config.GetProperty("whatsapp");
        Assert.Equal(("••••a1a1", "••••b2b2", "••••c3c3"), (whatsapp.Str("accessToken"), whatsapp.Str("appSecret"), whatsapp.Str("verifyToken")));
        Assert.Equal("••••d4d4", config.GetProperty("twilio").Str("authToken"));
        var email = config.GetProperty("email");
        Assert.Equal(("••••e5e5", "••••f6f6"), (email.Str("sendGridApiKey"), email.Str("webhookSecret")));
        // What is not secret is shown as set.
        Assert.Equal((PhoneNumberId, AccountSid, SmsFrom), (whatsapp.Str("phoneNumberId"), config.GetProperty("twilio").Str("accountSid"), config.GetProperty("twilio").Str("smsFrom")));
    }
}
