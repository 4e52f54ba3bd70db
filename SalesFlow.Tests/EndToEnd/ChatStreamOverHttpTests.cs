using System.Net;
using System.Net.Http.Json;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>POST /api/chat/stream against the running app in its offline mode (rules brain, embedded store).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ChatStreamOverHttpTests(AppFixture fixture)
{
    private SalesFlowAppProcess App => fixture.App;

    private static string NewPhone() => "+4917" + Random.Shared.Next(10000000, 99999999);

    private async Task<(string ConversationId, string LeadId)> StartAsync(string message = "Hi, I'm interested in your CRM")
    {
        var start = await App.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = NewPhone(), name = "Lena Fischer", message });
        return (start.Str("conversationId"), start.Str("leadId"));
    }

    [Fact]
    public async Task ALeadMessageIsAnsweredWordByWordAndStoredOnceAfterCompliance()
    {
        var (conversationId, leadId) = await StartAsync();
        var before = (await App.Http.OutboxAsync(leadId)).Length;

        var sse = await App.Http.PostSseAsync("/api/chat/stream", new { conversationId, message = "How much does it cost per user?" });

        Assert.Equal("text/event-stream", sse.ContentType);
        Assert.True(sse.Tokens.Count > 3, $"only {sse.Tokens.Count} tokens");
        var done = sse.Done.Data;
        Assert.Equal(("price_negotiation", "pricing", "lead"), (done.Str("state"), done.Str("intent"), done.Str("mode")));
        Assert.Equal(done.Str("reply"), sse.Text);
        Assert.Equal("pass", done.GetProperty("compliance").Str("verdict"));
        Assert.Equal(0, done.GetProperty("usage").GetProperty("calls").GetInt32());
        Assert.Equal("rules", done.GetProperty("timing").Str("brain"));
        Assert.True(done.GetProperty("timing").GetProperty("ttftMs").GetDouble() > 0);
        Assert.True(done.GetProperty("timing").GetProperty("addedLatencyMs").GetDouble() > 0);
        Assert.Same(sse.Events[^1], sse.Done);

        var outbox = await App.Http.OutboxAsync(leadId);
        Assert.Equal(before + 1, outbox.Length);
        Assert.Equal(done.Str("reply"), outbox[0].Str("text")); // newest first
        var audit = (await App.Http.GetJsonAsync($"/api/compliance/audit?leadId={leadId}")).GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(2, audit.Length); // the opening reply and this one
        Assert.Equal(done.Str("outboxId"), audit[0].Str("outboxId"));
        Assert.Equal("rules", audit[0].Str("source"));
    }

    [Fact]
    public async Task TheCoachAnswersTheRepFromTheConversationAndNothingIsStoredOrSent()
    {
        var (conversationId, leadId) = await StartAsync("Hi, I'm interested, but honestly it sounds too expensive for us");
        var outboxBefore = (await App.Http.OutboxAsync(leadId)).Length;
        var messagesBefore = (await App.Http.GetJsonAsync($"/api/conversations/{conversationId}")).GetProperty("messages").GetArrayLength();

        var sse = await App.Http.PostSseAsync("/api/chat/stream", new { conversationId, message = "How do I convince this lead?", mode = "coach" });

        Assert.True(sse.Tokens.Count > 10);
        var done = sse.Done.Data;
        Assert.Equal(("coach", done.Str("answer")), (done.Str("mode"), sse.Text));
        Assert.Contains("price", sse.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, done.GetProperty("usage").GetProperty("calls").GetInt32());
        Assert.Equal(outboxBefore, (await App.Http.OutboxAsync(leadId)).Length);
        Assert.Equal(messagesBefore, (await App.Http.GetJsonAsync($"/api/conversations/{conversationId}")).GetProperty("messages").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"message":"hi"}""", "conversationId")]
    [InlineData("""{"conversationId":"conv_x"}""", "message")]
    [InlineData("""{"conversationId":"conv_x","message":"hi","mode":"boss"}""", "mode")]
    public async Task BadInputIsAProblemNamingTheField(string body, string field)
    {
        using var response = await App.Http.PostAsync("/api/chat/stream", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).Str("field"));
    }

    [Fact]
    public async Task AnUnknownConversationIsNotFound()
    {
        using var response = await App.Http.PostAsJsonAsync("/api/chat/stream", new { conversationId = "conv_nope", message = "hi" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TheLeadShowsItsProfileAndUsageAndTheUsageApiAnswers()
    {
        var (conversationId, leadId) = await StartAsync("My name is Lena Fischer, I'm the CEO of Fischer Logistik. Our budget is 20,000 € and we need it by next quarter.");
        await App.Http.PostSseAsync("/api/chat/stream", new { conversationId, message = "Can you send details and a comparison?" });

        var lead = await App.Http.GetJsonAsync($"/api/leads/{leadId}");
        var profile = lead.GetProperty("profile");
        Assert.Equal(2, profile.GetProperty("turns").GetInt32());
        Assert.Equal("CEO", profile.GetProperty("keyFacts").Str("role"));
        Assert.Equal("20,000 €", profile.GetProperty("keyFacts").Str("budget"));
        Assert.True(profile.GetProperty("bant").GetProperty("budget").GetProperty("score").GetDouble() >= 0.8);
        Assert.NotEmpty(profile.GetProperty("bant").GetProperty("budget").GetProperty("evidence").EnumerateArray());
        Assert.Equal(0, lead.GetProperty("usage").GetProperty("calls").GetInt64());
        var memory = await App.Http.GetJsonAsync($"/api/leads/{leadId}/memory");
        Assert.Equal("CEO", memory.GetProperty("profile").GetProperty("keyFacts").Str("role"));
        Assert.Equal("Lena Fischer", memory.GetProperty("keyFacts").Str("name"));

        var usage = await App.Http.GetJsonAsync($"/api/usage?leadId={leadId}&from=2020-01-01&to=2100-01-01");
        Assert.Equal(0, usage.GetProperty("total").GetProperty("calls").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await App.Http.GetAsync("/api/usage?from=yesterday")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await App.Http.GetAsync("/api/compliance/audit?verdict=maybe")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await App.Http.GetAsync("/api/compliance/audit?limit=0")).StatusCode);
    }
}
