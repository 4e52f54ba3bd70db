using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Meetings;
using SalesFlow.Infrastructure.Delivery;

namespace SalesFlow.Infrastructure.Meetings;

/// <summary>
/// The client's Cal.com calendar through API v2 (cal.com/docs/api-reference/v2), with the client's calcom.apiKey as
/// bearer and the <c>cal-api-version</c> each endpoint documents: 2024-09-04 for GET /v2/slots, 2024-08-13 for the
/// bookings endpoints (create, list, get, cancel, reschedule). Plain HttpClient and System.Text.Json: Cal.com ships no
/// .NET SDK. Wire shapes are read by <see cref="CalComWire"/>.
/// </summary>
/// <remarks>
/// A lead without an e-mail address: Cal.com's CreateBookingInput_2024_08_13 makes <c>attendee.email</c> optional
/// when <c>attendee.phoneNumber</c> (international format) is given ("At least one contact method (email or phone
/// number) must be provided", packages/platform/types/bookings/2024-08-13/inputs/create-booking.input.ts); the phone
/// becomes the booking's <c>attendeePhoneNumber</c> response and Cal.com stores a placeholder address
/// <c>&lt;digits&gt;@sms.cal.com</c>. The client's event type must then not require the e-mail field (Cal.com answers
/// 400 otherwise, which becomes a permanent <see cref="SchedulingException"/>). So: e-mail when we have one, the phone
/// whenever we have it, and no call at all when we have neither.
/// </remarks>
public sealed class CalComScheduler(IHttpClientFactory httpClients, IOptions<CalComApiOptions> options, TimeProvider clock) : IMeetingScheduler
{
    public const string HttpClientName = "CalComApi";

    public const string VersionHeader = "cal-api-version";
    public const string SlotsVersion = "2024-09-04";
    public const string BookingsVersion = "2024-08-13";

    /// <summary>The booking metadata key that carries our idempotency key (Cal.com: at most 40 characters per key, 500 per value).</summary>
    public const string IdempotencyMetadataKey = "salesflowKey";

    public async Task<IReadOnlyList<MeetingSlot>> FindSlotsAsync(Client client, DateTimeOffset from, DateTimeOffset to, string timeZone, CancellationToken ct)
    {
        var calCom = Config(client);
        var query = $"v2/slots?eventTypeId={calCom.EventTypeId!.Value.ToString(CultureInfo.InvariantCulture)}&start={Utc(from)}&end={Utc(to)}&timeZone={Uri.EscapeDataString(timeZone)}";
        var data = await SendAsync(HttpMethod.Get, query, SlotsVersion, null, calCom, "find slots", ct);
        var length = TimeSpan.FromMinutes(calCom.DurationMinutes ?? CalComConfig.DefaultDurationMinutes);
        return [.. CalComWire.SlotStarts(data).Where(s => s >= from && s < to).Select(s => new MeetingSlot(s, s + length))];
    }

    public async Task<BookedMeeting> BookAsync(Client client, BookingRequest request, CancellationToken ct)
    {
        var calCom = Config(client);
        if (string.IsNullOrWhiteSpace(request.Email) && string.IsNullOrWhiteSpace(request.Phone))
        {
            throw new SchedulingException("Cal.com needs the attendee's e-mail address or phone number; the lead has neither.", permanent: true);
        }

        var body = new JsonObject
        {
            ["start"] = Utc(request.Slot.Start),
            ["eventTypeId"] = calCom.EventTypeId,
            ["attendee"] = Attendee(request),
            ["metadata"] = new JsonObject { [IdempotencyMetadataKey] = request.IdempotencyKey.Length <= 500 ? request.IdempotencyKey : request.IdempotencyKey[..500] },
        };
        if (!string.IsNullOrWhiteSpace(request.Notes))
        {
            body["bookingFieldsResponses"] = new JsonObject { ["notes"] = request.Notes };
        }

        // Sent once: the HttpClient does not retry a POST (a retry after a timeout could book twice); the caller
        // reconciles a lost answer with FindBookingAsync.
        var data = await SendAsync(HttpMethod.Post, "v2/bookings", BookingsVersion, body, calCom, "book", ct);
        return CalComWire.Booking(data);
    }

    public async Task<BookedMeeting?> FindBookingAsync(Client client, BookingRequest request, CancellationToken ct)
    {
        var calCom = Config(client);
        var query = $"v2/bookings?eventTypeId={calCom.EventTypeId!.Value.ToString(CultureInfo.InvariantCulture)}"
            + $"&afterStart={Utc(request.Slot.Start.AddMinutes(-1))}&beforeEnd={Utc(request.Slot.End.AddDays(1))}"
            + (string.IsNullOrWhiteSpace(request.Email) ? "" : "&attendeeEmail=" + Uri.EscapeDataString(request.Email));
        var data = await SendAsync(HttpMethod.Get, query, BookingsVersion, null, calCom, "find the booking", ct);
        return CalComWire.FindBooking(data, request, IdempotencyMetadataKey);
    }

    public async Task CancelAsync(Client client, Meeting meeting, string reason, CancellationToken ct)
    {
        var calCom = Config(client);
        var uid = ExternalIdOf(meeting);
        try
        {
            await SendAsync(HttpMethod.Post, $"v2/bookings/{uid}/cancel", BookingsVersion, new JsonObject { ["cancellationReason"] = reason }, calCom, "cancel", ct);
        }
        catch (SchedulingException refused) when (refused.Permanent)
        {
            // Cal.com refuses to cancel a booking twice; one it already cancelled is what we wanted.
            var current = await SendAsync(HttpMethod.Get, $"v2/bookings/{uid}", BookingsVersion, null, calCom, "read the booking", ct);
            if (!CalComWire.IsCancelled(current))
            {
                throw;
            }
        }
    }

    public async Task<BookedMeeting> RescheduleAsync(Client client, Meeting meeting, MeetingSlot slot, string? reason, CancellationToken ct)
    {
        var calCom = Config(client);
        var body = new JsonObject { ["start"] = Utc(slot.Start) };
        if (!string.IsNullOrWhiteSpace(reason))
        {
            body["reschedulingReason"] = reason;
        }

        var data = await SendAsync(HttpMethod.Post, $"v2/bookings/{ExternalIdOf(meeting)}/reschedule", BookingsVersion, body, calCom, "reschedule", ct);
        return CalComWire.Booking(data);
    }

    private static JsonObject Attendee(BookingRequest request)
    {
        var attendee = new JsonObject { ["name"] = request.Name, ["timeZone"] = request.TimeZone };
        if (!string.IsNullOrWhiteSpace(request.Email))
        {
            attendee["email"] = request.Email;
        }

        if (!string.IsNullOrWhiteSpace(request.Phone))
        {
            attendee["phoneNumber"] = request.Phone;
        }

        // Cal.com takes only the languages of its BookingLanguage enum (400 otherwise); its default is English.
        if (CalComWire.Language(request.Language) is { } language)
        {
            attendee["language"] = language;
        }

        return attendee;
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, string version, JsonObject? body, CalComConfig calCom, string what, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(VendorUrl.AsBase(options.Value.ApiBaseUrl), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", calCom.ApiKey);
        request.Headers.TryAddWithoutValidation(VersionHeader, version);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or Polly.ExecutionRejectedException)
        {
            // No answer: for a booking, Cal.com may have it; FindBookingAsync tells.
            throw new SchedulingException($"Cal.com did not answer ({what}): {e.GetType().Name}.", permanent: false, inner: e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                return CalComWire.Data(text, what);
            }

            var status = (int)response.StatusCode;
            var message = $"Cal.com refused to {what} (HTTP {status}): {CalComWire.ErrorMessage(text)}";
            throw status == 429 || status >= 500
                ? new SchedulingException(message, permanent: false, VendorErrors.RetryAfter(response.Headers, clock.GetUtcNow()))
                : new SchedulingException(message, permanent: true);
        }
    }

    private static CalComConfig Config(Client client) =>
        client.Config?.CalCom is { IsComplete: true } calCom
            ? calCom
            : throw new SchedulingException($"Client {client.Id} has no complete calcom config (apiKey and eventTypeId).", permanent: true);

    private static string ExternalIdOf(Meeting meeting) =>
        meeting.ExternalId is { Length: > 0 } uid ? Uri.EscapeDataString(uid) : throw new SchedulingException($"Meeting {meeting.Id} has no Cal.com booking uid.", permanent: true);

    /// <summary>UTC ISO 8601, as Cal.com's create and reschedule inputs require ("in UTC timezone").</summary>
    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
