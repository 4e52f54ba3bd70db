using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Qualification;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>BANT, lead score and outcome routes on the real app (in-process Kestrel, embedded store), as a rep uses them.</summary>
public sealed class QualificationOverHttpTests : IAsyncLifetime
{
    private InProcessApp _app = null!;

    public async Task InitializeAsync() => _app = await InProcessApp.StandaloneAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private async Task<string> LeadAsync(string clientId = "demo")
    {
        var phone = "+49170" + Random.Shared.Next(1_000_000, 9_999_999);
        var (lead, _) = await Get<ILeadStore>().GetOrCreateByIdentityAsync(clientId, IdentityKind.Phone, phone, () => new Lead { Id = Ids.New("lead"), ClientId = clientId, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow }, default);
        return lead.Id;
    }

    private static LeadInsights Turn(BantSignals bant) =>
        new(new MessageAnalysis("en", Intent.Question, Sentiment.Neutral, 0, 0.9), null, 0, bant, DiscSignals.None, KeyFacts.None, "rules");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_reps_BANT_is_shown_on_a_0_to_10_scale_and_survives_a_later_turn()
    {
        var lead = await LeadAsync();
        await Get<LeadProfileService>().MergeAsync("demo", lead, Turn(BantSignals.None with { Need = new BantSignal(0.8, "orders are slow") }), 1, DateTimeOffset.UtcNow, default);

        var set = await _app.Http.PostAsync($"/api/leads/{lead}/bant", Json("""{"budget": {"score": 9, "evidence": "CFO approved 40k on the call"}, "authority": {"score": 7}}"""));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.NotNull(set.Headers.ETag);

        // The next turn reads a weak budget signal: the rep's 9/10 stays.
        await Get<LeadProfileService>().MergeAsync("demo", lead, Turn(BantSignals.None with { Budget = new BantSignal(0.1, "money is tight") }), 2, DateTimeOffset.UtcNow, default);

        var bant = (await _app.Http.GetJsonAsync($"/api/leads/{lead}/bant")).GetProperty("bant");
        Assert.Equal(9, bant.GetProperty("budget").GetProperty("score").GetDouble());
        Assert.Equal("rep", bant.GetProperty("budget").Str("setBy"));
        Assert.Equal(["CFO approved 40k on the call"], bant.GetProperty("budget").GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(8, bant.GetProperty("need").GetProperty("score").GetDouble());
        Assert.Equal("conversation", bant.GetProperty("need").Str("setBy"));
        Assert.Equal(6, bant.GetProperty("overall").GetDouble()); // (9 + 7 + 8 + 0) / 4
        Assert.Equal("green", bant.Str("trafficLight"));
    }

    [Fact]
    public async Task A_stale_If_Match_is_412_and_changes_nothing()
    {
        var lead = await LeadAsync();
        var first = await _app.Http.PostAsync($"/api/leads/{lead}/bant", Json("""{"need": {"score": 5}}"""));
        var etag = first.Headers.ETag!.Tag;
        await _app.Http.PostAsync($"/api/leads/{lead}/bant", Json("""{"need": {"score": 6}}"""));

        using var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/leads/{lead}/bant") { Content = Json("""{"need": {"score": 1}}""") };
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        await ApiJson.AssertProblemAsync(await _app.Http.SendAsync(stale), HttpStatusCode.PreconditionFailed, "If-Match");

        Assert.Equal(6, (await _app.Http.GetJsonAsync($"/api/leads/{lead}/bant")).GetProperty("bant").GetProperty("need").GetProperty("score").GetDouble());
    }

    [Theory]
    [InlineData("""{"budget": {"score": 11}}""", "budget.score")]
    [InlineData("""{"budget": {"score": "high"}}""", "budget.score")]
    [InlineData("""{"budget": {"score": 5, "evidence": 3}}""", "budget.evidence")]
    [InlineData("""{"need": {"score": 5}, "money": {"score": 5}}""", "money")]
    [InlineData("""{"timeline": 5}""", "timeline")]
    [InlineData("""{}""", "body")]
    public async Task Bad_BANT_input_is_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        var lead = await LeadAsync();

        await ApiJson.AssertProblemAsync(await _app.Http.PostAsync($"/api/leads/{lead}/bant", Json(body)), HttpStatusCode.BadRequest, field);

        Assert.Null(await Get<ILeadProfileStore>().GetAsync("demo", lead, default));
    }

    [Fact]
    public async Task Another_clients_lead_is_404_on_every_qualification_route_and_is_left_alone()
    {
        var globex = await LeadAsync("globex");

        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync($"/api/leads/{globex}/bant"), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await _app.Http.PostAsync($"/api/leads/{globex}/bant", Json("""{"need": {"score": 5}}""")), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync($"/api/leads/{globex}/score"), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await _app.Http.PostAsync($"/api/leads/{globex}/outcome", Json("""{"outcome": "won"}""")), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync($"/api/leads/{globex}/outcome"), HttpStatusCode.NotFound, "id");

        Assert.Null(await Get<ILeadProfileStore>().GetAsync("globex", globex, default));
        Assert.Null(await Get<ILeadOutcomeStore>().GetAsync("globex", globex, default));
    }

    [Fact]
    public async Task The_score_shows_temperature_health_probability_and_every_feature_with_its_weight()
    {
        var lead = await LeadAsync();
        await _app.Http.PostAsync($"/api/leads/{lead}/bant", Json("""{"budget": {"score": 10}, "authority": {"score": 10}, "need": {"score": 10}, "timeline": {"score": 10}}"""));

        var score = (await _app.Http.GetJsonAsync($"/api/leads/{lead}/score")).GetProperty("score");

        Assert.Contains(score.Str("temperature"), new[] { "hot", "warm", "cold" });
        Assert.InRange(score.GetProperty("health").GetInt32(), 0, 100);
        Assert.InRange(score.GetProperty("probability").GetDouble(), 0, 1);
        var features = score.GetProperty("features").EnumerateArray().ToDictionary(f => f.Str("feature"));
        Assert.Equal(1, features["bant"].GetProperty("value").GetDouble());
        Assert.Equal(LeadScore.PriorWeights["bant"], features["bant"].GetProperty("weight").GetDouble());
        Assert.Equal(6, features.Count);
    }

    [Fact]
    public async Task A_reps_outcome_is_stored_with_source_api_and_shown()
    {
        var lead = await LeadAsync();
        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync($"/api/leads/{lead}/outcome"), HttpStatusCode.NotFound, "outcome");

        var set = await _app.Http.PostAsJsonAsync($"/api/leads/{lead}/outcome", new { outcome = "won", value = 12000.5m, reason = "Signed after the demo" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        var shown = await _app.Http.GetJsonAsync($"/api/leads/{lead}/outcome");
        Assert.Equal(("won", 12000.5m, "Signed after the demo", "api"), (shown.Str("outcome"), shown.GetProperty("value").GetDecimal(), shown.Str("reason"), shown.Str("source")));
        var stored = await Get<ILeadOutcomeStore>().GetAsync("demo", lead, default);
        Assert.Equal(("won", "api"), (stored!.Outcome, stored.Source));
    }

    [Theory]
    [InlineData("""{"outcome": "maybe"}""", "outcome")]
    [InlineData("""{}""", "outcome")]
    [InlineData("""{"outcome": "lost", "value": -1}""", "value")]
    public async Task Bad_outcome_input_is_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        var lead = await LeadAsync();

        await ApiJson.AssertProblemAsync(await _app.Http.PostAsync($"/api/leads/{lead}/outcome", Json(body)), HttpStatusCode.BadRequest, field);

        Assert.Null(await Get<ILeadOutcomeStore>().GetAsync("demo", lead, default));
    }

    [Fact]
    public async Task Intelligence_brings_profile_BANT_DISC_score_advice_meetings_and_CRM_ids_in_one_call()
    {
        var lead = await LeadAsync();
        await _app.Http.PostAsync($"/api/leads/{lead}/bant", Json("""{"need": {"score": 8, "evidence": "orders are slow"}}"""));
        var meeting = (await Get<Core.Meetings.IMeetingStore>().AddAsync(Adapters.MeetingStoreContractTests.NewMeeting("demo", lead, new DateTimeOffset(2030, 3, 12, 10, 0, 0, TimeSpan.Zero), externalId: "bk_intel"), default)).Meeting;
        await Get<Core.Crm.ICrmLinkStore>().SaveAsync(new Core.Crm.CrmLink { ClientId = "demo", LeadId = lead, ContactId = "hs_contact_1", DealId = "hs_deal_1" }, default);

        var intel = await _app.Http.GetJsonAsync($"/api/leads/{lead}/intelligence");

        Assert.Equal(lead, intel.Str("leadId"));
        Assert.Equal(8, intel.GetProperty("bant").GetProperty("need").GetProperty("score").GetDouble());
        Assert.Equal(0.8, intel.GetProperty("profile").GetProperty("bant").GetProperty("need").GetProperty("score").GetDouble());
        Assert.True(intel.TryGetProperty("disc", out _));
        Assert.Equal(intel.GetProperty("score").GetProperty("probability").GetDouble(), intel.GetProperty("probability").GetDouble());
        Assert.False(string.IsNullOrWhiteSpace(intel.GetProperty("recommendations")[0].Str("text")));
        Assert.Equal(meeting.Id, intel.GetProperty("meetings")[0].Str("id"));
        Assert.Equal(("hs_contact_1", "hs_deal_1"), (intel.GetProperty("crm").Str("contactId"), intel.GetProperty("crm").Str("dealId")));
    }

    [Fact]
    public async Task Intelligence_on_another_clients_lead_is_404()
    {
        var globex = await LeadAsync("globex");

        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync($"/api/leads/{globex}/intelligence"), HttpStatusCode.NotFound, "id");
    }
}
