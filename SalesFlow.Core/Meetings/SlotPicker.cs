namespace SalesFlow.Core.Meetings;

/// <summary>
/// Chooses the few slots to offer from the calendar's free ones: within the lead's day where the calendar allows it,
/// different days first, and on each new day a time of day unlike those already chosen (a morning after an afternoon),
/// so the lead gets a real choice, earliest first.
/// </summary>
public static class SlotPicker
{
    public const int MaxOffered = 3;

    /// <summary>The lead's day in its own time zone: a Californian lead was offered the client's Berlin mornings at 00:00.</summary>
    private static readonly TimeSpan DayStarts = TimeSpan.FromHours(8);

    private static readonly TimeSpan DayEnds = TimeSpan.FromHours(20);

    /// <summary>When no free slot falls in the lead's day: the ones at most this far outside it beyond the nearest.</summary>
    private const double NightToleranceMinutes = 60;

    /// <param name="zone">The lead's time zone.</param>
    public static IReadOnlyList<MeetingSlot> Spread(IReadOnlyList<MeetingSlot> free, TimeZoneInfo zone, int count = MaxOffered)
    {
        ArgumentNullException.ThrowIfNull(free);
        var local = InLeadsDay(free, zone);
        var chosen = new List<(MeetingSlot Slot, DateTime At)>();
        foreach (var day in local.GroupBy(s => s.At.Date))
        {
            if (chosen.Count == count)
            {
                break;
            }

            var usedMorning = chosen.Any(c => c.At.Hour < 12);
            var usedAfternoon = chosen.Any(c => c.At.Hour >= 12);
            var pick = day.FirstOrDefault(s => chosen.Count > 0 && (s.At.Hour < 12 ? !usedMorning : !usedAfternoon));
            chosen.Add(pick.Slot is null ? day.First() : pick);
        }

        // Fewer days than slots wanted: fill with the other free times, as far from the chosen ones as there are.
        foreach (var extra in local.Where(s => !chosen.Contains(s)).OrderByDescending(s => chosen.Min(c => Math.Abs((c.At - s.At).TotalMinutes))))
        {
            if (chosen.Count == count)
            {
                break;
            }

            chosen.Add(extra);
        }

        return chosen.OrderBy(c => c.Slot.Start).Select(c => c.Slot).ToList();
    }

    /// <summary>
    /// The free slots within the lead's day, earliest first, with their local times; when none is, those nearest to it
    /// (at most <see cref="NightToleranceMinutes"/> beyond the nearest).
    /// </summary>
    private static List<(MeetingSlot Slot, DateTime At)> InLeadsDay(IReadOnlyList<MeetingSlot> free, TimeZoneInfo zone)
    {
        var all = free.OrderBy(s => s.Start).Select(s => (Slot: s, At: TimeZoneInfo.ConvertTime(s.Start, zone).DateTime)).ToList();
        var nearest = all.Count == 0 ? 0 : all.Min(s => MinutesOutsideDay(s.At));
        return all.Where(s => MinutesOutsideDay(s.At) <= (nearest == 0 ? 0 : nearest + NightToleranceMinutes)).ToList();
    }

    /// <summary>Whether a local start lies in the lead's working day (08:00–20:00 its time).</summary>
    public static bool InLeadsDay(DateTime local) => MinutesOutsideDay(local) == 0;

    /// <summary>How far a start lies outside the lead's day (0 inside it).</summary>
    private static double MinutesOutsideDay(DateTime at) =>
        at.TimeOfDay < DayStarts ? (DayStarts - at.TimeOfDay).TotalMinutes
        : at.TimeOfDay >= DayEnds ? (at.TimeOfDay - DayEnds).TotalMinutes
        : 0;

    /// <summary>
    /// The free slots nearest to <paramref name="wanted"/> within the lead's day, in time order (the answer to a time that is
    /// taken): a Californian asking for 3 pm was offered midnight, the nearest in absolute time.
    /// </summary>
    /// <param name="zone">The lead's time zone.</param>
    public static IReadOnlyList<MeetingSlot> Nearest(IReadOnlyList<MeetingSlot> free, DateTimeOffset wanted, TimeZoneInfo zone, int count = MaxOffered) =>
        InLeadsDay(free, zone).Select(s => s.Slot).OrderBy(s => Math.Abs((s.Start - wanted).TotalMinutes)).Take(count).OrderBy(s => s.Start).ToList();
}
