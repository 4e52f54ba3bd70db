using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SalesFlow.Tests.Support;
using static SalesFlow.Tests.Support.SalesFlowAppProcess;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// An e-mail address typed in chat is a claim, not an identity: it routes nothing until the address proves it
/// (the code or link of a confirmation e-mail) or a rep merges the two leads.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class EmailIdentityOverHttpTests(AppFixture fixture)
{
    private SalesFlowAppProcess App => fixture.App;

    private static string NewWaId() => "49171" + Random.Shared.Next(1000000, 9999999);

    private static string NewAddress(string who) => $"{who}{Guid.NewGuid():N}@{who}-corp.example";

    [Fact]
    public async Task AnAddressTypedInWhatsAppDoesNotCaptureTheAddressOwnersAuthenticatedEmail()
    {
        var waId = NewWaId();
        var victim = NewAddress("victim");
        await WhatsAppAsync(waId, $"Hi, my name is Mallory Fake. My email is {victim}", profileName: "Mallory Fake");
        var attackerLead = (await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == "+" + waId).ToArray(), i => i.Length == 1))[0].Str("leadId");

        await PostEmailAsync(Webhooks.AuthenticSendGridEmail(victim, "Hello, my name is Vera Victim. Our budget is 40,000 € and we need it by next month.", fromName: "Vera Victim"));
        var reply = (await Eventually.ReturnsAsync(
            async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == victim && i.Str("purpose") == "reply").ToArray(),
            i => i.Length == 1,
            because: "the victim's e-mail is answered"))[0];

        Assert.NotEqual(attackerLead, reply.Str("leadId"));
        Assert.DoesNotContain("Mallory", reply.Str("text"), StringComparison.Ordinal);
        var victimLead = await App.Http.GetJsonAsync($"/api/leads/{reply.Str("leadId")}");
        Assert.Equal("Vera Victim", victimLead.Str("name"));
        Assert.Contains(victimLead.GetProperty("identities").EnumerateArray(), i => i.Str("value") == victim);

        var attacker = await App.Http.GetJsonAsync($"/api/leads/{attackerLead}");
        Assert.Equal(JsonValueKind.Null, attacker.GetProperty("email").ValueKind);
        Assert.DoesNotContain(attacker.GetProperty("identities").EnumerateArray(), i => i.Str("value") == victim);
        var facts = attacker.GetProperty("profile").GetProperty("keyFacts");
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (facts.GetProperty("budget").ValueKind, facts.GetProperty("timeline").ValueKind));
        var messages = (await App.Http.GetJsonAsync($"/api/conversations/{attacker.Str("conversationId")}")).GetProperty("messages").EnumerateArray();
        Assert.DoesNotContain(messages, m => m.Str("text").Contains("Vera", StringComparison.Ordinal));

        // The claim is kept on the attacker's lead, unverified, and the victim was asked (once) whether it is theirs.
        var claim = Assert.Single(attacker.GetProperty("emailClaims").EnumerateArray());
        Assert.Equal((victim, "pending"), (claim.Str("address"), claim.Str("status")));
        Assert.Single(await App.Http.OutboxAsync(attackerLead), i => i.Str("purpose") == "email_verification" && i.Str("recipient") == victim);
    }

    [Fact]
    public async Task TheCodeOfTheConfirmationEmailReturnedInChatMakesTheAddressTheLeadsEmailChannel()
    {
        var waId = NewWaId();
        var address = NewAddress("anna");
        await WhatsAppAsync(waId, $"Please send the offer to {address}");
        var leadId = (await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == "+" + waId).ToArray(), i => i.Length == 1))[0].Str("leadId");
        var confirmation = await ConfirmationAsync(leadId, address);

        // The lead repeats the address: the same claim, no second e-mail.
        await WhatsAppAsync(waId, $"Again, my e-mail is {address.ToUpperInvariant()}");
        await Eventually.ReturnsAsync(() => App.Http.OutboxAsync(leadId), i => i.Count(x => x.Str("purpose") == "reply") == 2);
        Assert.Single(await App.Http.OutboxAsync(leadId), i => i.Str("purpose") == "email_verification");
        var pending = await App.Http.GetJsonAsync($"/api/leads/{leadId}");
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("email").ValueKind);
        Assert.Equal("pending", Assert.Single(pending.GetProperty("emailClaims").EnumerateArray()).Str("status"));

        var code = CodeIn(confirmation.Str("text"));
        await WhatsAppAsync(waId, $"my code is {code[..3]} {code[3..]}");
        var lead = await Eventually.ReturnsAsync(() => App.Http.GetJsonAsync($"/api/leads/{leadId}"), l => l.GetProperty("email").ValueKind == JsonValueKind.String, because: "the code verifies the address");
        Assert.Equal(address, lead.Str("email"));
        Assert.Contains(lead.GetProperty("identities").EnumerateArray(), i => i.Str("kind") == "email" && i.Str("value") == address);
        Assert.Equal("verified", Assert.Single(lead.GetProperty("emailClaims").EnumerateArray()).Str("status"));

        // Now the address's authenticated e-mail continues this lead's conversation.
        await PostEmailAsync(Webhooks.AuthenticSendGridEmail(address, "Following up by e-mail: what does onboarding look like?"));
        var byEmail = await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync(leadId)).Where(i => i.Str("recipient") == address && i.Str("purpose") == "reply").ToArray(), i => i.Length == 1);
        Assert.Equal(lead.Str("conversationId"), byEmail[0].Str("conversationId"));
    }

    [Fact]
    public async Task TheLinkOfTheConfirmationEmailVerifiesOnceAndOnlyForItsOwnClient()
    {
        var waId = NewWaId();
        var address = NewAddress("ben");
        await WhatsAppAsync(waId, $"You can reach me at {address}");
        var leadId = (await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == "+" + waId).ToArray(), i => i.Length == 1))[0].Str("leadId");
        var path = LinkIn((await ConfirmationAsync(leadId, address)).Str("text"));
        Assert.StartsWith("/api/verify/email/demo/", path, StringComparison.Ordinal);
        var token = path["/api/verify/email/demo/".Length..];

        using var anonymous = App.Anonymous();
        using var admin = App.Anonymous();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AppFixture.AdminKey);
        var other = await (await admin.PostAsJsonAsync("/api/admin/clients", new { id = "verify-tenant-" + Guid.NewGuid().ToString("N")[..8], name = "Other" })).JsonAsync();
        await ApiJson.AssertProblemAsync(await anonymous.GetAsync($"/api/verify/email/{other.Str("id")}/{token}"), HttpStatusCode.NotFound, "token");
        await ApiJson.AssertProblemAsync(await anonymous.GetAsync($"/api/verify/email/demo/{token[..^2]}xx"), HttpStatusCode.NotFound, "token");
        Assert.Equal(JsonValueKind.Null, (await App.Http.GetJsonAsync($"/api/leads/{leadId}")).GetProperty("email").ValueKind);

        var verified = await (await anonymous.GetAsync(path)).JsonAsync();
        Assert.Equal((true, address), (verified.GetProperty("verified").GetBoolean(), verified.Str("address")));
        Assert.False(verified.TryGetProperty("leadId", out _));
        var lead = await App.Http.GetJsonAsync($"/api/leads/{leadId}");
        Assert.Equal(address, lead.Str("email"));
        Assert.Contains(lead.GetProperty("identities").EnumerateArray(), i => i.Str("value") == address);

        // Single use: a replay changes nothing and says so.
        await ApiJson.AssertProblemAsync(await anonymous.GetAsync(path), HttpStatusCode.Gone, "token");
    }

    [Fact]
    public async Task AnAddressAlreadyVerifiedByAnotherLeadIsNeverLinkedAndARepMergesTheTwoLeadsKeepingBothHistories()
    {
        var address = NewAddress("clara");
        await PostEmailAsync(Webhooks.AuthenticSendGridEmail(address, "Hello, what does your CRM cost for 5 users?", fromName: "Clara Klein"));
        var emailLead = (await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == address).ToArray(), i => i.Length == 1))[0];

        var waId = NewWaId();
        await WhatsAppAsync(waId, $"Hi, I wrote to you by e-mail from {address}", profileName: "Clara Klein");
        var chatLeadId = (await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == "+" + waId).ToArray(), i => i.Length == 1))[0].Str("leadId");
        var chatLead = await App.Http.GetJsonAsync($"/api/leads/{chatLeadId}");
        var claim = Assert.Single(chatLead.GetProperty("emailClaims").EnumerateArray());
        Assert.Equal(("conflict", emailLead.Str("leadId")), (claim.Str("status"), claim.Str("conflictLeadId")));
        Assert.DoesNotContain(await App.Http.OutboxAsync(chatLeadId), i => i.Str("purpose") == "email_verification");

        // Bad requests change nothing.
        var url = $"/api/leads/{chatLeadId}/merge";
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync(url, new { }), HttpStatusCode.BadRequest, "otherLeadId");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync(url, new { otherLeadId = chatLeadId }), HttpStatusCode.BadRequest, "otherLeadId");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync(url, new { otherLeadId = "lead_unknown" }), HttpStatusCode.NotFound, "otherLeadId");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/leads/lead_unknown/merge", new { otherLeadId = chatLeadId }), HttpStatusCode.NotFound, "id");
        using var admin = App.Anonymous();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AppFixture.AdminKey);
        var other = await (await admin.PostAsJsonAsync("/api/admin/clients", new { id = "merge-tenant-" + Guid.NewGuid().ToString("N")[..8], name = "Other" })).JsonAsync();
        using var intruder = App.Anonymous();
        intruder.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", other.Str("apiKey"));
        await ApiJson.AssertProblemAsync(await intruder.PostAsJsonAsync(url, new { otherLeadId = emailLead.Str("leadId") }), HttpStatusCode.NotFound, "id");
        var theirs = await intruder.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+14158" + Random.Shared.Next(200000, 999999), message = "Hello" });
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync(url, new { otherLeadId = theirs.Str("leadId") }), HttpStatusCode.NotFound, "otherLeadId");
        using var anonymous = App.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(url, new { otherLeadId = emailLead.Str("leadId") })).StatusCode);
        Assert.Equal(emailLead.Str("leadId"), (await App.Http.GetJsonAsync($"/api/leads/{emailLead.Str("leadId")}")).Str("id"));

        var merged = await App.Http.PostJsonAsync(url, new { otherLeadId = emailLead.Str("leadId"), by = "rep@demo.example" });
        var again = await App.Http.PostJsonAsync(url, new { otherLeadId = emailLead.Str("leadId") });
        Assert.Equal(merged.GetRawText(), again.GetRawText());

        var survivor = await App.Http.GetJsonAsync($"/api/leads/{chatLeadId}");
        Assert.Contains(survivor.GetProperty("identities").EnumerateArray(), i => i.Str("value") == address);
        Assert.Contains(survivor.GetProperty("identities").EnumerateArray(), i => i.Str("value") == "+" + waId);
        Assert.Equal(address, survivor.Str("email"));
        var record = Assert.Single(survivor.GetProperty("mergedLeads").EnumerateArray());
        Assert.Equal((emailLead.Str("leadId"), emailLead.Str("conversationId"), "rep@demo.example"), (record.Str("leadId"), record.Str("conversationId"), record.Str("mergedBy")));
        Assert.True(record.TryGetProperty("mergedAt", out _));

        // The merged-away lead points at the survivor; its conversation stays readable.
        var gone = await App.Http.GetAsync($"/api/leads/{emailLead.Str("leadId")}");
        await ApiJson.AssertProblemAsync(gone, HttpStatusCode.NotFound, "id");
        Assert.Contains(chatLeadId, await gone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var oldConversation = await App.Http.GetJsonAsync($"/api/conversations/{emailLead.Str("conversationId")}");
        Assert.Contains(oldConversation.GetProperty("messages").EnumerateArray(), m => m.Str("text").Contains("CRM cost", StringComparison.Ordinal));

        // The address's next e-mail lands on the survivor.
        await PostEmailAsync(Webhooks.AuthenticSendGridEmail(address, "Is there a free trial?", fromName: "Clara Klein"));
        await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync(chatLeadId)).Where(i => i.Str("recipient") == address).ToArray(), i => i.Length == 1, because: "the merged address routes to the survivor");

        // Erasing the survivor erases the lead merged into it: one person.
        using var erase = await App.Http.DeleteAsync($"/api/leads/{chatLeadId}");
        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await App.Http.GetAsync($"/api/conversations/{emailLead.Str("conversationId")}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await App.Http.GetAsync($"/api/leads/{emailLead.Str("leadId")}")).StatusCode);
        Assert.Empty(await App.Http.OutboxAsync(emailLead.Str("leadId")));
    }

    private async Task<JsonElement> ConfirmationAsync(string leadId, string address)
    {
        var items = await Eventually.ReturnsAsync(
            async () => (await App.Http.OutboxAsync(leadId)).Where(i => i.Str("purpose") == "email_verification").ToArray(),
            i => i.Length == 1,
            because: "a confirmation e-mail goes to the claimed address");
        Assert.Equal(("email", address), (items[0].Str("channel"), items[0].Str("recipient")));
        return items[0];
    }

    private static string CodeIn(string text) => CodePattern().Match(text).Groups[1].Value;

    private static string LinkIn(string text) => LinkPattern().Match(text).Value;

    [GeneratedRegex(@"\b(\d{6})\b")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"/api/verify/email/[^\s/]+/[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();

    private async Task WhatsAppAsync(string waId, string text, string profileName = "Anna Meyer")
    {
        using var response = await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), text, profileName), WhatsAppAppSecret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task PostEmailAsync(MultipartFormDataContent form)
    {
        using (form)
        {
            using var anonymous = App.Anonymous();
            using var response = await anonymous.PostAsync($"/api/webhooks/email/demo?key={EmailWebhookSecret}", form);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
