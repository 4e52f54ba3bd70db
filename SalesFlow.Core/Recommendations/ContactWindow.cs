using SalesFlow.Core.Conversations;

namespace SalesFlow.Core.Recommendations;

/// <summary>
/// When a lead answers fastest, in its own time zone: the two consecutive local hours and the weekdays where its
/// messages weigh most. A message that answered one of ours weighs more the sooner it came (1 for an instant answer,
/// ½ after an hour, ⅓ after two); a message that opened a conversation weighs ½.
/// </summary>
/// <param name="StartHour">Local hour the window opens (0–23); it lasts two hours.</param>
/// <param name="Days">The best weekdays, best first (at most two).</param>
/// <param name="MedianReplyMinutes">How fast the lead answers us, median; null when it never answered one of ours.</param>
/// <param name="Samples">Inbound messages read.</param>
public sealed record ContactWindow(string TimeZone, int StartHour, IReadOnlyList<DayOfWeek> Days, double? MedianReplyMinutes, int Samples)
{
    public const int WindowHours = 2;

    /// <summary>Fewer inbound messages than this say nothing about a habit.</summary>
    public const int MinSamples = 2;

    public int EndHour => (StartHour + WindowHours) % 24;

    /// <param name="timeZone">The lead's stated zone, else the client's; an unknown id falls back to UTC.</param>
    public static ContactWindow? From(IReadOnlyList<Message> messages, string timeZone)
    {
        var zone = Zone(timeZone);
        var ordered = messages.OrderBy(m => m.CreatedAt).ToList();
        var hourWeight = new double[24];
        var dayWeight = new Dictionary<DayOfWeek, double>();
        DateTimeOffset? waitingSince = null;
        var samples = 0;
        foreach (var m in ordered)
        {
            if (m.Direction == MessageDirection.Outbound)
            {
                waitingSince ??= m.CreatedAt;
                continue;
            }

            var weight = waitingSince is { } since ? 1 / (1 + Math.Max(0, (m.CreatedAt - since).TotalHours)) : 0.5;
            waitingSince = null;
            samples++;
            var local = TimeZoneInfo.ConvertTime(m.CreatedAt, zone);
            hourWeight[local.Hour] += weight;
            dayWeight[local.DayOfWeek] = dayWeight.GetValueOrDefault(local.DayOfWeek) + weight;
        }

        if (samples < MinSamples)
        {
            return null;
        }

        var start = Enumerable.Range(0, 24).MaxBy(h => (hourWeight[h] + hourWeight[(h + 1) % 24], hourWeight[h]));
        var days = dayWeight.OrderByDescending(d => d.Value).ThenBy(d => d.Key).Take(2).Select(d => d.Key).ToList();
        return new ContactWindow(zone.Id, start, days, LeadScoreReaderLatency(ordered), samples);
    }

    /// <summary>The next moment at or after <paramref name="now"/> inside the window (on any day: a due time should not wait a week).</summary>
    public DateTimeOffset NextOpening(DateTimeOffset now)
    {
        var zone = Zone(TimeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var inWindow = Enumerable.Range(0, WindowHours).Any(i => (StartHour + i) % 24 == local.Hour);
        if (inWindow)
        {
            return now;
        }

        var opening = new DateTime(local.Year, local.Month, local.Day, StartHour, 0, 0, DateTimeKind.Unspecified);
        if (opening <= local.DateTime)
        {
            opening = opening.AddDays(1);
        }

        return new DateTimeOffset(opening, zone.GetUtcOffset(opening));
    }

    private static double? LeadScoreReaderLatency(IReadOnlyList<Message> ordered) => Qualification.LeadScoreReader.MedianLatencyMinutes(ordered);

    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
