using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Meetings;
using SalesFlow.Tests.Support;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// Issue 13's "done when" on the real app (in-process Kestrel, SQLite, the embedded queue runner), in English and German:
/// a lead says hello, states company, role, budget and timeline, asks for a demo, is offered real slots from Cal.com's
/// <c>GET /v2/slots</c>, picks one ("the first one works", "Dienstag passt") and is booked with <c>POST /v2/bookings</c>
/// under the configured key; <c>GET /api/leads/{id}/meetings</c> shows the booking; HubSpot has one contact and one
/// deal under the configured token; the client's alert address gets the e-mails through SendGrid. Everything about the
/// client comes through its config API; only the vendors' base URLs are settings. Reporting the booking again (a
/// duplicate event) books, deals and alerts nothing twice.
/// </summary>
public sealed class Issue13DoneWhenOverHttpTests : IAsyncLifetime
{
    private const string CalComKey = "cal_live_done_when_key_1a1a";
    private const long EventTypeId = 4242;
    private const string HubSpotToken = "pat-eu1-done-when-token-2b2b";
    private const string SendGridKey = "SG.done-when-alerts-key-3c3c";
    private const string AlertAddress = "owner@demo.example";

    private CalComApiServer _calcom = null!;
    private HubSpotApiServer _hubspot = null!;
    private SendGridApiServer _sendGrid = null!;
    private InProcessApp _app = null!;

    public async Task InitializeAsync()
    {
        _calcom = await CalComApiServer.StartAsync(CalComKey, EventTypeId);
        _hubspot = await HubSpotApiServer.StartAsync(HubSpotToken);
        _sendGrid = await SendGridApiServer.StartAsync(SendGridKey);
        _app = await InProcessApp.StandaloneAsync(new()
        {
            ["CalCom:ApiBaseUrl"] = _calcom.BaseUrlSetting,
            ["HubSpot:ApiBaseUrl"] = _hubspot.BaseUrlSetting,
            ["SendGrid:ApiBaseUrl"] = _sendGrid.BaseUrlSetting,
        });

        // Free half-hours on each of the next six days, 10:00 and 14:30 in Berlin: what the event type's calendar has open.
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, berlin).Date);
        for (var day = 1; day <= 6; day++)
        {
            foreach (var time in new[] { new TimeOnly(10, 0), new TimeOnly(14, 30) })
            {
                var local = today.AddDays(day).ToDateTime(time);
                _calcom.OpenSlots.Add(new DateTimeOffset(local, berlin.GetUtcOffset(local)).ToUniversalTime());
            }
        }
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _calcom.DisposeAsync();
        await _hubspot.DisposeAsync();
        await _sendGrid.DisposeAsync();
    }

    private async Task ConfigureAsync(string language)
    {
        var json = $$"""
            { "timeZone": "Europe/Berlin", "language": "{{language}}",
              "email": { "fromAddress": "sales@demo.example", "fromName": "Demo Sales", "sendGridApiKey": "{{SendGridKey}}" },
              "calcom": { "apiKey": "{{CalComKey}}", "eventTypeId": {{EventTypeId}}, "durationMinutes": 30 },
              "hubspot": { "accessToken": "{{HubSpotToken}}" },
              "alerts": { "emails": ["{{AlertAddress}}"] } }
            """;
        using var response = await _app.Http.PatchAsync("/api/clients/demo/config", new StringContent(json, Encoding.UTF8, "application/merge-patch+json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<(string ConversationId, string LeadId, string Reply)> StartAsync(string email, string message)
    {
        using var response = await _app.Http.PostAsJsonAsync("/api/conversations", new { channel = "web", from = email, message });
        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return (body.Str("conversationId"), body.Str("leadId"), body.Str("reply"));
    }

    private async Task<JsonElement> SayAsync(string conversationId, string message)
    {
        using var response = await _app.Http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { message });
        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body;
    }

    private ReceivedRequest[] AlertMailsTo(string address) =>
        [.. _sendGrid.Sends.Where(s => s.Json!["personalizations"]!.AsArray().Any(p => p!["to"]!.AsArray().Any(t => t!["email"]!.GetValue<string>() == address)))];

    private static string Subject(ReceivedRequest send) => send.Json!["subject"]?.GetValue<string>() ?? send.Json!["personalizations"]![0]!["subject"]!.GetValue<string>();

    [Fact]
    public async Task An_English_lead_goes_from_Hi_to_a_booked_Cal_com_meeting_with_HubSpot_updated_and_the_alert_sent()
    {
        await ConfigureAsync("en");
        var email = $"anna.{Guid.NewGuid():N}@acme.example";

        var (conversationId, leadId, hello) = await StartAsync(email, "Hi");
        Assert.False(string.IsNullOrWhiteSpace(hello));
        await SayAsync(conversationId, "I'm Anna Schmidt, Head of Sales at Acme GmbH. We have a budget of 20,000 EUR and want to roll out next month for 40 reps.");
        var offer = await SayAsync(conversationId, "Can we book a demo?");

        var offered = await OfferedSlotsAsync(leadId);
        Assert.InRange(offered.Slots.Count, 2, 3);
        Assert.All(offered.Slots, s => Assert.Contains(s.Start, _calcom.OpenSlots));
        var slotsCall = Assert.Single(_calcom.Requests("GET", "/v2/slots"));
        Assert.Equal($"Bearer {CalComKey}", slotsCall.Headers["Authorization"]);
        var first = TimeZoneInfo.ConvertTime(offered.Slots[0].Start, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.Contains(first.ToString("HH:mm", CultureInfo.InvariantCulture), offer.Str("reply"), StringComparison.Ordinal);

        var booked = await SayAsync(conversationId, "The first one works");

        Assert.Equal("closing_attempt", booked.Str("state"));
        await AssertBookedAsync(leadId, email, offered.Slots[0], booked.Str("reply"), "Meeting booked");
    }

    [Fact]
    public async Task A_German_lead_picks_a_slot_by_its_weekday_and_is_booked_with_HubSpot_updated_and_the_alert_sent_in_German()
    {
        await ConfigureAsync("de");
        var email = $"jonas.{Guid.NewGuid():N}@mueller-logistik.example";

        var (conversationId, leadId, _) = await StartAsync(email, "Hallo");
        await SayAsync(conversationId, "Ich bin Jonas Weber, Vertriebsleiter bei Müller Logistik. Unser Budget liegt bei 15.000 €, wir wollen nächsten Monat für 25 Mitarbeiter starten.");
        await SayAsync(conversationId, "Können wir eine Demo vereinbaren?");

        var offered = await OfferedSlotsAsync(leadId);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var pick = offered.Slots[^1];
        var weekday = CultureInfo.GetCultureInfo("de-DE").DateTimeFormat.GetDayName(TimeZoneInfo.ConvertTime(pick.Start, berlin).DayOfWeek);
        Assert.Single(offered.Slots, s => TimeZoneInfo.ConvertTime(s.Start, berlin).DayOfWeek == TimeZoneInfo.ConvertTime(pick.Start, berlin).DayOfWeek);

        var booked = await SayAsync(conversationId, $"{weekday} passt");

        Assert.Equal("closing_attempt", booked.Str("state"));
        await AssertBookedAsync(leadId, email, pick, booked.Str("reply"), "Termin gebucht");
    }

    private async Task<SlotOffer> OfferedSlotsAsync(string leadId) =>
        await _app.Services.GetRequiredService<IMeetingStore>().GetOfferAsync("demo", leadId, default)
        ?? throw new Xunit.Sdk.XunitException("no slots were offered");

    private async Task AssertBookedAsync(string leadId, string email, MeetingSlot slot, string confirmation, string alertSubject)
    {
        // Cal.com: one booking, at the chosen slot, under the client's key.
        var bookingCall = Assert.Single(_calcom.Requests("POST", "/v2/bookings"));
        Assert.Equal($"Bearer {CalComKey}", bookingCall.Headers["Authorization"]);
        Assert.Equal(slot.Start, DateTimeOffset.Parse(bookingCall.Json!["start"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal(EventTypeId, bookingCall.Json!["eventTypeId"]!.GetValue<long>());
        Assert.Equal(email, bookingCall.Json!["attendee"]!["email"]!.GetValue<string>());
        var booking = Assert.Single(_calcom.Bookings);
        Assert.False(string.IsNullOrWhiteSpace(confirmation));

        // The lead's meetings show it.
        var meetings = await _app.Http.GetJsonAsync($"/api/leads/{leadId}/meetings");
        var meeting = Assert.Single(meetings.GetProperty("items").EnumerateArray());
        Assert.Equal(("booked", "calcom", booking["uid"]!.GetValue<string>()), (meeting.Str("status"), meeting.Str("provider"), meeting.Str("externalId")));
        Assert.Equal(slot.Start, meeting.GetProperty("start").GetDateTimeOffset());
        var lead = await _app.Http.GetJsonAsync($"/api/leads/{leadId}");
        Assert.Equal(meeting.Str("id"), lead.GetProperty("nextMeeting").Str("id"));

        // HubSpot: one contact and one deal, reached with the configured token (the server refuses any other).
        await Eventually.ReturnsAsync(
            () => Task.FromResult((_hubspot.Contacts.Count, _hubspot.Deals.Count)),
            c => c == (1, 1),
            because: "the CRM sync creates the contact and, the lead being qualified, its deal");
        var contact = _hubspot.Contacts.Values.Single();
        Assert.Equal(email, contact.Properties["email"]);
        Assert.All(_hubspot.Received, r => Assert.Equal($"Bearer {HubSpotToken}", r.Headers["Authorization"]));

        // The alert address: the meeting booked e-mail through SendGrid with the client's key.
        var alert = (await Eventually.ReturnsAsync(
            () => Task.FromResult(AlertMailsTo(AlertAddress).Where(s => Subject(s).Contains(alertSubject, StringComparison.Ordinal)).ToArray()),
            s => s.Length == 1,
            because: "the client's alert address hears about the meeting")).Single();
        Assert.Equal($"Bearer {SendGridKey}", alert.Headers["Authorization"]);

        // The booking reported again (a duplicate delivery of the event): no second booking, deal or alert. The reactions
        // run inside the publish, so an alert it wrote would be in the outbox when it returns.
        async Task<int> AlertItemsAsync() => (await _app.Http.OutboxAsync()).Count(i => i.Str("purpose") == "alert" && i.Str("recipient") == AlertAddress);
        var alertsBefore = await AlertItemsAsync();
        var stored = Assert.Single(await _app.Services.GetRequiredService<IMeetingStore>().ListForLeadAsync("demo", leadId, default));
        await _app.Services.GetRequiredService<IIntegrationEvents>().PublishAsync(
            new MeetingBooked("demo", leadId, DateTimeOffset.UtcNow, stored.Id, stored.ExternalId, stored.Start, stored.End, stored.TimeZone), default);
        Assert.Equal(alertsBefore, await AlertItemsAsync());
        Assert.Single(_calcom.Bookings);
        Assert.Single(_hubspot.Deals);
        Assert.Single(AlertMailsTo(AlertAddress), s => Subject(s).Contains(alertSubject, StringComparison.Ordinal));
    }
}
