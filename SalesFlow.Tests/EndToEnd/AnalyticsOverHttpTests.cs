using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// The analytics routes on the real app (in-process Kestrel, embedded store) with the LLM brain talking to the OpenAI
/// replay server: a conversation driven over HTTP shows up in every report, another client sees none of it.
/// </summary>
public sealed class AnalyticsOverHttpTests : IAsyncLifetime
{
    private const string AdminKey = "analytics-admin-key";
    private static readonly string[] Routes = ["funnel", "personality", "channels", "autonomy", "ai-usage"];

    private OpenAIReplayServer _server = null!;
    private InProcessApp _app = null!;

    public async Task InitializeAsync()
    {
        _server = await OpenAIReplayServer.StartAsync();
        _app = await InProcessApp.StandaloneAsync(new()
        {
            ["SalesFlow:AdminKey"] = AdminKey,
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = _server.BaseUrl.ToString(),
            ["AI:ApiKey"] = "test",
            ["AI:MaxRetries"] = "0",
            // The inline turns answer; a queued turn must not race them for the scripted answers.
            ["Conversation:BurstWindow"] = "00:00:30",
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static ReplayResponse Analysis(string intent, string? suggested, double confidence, double sentiment = 0.5) => OpenAIReplayServer.CompletionOf(
        new JsonObject
        {
            ["language"] = "en",
            ["intent"] = intent,
            ["intent_confidence"] = 0.9,
            ["sentiment"] = sentiment >= 0 ? "positive" : "negative",
            ["sentiment_score"] = sentiment,
            ["suggested_state"] = suggested,
            ["suggested_state_confidence"] = confidence,
            ["bant"] = new JsonObject
            {
                ["budget"] = new JsonObject { ["score"] = 0, ["evidence"] = null },
                ["authority"] = new JsonObject { ["score"] = 0.9, ["evidence"] = "I run the sales team" },
                ["need"] = new JsonObject { ["score"] = 0.7, ["evidence"] = "we lose track of customers" },
                ["timeline"] = new JsonObject { ["score"] = 0, ["evidence"] = null },
            },
            ["disc"] = new JsonObject { ["dominance"] = 0.1, ["influence"] = 0.9, ["steadiness"] = 0.1, ["conscientiousness"] = 0.1 },
            ["facts"] = new JsonObject { ["name"] = "Lena", ["company"] = "Fischer GmbH", ["role"] = "head of sales", ["budget"] = null, ["timeline"] = null, ["pain_points"] = new JsonArray("losing track of customers"), ["email"] = null },
        }.ToJsonString(),
        promptTokens: 310,
        completionTokens: 90);

    private async Task<JsonElement> ReportAsync(string route, HttpClient? http = null)
    {
        using var response = await (http ?? _app.Http).GetAsync($"/api/analytics/{route}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>Three turns on WhatsApp (interest, a question that moves to value, a request for a human), then won.</summary>
    private async Task<string> ConversationAsync()
    {
        _server.Script("/chat/completions", Analysis("interest", null, 0), OpenAIReplayServer.CompletionOf("Hi Lena, welcome! What brings you to us?", 200, 12));
        var start = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = "+4917012345678", name = "Lena", message = "Hi, I run the sales team at Fischer GmbH and we lose track of customers" });
        var conversationId = start.Str("conversationId");
        var leadId = start.Str("leadId");

        // The reply's model call fails: the rules write it (a fallback).
        _server.Script("/chat/completions", Analysis("question", "value_proposition", 0.92), OpenAIReplayServer.Error(500));
        await _app.Http.PostJsonAsync($"/api/conversations/{conversationId}/messages", new { message = "What would your CRM do for us?" });

        _server.Script("/chat/completions", Analysis("human", null, 0));
        await _app.Http.PostJsonAsync($"/api/conversations/{conversationId}/messages", new { message = "Can I talk to one of your sales people please?" });

        using var won = await _app.Http.PostAsJsonAsync($"/api/leads/{leadId}/outcome", new { outcome = "won", value = 12000 });
        Assert.True(won.IsSuccessStatusCode, await won.Content.ReadAsStringAsync());
        return leadId;
    }

    [Fact]
    public async Task A_conversation_over_http_shows_up_in_the_funnel_personality_channels_autonomy_and_ai_usage()
    {
        var before = DateTimeOffset.UtcNow;
        await ConversationAsync();
        var after = DateTimeOffset.UtcNow;

        var funnel = await ReportAsync("funnel");
        var steps = funnel.GetProperty("steps").EnumerateArray().ToDictionary(s => s.Str("step"), s => s.GetProperty("leads").GetInt64());
        Assert.Equal(["first_reply", "qualified", "value_shown", "objection_handled", "price_discussed", "meeting_booked", "won"], steps.Keys);
        Assert.All(steps.Values, n => Assert.Equal(1, n)); // won: the lead counts at every step, once

        var personality = await ReportAsync("personality");
        var influence = personality.GetProperty("types").EnumerateArray().Single(t => t.Str("type") == "I");
        Assert.Equal(1, influence.GetProperty("leads").GetInt64());
        Assert.Equal(1, influence.GetProperty("won").GetInt64());
        Assert.Equal(1.0, influence.GetProperty("conversion").GetDouble());

        // Two replies written (the hand-over message is not one); the lead answered both.
        var channels = await ReportAsync("channels");
        var whatsapp = Assert.Single(channels.GetProperty("byChannel").EnumerateArray());
        Assert.Equal("whatsapp", whatsapp.Str("channel"));
        Assert.Equal(2, whatsapp.GetProperty("sent").GetInt64());
        Assert.Equal(2, whatsapp.GetProperty("replied").GetInt64());
        Assert.Equal(1.0, whatsapp.GetProperty("replyRate").GetDouble());
        Assert.InRange(whatsapp.GetProperty("medianReplySeconds").GetDouble(), 0, 60);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(channels.Str("timeZone"));
        var hours = new[] { before, after }.Select(t => TimeZoneInfo.ConvertTime(t, zone).Hour).ToHashSet();
        var busy = channels.GetProperty("byHour").EnumerateArray().Where(h => h.GetProperty("sent").GetInt64() > 0).ToList();
        Assert.Equal(24, channels.GetProperty("byHour").GetArrayLength());
        Assert.Equal(2, busy.Sum(h => h.GetProperty("sent").GetInt64()));
        Assert.All(busy, h => Assert.Contains(h.GetProperty("hour").GetInt32(), hours));

        var autonomy = await ReportAsync("autonomy");
        Assert.Equal(1, autonomy.GetProperty("conversations").GetInt64());
        Assert.Equal(1, autonomy.GetProperty("escalated").GetInt64());
        Assert.Equal(0, autonomy.GetProperty("handledWithoutHuman").GetInt64());
        var reason = Assert.Single(autonomy.GetProperty("escalationReasons").EnumerateArray());
        Assert.Equal("lead asked for a human", reason.Str("reason"));
        Assert.Equal(1, reason.GetProperty("count").GetInt64());

        // Every model call the usage API knows, with the failed one as a fallback.
        var ai = await ReportAsync("ai-usage");
        var usage = (await _app.Http.GetJsonAsync("/api/usage")).GetProperty("total");
        var total = ai.GetProperty("total");
        Assert.Equal(usage.GetProperty("calls").GetInt64(), total.GetProperty("calls").GetInt64());
        Assert.Equal(usage.GetProperty("inputTokens").GetInt64(), total.GetProperty("inputTokens").GetInt64());
        Assert.Equal(usage.GetProperty("outputTokens").GetInt64(), total.GetProperty("outputTokens").GetInt64());
        Assert.Equal(usage.GetProperty("costUsd").GetDecimal(), total.GetProperty("costUsd").GetDecimal());
        Assert.Equal(_server.Count("/chat/completions"), total.GetProperty("calls").GetInt64());
        Assert.True(total.GetProperty("failed").GetInt64() >= 1);
        Assert.True(total.GetProperty("fallbackRate").GetDouble() > 0);
        Assert.True(total.GetProperty("p50LatencyMs").GetDouble() > 0);
        Assert.NotEmpty(ai.GetProperty("byModel").EnumerateArray());
    }

    [Fact]
    public async Task Another_clients_key_sees_none_of_it()
    {
        await ConversationAsync();
        using var admin = new HttpClient { BaseAddress = _app.BaseUrl };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var created = await (await admin.PostAsJsonAsync("/api/admin/clients", new { id = "globex-analytics", name = "Globex" })).JsonAsync();
        using var globex = new HttpClient { BaseAddress = _app.BaseUrl };
        globex.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Str("apiKey"));

        Assert.All((await ReportAsync("funnel", globex)).GetProperty("steps").EnumerateArray(), s => Assert.Equal(0, s.GetProperty("leads").GetInt64()));
        Assert.All((await ReportAsync("personality", globex)).GetProperty("types").EnumerateArray(), t => Assert.Equal(0, t.GetProperty("leads").GetInt64()));
        Assert.Empty((await ReportAsync("channels", globex)).GetProperty("byChannel").EnumerateArray());
        Assert.Equal(0, (await ReportAsync("autonomy", globex)).GetProperty("conversations").GetInt64());
        Assert.Equal(0, (await ReportAsync("ai-usage", globex)).GetProperty("total").GetProperty("calls").GetInt64());
        // The demo client's own figures are there.
        Assert.Equal(1, (await ReportAsync("autonomy")).GetProperty("conversations").GetInt64());
    }

    [Fact]
    public async Task The_demo_client_answers_every_route_with_the_last_30_days()
    {
        foreach (var route in Routes)
        {
            var report = await ReportAsync(route);
            var from = DateOnly.Parse(report.Str("from"), System.Globalization.CultureInfo.InvariantCulture);
            var to = DateOnly.Parse(report.Str("to"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(29, to.DayNumber - from.DayNumber);
        }
    }

    [Fact]
    public async Task Without_a_key_every_route_is_401()
    {
        using var anonymous = new HttpClient { BaseAddress = _app.BaseUrl };
        foreach (var route in Routes)
        {
            using var response = await anonymous.GetAsync($"/api/analytics/{route}");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("from=last-week", "from")]
    [InlineData("to=2026-02-30", "to")]
    [InlineData("from=2026-03-02&to=2026-03-01", "from")]
    [InlineData("from=2025-01-01&to=2026-03-01", "to")]
    public async Task A_bad_range_is_400_naming_the_field_on_every_route(string query, string field)
    {
        foreach (var route in Routes)
        {
            await ApiJson.AssertProblemAsync(await _app.Http.GetAsync($"/api/analytics/{route}?{query}"), HttpStatusCode.BadRequest, field);
        }
    }
}
