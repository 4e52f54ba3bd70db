using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Qualification;
using SalesFlow.Functions.Security;
using SalesFlow.Tests.Adapters;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>The lead list, the stored score and the DISC routes on the real app (in-process Kestrel, embedded store), as a rep uses them.</summary>
public sealed class LeadListOverHttpTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private InProcessApp _app = null!;

    public async Task InitializeAsync() => _app = await InProcessApp.StandaloneAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A lead with a stored score of the given probability (as a turn would have stored it).</summary>
    private async Task<string> LeadAsync(string? name, double probability, string clientId = "demo", string state = "value_proposition", int createdDaysAgo = 1, string? language = null, DateTimeOffset? computedAt = null)
    {
        var phone = "+49170" + Random.Shared.Next(1_000_000, 9_999_999);
        var (lead, _) = await Get<ILeadStore>().GetOrCreateByIdentityAsync(clientId, IdentityKind.Phone, phone, () => new Lead { Id = Ids.New("lead"), ClientId = clientId, Name = name, Phone = phone, Language = language, CreatedAt = T0.AddDays(-createdDaysAgo), UpdatedAt = T0 }, default);
        await Get<ILeadScoreStore>().SaveAsync(LeadScoreStoreContractTests.Snapshot(clientId, lead.Id, probability, computedAt ?? DateTimeOffset.UtcNow, name, state, created: lead.CreatedAt, phone: phone), default);
        return lead.Id;
    }

    private async Task<string[]> IdsAsync(string query) =>
        [.. (await _app.Http.GetJsonAsync("/api/leads" + query)).GetProperty("items").EnumerateArray().Select(i => i.Str("id"))];

    [Fact]
    public async Task A_lead_submitted_through_the_api_is_on_the_list_before_its_first_turn()
    {
        using var created = await _app.Http.PostAsync("/api/leads", Json("""{ "name": "Nora Submitted", "phone": "+4917077788899", "consent": { "sms": true } }"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var leadId = (await created.JsonAsync()).Str("leadId");

        var row = Assert.Single((await _app.Http.GetJsonAsync("/api/leads?q=nora")).GetProperty("items").EnumerateArray());

        Assert.Equal((leadId, "Nora Submitted", "cold"), (row.Str("id"), row.Str("name"), row.Str("temperature")));
    }

    [Fact]
    public async Task The_list_filters_by_temperature_state_and_text_and_sorts()
    {
        var hot = await LeadAsync("Zoe Hot", 0.9, createdDaysAgo: 3);
        var warm = await LeadAsync("Anna Warm", 0.4, state: "initial_contact", createdDaysAgo: 1);
        var cold = await LeadAsync(null, 0.1, createdDaysAgo: 2);

        Assert.Equal([hot, warm, cold], await IdsAsync("?sort=-score"));
        Assert.Equal([cold, warm, hot], await IdsAsync("?sort=score"));
        Assert.Equal([warm, hot, cold], await IdsAsync("?sort=name"));
        Assert.Equal([warm, cold, hot], await IdsAsync("?sort=-created"));
        Assert.Equal([hot], await IdsAsync("?temperature=HOT"));
        Assert.Equal([warm], await IdsAsync("?state=initial_contact"));
        Assert.Equal([warm], await IdsAsync("?q=anna"));

        var row = (await _app.Http.GetJsonAsync("/api/leads?temperature=hot")).GetProperty("items")[0];
        Assert.Equal(("Zoe Hot", "hot", "value_proposition"), (row.Str("name"), row.Str("temperature"), row.Str("state")));
        Assert.Equal(0.9, row.GetProperty("score").GetProperty("probability").GetDouble());
        Assert.Equal("hello", row.GetProperty("lastMessage").Str("text"));
        Assert.Equal(["whatsapp"], row.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        Assert.False(row.GetProperty("escalated").GetBoolean());
        Assert.False(row.GetProperty("optedOut").GetBoolean());
    }

    [Fact]
    public async Task Pages_follow_the_cursor_to_the_end_without_repeats()
    {
        List<string> all = [];
        for (var i = 0; i < 5; i++)
        {
            all.Add(await LeadAsync($"Lead {i}", 0.1 + (i * 0.1)));
        }

        List<string> seen = [];
        var url = "/api/leads?sort=-score&limit=2";
        for (var pages = 0; pages < 5; pages++)
        {
            var page = await _app.Http.GetJsonAsync(url);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Str("id")));
            if (page.GetProperty("next").ValueKind == JsonValueKind.Null)
            {
                break;
            }

            url = "/api/leads?sort=-score&limit=2&cursor=" + page.Str("next");
        }

        all.Reverse();
        Assert.Equal(all, seen);
    }

    [Theory]
    [InlineData("?temperature=boiling", "temperature")]
    [InlineData("?state=negotiating", "state")]
    [InlineData("?sort=price", "sort")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?cursor=bm90LWEtY3Vyc29y", "cursor")]
    public async Task A_bad_parameter_is_400_naming_it(string query, string field) =>
        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync("/api/leads" + query), HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task A_cursor_of_another_sort_is_refused()
    {
        await LeadAsync("A", 0.5);
        await LeadAsync("B", 0.6);
        var next = (await _app.Http.GetJsonAsync("/api/leads?sort=-score&limit=1")).Str("next");

        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync("/api/leads?sort=name&limit=1&cursor=" + next), HttpStatusCode.BadRequest, "cursor");
    }

    [Fact]
    public async Task Another_clients_key_sees_none_of_the_leads_and_none_of_their_routes()
    {
        var demoLead = await LeadAsync("Demo Lead", 0.9);
        Assert.True(await Get<IClientStore>().TryCreateAsync(new Client("globex", "Globex", ClientAuthenticator.HashKey("sf_globex_list_test"), new ClientChannelSecrets("a", "b", "c", "d")), default));
        var globexLead = await LeadAsync("Globex Lead", 0.8, clientId: "globex");
        using var globex = new HttpClient { BaseAddress = _app.BaseUrl };
        globex.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sf_globex_list_test");

        var seen = (await globex.GetJsonAsync("/api/leads")).GetProperty("items").EnumerateArray().Select(i => i.Str("id")).ToList();

        Assert.Equal([globexLead], seen);
        Assert.DoesNotContain(globexLead, await IdsAsync(""));
        await ApiJson.AssertProblemAsync(await globex.GetAsync($"/api/leads/{demoLead}/personality"), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await globex.PostAsync($"/api/leads/{demoLead}/personality", Json("""{"primary": "D"}""")), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await globex.PostAsync($"/api/leads/{demoLead}/personality/analyze", null), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await globex.GetAsync($"/api/leads/{demoLead}/personality/recommendations"), HttpStatusCode.NotFound, "id");
        Assert.Null((await Get<ILeadProfileStore>().GetAsync("demo", demoLead, default))?.Disc.SetBy);
    }

    [Fact]
    public async Task Erasing_a_lead_removes_its_score_and_its_row()
    {
        var lead = await LeadAsync("Erase Me", 0.7);
        Assert.Contains(lead, await IdsAsync(""));

        Assert.Equal(HttpStatusCode.OK, (await _app.Http.DeleteAsync($"/api/leads/{lead}")).StatusCode);

        Assert.DoesNotContain(lead, await IdsAsync(""));
        Assert.Null(await Get<ILeadScoreStore>().GetAsync("demo", lead, default));
    }

    [Fact]
    public async Task The_score_route_answers_from_the_stored_snapshot_and_says_which_weights()
    {
        var lead = await LeadAsync("Stored", 0.9);

        var score = (await _app.Http.GetJsonAsync($"/api/leads/{lead}/score")).GetProperty("score");

        Assert.Equal(("hot", 0.9, "prior", 0), (score.Str("temperature"), score.GetProperty("probability").GetDouble(), score.Str("model"), score.GetProperty("outcomes").GetInt32()));
        Assert.Equal(6, score.GetProperty("features").GetArrayLength());
        var intelligence = await _app.Http.GetJsonAsync($"/api/leads/{lead}/intelligence");
        Assert.Equal(0.9, intelligence.GetProperty("probability").GetDouble());
        Assert.Equal("conversation", intelligence.GetProperty("disc").Str("setBy"));
    }

    [Fact]
    public async Task Outcomes_posted_by_reps_make_the_score_learnt_after_the_timer_runs()
    {
        // 24 quiet leads (scored 7 hours ago), half won: the stronger their scored features, the likelier won.
        var store = Get<ILeadScoreStore>();
        List<string> leads = [];
        for (var i = 0; i < 24; i++)
        {
            var won = i % 2 == 0;
            var old = DateTimeOffset.UtcNow.AddHours(-7);
            var lead = await LeadAsync($"Outcome {i}", 0.5, computedAt: old);
            var features = new LeadScoreFeatures(won ? 0.8 : 0.1, won ? 8 : 1, 30, won ? 0.5 : -0.3, won ? ConversationState.ClosingAttempt : ConversationState.InitialContact, won ? 1 : 20);
            Assert.True(await store.SaveAsync((await store.GetAsync("demo", lead, default))! with { Features = features }, default));
            var posted = await _app.Http.PostAsync($"/api/leads/{lead}/outcome", Json(won ? """{"outcome": "won", "value": 1200}""" : """{"outcome": "lost", "reason": "price"}"""));
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            leads.Add(lead);
        }

        Assert.Equal("prior", (await _app.Http.GetJsonAsync($"/api/leads/{leads[0]}/score")).GetProperty("score").Str("model"));

        await _app.Services.GetServices<Functions.Runners.ITimerHandler>().Single(t => t.Name == Functions.Hosting.TimerNames.ScoreRefresh).RunAsync(default);

        var score = (await _app.Http.GetJsonAsync($"/api/leads/{leads[0]}/score")).GetProperty("score");
        Assert.Equal(("learnt", 24), (score.Str("model"), score.GetProperty("outcomes").GetInt32()));
        var bant = score.GetProperty("features").EnumerateArray().Single(f => f.Str("feature") == "bant");
        Assert.True(bant.GetProperty("weight").GetDouble() > 0);
    }

    [Fact]
    public async Task A_reps_DISC_is_kept_over_analysis_and_a_stale_If_Match_is_412()
    {
        var lead = await LeadAsync("Carla", 0.5, language: "de");
        await SayAsync(lead, "Welche Spezifikationen hat das genau? Gibt es eine Dokumentation?", "Können Sie mir einen Vergleich schicken?");

        var analyzed = await (await _app.Http.PostAsync($"/api/leads/{lead}/personality/analyze", null)).JsonAsync();
        Assert.True(analyzed.GetProperty("stored").GetBoolean());
        Assert.Equal("C", analyzed.GetProperty("disc").Str("primary"));
        Assert.NotEmpty(analyzed.GetProperty("disc").GetProperty("signals").EnumerateArray());

        var set = await _app.Http.PostAsync($"/api/leads/{lead}/personality", Json("""{"primary": "i", "note": "loves stories on the phone"}"""));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var etag = set.Headers.ETag!.Tag;

        var again = await (await _app.Http.PostAsync($"/api/leads/{lead}/personality/analyze", null)).JsonAsync();
        Assert.False(again.GetProperty("stored").GetBoolean());
        Assert.Equal("C", again.GetProperty("analyzed").Str("primary"));
        var disc = (await _app.Http.GetJsonAsync($"/api/leads/{lead}/personality")).GetProperty("disc");
        Assert.Equal(("I", "rep"), (disc.Str("primary"), disc.Str("setBy")));

        var advice = await _app.Http.GetJsonAsync($"/api/leads/{lead}/personality/recommendations");
        Assert.Equal(("I", "de"), (advice.Str("primary"), advice.Str("language")));
        Assert.NotEmpty(advice.GetProperty("do").EnumerateArray());

        await _app.Http.PostAsync($"/api/leads/{lead}/personality", Json("""{"primary": "S"}"""));
        using var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/leads/{lead}/personality") { Content = Json("""{"primary": "D"}""") };
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        await ApiJson.AssertProblemAsync(await _app.Http.SendAsync(stale), HttpStatusCode.PreconditionFailed, "If-Match");
        Assert.Equal("S", (await _app.Http.GetJsonAsync($"/api/leads/{lead}/personality")).GetProperty("disc").Str("primary"));
    }

    [Theory]
    [InlineData("""{"primary": "X"}""", "primary")]
    [InlineData("""{"note": "no style"}""", "primary")]
    [InlineData("""{"primary": "D", "note": 5}""", "note")]
    [InlineData("""[]""", "body")]
    public async Task A_bad_DISC_setting_is_400_naming_the_field(string body, string field)
    {
        var lead = await LeadAsync("Dora", 0.5);
        await ApiJson.AssertProblemAsync(await _app.Http.PostAsync($"/api/leads/{lead}/personality", Json(body)), HttpStatusCode.BadRequest, field);
        Assert.Null(await Get<ILeadProfileStore>().GetAsync("demo", lead, default));
    }

    private async Task SayAsync(string leadId, params string[] texts)
    {
        var conversations = Get<IConversationStore>();
        var conversation = await conversations.GetOrCreateForLeadAsync("demo", leadId, ChannelKind.WhatsApp, T0, default);
        var i = 0;
        foreach (var text in texts)
        {
            await conversations.AddInboundAsync(new Message { Id = Ids.New("msg"), ClientId = "demo", LeadId = leadId, ConversationId = conversation.Id, Direction = MessageDirection.Inbound, Channel = ChannelKind.WhatsApp, Text = text, ProviderMessageId = $"wamid.{leadId}.{i}", CreatedAt = T0.AddMinutes(i++) }, default);
        }
    }
}
