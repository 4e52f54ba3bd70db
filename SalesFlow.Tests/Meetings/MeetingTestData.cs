using SalesFlow.Core.Meetings;

namespace SalesFlow.Tests.Meetings;

/// <summary>One week of the meeting tests: Friday 4 Dec 2026, 10:00 in Berlin; the offers that week.</summary>
public static class MeetingTestData
{
    public static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>A 30-minute slot starting at the Berlin wall-clock time given.</summary>
    public static MeetingSlot At(int day, int hour, int minute = 0)
    {
        var start = new DateTimeOffset(2026, 12, day, hour, minute, 0, TimeSpan.FromHours(1));
        return new MeetingSlot(start.ToUniversalTime(), start.AddMinutes(30).ToUniversalTime());
    }

    /// <summary>Tue 8 Dec 14:00, Wed 9 Dec 10:30, Thu 10 Dec 16:00.</summary>
    public static readonly IReadOnlyList<MeetingSlot> Offer = [At(8, 14), At(9, 10, 30), At(10, 16)];

    /// <summary>Two on Tuesday (10:00, 15:00), one on Wednesday 11:00.</summary>
    public static readonly IReadOnlyList<MeetingSlot> TwoOnTuesday = [At(8, 10), At(8, 15), At(9, 11)];
}
