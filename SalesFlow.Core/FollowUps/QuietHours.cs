namespace SalesFlow.Core.FollowUps;

/// <summary>
/// The local hours (in the lead's time zone) in which no follow-up is sent: from <see cref="Start"/> to <see cref="End"/>
/// (over midnight when Start is later than End), and all of Saturday and Sunday when <see cref="SkipWeekends"/>.
/// A due time inside them moves to the next <see cref="End"/>.
/// </summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End, bool SkipWeekends)
{
    /// <summary>21:00–08:00 local; weekends allowed (issue 12's client settings choose per client).</summary>
    public static QuietHours Default { get; } = new(new TimeOnly(21, 0), new TimeOnly(8, 0), SkipWeekends: false);

    /// <summary>Any hour is fine.</summary>
    public static QuietHours None { get; } = new(TimeOnly.MinValue, TimeOnly.MinValue, SkipWeekends: false);

    /// <summary>True when <paramref name="local"/> falls inside the quiet hours.</summary>
    public bool Contains(DateTime local)
    {
        if (SkipWeekends && local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            return true;
        }

        var time = TimeOnly.FromDateTime(local);
        return Start == End ? false
            : Start < End ? time >= Start && time < End
            : time >= Start || time < End;
    }

    /// <summary>
    /// The first moment at or after <paramref name="due"/> that is outside the quiet hours in <paramref name="zone"/>.
    /// A local time that a DST change skips moves forward by the change; one it repeats takes the earlier instant.
    /// </summary>
    public DateTimeOffset MoveOut(DateTimeOffset due, TimeZoneInfo zone)
    {
        var candidate = due;

        // Each pass moves to the end of one quiet stretch (the night, then maybe the weekend); a few suffice.
        for (var pass = 0; pass < 8; pass++)
        {
            var local = TimeZoneInfo.ConvertTime(candidate, zone).DateTime;
            if (!Contains(local))
            {
                return candidate;
            }

            var day = DateOnly.FromDateTime(local);
            var time = TimeOnly.FromDateTime(local);
            if (SkipWeekends && local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                var monday = day.AddDays(local.DayOfWeek == DayOfWeek.Saturday ? 2 : 1);
                candidate = ToInstant(monday.ToDateTime(End), zone);
                continue;
            }

            // Over midnight: before End it is the end of last night's stretch (today), after Start tonight's (tomorrow).
            var endDay = Start > End && time >= Start ? day.AddDays(1) : day;
            candidate = ToInstant(endDay.ToDateTime(End), zone);
        }

        return candidate;
    }

    private static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Skipped by a spring-forward change: the same wall-clock moment an hour later exists.
            local = local.AddHours(1);
        }

        if (zone.IsAmbiguousTime(local))
        {
            // Repeated by a fall-back change: the larger offset is the earlier instant.
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return new DateTimeOffset(local, offset).ToUniversalTime();
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
