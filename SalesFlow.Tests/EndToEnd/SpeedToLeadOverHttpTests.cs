using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.FollowUps;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// POST /api/leads, POST /api/leads/import and GET /api/leads/{id}/followups in the standalone app on the embedded
/// default (SQLite, the embedded queue runner and the outbox sink): no quiet hours, a cadence of seconds.
/// </summary>
public sealed class SpeedToLeadOverHttpTests : IAsyncLifetime
{
    private InProcessApp _app = null!;

    public async Task InitializeAsync() => _app = await InProcessApp.StandaloneAsync(new()
    {
        ["FollowUps:Cadence"] = "PT1S,PT2S",
        ["FollowUps:QuietFrom"] = "00:00",
        ["FollowUps:QuietUntil"] = "00:00",
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static string NewPhone() => "+4917012" + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Task<HttpResponseMessage> PostLeadAsync(object body) => _app.Http.PostAsJsonAsync("/api/leads", body);

    private async Task<JsonElement[]> FirstContactsAsync(string leadId) =>
        [.. (await _app.Http.OutboxAsync(leadId)).Where(i => i.Str("purpose") == "first_contact")];

    [Fact]
    public async Task A_form_lead_gets_a_personalised_first_message_on_sms_that_the_sink_delivers_at_once()
    {
        var phone = NewPhone();
        using var response = await PostLeadAsync(new { name = "Anna Berger", phone, consent = new { sms = true, email = true }, email = "anna@example.com", source = "website", interest = "solar panels under €15,000" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("sms", body.Str("channel"));
        Assert.Equal("queued", body.Str("status"));
        Assert.True(body.GetProperty("leadCreated").GetBoolean());
        var (leadId, outboxId) = (body.Str("leadId"), body.Str("outboxId"));
        Assert.StartsWith("conv", body.Str("conversationId"), StringComparison.Ordinal);

        var item = (await Eventually.ReturnsAsync(() => FirstContactsAsync(leadId), i => i.Any(x => x.Str("status") == "sent"), because: "the deliver queue sends it through the sink")).Single();
        Assert.Equal((outboxId, phone), (item.Str("id"), item.Str("recipient")));
        var text = item.Str("text");
        Assert.Contains("Anna", text, StringComparison.Ordinal);
        Assert.Contains("solar panels under €15,000", text, StringComparison.Ordinal);
        Assert.Contains("SalesFlow Demo", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Berger", text, StringComparison.Ordinal);

        // The same person, stitched: the lead answers to its phone and to the submitted address.
        var lead = await _app.Http.GetJsonAsync($"/api/leads/{leadId}");
        var identities = lead.GetProperty("identities").EnumerateArray().Select(i => i.Str("value")).ToList();
        Assert.Contains(phone, identities);
        Assert.Contains("anna@example.com", identities);
    }

    [Fact]
    public async Task A_repeat_within_24_hours_finds_the_same_lead_and_writes_no_second_greeting()
    {
        var phone = NewPhone();
        var first = await (await PostLeadAsync(new { name = "Ben", phone, consent = new { sms = true } })).JsonAsync();
        using var again = await PostLeadAsync(new { name = "Ben", phone = phone.Replace("+49", "0", StringComparison.Ordinal), consent = new { sms = true } });

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var repeat = await again.JsonAsync();
        Assert.Equal((first.Str("leadId"), first.Str("outboxId"), "repeat"), (repeat.Str("leadId"), repeat.Str("outboxId"), repeat.Str("status")));
        Assert.False(repeat.GetProperty("leadCreated").GetBoolean());
        Assert.Single(await FirstContactsAsync(first.Str("leadId")));
    }

    [Fact]
    public async Task WhatsApp_goes_first_with_the_client_s_approved_template_and_without_one_the_next_consented_channel_is_used()
    {
        var phone = NewPhone();
        var noTemplate = await (await PostLeadAsync(new { name = "Cleo", phone, email = "cleo@example.com", consent = new { whatsapp = true, email = true } })).JsonAsync();
        Assert.Equal("email", noTemplate.Str("channel"));

        using var patch = await _app.Http.PatchAsync("/api/clients/demo/config", new StringContent("""{ "whatsapp": { "templates": { "firstContact": { "name": "lead_welcome", "language": "en_US" } } } }""", Encoding.UTF8, "application/merge-patch+json"));
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var withTemplate = await (await PostLeadAsync(new { name = "Dora Meyer", phone = NewPhone(), consent = new { whatsapp = true, sms = true } })).JsonAsync();
        Assert.Equal("whatsapp", withTemplate.Str("channel"));
        await Eventually.ReturnsAsync(() => FirstContactsAsync(withTemplate.Str("leadId")), i => i.Single().Str("status") == "sent", because: "delivered through the sink");
    }

    [Fact]
    public async Task No_consent_for_a_reachable_channel_is_422_naming_consent_and_creates_no_lead()
    {
        await ApiJson.AssertProblemAsync(await PostLeadAsync(new { name = "Eve", phone = NewPhone() }), HttpStatusCode.UnprocessableEntity, "consent");
        await ApiJson.AssertProblemAsync(await PostLeadAsync(new { name = "Eve", phone = NewPhone(), consent = new { email = true } }), HttpStatusCode.UnprocessableEntity, "consent");
        await ApiJson.AssertProblemAsync(await PostLeadAsync(new { name = "Eve", email = "eve@example.com", consent = new { sms = true, whatsapp = true } }), HttpStatusCode.UnprocessableEntity, "consent");
        Assert.DoesNotContain(await _app.Http.OutboxAsync(), i => i.Str("recipient") == "eve@example.com");
    }

    [Fact]
    public async Task Bad_input_is_400_naming_the_field()
    {
        await ApiJson.AssertProblemAsync(await PostLeadAsync(new { phone = NewPhone(), consent = new { sms = true } }), HttpStatusCode.BadRequest, "name");
        await ApiJson.AssertProblemAsync(await PostLeadAsync(new { name = "Finn", phone = "call me maybe", consent = new { sms = true } }), HttpStatusCode.BadRequest, "phone");
        await ApiJson.AssertProblemAsync(await PostLeadAsync(new { name = "Finn", email = "finn@", consent = new { email = true } }), HttpStatusCode.BadRequest, "email");
        await ApiJson.AssertProblemAsync(await PostLeadAsync(new { name = "Finn", consent = new { email = true } }), HttpStatusCode.BadRequest, "phone");
        await ApiJson.AssertProblemAsync(await PostLeadAsync(new { name = "Finn", phone = NewPhone(), interest = new string('x', 201), consent = new { sms = true } }), HttpStatusCode.BadRequest, "interest");
    }

    [Fact]
    public async Task A_lead_who_opted_out_earlier_is_found_and_gets_no_message()
    {
        var phone = NewPhone();
        var stop = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = phone, message = "STOP" });
        var leadId = stop.Str("leadId");
        await Eventually.ReturnsAsync(async () => (await _app.Http.GetJsonAsync($"/api/leads/{leadId}/memory")).GetProperty("flags").GetProperty("optedOut").GetBoolean(), o => o, because: "STOP opts the lead out");

        using var response = await PostLeadAsync(new { name = "Gus", phone, consent = new { sms = true } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal((leadId, "opted_out"), (body.Str("leadId"), body.Str("status")));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("outboxId").ValueKind);
        Assert.Contains("opted out", body.Str("message"), StringComparison.Ordinal);
        Assert.Empty(await FirstContactsAsync(leadId));
    }

    [Fact]
    public async Task An_import_accepts_the_good_rows_and_reports_each_bad_row_with_its_field()
    {
        var (p1, p2) = (NewPhone(), NewPhone());
        var csv = $"""
            name,phone,email,consent_whatsapp,consent_sms,consent_email,source,interest,message
            Hanna,{p1},,no,yes,no,fair,heat pumps,
            ,{NewPhone()},,no,yes,no,fair,,
            Ivo,not-a-number,,no,yes,no,fair,,
            Jana,{p2},jana@example.com,no,no,yes,ads,,Call me please
            Karl,{NewPhone()},,no,no,no,fair,,
            Lena,{NewPhone()},,no,maybe,no,fair,,
            """;
        using var response = await _app.Http.PostAsync("/api/leads/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var body = await response.JsonAsync();

        Assert.Equal((6, 2, 4), (body.GetProperty("rows").GetInt32(), body.GetProperty("accepted").GetInt32(), body.GetProperty("failed").GetInt32()));
        var results = body.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal([2, 3, 4, 5, 6, 7], results.Select(r => r.GetProperty("row").GetInt32()));
        Assert.Equal(["queued", "error", "error", "queued", "error", "error"], results.Select(r => r.Str("status")));
        Assert.Equal(["name", "phone", "consent", "consent_sms"], results.Where(r => r.Str("status") == "error").Select(r => r.GetProperty("errors")[0].Str("field")));
        Assert.Equal(["sms", "email"], results.Where(r => r.Str("status") == "queued").Select(r => r.Str("channel")));
        await Eventually.ReturnsAsync(() => FirstContactsAsync(results[3].Str("leadId")), i => i.Single().Str("status") == "sent", because: "an imported lead is contacted like a posted one");
    }

    [Fact]
    public async Task An_import_over_the_row_limit_is_413_and_another_content_type_is_415()
    {
        var csv = new StringBuilder("name,phone,consent_sms\n");
        for (var i = 0; i <= Functions.Apis.LeadIntakeApi.MaxImportRows; i++)
        {
            csv.Append("N,+4917012").Append(100000 + i).Append(",yes\n");
        }

        await ApiJson.AssertProblemAsync(await _app.Http.PostAsync("/api/leads/import", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv")), HttpStatusCode.RequestEntityTooLarge, "body");
        await ApiJson.AssertProblemAsync(await _app.Http.PostAsJsonAsync("/api/leads/import", new { name = "x" }), HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }

    [Fact]
    public async Task The_followups_list_shows_the_next_step_then_the_sent_steps_and_nurture_after_the_last_one()
    {
        var created = await (await PostLeadAsync(new { name = "Mia", phone = NewPhone(), consent = new { sms = true } })).JsonAsync();
        var leadId = created.Str("leadId");
        var url = $"/api/leads/{leadId}/followups";

        var scheduled = await _app.Http.GetJsonAsync(url);
        Assert.Equal(("scheduled", 1, 2, 0), (scheduled.Str("status"), scheduled.GetProperty("next").GetProperty("step").GetInt32(), scheduled.GetProperty("steps").GetInt32(), scheduled.GetProperty("sent").GetArrayLength()));
        Assert.Equal(created.Str("outboxId"), scheduled.Str("cycle"));
        Assert.False(scheduled.GetProperty("nurture").GetBoolean());
        Assert.False((await _app.Http.GetJsonAsync($"/api/leads/{leadId}")).GetProperty("nurture").GetBoolean());

        // The follow-ups timer sweeps every 30 s; the test sweeps as soon as the seconds-long steps are due.
        var driver = _app.Services.GetRequiredService<StoreFollowUpDriver>();
        var done = await Eventually.ReturnsAsync(
            async () =>
            {
                await driver.SweepAsync(default);
                return await _app.Http.GetJsonAsync(url);
            },
            f => f.Str("status") == "nurture" && f.GetProperty("sent").EnumerateArray().All(s => s.Str("status") == "sent"),
            because: "both steps go out and the cadence ends unanswered");

        Assert.True(done.GetProperty("nurture").GetBoolean());
        Assert.True((await _app.Http.GetJsonAsync($"/api/leads/{leadId}")).GetProperty("nurture").GetBoolean());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("next").ValueKind);
        var sent = done.GetProperty("sent").EnumerateArray().ToArray();
        Assert.Equal([2, 1], sent.Select(s => s.GetProperty("step").GetInt32())); // newest first
        Assert.All(sent, s => Assert.Equal("sms", s.Str("channel")));
        Assert.Contains("Mia", (await _app.Http.OutboxAsync(leadId)).First(i => i.Str("purpose") == "follow_up").Str("text"), StringComparison.Ordinal);
    }
}
