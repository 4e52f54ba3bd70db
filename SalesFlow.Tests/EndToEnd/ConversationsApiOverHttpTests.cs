using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class ConversationsApiOverHttpTests(AppFixture fixture)
{
    private SalesFlowAppProcess App => fixture.App;

    private static string NewPhone() => "+4917" + Random.Shared.Next(10000000, 99999999);

    [Fact]
    public async Task AConversationWalksTheSalesStagesAndRecordsWhy()
    {
        var start = await App.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = NewPhone(), name = "Lena Fischer", message = "Hi! I'm interested in your CRM for my team" });
        Assert.Equal("interest_qualification", start.Str("state"));
        Assert.Contains("Lena", start.Str("reply"), StringComparison.Ordinal);
        var id = start.Str("conversationId");

        var pricing = await App.Http.PostJsonAsync($"/api/conversations/{id}/messages", new { message = "How much does it cost per user?" });
        Assert.Equal(("price_negotiation", "interest_qualification", "pricing"), (pricing.Str("state"), pricing.Str("previousState"), pricing.Str("intent")));

        var buy = await App.Http.PostJsonAsync($"/api/conversations/{id}/messages", new { message = "OK let's do it, send me the contract" });
        Assert.Equal("closing_attempt", buy.Str("state"));
        Assert.True(buy.Str("reply").Length <= 280);

        var conversation = await App.Http.GetJsonAsync($"/api/conversations/{id}");
        Assert.Equal("closing_attempt", conversation.Str("state"));
        var history = conversation.GetProperty("history").EnumerateArray().Select(h => (h.Str("from"), h.Str("to"))).ToArray();
        Assert.Equal([("initial_contact", "interest_qualification"), ("interest_qualification", "price_negotiation"), ("price_negotiation", "closing_attempt")], history);
        Assert.All(conversation.GetProperty("history").EnumerateArray(), h => Assert.False(string.IsNullOrEmpty(h.Str("reason"))));
        Assert.Equal(6, conversation.GetProperty("messages").GetArrayLength());

        var memory = await App.Http.GetJsonAsync($"/api/leads/{start.Str("leadId")}/memory");
        Assert.Equal("Lena Fischer", memory.GetProperty("keyFacts").Str("name"));
        Assert.Equal(6, memory.GetProperty("hot").GetProperty("messages").GetArrayLength());
    }

    /// <summary>Issue 14: a message left unanswered comes with the reason ("reply": null said nothing of why).</summary>
    [Fact]
    public async Task AMessageLeftUnansweredSaysWhy()
    {
        var handedOver = await App.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = NewPhone(), message = "i want to talk to a real person" });
        Assert.False(string.IsNullOrEmpty(handedOver.Str("reply")));
        Assert.Equal(JsonValueKind.Null, handedOver.GetProperty("silence").ValueKind);
        var after = await App.Http.PostJsonAsync($"/api/conversations/{handedOver.Str("conversationId")}/messages", new { message = "hello??" });
        Assert.Equal((JsonValueKind.Null, "handed_over"), (after.GetProperty("reply").ValueKind, after.Str("silence")));

        var optedOut = await App.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = NewPhone(), message = "STOP" });
        var later = await App.Http.PostJsonAsync($"/api/conversations/{optedOut.Str("conversationId")}/messages", new { message = "what does it cost?" });
        Assert.Equal((JsonValueKind.Null, "opted_out"), (later.GetProperty("reply").ValueKind, later.Str("silence")));
    }

    [Fact]
    public async Task AGermanLeadIsAnsweredInGerman()
    {
        var start = await App.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = NewPhone(), message = "Hallo, ich interessiere mich für Ihr Angebot. Was kostet das?" });
        var lead = await App.Http.GetJsonAsync($"/api/leads/{start.Str("leadId")}");
        Assert.Equal("de", lead.Str("language"));
        Assert.Matches("(?i)\\b(Sie|Ihnen|Ihr|gerne|Danke)\\b", start.Str("reply"));
    }

    /// <summary>An e-mail reply pasted with its quoted history was read with the quote's question, and told the team would check that "other question".</summary>
    [Fact]
    public async Task AnEmailsQuotedHistoryIsNotPartOfTheLeadsMessage()
    {
        var address = $"quote-{Guid.NewGuid():N}@example.com";
        var start = await App.Http.PostJsonAsync("/api/conversations", new { channel = "email", from = address, message = "Hallo, was kostet das für ein Büro mit 5 Leuten?" });

        await App.Http.PostJsonAsync($"/api/conversations/{start.Str("conversationId")}/messages", new
        {
            message = "Danke. Gibt es eine Mindestlaufzeit?\n\nAm 06.12.2026 um 16:45 schrieb Acme <demo@example.com>:\n> Wie viele Personen in Ihrem Team würden es nutzen?",
        });

        var conversation = await App.Http.GetJsonAsync($"/api/conversations/{start.Str("conversationId")}");
        var inbound = conversation.GetProperty("messages").EnumerateArray().Where(m => m.Str("direction") == "inbound").Select(m => m.Str("text")).ToList();
        Assert.Equal("Danke. Gibt es eine Mindestlaufzeit?", inbound[^1]);
    }

    [Fact]
    public async Task AnEmailAddressGivenInChatLinksTheEmailChannelOnceTheConfirmationCodeComesBack()
    {
        var address = $"max{Guid.NewGuid():N}@firma.de";
        var start = await App.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = NewPhone(), message = $"Please send details to {address}" });
        var lead = await App.Http.GetJsonAsync($"/api/leads/{start.Str("leadId")}");
        Assert.Equal(JsonValueKind.Null, lead.GetProperty("email").ValueKind);
        Assert.Equal((address, "pending"), (lead.GetProperty("emailClaims")[0].Str("address"), lead.GetProperty("emailClaims")[0].Str("status")));

        // Until it is proved, the address is its own lead.
        var unproved = await App.Http.PostJsonAsync("/api/conversations", new { channel = "email", from = $"other-{address}", message = "Hello" });
        Assert.NotEqual(start.Str("leadId"), unproved.Str("leadId"));

        var confirmation = Assert.Single(await App.Http.OutboxAsync(start.Str("leadId")), i => i.Str("purpose") == "email_verification");
        var code = System.Text.RegularExpressions.Regex.Match(confirmation.Str("text"), @"\b\d{6}\b").Value;
        await App.Http.PostJsonAsync($"/api/conversations/{start.Str("conversationId")}/messages", new { message = $"The code is {code}" });
        Assert.Equal(address, (await App.Http.GetJsonAsync($"/api/leads/{start.Str("leadId")}")).Str("email"));

        var byEmail = await App.Http.PostJsonAsync("/api/conversations", new { channel = "email", from = address, message = "Following up by e-mail: what does onboarding look like?" });
        Assert.Equal(start.Str("leadId"), byEmail.Str("leadId"));
        Assert.Equal(start.Str("conversationId"), byEmail.Str("conversationId"));
    }

    [Fact]
    public async Task AnIdempotencyKeyMakesARetriedCallLandOnce()
    {
        var phone = NewPhone();
        async Task<HttpResponseMessage> Post()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/conversations") { Content = JsonContent.Create(new { channel = "sms", from = phone, message = "Do you integrate with Shopify?" }) };
            request.Headers.Add("Idempotency-Key", "retry-1");
            return await App.Http.SendAsync(request);
        }

        var first = await (await Post()).JsonAsync();
        var second = await (await Post()).JsonAsync();
        Assert.Equal(first.Str("reply"), second.Str("reply"));
        var conversation = await App.Http.GetJsonAsync($"/api/conversations/{first.Str("conversationId")}");
        Assert.Equal(2, conversation.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task AnalyzeReturnsLanguageIntentSentimentAndConfidence()
    {
        var result = await App.Http.PostJsonAsync("/api/intelligence/analyze", new { text = "Das ist mir leider zu teuer." });
        Assert.Equal("de", result.Str("language"));
        Assert.Equal("objection", result.Str("intent"));
        Assert.Equal("negative", result.Str("sentiment"));
        Assert.InRange(result.GetProperty("confidence").GetDouble(), 0.01, 1);
    }

    [Fact]
    public async Task ALeadWhoSaysStopGetsOneConfirmationAndThenSilence()
    {
        var start = await App.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = NewPhone(), message = "What is this about?" });
        var stop = await App.Http.PostJsonAsync($"/api/conversations/{start.Str("conversationId")}/messages", new { message = "STOP" });
        Assert.Equal("opt_out", stop.Str("intent"));
        Assert.False(string.IsNullOrEmpty(stop.Str("reply")));

        var after = await App.Http.PostJsonAsync($"/api/conversations/{start.Str("conversationId")}/messages", new { message = "why did you write me" });
        Assert.Equal(System.Text.Json.JsonValueKind.Null, after.GetProperty("reply").ValueKind);
        Assert.True((await App.Http.GetJsonAsync($"/api/leads/{start.Str("leadId")}")).GetProperty("optedOut").GetBoolean());
    }
}
