namespace SalesFlow.Functions.Apis;

/// <summary>GET /api/leads/{id}/meetings: the lead's meetings, newest start first.</summary>
public sealed record LeadMeetingsDto(string LeadId, IReadOnlyList<MeetingDto> Items);

/// <summary>What the Cal.com webhook did with the booking it names: applied, unchanged, unknownbooking (ignored: no meeting of the client) or ignored (not a booking change).</summary>
public sealed record CalendarWebhookOutcomeDto(string Outcome);
