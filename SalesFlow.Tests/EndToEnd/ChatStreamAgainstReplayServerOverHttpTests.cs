using System.Text.Json.Nodes;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// POST /api/chat/stream with the LLM brain: the running app (AI__Provider=openai) talks to the OpenAI replay server,
/// which streams the reply in chunks 40 ms apart; the tokens must reach the caller as they come, the done event must
/// carry the usage of both calls (analysis and reply) and the stored reply must have passed compliance once.
/// </summary>
public sealed class ChatStreamAgainstReplayServerOverHttpTests : IAsyncLifetime
{
    private static readonly string[] Pieces = ["Thanks", " for", " reaching", " out,", " Lena!", " Our", " CRM", " keeps", " every", " customer", " in", " one", " place.", " What", " matters", " most", " to", " your", " team?"];
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(40);

    private OpenAIReplayServer _server = null!;
    private SalesFlowAppProcess _app = null!;

    public async Task InitializeAsync()
    {
        _server = await OpenAIReplayServer.StartAsync();
        _app = await SalesFlowAppProcess.StartAsync(new()
        {
            ["AI__Provider"] = "openai",
            ["AI__Endpoint"] = _server.BaseUrl.ToString(),
            ["AI__ApiKey"] = "test",
            ["AI__MaxRetries"] = "0",
            // The queued turn must not race the inline one for the scripted answers.
            ["Conversation__BurstWindow"] = "00:00:30",
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static ReplayResponse Analysis(string intent, string? suggested, double confidence) => OpenAIReplayServer.CompletionOf(
        new JsonObject
        {
            ["language"] = "en",
            ["intent"] = intent,
            ["intent_confidence"] = 0.9,
            ["sentiment"] = "positive",
            ["sentiment_score"] = 0.5,
            ["suggested_state"] = suggested,
            ["suggested_state_confidence"] = confidence,
            ["bant"] = new JsonObject
            {
                ["budget"] = new JsonObject { ["score"] = 0, ["evidence"] = null },
                ["authority"] = new JsonObject { ["score"] = 0.9, ["evidence"] = "I run the sales team" },
                ["need"] = new JsonObject { ["score"] = 0.7, ["evidence"] = "we lose track of customers" },
                ["timeline"] = new JsonObject { ["score"] = 0, ["evidence"] = null },
            },
            ["disc"] = new JsonObject { ["dominance"] = 0.2, ["influence"] = 0.8, ["steadiness"] = 0.1, ["conscientiousness"] = 0.1 },
            ["facts"] = new JsonObject { ["name"] = "Lena", ["company"] = "Fischer GmbH", ["role"] = "head of sales", ["budget"] = null, ["timeline"] = null, ["pain_points"] = new JsonArray("losing track of customers"), ["email"] = null },
        }.ToJsonString(),
        promptTokens: 310,
        completionTokens: 90);

    [Fact]
    public async Task TokensArriveAsTheModelWritesThemAndDoneCarriesTheUsage()
    {
        // The opening message: analysis + reply (non-streamed, through the queue-free inline turn).
        _server.Script("/chat/completions", Analysis("interest", null, 0), OpenAIReplayServer.CompletionOf("Hi Lena, welcome! What brings you to us?", 200, 12));
        var start = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = "+4917012345678", name = "Lena", message = "Hi, I run the sales team at Fischer GmbH and we lose track of customers" });
        var conversationId = start.Str("conversationId");

        _server.Script("/chat/completions", Analysis("question", "value_proposition", 0.92), OpenAIReplayServer.StreamOf(Pieces, promptTokens: 420, completionTokens: 19, eventDelay: Gap));
        var sse = await _app.Http.PostSseAsync("/api/chat/stream", new { conversationId, message = "What would your CRM do for us?" });

        // Incremental: one token event per streamed piece, spread over the upstream's pace, the first long before done.
        Assert.Equal(Pieces.Length, sse.Tokens.Count);
        Assert.Equal(string.Concat(Pieces), sse.Text);
        var spread = sse.Tokens[^1].ArrivedMs - sse.Tokens[0].ArrivedMs;
        Assert.True(spread >= Gap.TotalMilliseconds * (Pieces.Length - 1) * 0.6, $"tokens arrived within {spread:0} ms: buffered, not streamed");
        Assert.True(sse.Done.ArrivedMs - sse.Tokens[0].ArrivedMs >= spread);

        var done = sse.Done.Data;
        Assert.Equal(("value_proposition", "question"), (done.Str("state"), done.Str("intent")));
        Assert.Equal(string.Concat(Pieces), done.Str("reply"));
        Assert.Equal("pass", done.GetProperty("compliance").Str("verdict"));
        var usage = done.GetProperty("usage");
        Assert.Equal(2, usage.GetProperty("calls").GetInt32());
        Assert.Equal(310 + 420, usage.GetProperty("inputTokens").GetInt64());
        Assert.Equal(90 + 19, usage.GetProperty("outputTokens").GetInt64());
        Assert.True(usage.GetProperty("costUsd").GetDecimal() > 0);
        var timing = done.GetProperty("timing");
        Assert.Equal("llm", timing.Str("brain"));
        Assert.True(timing.GetProperty("upstreamTtftMs").GetDouble() > 0);
        Assert.True(timing.GetProperty("addedLatencyMs").GetDouble() < timing.GetProperty("totalMs").GetDouble());

        // Stored once, as streamed; the profile took the model's reading; the usage API and the lead show the spend.
        var outbox = await _app.Http.OutboxAsync(start.Str("leadId"));
        Assert.Equal(2, outbox.Length);
        Assert.Equal(string.Concat(Pieces), outbox[0].Str("text")); // newest first
        var lead = await _app.Http.GetJsonAsync($"/api/leads/{start.Str("leadId")}");
        Assert.Equal("Fischer GmbH", lead.GetProperty("profile").GetProperty("keyFacts").Str("company"));
        Assert.Equal("I", lead.GetProperty("profile").GetProperty("disc").Str("primary"));
        Assert.Equal("llm", lead.GetProperty("profile").Str("lastSource"));
        Assert.Equal(4, lead.GetProperty("usage").GetProperty("calls").GetInt64());
        var report = await _app.Http.GetJsonAsync("/api/usage");
        Assert.Equal(310 + 200 + 310 + 420, report.GetProperty("total").GetProperty("inputTokens").GetInt64());
        Assert.Equal(4, report.GetProperty("byLead").GetProperty(start.Str("leadId")).GetProperty("calls").GetInt64());
        Assert.True(report.GetProperty("byModel").EnumerateObject().Any());
    }

    [Fact]
    public async Task AnObjectionTheSmallModelReadsAsAQuestionIsStillAnsweredByTheLargeModel()
    {
        _server.Script("/chat/completions", Analysis("interest", null, 0), OpenAIReplayServer.CompletionOf("Hi Lena, welcome! What brings you to us?", 200, 12));
        var start = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = "+4917055555555", name = "Lena", message = "Hi, we might need a CRM" });
        _server.Script("/chat/completions", Analysis("question", null, 0), OpenAIReplayServer.CompletionOf("I hear you. What would make it worth it for your team?", 380, 14));

        var turn = await _app.Http.PostJsonAsync($"/api/conversations/{start.Str("conversationId")}/messages", new { message = "That is way too expensive for us, honestly." });

        Assert.Equal("I hear you. What would make it worth it for your team?", turn.Str("reply"));
        var models = _server.Received.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).Select(r => r.Json!["model"]!.GetValue<string>()).ToList();
        Assert.Equal(["gpt-4o-mini", "gpt-4o-mini", "gpt-4o-mini", "gpt-4o"], models); // analysis, reply, analysis, reply
        var report = await _app.Http.GetJsonAsync($"/api/usage?leadId={start.Str("leadId")}");
        Assert.Equal(2, report.GetProperty("byPurpose").GetProperty("analysis").GetProperty("calls").GetInt64());
        Assert.Equal(2, report.GetProperty("byPurpose").GetProperty("reply").GetProperty("calls").GetInt64());
    }

    [Fact]
    public async Task TheCoachStreamsTheModelsAdviceAndStoresNothing()
    {
        _server.Script("/chat/completions", Analysis("interest", null, 0), OpenAIReplayServer.CompletionOf("Hi Lena, welcome! What brings you to us?", 200, 12));
        var start = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+4917099999999", message = "We might need a CRM" });
        _server.Script("/chat/completions", OpenAIReplayServer.StreamOf(["Ask", " what", " slows", " her", " team", " down."], 500, 6, "gpt-4o-2024-08-06", Gap));

        var sse = await _app.Http.PostSseAsync("/api/chat/stream", new { conversationId = start.Str("conversationId"), message = "How do I convince this lead?", mode = "coach" });

        Assert.Equal("Ask what slows her team down.", sse.Text);
        Assert.Equal(6, sse.Tokens.Count);
        Assert.Equal(1, sse.Done.Data.GetProperty("usage").GetProperty("calls").GetInt32());
        Assert.Single(await _app.Http.OutboxAsync(start.Str("leadId")));
        var coachRequest = _server.Received.Last().Json!;
        Assert.Contains("We might need a CRM", coachRequest["messages"]![1]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
