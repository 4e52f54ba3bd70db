using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Meetings;
using SalesFlow.Infrastructure.Signatures;
using SalesFlow.Tests.Adapters;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// The Cal.com booking webhook (<c>POST /api/webhooks/calcom/{clientId}</c>) and <c>GET /api/leads/{id}/meetings</c> on the
/// real app (in-process Kestrel, embedded store). Webhook bodies follow Cal.com's webhook payload
/// (<c>{"triggerEvent","createdAt","payload":{"uid","startTime","endTime","status","rescheduleUid","cancellationReason",…}}</c>,
/// cal.com/docs/developing/guides/automation/webhooks), signed as Cal.com signs them (hex HMAC-SHA256 of the body).
/// </summary>
public sealed class MeetingsOverHttpTests : IAsyncLifetime
{
    private const string WebhookSecret = "whsec_calcom_demo_5a5a5a5a";
    private static readonly DateTimeOffset Start = new(2030, 3, 12, 10, 0, 0, TimeSpan.Zero);

    private InProcessApp _app = null!;

    private IMeetingStore Meetings => _app.Services.GetRequiredService<IMeetingStore>();

    public async Task InitializeAsync() => _app = await InProcessApp.StandaloneAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task ConfigureSecretAsync()
    {
        using var response = await _app.Http.PatchAsync("/api/clients/demo/config", new StringContent($$"""{ "calcom": { "webhookSecret": "{{WebhookSecret}}" } }""", Encoding.UTF8, "application/merge-patch+json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> LeadAsync(string clientId = "demo")
    {
        var phone = "+49170" + Random.Shared.Next(1_000_000, 9_999_999);
        var (lead, _) = await _app.Services.GetRequiredService<ILeadStore>().GetOrCreateByIdentityAsync(clientId, IdentityKind.Phone, phone, () => new Lead { Id = Ids.New("lead"), ClientId = clientId, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow }, default);
        return lead.Id;
    }

    private async Task<Meeting> BookedMeetingAsync(string leadId, string uid, string clientId = "demo") =>
        (await Meetings.AddAsync(MeetingStoreContractTests.NewMeeting(clientId, leadId, Start, externalId: uid), default)).Meeting;

    private static string Body(string trigger, string uid, DateTimeOffset start, string? rescheduleUid = null, string? reason = null)
    {
        var payload = new JsonObject
        {
            ["type"] = "demo",
            ["title"] = "Demo between Host and Anna Schmidt",
            ["startTime"] = start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["endTime"] = start.AddMinutes(30).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["organizer"] = new JsonObject { ["name"] = "Host", ["email"] = "host@example.com", ["timeZone"] = "Europe/Berlin" },
            ["attendees"] = new JsonArray(new JsonObject { ["name"] = "Anna Schmidt", ["email"] = "anna@example.com", ["timeZone"] = "Europe/Berlin" }),
            ["uid"] = uid,
            ["bookingId"] = 1001,
            ["status"] = trigger == "BOOKING_CANCELLED" ? "CANCELLED" : "ACCEPTED",
            ["metadata"] = new JsonObject { ["videoCallUrl"] = "https://app.cal.com/video/" + uid },
        };
        if (rescheduleUid is not null)
        {
            payload["rescheduleUid"] = rescheduleUid;
        }

        if (reason is not null)
        {
            payload["cancellationReason"] = reason;
        }

        return new JsonObject { ["triggerEvent"] = trigger, ["createdAt"] = "2030-03-11T10:00:00.000Z", ["payload"] = payload }.ToJsonString();
    }

    private async Task<HttpResponseMessage> PostWebhookAsync(string body, string? signature, string clientId = "demo")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/calcom/{clientId}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = null;
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(CalComSignature.HeaderName, signature);
        }

        return await _app.Http.SendAsync(request);
    }

    private Task<HttpResponseMessage> PostSignedAsync(string body) => PostWebhookAsync(body, CalComSignature.Compute(WebhookSecret, Encoding.UTF8.GetBytes(body)));

    private static async Task<string> OutcomeAsync(HttpResponseMessage response) => (await response.JsonAsync()).Str("outcome");

    [Fact]
    public async Task A_signed_cancellation_cancels_the_meeting_it_names_and_a_duplicate_changes_nothing()
    {
        await ConfigureSecretAsync();
        var meeting = await BookedMeetingAsync(await LeadAsync(), "bk_cancel_1");
        var body = Body("BOOKING_CANCELLED", "bk_cancel_1", Start, reason: "Cannot make it");

        Assert.Equal("applied", await OutcomeAsync(await PostSignedAsync(body)));
        var cancelled = await Meetings.GetAsync("demo", meeting.Id, default);
        Assert.Equal((MeetingStatus.Cancelled, "Cannot make it"), (cancelled!.Status, cancelled.CancelReason));

        Assert.Equal("unchanged", await OutcomeAsync(await PostSignedAsync(body)));
        Assert.Equal(cancelled.ETag, (await Meetings.GetAsync("demo", meeting.Id, default))!.ETag);
    }

    [Fact]
    public async Task A_signed_reschedule_moves_the_meeting_to_the_new_booking_uid_and_time()
    {
        await ConfigureSecretAsync();
        var meeting = await BookedMeetingAsync(await LeadAsync(), "bk_old_1");

        Assert.Equal("applied", await OutcomeAsync(await PostSignedAsync(Body("BOOKING_RESCHEDULED", "bk_new_1", Start.AddDays(1), rescheduleUid: "bk_old_1"))));

        var moved = await Meetings.GetAsync("demo", meeting.Id, default);
        Assert.Equal(("bk_new_1", Start.AddDays(1), Start.AddDays(1).AddMinutes(30), MeetingStatus.Booked), (moved!.ExternalId, moved.Start, moved.End, moved.Status));
        Assert.Equal("https://app.cal.com/video/bk_new_1", moved.Location);
        Assert.Null(await Meetings.FindByExternalIdAsync("demo", "bk_old_1", default));
    }

    [Fact]
    public async Task A_forged_signature_is_401_and_changes_nothing()
    {
        await ConfigureSecretAsync();
        var meeting = await BookedMeetingAsync(await LeadAsync(), "bk_forged_1");
        var body = Body("BOOKING_CANCELLED", "bk_forged_1", Start);

        var forged = await PostWebhookAsync(body, CalComSignature.Compute("not-the-secret", Encoding.UTF8.GetBytes(body)));
        var unsigned = await PostWebhookAsync(body, null);

        await ApiJson.AssertProblemAsync(forged, HttpStatusCode.Unauthorized, CalComSignature.HeaderName);
        await ApiJson.AssertProblemAsync(unsigned, HttpStatusCode.Unauthorized, CalComSignature.HeaderName);
        var stored = await Meetings.GetAsync("demo", meeting.Id, default);
        Assert.Equal((MeetingStatus.Booked, meeting.ETag), (stored!.Status, stored.ETag));
    }

    [Fact]
    public async Task Without_a_configured_webhook_secret_every_request_is_401()
    {
        var meeting = await BookedMeetingAsync(await LeadAsync(), "bk_nosecret_1");
        var body = Body("BOOKING_CANCELLED", "bk_nosecret_1", Start);

        await ApiJson.AssertProblemAsync(await PostWebhookAsync(body, CalComSignature.Compute("", Encoding.UTF8.GetBytes(body))), HttpStatusCode.Unauthorized, CalComSignature.HeaderName);
        Assert.Equal(MeetingStatus.Booked, (await Meetings.GetAsync("demo", meeting.Id, default))!.Status);
    }

    [Fact]
    public async Task Another_clients_meeting_with_the_same_booking_uid_is_untouched()
    {
        await ConfigureSecretAsync();
        var other = await BookedMeetingAsync("lead_of_globex", "bk_shared_1", clientId: "globex");

        Assert.Equal("unknownbooking", await OutcomeAsync(await PostSignedAsync(Body("BOOKING_CANCELLED", "bk_shared_1", Start))));

        var stored = await Meetings.GetAsync("globex", other.Id, default);
        Assert.Equal((MeetingStatus.Booked, other.ETag), (stored!.Status, stored.ETag));
    }

    [Fact]
    public async Task A_malformed_body_is_400_naming_the_field_and_an_unknown_client_404()
    {
        await ConfigureSecretAsync();
        var noUid = """{"triggerEvent":"BOOKING_CANCELLED","payload":{"startTime":"2030-03-12T10:00:00Z"}}""";

        await ApiJson.AssertProblemAsync(await PostSignedAsync(noUid), HttpStatusCode.BadRequest, "payload.uid");
        await ApiJson.AssertProblemAsync(await PostSignedAsync("{not json"), HttpStatusCode.BadRequest, "body");
        await ApiJson.AssertProblemAsync(await PostWebhookAsync("{}", "00", clientId: "nobody"), HttpStatusCode.NotFound, "clientId");
    }

    [Fact]
    public async Task Triggers_about_something_else_are_acknowledged_and_ignored()
    {
        await ConfigureSecretAsync();

        Assert.Equal("ignored", await OutcomeAsync(await PostSignedAsync("""{"triggerEvent":"PING","createdAt":"2030-03-11T10:00:00.000Z","payload":{}}""")));
    }

    [Fact]
    public async Task A_leads_meetings_are_listed_newest_first_for_its_client_only()
    {
        var leadId = await LeadAsync();
        var early = await BookedMeetingAsync(leadId, "bk_list_1");
        var late = (await Meetings.AddAsync(MeetingStoreContractTests.NewMeeting("demo", leadId, Start.AddDays(2), externalId: "bk_list_2"), default)).Meeting;
        await BookedMeetingAsync(leadId, "bk_list_globex", clientId: "globex");

        var listed = await _app.Http.GetJsonAsync($"/api/leads/{leadId}/meetings");

        var items = listed.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal([late.Id, early.Id], items.Select(i => i.Str("id")));
        var first = items[0];
        Assert.Equal(("calcom", "bk_list_2", "booked", "Europe/Berlin", "anna@example.com"), (first.Str("provider"), first.Str("externalId"), first.Str("status"), first.Str("timeZone"), first.GetProperty("attendee").Str("email")));
        Assert.Equal(Start.AddDays(2), first.GetProperty("start").GetDateTimeOffset());
        Assert.True(first.TryGetProperty("createdAt", out _));
        Assert.True(first.TryGetProperty("location", out _));
    }

    [Fact]
    public async Task An_unknown_lead_is_404_and_the_route_needs_the_clients_key()
    {
        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync("/api/leads/lead_nobody/meetings"), HttpStatusCode.NotFound, "id");

        using var anonymous = new HttpClient { BaseAddress = _app.BaseUrl };
        var unauthenticated = await anonymous.GetAsync($"/api/leads/{await LeadAsync()}/meetings");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);

        using var wrongKey = new HttpClient { BaseAddress = _app.BaseUrl };
        wrongKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sf_wrong_key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync($"/api/leads/{await LeadAsync()}/meetings")).StatusCode);
    }

    [Fact]
    public async Task Another_clients_lead_is_404()
    {
        var globexLead = await LeadAsync("globex");
        await BookedMeetingAsync(globexLead, "bk_globex_only", clientId: "globex");

        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync($"/api/leads/{globexLead}/meetings"), HttpStatusCode.NotFound, "id");
    }
}
