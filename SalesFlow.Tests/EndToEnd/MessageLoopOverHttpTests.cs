using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SalesFlow.Core.Conversations;
using SalesFlow.Tests.Support;
using static SalesFlow.Tests.Support.SalesFlowAppProcess;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>The whole message loop against the running app: webhook → intake → queue → engine → outbox → delivery.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class MessageLoopOverHttpTests(AppFixture fixture)
{
    private SalesFlowAppProcess App => fixture.App;

    private static string NewWaId() => "49170" + Random.Shared.Next(1000000, 9999999);

    [Fact]
    public async Task WhatsAppTextGetsAReplyInTheOutbox()
    {
        var waId = NewWaId();
        using var response = await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), "Hi, I'm interested in your product. Can you tell me more?"), WhatsAppAppSecret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var items = await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == "+" + waId).ToArray(), i => i.Length == 1 && i[0].Str("status") == "sent", because: "the reply is written and delivered");
        var reply = items[0];
        Assert.Equal("whatsapp", reply.Str("channel"));
        Assert.InRange(reply.Str("text").Length, 10, 280);
        Assert.Contains("Anna", reply.Str("text"), StringComparison.Ordinal);

        var lead = await App.Http.GetJsonAsync($"/api/leads/{reply.Str("leadId")}");
        Assert.Equal("Anna Meyer", lead.Str("name"));
        Assert.Equal("interest_qualification", lead.Str("state"));
    }

    [Fact]
    public async Task ADuplicateWebhookDeliveredTwentyTimesAtOnceMakesOneMessageAndOneReply()
    {
        var waId = NewWaId();
        var body = Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), "What does it cost?");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", body, WhatsAppAppSecret))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var accepted = 0;
        foreach (var r in responses)
        {
            accepted += (await r.JsonAsync()).GetProperty("accepted").GetInt32();
        }

        Assert.Equal(1, accepted);
        var items = await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == "+" + waId).ToArray(), i => i.Length == 1 && i[0].Str("status") == "sent");
        await Task.Delay(1500); // any second turn would have run by now
        Assert.Single((await App.Http.OutboxAsync(items[0].Str("leadId"))));

        var lead = await App.Http.GetJsonAsync($"/api/leads/{items[0].Str("leadId")}");
        var conversation = await App.Http.GetJsonAsync($"/api/conversations/{lead.Str("conversationId")}");
        var messages = conversation.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Single(messages, m => m.Str("direction") == "inbound");
        Assert.Single(messages, m => m.Str("direction") == "outbound");
    }

    [Fact]
    public async Task TheSamePhoneOnSmsAndWhatsAppIsOneLead()
    {
        var waId = NewWaId();
        await (await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), "Hello there"), WhatsAppAppSecret))).JsonAsync();
        var first = await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == "+" + waId).ToArray(), i => i.Length == 1);

        // The same person texts from the national format of the same number (client default country 49).
        var national = "0" + waId[2..];
        using var sms = await App.Http.SendAsync(Webhooks.SignedTwilio(App.BaseUrl, "demo", Webhooks.TwilioSms(national, "SM" + Guid.NewGuid().ToString("N"), "Do you also offer a demo call?"), TwilioAuthToken));
        Assert.Equal(HttpStatusCode.OK, sms.StatusCode);

        var items = await Eventually.ReturnsAsync(async () => await App.Http.OutboxAsync(first[0].Str("leadId")), i => i.Length == 2);
        Assert.Equal(["sms", "whatsapp"], items.Select(i => i.Str("channel"))); // newest first
        var lead = await App.Http.GetJsonAsync($"/api/leads/{first[0].Str("leadId")}");
        Assert.Single(lead.GetProperty("identities").EnumerateArray());
    }

    [Fact]
    public async Task AReplayedTwilioRequestWithItsMessageIdsRepeatedIsStillADuplicate()
    {
        var sid = "SM" + Guid.NewGuid().ToString("N");
        var from = "+1415" + Random.Shared.Next(2_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var form = Webhooks.TwilioSms(from, sid, "Do you ship to Canada?");
        using var first = await App.Http.SendAsync(Webhooks.SignedTwilio(App.BaseUrl, "demo", form, TwilioAuthToken));

        // The captured request again with its message ids repeated: Twilio's check drops duplicate pairs, so the signature holds.
        var url = new Uri(App.BaseUrl, "/api/webhooks/twilio/demo").ToString();
        using var replay = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form.Concat([new("MessageSid", sid), new("SmsSid", sid), new("SmsMessageSid", sid)])) };
        replay.Headers.Add("X-Twilio-Signature", Webhooks.TwilioSignatureFor(TwilioAuthToken, url, form));
        using var second = await App.Http.SendAsync(replay);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        var items = await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == from).ToArray(), i => i.Length >= 1);
        var conversation = await App.Http.GetJsonAsync($"/api/conversations/{items[0].Str("conversationId")}");
        Assert.Single(conversation.GetProperty("messages").EnumerateArray(), m => m.GetProperty("direction").GetString() == "inbound");
    }

    [Fact]
    public async Task ABurstOfMessagesIsAnsweredOnce()
    {
        var waId = NewWaId();
        foreach (var text in new[] { "Hi", "I run a small bakery", "do you have something for online orders?" })
        {
            await (await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), text), WhatsAppAppSecret))).JsonAsync();
        }

        var items = await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == "+" + waId).ToArray(), i => i.Length >= 1);
        await Task.Delay(1500);
        Assert.Single((await App.Http.OutboxAsync(items[0].Str("leadId"))));
    }

    [Fact]
    public async Task AStatusUpdateMarksTheOutboundMessageItRefersTo()
    {
        var waId = NewWaId();
        await (await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), "Hello"), WhatsAppAppSecret))).JsonAsync();
        var sent = (await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == "+" + waId).ToArray(), i => i.Length == 1 && i[0].Str("status") == "sent"))[0];

        var status = await (await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppStatus(sent.Str("providerMessageId"), "read", waId), WhatsAppAppSecret))).JsonAsync();
        Assert.Equal(1, status.GetProperty("statuses").GetInt32());
        Assert.Equal("read", (await App.Http.OutboxAsync(sent.Str("leadId")))[0].Str("status"));
    }

    [Fact]
    public async Task AnInboundEmailIsAnsweredByEmailWithoutTheQuotedHistory()
    {
        var address = $"lead{Guid.NewGuid():N}@example.com";
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent($"Jonas Weber <{address}>"), "from");
        form.Add(new StringContent("sales@demo.example"), "to");
        form.Add(new StringContent("Angebot"), "subject");
        form.Add(new StringContent("Guten Tag, was kostet Ihr Produkt für 5 Nutzer?\n\nAm Mo., 3. Nov. 2026 um 10:00 schrieb Sales <sales@demo.example>:\n> Vielen Dank für Ihr Interesse"), "text");
        form.Add(new StringContent($"Message-ID: <{Guid.NewGuid():N}@mail.example.com>\nFrom: {address}\n"), "headers");

        // What SendGrid adds for mail the sender's own domain signed and sent.
        form.Add(new StringContent($"{{\"to\":[\"sales@demo.example\"],\"from\":\"{address}\"}}"), "envelope");
        form.Add(new StringContent("pass"), "SPF");
        form.Add(new StringContent("{@example.com : pass}"), "dkim");
        using var response = await App.Anonymous().PostAsync($"/api/webhooks/email/demo?key={EmailWebhookSecret}", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Sent: delivery is queued after the turn's commit, so the conversation's state is the turn's.
        var reply = (await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == address).ToArray(), i => i.Length == 1 && i[0].Str("status") == "sent"))[0];
        Assert.Equal("email", reply.Str("channel"));
        var conversation = await App.Http.GetJsonAsync($"/api/conversations/{reply.Str("conversationId")}");
        var inbound = conversation.GetProperty("messages").EnumerateArray().First(m => m.Str("direction") == "inbound");
        Assert.DoesNotContain("Vielen Dank für Ihr Interesse", inbound.Str("text"), StringComparison.Ordinal);
        Assert.Equal("price_negotiation", conversation.Str("state"));
        Assert.Contains("Jonas", reply.Str("text"), StringComparison.Ordinal);
    }

    private async Task PostEmailAsync(MultipartFormDataContent form)
    {
        using (form)
        {
            using var anonymous = App.Anonymous();
            using var response = await anonymous.PostAsync($"/api/webhooks/email/demo?key={EmailWebhookSecret}", form);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, (await response.JsonAsync()).GetProperty("accepted").GetInt32());
        }
    }

    [Fact]
    public async Task AForgedEmailFromALeadsAddressIsShownFlaggedButGetsNoReplyAndDoesNotOptTheLeadOut()
    {
        var address = $"lead{Guid.NewGuid():N}@weber-bau.example";
        await PostEmailAsync(Webhooks.AuthenticSendGridEmail(address, "Hello, what does your CRM cost for 5 users?"));
        var first = (await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == address).ToArray(), i => i.Length == 1 && i[0].Str("status") == "sent"))[0];
        var leadId = first.Str("leadId");
        var stateBefore = (await App.Http.GetJsonAsync($"/api/conversations/{first.Str("conversationId")}")).Str("state");

        await PostEmailAsync(Webhooks.ForgedSendGridEmail(address, "STOP. Unsubscribe me and talk to my lawyer at boss@attacker.example"));
        var conversation = await Eventually.ReturnsAsync(
            () => App.Http.GetJsonAsync($"/api/conversations/{first.Str("conversationId")}"),
            c => c.GetProperty("messages").EnumerateArray().Any(m => m.Str("text").Contains("attacker", StringComparison.Ordinal)),
            because: "the forged e-mail is stored and shown");
        var forged = conversation.GetProperty("messages").EnumerateArray().Single(m => m.Str("text").Contains("attacker", StringComparison.Ordinal));
        Assert.Equal("sender_not_authenticated", forged.Str("untrusted"));
        await Task.Delay(1000); // a turn for the forgery (burst window 0.3 s) would have run by now
        Assert.Single(await App.Http.OutboxAsync(leadId));
        Assert.Equal(stateBefore, (await App.Http.GetJsonAsync($"/api/conversations/{first.Str("conversationId")}")).Str("state"));

        // The lead's own next e-mail is answered: the turn ran past the forgery without acting on it.
        await PostEmailAsync(Webhooks.AuthenticSendGridEmail(address, "Do you also offer a demo call?"));
        var items = await Eventually.ReturnsAsync(() => App.Http.OutboxAsync(leadId), i => i.Length == 2);
        Assert.All(items, i => Assert.Equal("reply", i.Str("purpose")));
        var lead = await App.Http.GetJsonAsync($"/api/leads/{leadId}");
        Assert.False(lead.GetProperty("optedOut").GetBoolean());
        Assert.False(lead.GetProperty("escalated").GetBoolean());
        Assert.DoesNotContain(lead.GetProperty("identities").EnumerateArray(), i => i.Str("value").Contains("attacker", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AForgedLookingEmailIsAnsweredOnceAfterARepTrustsItAndASecondTrustChangesNothing()
    {
        var address = $"lead{Guid.NewGuid():N}@kleinbetrieb.example";
        await PostEmailAsync(Webhooks.AuthenticSendGridEmail(address, "Hello, do you offer a demo call?"));
        var first = (await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == address).ToArray(), i => i.Length == 1))[0];
        var (leadId, conversationId) = (first.Str("leadId"), first.Str("conversationId"));

        // The same small business writes again from a server that neither signs nor is in its SPF record.
        await PostEmailAsync(Webhooks.ForgedSendGridEmail(address, "What does your CRM cost for 5 users?"));
        var conversation = await Eventually.ReturnsAsync(
            () => App.Http.GetJsonAsync($"/api/conversations/{conversationId}"),
            c => c.GetProperty("messages").EnumerateArray().Any(m => m.Str("text").Contains("5 users", StringComparison.Ordinal)));
        var held = conversation.GetProperty("messages").EnumerateArray().Single(m => m.Str("text").Contains("5 users", StringComparison.Ordinal));
        Assert.Equal("sender_not_authenticated", held.Str("untrusted"));
        await Task.Delay(1000); // a turn for the held-back e-mail (burst window 0.3 s) would have run by now
        Assert.Single(await App.Http.OutboxAsync(leadId));

        using var trusted = await App.Http.PostAsync($"/api/conversations/{conversationId}/messages/{held.Str("id")}/trust", null);
        Assert.Equal(HttpStatusCode.OK, trusted.StatusCode);
        var body = await trusted.JsonAsync();
        Assert.Equal(conversationId, body.Str("conversationId"));
        var message = body.GetProperty("message");
        Assert.Equal((held.Str("id"), "api"), (message.Str("id"), message.Str("trustedBy")));
        Assert.Equal(JsonValueKind.Null, message.GetProperty("untrusted").ValueKind);
        var replies = await Eventually.ReturnsAsync(() => App.Http.OutboxAsync(leadId), i => i.Length == 2, because: "the trusted e-mail is answered");
        var reply = replies.Single(i => i.Str("id") == ReplyWriter.IdFor("demo", held.Str("id")));
        Assert.Equal(("email", address, "reply"), (reply.Str("channel"), reply.Str("recipient"), reply.Str("purpose")));
        // The reply is stored just before the turn commits the conversation: its state follows a moment later.
        await Eventually.ReturnsAsync(
            () => App.Http.GetJsonAsync($"/api/conversations/{conversationId}"),
            c => c.Str("state") == "price_negotiation",
            because: "the trusted pricing question moves the conversation");

        using var again = await App.Http.PostAsync($"/api/conversations/{conversationId}/messages/{held.Str("id")}/trust", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(body.GetRawText(), (await again.JsonAsync()).GetRawText());
        await Task.Delay(1000); // a second turn would have run by now
        Assert.Equal(2, (await App.Http.OutboxAsync(leadId)).Length);
        var shown = (await App.Http.GetJsonAsync($"/api/conversations/{conversationId}")).GetProperty("messages").EnumerateArray().Single(m => m.Str("id") == held.Str("id"));
        Assert.Equal(("api", JsonValueKind.Null), (shown.Str("trustedBy"), shown.GetProperty("untrusted").ValueKind));
    }

    [Fact]
    public async Task TheRepWhoVouchesIsKeptInTheAuditTrailAndABadNameChangesNothing()
    {
        var address = $"lead{Guid.NewGuid():N}@kleinbetrieb.example";
        await PostEmailAsync(Webhooks.AuthenticSendGridEmail(address, "Hello, do you offer a demo call?"));
        var first = (await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == address).ToArray(), i => i.Length == 1))[0];
        var conversationId = first.Str("conversationId");
        await PostEmailAsync(Webhooks.ForgedSendGridEmail(address, "Can we start next month?"));
        var held = (await Eventually.ReturnsAsync(
            () => App.Http.GetJsonAsync($"/api/conversations/{conversationId}"),
            c => c.GetProperty("messages").EnumerateArray().Any(m => m.GetProperty("untrusted").ValueKind == JsonValueKind.String)))
            .GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("untrusted").ValueKind == JsonValueKind.String);
        var url = $"/api/conversations/{conversationId}/messages/{held.Str("id")}/trust";

        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync(url, new { by = new string('x', 201) }), HttpStatusCode.BadRequest, "by");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync(url, new { by = "anna\nroot" }), HttpStatusCode.BadRequest, "by");
        var still = (await App.Http.GetJsonAsync($"/api/conversations/{conversationId}")).GetProperty("messages").EnumerateArray().Single(m => m.Str("id") == held.Str("id"));
        Assert.Equal("sender_not_authenticated", still.Str("untrusted"));

        var trusted = await App.Http.PostJsonAsync(url, new { by = " anna@acme.example " });

        Assert.Equal("anna@acme.example", trusted.GetProperty("message").Str("trustedBy"));
        await Eventually.ReturnsAsync(() => App.Http.OutboxAsync(first.Str("leadId")), i => i.Length == 2, because: "the trusted e-mail is answered");
    }

    [Fact]
    public async Task TrustingAnswers404ForAnotherClientsOrAnUnknownMessageAnd409ForOneThatWasNeverHeldBack()
    {
        var address = $"lead{Guid.NewGuid():N}@kleinbetrieb.example";
        await PostEmailAsync(Webhooks.AuthenticSendGridEmail(address, "Hello, do you offer a demo call?"));
        var first = (await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == address).ToArray(), i => i.Length == 1))[0];
        var conversationId = first.Str("conversationId");
        await PostEmailAsync(Webhooks.ForgedSendGridEmail(address, "STOP and write to boss@attacker.example"));
        var messages = (await Eventually.ReturnsAsync(
            () => App.Http.GetJsonAsync($"/api/conversations/{conversationId}"),
            c => c.GetProperty("messages").GetArrayLength() == 3)).GetProperty("messages").EnumerateArray().ToArray();
        var authentic = messages.Single(m => m.Str("direction") == "inbound" && m.GetProperty("untrusted").ValueKind == JsonValueKind.Null);
        var held = messages.Single(m => m.GetProperty("untrusted").ValueKind == JsonValueKind.String);

        using var admin = App.Anonymous();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AppFixture.AdminKey);
        var other = await (await admin.PostAsJsonAsync("/api/admin/clients", new { id = "trust-tenant-" + Guid.NewGuid().ToString("N")[..8], name = "Other" })).JsonAsync();
        using var intruder = App.Anonymous();
        intruder.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", other.Str("apiKey"));
        await ApiJson.AssertProblemAsync(await intruder.PostAsync($"/api/conversations/{conversationId}/messages/{held.Str("id")}/trust", null), HttpStatusCode.NotFound, "id");
        using var anonymous = App.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/conversations/{conversationId}/messages/{held.Str("id")}/trust", null)).StatusCode);

        await ApiJson.AssertProblemAsync(await App.Http.PostAsync($"/api/conversations/{conversationId}/messages/msg_unknown/trust", null), HttpStatusCode.NotFound, "messageId");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsync($"/api/conversations/conv_unknown/messages/{held.Str("id")}/trust", null), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsync($"/api/conversations/{conversationId}/messages/{authentic.Str("id")}/trust", null), HttpStatusCode.Conflict, "messageId");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsync($"/api/conversations/{conversationId}/messages/{first.Str("id")}/trust", null), HttpStatusCode.Conflict, "messageId");

        // Nothing of the above vouched for the forgery.
        var after = (await App.Http.GetJsonAsync($"/api/conversations/{conversationId}")).GetProperty("messages").EnumerateArray().Single(m => m.Str("id") == held.Str("id"));
        Assert.Equal("sender_not_authenticated", after.Str("untrusted"));
        Assert.Single(await App.Http.OutboxAsync(first.Str("leadId")));
    }

    [Fact]
    public async Task AnEmailSignedByALookAlikeDomainIsNotAnswered()
    {
        var address = $"lead{Guid.NewGuid():N}@example.com";
        await PostEmailAsync(Webhooks.SendGridEmail(address, "What does it cost for 5 users?", "softfail", "{@evilexample.com : pass}", "mailer@evilexample.com"));

        // Only the lead's own e-mail afterwards gets a reply, and it answers that e-mail, not the look-alike's.
        await PostEmailAsync(Webhooks.AuthenticSendGridEmail(address, "Hello, do you offer a demo call?"));
        var items = await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == address).ToArray(), i => i.Length >= 1);
        await Task.Delay(1000);
        var reply = Assert.Single(await App.Http.OutboxAsync(items[0].Str("leadId")));
        var conversation = await App.Http.GetJsonAsync($"/api/conversations/{reply.Str("conversationId")}");
        var inbound = conversation.GetProperty("messages").EnumerateArray().Where(m => m.Str("direction") == "inbound").ToArray();
        Assert.Equal(2, inbound.Length);
        Assert.Equal("sender_not_authenticated", inbound.Single(m => m.Str("text").StartsWith("What does it cost", StringComparison.Ordinal)).Str("untrusted"));
        Assert.NotEqual("price_negotiation", conversation.Str("state"));
    }

    [Fact]
    public async Task AWhatsAppVerificationChallengeIsEchoedOnlyForTheRightToken()
    {
        using var anonymous = App.Anonymous();
        using var ok = await anonymous.GetAsync($"/api/webhooks/whatsapp/demo?hub.mode=subscribe&hub.verify_token={WhatsAppVerifyToken}&hub.challenge=1158201444");
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());
        using var wrong = await anonymous.GetAsync("/api/webhooks/whatsapp/demo?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
    }

    [Fact]
    public async Task ALeadAskingForAHumanIsEscalatedAndLeftToThemUntilReleased()
    {
        var start = await App.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+491511234567" + Random.Shared.Next(0, 9), message = "I want to talk to a real person, not a bot" });
        var leadId = start.Str("leadId");
        Assert.False(string.IsNullOrEmpty(start.Str("reply")));
        Assert.True((await App.Http.GetJsonAsync($"/api/leads/{leadId}")).GetProperty("escalated").GetBoolean());

        var silent = await App.Http.PostJsonAsync($"/api/conversations/{start.Str("conversationId")}/messages", new { message = "Hello? Anyone there?" });
        Assert.Equal(System.Text.Json.JsonValueKind.Null, silent.GetProperty("reply").ValueKind);

        await (await App.Http.PostAsync($"/api/leads/{leadId}/release", null)).JsonAsync();
        var answered = await App.Http.PostJsonAsync($"/api/conversations/{start.Str("conversationId")}/messages", new { message = "How much does the starter plan cost?" });
        Assert.False(string.IsNullOrEmpty(answered.Str("reply")));
        Assert.Equal("pricing", answered.Str("intent"));
    }
}
