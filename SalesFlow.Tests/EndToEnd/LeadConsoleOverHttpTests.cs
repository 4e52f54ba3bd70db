using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Queue;
using SalesFlow.Core.Recommendations;
using SalesFlow.Functions.Security;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>What the console's lead page uses on the real app (in-process Kestrel, embedded store): the timeline, take over, a rep's replies, hand back.</summary>
public sealed class LeadConsoleOverHttpTests : IAsyncLifetime
{
    private InProcessApp _app = null!;

    public async Task InitializeAsync() => _app = await InProcessApp.StandaloneAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>A lead who wrote on WhatsApp through the public API (answered inline); returns its lead and conversation ids.</summary>
    private async Task<(string Lead, string Conversation)> LeadAsync(string message = "Hi, I am Mia, what does it cost?")
    {
        var phone = "+49171" + Random.Shared.Next(1_000_000, 9_999_999);
        var started = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = phone, name = "Mia Console", message });
        return (started.Str("leadId"), started.Str("conversationId"));
    }

    private Task<HttpResponseMessage> ReplyAsync(string lead, object body, string? key = null, HttpClient? http = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/leads/{lead}/replies") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return (http ?? _app.Http).SendAsync(request);
    }

    private async Task<JsonElement[]> TimelineAsync(string lead, string query = "") =>
        [.. (await _app.Http.GetJsonAsync($"/api/leads/{lead}/timeline{query}")).GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task The_timeline_shows_inbound_and_outbound_newest_first_with_delivery_status_verdict_and_state_changes()
    {
        var (lead, conversation) = await LeadAsync();
        await _app.Http.PostJsonAsync($"/api/conversations/{conversation}/messages", new { message = "We have a budget of 5000 euros and need it next month." });

        var page = await _app.Http.GetJsonAsync($"/api/leads/{lead}/timeline");
        var items = page.GetProperty("items").EnumerateArray().ToArray();

        Assert.Equal(conversation, page.Str("conversationId"));
        var messages = items.Where(i => i.Str("kind") == "message").ToArray();
        Assert.Equal(["outbound", "inbound", "outbound", "inbound"], messages.Select(m => m.Str("direction")));
        Assert.Equal("We have a budget of 5000 euros and need it next month.", messages[1].Str("text"));
        Assert.Equal(("lead", "whatsapp"), (messages[1].Str("author"), messages[1].Str("channel")));
        Assert.Equal(("ai", "reply"), (messages[0].Str("author"), messages[0].Str("purpose")));
        Assert.Equal(OutboxStatus.Pending, messages[0].Str("status"));
        Assert.Equal("pass", messages[0].GetProperty("compliance").Str("verdict"));
        Assert.Contains(items, i => i.Str("kind") == "state_change" && i.Str("from") == "initial_contact");
        var times = items.Select(i => i.GetProperty("at").GetDateTimeOffset()).ToArray();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task The_timeline_pages_with_its_cursor_without_repeats_or_gaps()
    {
        var (lead, conversation) = await LeadAsync();
        await _app.Http.PostJsonAsync($"/api/conversations/{conversation}/messages", new { message = "Tell me more please." });
        var all = (await TimelineAsync(lead)).Select(i => i.Str("id")).ToList();

        List<string> walked = [];
        string? cursor = null;
        do
        {
            var page = await _app.Http.GetJsonAsync($"/api/leads/{lead}/timeline?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            walked.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Str("id")));
            cursor = page.GetProperty("next").GetString();
        }
        while (cursor is not null);

        Assert.True(all.Count > 2);
        Assert.Equal(all, walked);
        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync($"/api/leads/{lead}/timeline?limit=0"), HttpStatusCode.BadRequest, "limit");
        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync($"/api/leads/{lead}/timeline?cursor=nonsense"), HttpStatusCode.BadRequest, "cursor");
    }

    [Fact]
    public async Task After_a_take_over_the_ai_answers_nothing_and_follow_ups_stop_until_handed_back()
    {
        var (lead, conversation) = await LeadAsync();

        var taken = await _app.Http.PostJsonAsync($"/api/leads/{lead}/takeover", new { by = "Rita Rep" });
        var silent = await _app.Http.PostJsonAsync($"/api/conversations/{conversation}/messages", new { message = "Hello? What does it cost?" });
        var followUps = await _app.Http.GetJsonAsync($"/api/leads/{lead}/followups");

        Assert.Equal((true, "taken_over", "Rita Rep"), (taken.GetProperty("escalated").GetBoolean(), taken.Str("escalationReason"), taken.Str("by")));
        Assert.Equal(JsonValueKind.Null, silent.GetProperty("reply").ValueKind);
        Assert.Equal(("finished", "escalated"), (followUps.Str("status"), followUps.Str("reason")));
        Assert.Single(await _app.Http.OutboxAsync(lead));

        await _app.Http.PostAsync($"/api/leads/{lead}/release", null);
        var answered = await _app.Http.PostJsonAsync($"/api/conversations/{conversation}/messages", new { message = "Are you there?" });

        Assert.False(string.IsNullOrEmpty(answered.Str("reply")));
    }

    [Fact]
    public async Task A_rep_writes_once_per_key_through_the_outbox_on_the_last_channel_and_the_timeline_shows_the_rep()
    {
        var (lead, _) = await LeadAsync();
        await _app.Http.PostJsonAsync($"/api/leads/{lead}/takeover", new { by = "Rita Rep" });

        using var first = await ReplyAsync(lead, new { text = "Hi Mia, Rita here: I will call you at 3.", by = "Rita Rep" }, key: "console-1");
        using var again = await ReplyAsync(lead, new { text = "Hi Mia, Rita here: I will call you at 3.", by = "Rita Rep" }, key: "console-1");
        using var byId = await ReplyAsync(lead, new { text = "One more thing.", by = "Rita Rep", id = "console-2" });

        var sent = await first.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(("whatsapp", "pending", false), (sent.Str("channel"), sent.Str("status"), sent.GetProperty("duplicate").GetBoolean()));
        Assert.Equal((sent.Str("id"), true), ((await again.JsonAsync()).Str("id"), (await again.JsonAsync()).GetProperty("duplicate").GetBoolean()));
        Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
        var outbox = await _app.Http.OutboxAsync(lead);
        Assert.Equal(2, outbox.Count(i => i.Str("purpose") == OutboxPurpose.RepReply));
        var shown = (await TimelineAsync(lead)).Single(i => i.Str("id") == sent.Str("id"));
        Assert.Equal(("rep", "Rita Rep", "outbound", "Hi Mia, Rita here: I will call you at 3."), (shown.Str("author"), shown.Str("by"), shown.Str("direction"), shown.Str("text")));
    }

    [Fact]
    public async Task A_rep_reply_is_refused_before_a_take_over_and_after_an_opt_out_and_nothing_is_stored()
    {
        var (lead, conversation) = await LeadAsync();

        await ApiJson.AssertProblemAsync(await ReplyAsync(lead, new { text = "Hi", by = "Rita" }, key: "k1"), HttpStatusCode.Conflict, "id");

        await _app.Http.PostJsonAsync($"/api/conversations/{conversation}/messages", new { message = "STOP" });
        await _app.Http.PostJsonAsync($"/api/leads/{lead}/takeover", new { by = "Rita" });
        await ApiJson.AssertProblemAsync(await ReplyAsync(lead, new { text = "Hi", by = "Rita" }, key: "k2"), HttpStatusCode.Conflict, "id");

        Assert.DoesNotContain(await _app.Http.OutboxAsync(lead), i => i.Str("purpose") == OutboxPurpose.RepReply);
    }

    [Fact]
    public async Task A_rep_reply_on_whatsapp_after_the_24_hour_window_is_refused_naming_the_channel()
    {
        var (lead, _) = await LeadAsync();
        await _app.Http.PostJsonAsync($"/api/leads/{lead}/takeover", new { by = "Rita" });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(25));
        var takeover = new RepTakeover(Get<ILeadStore>(), Get<IConversationStore>(), Get<IOutboxStore>(), Get<IWorkQueue>(), clock);
        var client = (await Get<IClientStore>().GetAsync("demo", default))!;

        var late = await takeover.ReplyAsync(client, lead, "Still there?", "Rita", null, "late-1", default);
        var web = await takeover.ReplyAsync(client, lead, "Still there?", "Rita", ChannelKind.Web, "late-2", default);

        Assert.Equal(RepReplyOutcome.ChannelUnavailable, late.Outcome);
        Assert.Contains("24-hour", late.Reason, StringComparison.Ordinal);
        Assert.Equal(RepReplyOutcome.Stored, web.Outcome);
    }

    [Theory]
    [InlineData("""{"by": "Rita", "id": "a"}""", "text")]
    [InlineData("""{"text": "   ", "by": "Rita", "id": "a"}""", "text")]
    [InlineData("""{"text": "Hi", "id": "a"}""", "by")]
    [InlineData("""{"text": "Hi", "by": "Rita", "channel": "fax", "id": "a"}""", "channel")]
    [InlineData("""{"text": "Hi", "by": "Rita"}""", "id")]
    public async Task A_bad_rep_reply_is_a_400_naming_the_field(string body, string field)
    {
        var (lead, _) = await LeadAsync();
        await _app.Http.PostJsonAsync($"/api/leads/{lead}/takeover", new { by = "Rita" });

        await ApiJson.AssertProblemAsync(await _app.Http.PostAsync($"/api/leads/{lead}/replies", new StringContent(body, System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, field);
        await ApiJson.AssertProblemAsync(await _app.Http.PostAsJsonAsync($"/api/leads/{lead}/takeover", new { by = "two\nlines" }), HttpStatusCode.BadRequest, "by");
    }

    [Fact]
    public async Task Another_clients_key_cannot_read_the_timeline_take_over_or_write()
    {
        var (lead, _) = await LeadAsync();
        Assert.True(await Get<IClientStore>().TryCreateAsync(new Client("globex", "Globex", ClientAuthenticator.HashKey("sf_globex_console_test"), new ClientChannelSecrets("a", "b", "c", "d")), default));
        using var globex = new HttpClient { BaseAddress = _app.BaseUrl };
        globex.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sf_globex_console_test");

        await ApiJson.AssertProblemAsync(await globex.GetAsync($"/api/leads/{lead}/timeline"), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await globex.PostAsJsonAsync($"/api/leads/{lead}/takeover", new { by = "Eve" }), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await ReplyAsync(lead, new { text = "Hi", by = "Eve" }, key: "g1", http: globex), HttpStatusCode.NotFound, "id");

        Assert.False((await Get<ILeadStore>().GetAsync("demo", lead, default))!.Escalated);
    }

    [Fact]
    public async Task A_lead_list_row_has_the_last_messages_direction_and_the_top_open_next_action()
    {
        var (lead, _) = await LeadAsync();
        var now = DateTimeOffset.UtcNow;
        await Get<IRecommendationStore>().AddAsync(Recommendation.Create("demo", lead, RecommendationKinds.Call, "hot", 90, "Call now", now), default);
        await Get<IRecommendationStore>().AddAsync(Recommendation.Create("demo", lead, RecommendationKinds.BookMeeting, "state:x", 40, "Propose a meeting", now), default);

        var row = (await _app.Http.GetJsonAsync("/api/leads")).GetProperty("items").EnumerateArray().Single(i => i.Str("id") == lead);

        Assert.Equal("outbound", row.GetProperty("lastMessage").Str("direction"));
        Assert.Equal((RecommendationKinds.Call, "Call now"), (row.GetProperty("nextAction").Str("kind"), row.GetProperty("nextAction").Str("reason")));
    }
}
