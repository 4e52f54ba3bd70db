namespace SalesFlow.Core.Meetings;

/// <summary>
/// Chooses the few slots to offer from the calendar's free ones: different days first, and on each new day a time of
/// day unlike those already chosen (a morning after an afternoon), so the lead gets a real choice, earliest first.
/// </summary>
public static class SlotPicker
{
    public const int MaxOffered = 3;

    public static IReadOnlyList<MeetingSlot> Spread(IReadOnlyList<MeetingSlot> free, TimeZoneInfo zone, int count = MaxOffered)
    {
        ArgumentNullException.ThrowIfNull(free);
        var local = free.OrderBy(s => s.Start).Select(s => (Slot: s, At: TimeZoneInfo.ConvertTime(s.Start, zone).DateTime)).ToList();
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

    /// <summary>The free slots nearest to <paramref name="wanted"/>, in time order (the answer to a time that is taken).</summary>
    public static IReadOnlyList<MeetingSlot> Nearest(IReadOnlyList<MeetingSlot> free, DateTimeOffset wanted, int count = MaxOffered) =>
        free.OrderBy(s => Math.Abs((s.Start - wanted).TotalMinutes)).Take(count).OrderBy(s => s.Start).ToList();
}
