using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Meetings;
using SalesFlow.Core.Qualification;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Recommendations;
using SalesFlow.Functions.Security;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>Next best actions and playbooks on the real app (in-process Kestrel, embedded store, rules brain), as a rep uses them.</summary>
public sealed class RecommendationsOverHttpTests : IAsyncLifetime
{
    private const string OtherKey = "sf_other_client_key";

    private InProcessApp _app = null!;

    public async Task InitializeAsync() => _app = await InProcessApp.StandaloneAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private static string NewPhone() => "+4917" + Random.Shared.Next(10000000, 99999999);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private Task<HttpResponseMessage> PatchAsync(string id, string body, string? ifMatch = null, HttpClient? http = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/recommendations/{id}") { Content = Json(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return (http ?? _app.Http).SendAsync(request);
    }

    /// <summary>A lead that asked for a person, then wrote again and (escalated) got no automatic answer.</summary>
    private async Task<string> EscalatedLeadAsync()
    {
        var start = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = NewPhone(), message = "I want to talk to a real person, not a bot" });
        var silent = await _app.Http.PostJsonAsync($"/api/conversations/{start.Str("conversationId")}/messages", new { message = "Hello? Anyone there?" });
        Assert.Equal(JsonValueKind.Null, silent.GetProperty("reply").ValueKind);
        return start.Str("leadId");
    }

    private async Task<HttpClient> OtherClientAsync()
    {
        Assert.True(await Get<IClientStore>().TryCreateAsync(new Client("acme", "Acme", ClientAuthenticator.HashKey(OtherKey), new ClientChannelSecrets("a", "b", "c", "d")), default));
        var http = new HttpClient { BaseAddress = _app.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OtherKey);
        return http;
    }

    [Fact]
    public async Task A_lead_conversation_creates_recommendations_shown_in_suggestions_lists_and_intelligence()
    {
        var lead = await EscalatedLeadAsync();

        var suggestions = await _app.Http.GetJsonAsync($"/api/leads/{lead}/suggestions");
        var items = suggestions.GetProperty("recommendations").EnumerateArray().ToList();
        Assert.Equal([RecommendationKinds.HandToHuman, RecommendationKinds.ReplyNow], items.Select(i => i.Str("kind")));
        var hand = items[0];
        Assert.Contains("lead asked for a human", hand.Str("reason"), StringComparison.Ordinal);
        Assert.Equal((95, 0, "open", "planner"), (hand.GetProperty("basePriority").GetInt32(), hand.GetProperty("feedbackAdjustment").GetInt32(), hand.Str("status"), hand.Str("source")));
        Assert.InRange(hand.GetProperty("priority").GetInt32(), 90, 95);
        Assert.Equal(JsonValueKind.Object, suggestions.GetProperty("contactWindow").ValueKind);
        Assert.Equal(2, suggestions.GetProperty("contactWindow").GetProperty("samples").GetInt32());

        var listed = (await _app.Http.GetJsonAsync($"/api/recommendations?leadId={lead}")).GetProperty("items").EnumerateArray().Select(i => i.Str("id"));
        Assert.Equal(items.Select(i => i.Str("id")), listed);

        var intelligence = (await _app.Http.GetJsonAsync($"/api/leads/{lead}/intelligence")).GetProperty("recommendations").EnumerateArray().ToList();
        Assert.Equal("coach", intelligence[0].Str("source"));
        Assert.Equal([RecommendationKinds.HandToHuman, RecommendationKinds.ReplyNow], intelligence.Skip(1).Select(i => i.Str("kind")));
    }

    [Fact]
    public async Task Planning_the_same_lead_again_creates_no_duplicate()
    {
        var lead = await EscalatedLeadAsync();
        var before = (await _app.Http.GetJsonAsync($"/api/recommendations?leadId={lead}")).GetProperty("items").GetArrayLength();

        Assert.True(await Get<RecommendationService>().RefreshAsync("demo", lead, default));
        Assert.True(await Get<RecommendationService>().RefreshAsync("demo", lead, default));

        Assert.Equal(2, before);
        Assert.Equal(2, (await Get<IRecommendationStore>().ListAsync("demo", new RecommendationFilter(LeadId: lead), 100, default)).Count);
    }

    [Fact]
    public async Task Feedback_is_stored_guarded_by_If_Match_and_a_dismissed_one_leaves_the_open_list()
    {
        var lead = await EscalatedLeadAsync();
        var reply = (await _app.Http.GetJsonAsync($"/api/recommendations?leadId={lead}&kind=reply_now")).GetProperty("items")[0];

        await ApiJson.AssertProblemAsync(await PatchAsync(reply.Str("id"), """{"status": "done"}""", "\"stale\""), HttpStatusCode.PreconditionFailed, "If-Match");

        var done = await PatchAsync(reply.Str("id"), """{"status": "dismissed", "note": "answered by phone"}""", reply.Str("etag"));
        var body = (await done.JsonAsync()).GetProperty("recommendation");
        Assert.Equal(("dismissed", "answered by phone"), (body.Str("status"), body.Str("note")));
        Assert.NotNull(done.Headers.ETag);

        // A repeat is answered the same and changes nothing.
        var again = (await (await PatchAsync(reply.Str("id"), """{"status": "dismissed"}""")).JsonAsync()).GetProperty("recommendation");
        Assert.Equal(("dismissed", "answered by phone", body.Str("etag")), (again.Str("status"), again.Str("note"), again.Str("etag")));

        Assert.Equal([RecommendationKinds.HandToHuman], (await _app.Http.GetJsonAsync($"/api/recommendations?leadId={lead}")).GetProperty("items").EnumerateArray().Select(i => i.Str("kind")));
        Assert.Single((await _app.Http.GetJsonAsync($"/api/recommendations?leadId={lead}&status=dismissed")).GetProperty("items").EnumerateArray());
        Assert.Equal("dismissed", (await Get<IRecommendationStore>().GetAsync("demo", reply.Str("id"), default))!.Status);
    }

    [Fact]
    public async Task Dismissals_lower_that_kinds_priority_for_the_whole_client_shown_as_the_adjustment_and_the_list_pages_by_priority()
    {
        var store = Get<IRecommendationStore>();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 3; i++)
        {
            var old = await store.AddAsync(Recommendation.Create("demo", $"lead_old{i}", RecommendationKinds.Call, "hot", 70, "Hot lead", now), default);
            await (await PatchAsync(old.Id, """{"status": "dismissed"}""")).JsonAsync();
        }

        foreach (var (leadId, priority) in new[] { ("lead_a", 80), ("lead_b", 60), ("lead_c", 50) })
        {
            await store.AddAsync(Recommendation.Create("demo", leadId, RecommendationKinds.Call, "hot", priority, "Hot lead", now), default);
        }

        await store.AddAsync(Recommendation.Create("demo", "lead_d", RecommendationKinds.BookMeeting, "state:value_proposition", 70, "Propose a meeting", now), default);

        var first = await _app.Http.GetJsonAsync("/api/recommendations?limit=2");
        var page1 = first.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["lead_a", "lead_d"], page1.Select(i => i.Str("leadId")));
        Assert.Equal((80, -6, 74), (page1[0].GetProperty("basePriority").GetInt32(), page1[0].GetProperty("feedbackAdjustment").GetInt32(), page1[0].GetProperty("priority").GetInt32()));
        Assert.Equal(3, page1[0].GetProperty("feedback").GetProperty("dismissed").GetInt32());
        Assert.Equal((70, 0), (page1[1].GetProperty("priority").GetInt32(), page1[1].GetProperty("feedbackAdjustment").GetInt32()));

        var second = await _app.Http.GetJsonAsync($"/api/recommendations?limit=2&cursor={first.Str("next")}");
        Assert.Equal(["lead_b", "lead_c"], second.GetProperty("items").EnumerateArray().Select(i => i.Str("leadId")));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
    }

    [Theory]
    [InlineData("""{"status": "maybe"}""", "status")]
    [InlineData("""{"status": "open"}""", "status")]
    [InlineData("""{"note": "no status"}""", "status")]
    [InlineData("""{"status": "done", "note": "two\nlines"}""", "note")]
    public async Task Bad_feedback_is_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        var lead = await EscalatedLeadAsync();
        var id = (await _app.Http.GetJsonAsync($"/api/recommendations?leadId={lead}")).GetProperty("items")[0].Str("id");

        await ApiJson.AssertProblemAsync(await PatchAsync(id, body), HttpStatusCode.BadRequest, field);

        Assert.Equal("open", (await Get<IRecommendationStore>().GetAsync("demo", id, default))!.Status);
    }

    [Theory]
    [InlineData("status=later", "status")]
    [InlineData("kind=juggle", "kind")]
    [InlineData("cursor=forged", "cursor")]
    [InlineData("limit=0", "limit")]
    public async Task A_bad_list_filter_is_400_naming_it(string query, string field)
    {
        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync($"/api/recommendations?{query}"), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Another_clients_key_sees_none_of_them_and_cannot_decide_or_read_them()
    {
        var lead = await EscalatedLeadAsync();
        var id = (await _app.Http.GetJsonAsync($"/api/recommendations?leadId={lead}")).GetProperty("items")[0].Str("id");
        using var other = await OtherClientAsync();

        Assert.Empty((await other.GetJsonAsync("/api/recommendations")).GetProperty("items").EnumerateArray());
        Assert.Empty((await other.GetJsonAsync($"/api/recommendations?leadId={lead}")).GetProperty("items").EnumerateArray());
        await ApiJson.AssertProblemAsync(await PatchAsync(id, """{"status": "done"}""", http: other), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await other.GetAsync($"/api/leads/{lead}/suggestions"), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await other.GetAsync($"/api/leads/{lead}/playbooks"), HttpStatusCode.NotFound, "id");

        Assert.Equal("open", (await Get<IRecommendationStore>().GetAsync("demo", id, default))!.Status);
    }

    [Theory]
    [InlineData("""{"steps": [{"name": "Demo", "action": "book_meeting"}]}""", "name")]
    [InlineData("""{"name": "Empty", "steps": []}""", "steps")]
    [InlineData("""{"name": "Bad", "steps": [{"name": "Demo", "action": "book_meeting"}, {"name": "Dance", "action": "tango"}]}""", "steps[1].action")]
    [InlineData("""{"name": "Bad", "steps": [{"action": "call"}]}""", "steps[0].name")]
    [InlineData("""{"name": "Bad", "steps": [{"name": "Call", "action": "call", "dueAfterDays": -1}]}""", "steps[0].dueAfterDays")]
    public async Task A_bad_playbook_is_400_naming_the_field_and_is_not_stored(string body, string field)
    {
        await ApiJson.AssertProblemAsync(await _app.Http.PostAsync("/api/playbooks", Json(body)), HttpStatusCode.BadRequest, field);

        Assert.Empty((await _app.Http.GetJsonAsync("/api/playbooks")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_playbook_runs_a_lead_step_by_step_through_PATCH_and_completes()
    {
        var lead = await EscalatedLeadAsync();
        var created = await _app.Http.PostAsync("/api/playbooks", Json("""{"name": "Demo to deal", "steps": [{"name": "Demo", "action": "book_meeting"}, {"name": "Proposal", "action": "send_proposal", "dueAfterDays": 2}]}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var playbookId = (await created.JsonAsync()).Str("id");
        Assert.Equal(["Demo to deal"], (await _app.Http.GetJsonAsync("/api/playbooks")).GetProperty("items").EnumerateArray().Select(p => p.Str("name")));

        var start = await _app.Http.PostAsync($"/api/leads/{lead}/playbooks/{playbookId}/start", null);
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        var again = await _app.Http.PostAsync($"/api/leads/{lead}/playbooks/{playbookId}/start", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var run = (await _app.Http.GetJsonAsync($"/api/leads/{lead}/playbooks")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal(["open", "pending"], run.GetProperty("steps").EnumerateArray().Select(s => s.Str("status")));
        var demoStep = run.GetProperty("steps")[0].Str("recommendationId");
        var step = (await _app.Http.GetJsonAsync($"/api/recommendations?leadId={lead}&kind=book_meeting")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal((demoStep, "playbook"), (step.Str("id"), step.Str("source")));

        var advanced = await (await PatchAsync(demoStep, """{"status": "done"}""")).JsonAsync();
        Assert.Equal(1, advanced.GetProperty("playbook").GetProperty("currentStep").GetInt32());
        var proposal = (await _app.Http.GetJsonAsync($"/api/recommendations?leadId={lead}&kind=send_proposal")).GetProperty("items").EnumerateArray().Single();
        Assert.Contains("step 2 of 2: Proposal", proposal.Str("reason"), StringComparison.Ordinal);
        Assert.True(proposal.GetProperty("dueAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(1));

        await (await PatchAsync(proposal.Str("id"), """{"status": "accepted"}""")).JsonAsync();
        var finished = (await _app.Http.GetJsonAsync($"/api/leads/{lead}/playbooks")).GetProperty("items")[0];
        Assert.True(finished.GetProperty("completed").GetBoolean());
        Assert.Equal(["done", "done"], finished.GetProperty("steps").EnumerateArray().Select(s => s.Str("status")));
        Assert.Equal(JsonValueKind.String, finished.GetProperty("completedAt").ValueKind);
    }

    [Fact]
    public async Task Starting_an_unknown_or_another_clients_playbook_is_404_naming_it()
    {
        var lead = await EscalatedLeadAsync();
        using var other = await OtherClientAsync();
        var theirs = await (await other.PostAsync("/api/playbooks", Json("""{"name": "Theirs", "steps": [{"name": "Call", "action": "call"}]}"""))).JsonAsync();

        await ApiJson.AssertProblemAsync(await _app.Http.PostAsync($"/api/leads/{lead}/playbooks/pb_nothing/start", null), HttpStatusCode.NotFound, "playbookId");
        await ApiJson.AssertProblemAsync(await _app.Http.PostAsync($"/api/leads/{lead}/playbooks/{theirs.Str("id")}/start", null), HttpStatusCode.NotFound, "playbookId");
        await ApiJson.AssertProblemAsync(await other.PostAsync($"/api/leads/{lead}/playbooks/{theirs.Str("id")}/start", null), HttpStatusCode.NotFound, "id");
        Assert.Empty((await _app.Http.GetJsonAsync("/api/playbooks")).GetProperty("items").EnumerateArray());
    }
    [Fact]
    public async Task Erasing_the_lead_removes_its_recommendations_and_playbook_runs()
    {
        var lead = await EscalatedLeadAsync();
        var playbook = await (await _app.Http.PostAsync("/api/playbooks", Json("""{"name": "Demo", "steps": [{"name": "Demo", "action": "book_meeting"}]}"""))).JsonAsync();
        await (await _app.Http.PostAsync($"/api/leads/{lead}/playbooks/{playbook.Str("id")}/start", null)).JsonAsync();
        Assert.Equal(3, (await _app.Http.GetJsonAsync($"/api/recommendations?leadId={lead}")).GetProperty("items").GetArrayLength());

        var erased = await (await _app.Http.DeleteAsync($"/api/leads/{lead}")).JsonAsync();

        Assert.Equal(3, erased.GetProperty("removed").GetProperty("recommendations").GetInt32());
        Assert.Empty(await Get<IRecommendationStore>().ListAsync("demo", new RecommendationFilter(LeadId: lead), 100, default));
        Assert.Empty(await Get<IPlaybookStore>().ListRunsAsync("demo", lead, default));
        Assert.Empty((await _app.Http.GetJsonAsync("/api/recommendations")).GetProperty("items").EnumerateArray());
    }
    [Fact]
    public async Task The_sweep_plans_a_silent_lead_follow_up_then_nurture_then_close_as_lost_and_expires_what_lapsed()
    {
        var start = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = NewPhone(), message = "Hi, what does the solar package cost?" });
        var lead = start.Str("leadId");
        var store = Get<IRecommendationStore>();
        var lapsing = await store.AddAsync(Recommendation.Create("demo", lead, RecommendationKinds.Call, "hot", 70, "Hot lead", DateTimeOffset.UtcNow), default);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var service = new RecommendationService(store, Get<IConversationStore>(), Get<ILeadProfileStore>(), Get<ILeadStore>(), Get<IClientStore>(), Get<IMeetingStore>(), Get<ILeadOutcomeStore>(), clock, NullLogger<RecommendationService>.Instance);
        var sweeper = new RecommendationSweeper(store, service, clock, NullLogger<RecommendationSweeper>.Instance);
        async Task<IReadOnlyList<string>> OpenKindsAsync() => [.. (await store.ListAsync("demo", new RecommendationFilter(RecommendationStatuses.Open, null, lead), 100, default)).Select(r => r.Kind).Order()];

        clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromHours(1));
        var (expired, planned) = await sweeper.SweepAsync(default);
        Assert.True(expired >= 1 && planned >= 1, $"expired {expired}, planned {planned}");
        Assert.Equal(RecommendationStatuses.Expired, (await store.GetAsync("demo", lapsing.Id, default))!.Status); // a call lives three days
        Assert.Contains(RecommendationKinds.FollowUp, await OpenKindsAsync());

        // Not due again until its revisit: a second run in the same hour plans nothing for the lead.
        Assert.Equal(0, (await sweeper.SweepAsync(default)).Planned);

        clock.Advance(TimeSpan.FromDays(7));
        await sweeper.SweepAsync(default);
        var nurture = await OpenKindsAsync();
        Assert.Contains(RecommendationKinds.Nurture, nurture);
        Assert.DoesNotContain(RecommendationKinds.FollowUp, nurture);

        clock.Advance(TimeSpan.FromDays(25));
        await sweeper.SweepAsync(default);
        Assert.Contains(RecommendationKinds.CloseAsLost, await OpenKindsAsync());
        Assert.DoesNotContain(RecommendationKinds.Nurture, await OpenKindsAsync());
    }
}
