using System.Text.RegularExpressions;

namespace SalesFlow.Core.Meetings;

public enum SlotChoiceKind
{
    /// <summary>Nothing about the offer or the meeting: the turn goes on as usual.</summary>
    None,

    /// <summary>One offered slot: <see cref="SlotChoice.Slot"/>.</summary>
    Pick,

    /// <summary>Several offered slots fit (<see cref="SlotChoice.Candidates"/>): ask which.</summary>
    Ambiguous,

    /// <summary>A day and/or time that was not offered (<see cref="SlotChoice.Date"/>, <see cref="SlotChoice.Time"/>): the calendar decides.</summary>
    Requested,

    /// <summary>None of these: offer others (from next week when <see cref="SlotChoice.NextWeek"/>).</summary>
    OtherTimes,

    Cancel,

    /// <summary>Move the active meeting; to <see cref="SlotChoice.Date"/>/<see cref="SlotChoice.Time"/> when the lead named one.</summary>
    Reschedule,

    /// <summary>A pick by position ("the first one") with no open offer and a meeting booked: the booking stands.</summary>
    PickAfterBooking,
}

/// <summary>
/// What a lead's message means for the slots last offered (<see cref="SlotOffer"/>) and an active meeting: a pick, an
/// ambiguous pick, a time not offered, a no to all, a cancellation or a move. Read in the lead's zone.
/// </summary>
public sealed partial record SlotChoice(
    SlotChoiceKind Kind,
    MeetingSlot? Slot = null,
    IReadOnlyList<MeetingSlot>? Candidates = null,
    DateOnly? Date = null,
    TimeOnly? Time = null,
    bool NextWeek = false,
    DayPart? Part = null,
    TimeBound Bound = TimeBound.At)
{
    /// <summary>
    /// The other days of a wish for one of several ("Dienstag oder Mittwoch vormittag"; <see cref="Date"/> is the last
    /// named): the calendar's times are offered across them all (they were all Wednesday's).
    /// </summary>
    public IReadOnlyList<DateOnly> OtherDays { get; init; } = [];

    /// <summary>
    /// A move to another day at the meeting's own time ("can we push it to friday same time?", "geht Freitag zur selben
    /// Zeit?"): it was offered Friday's first times instead of its own.
    /// </summary>
    public bool SameTime { get; init; }

    public static readonly SlotChoice Nothing = new(SlotChoiceKind.None);

    /// <param name="offeredSlots">The offer's slots still ahead (empty when there is no open offer), in offered order.</param>
    /// <param name="hasActiveMeeting">The lead has a requested or booked meeting: cancel and move are read.</param>
    public static SlotChoice Read(string text, IReadOnlyList<MeetingSlot> offeredSlots, bool hasActiveMeeting, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(offeredSlots);
        var lower = " " + text.ToLowerInvariant().Replace('’', '\'') + " ";
        var mention = SlotMention.Read(text);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var day = DayOf(mention, today);
        var requested = new SlotChoice(SlotChoiceKind.Requested, Date: day, Time: mention.Time, NextWeek: mention.NextWeek, Part: mention.Part, Bound: mention.Bound)
        {
            OtherDays = mention.Negated || mention.Date is not null || mention.RelativeDays is not null
                ? [] : [.. mention.Weekdays.Select(w => WeekdayDate(w, mention.NextWeek, today)).Where(d => d != day).Distinct()],
        };

        if (hasActiveMeeting)
        {
            var move = Reschedule().IsMatch(lower);
            // "Doch lieber absagen, sorry" (rather cancel) after a move's offer cancels: its "lieber" asks for no other time.
            if (move || (Cancel().IsMatch(lower) && ((Instead().IsMatch(lower) && !RatherCancel().IsMatch(lower)) || mention.NamesTime)))
            {
                return new(SlotChoiceKind.Reschedule, Date: day, Time: mention.Time, NextWeek: mention.NextWeek, Part: mention.Part, Bound: mention.Bound)
                {
                    SameTime = mention.Time is null && SameTimeOfDay().IsMatch(lower),
                };
            }

            if (Cancel().IsMatch(lower))
            {
                return new(SlotChoiceKind.Cancel);
            }
        }
        else if (offeredSlots.Count == 0 && Cancel().IsMatch(lower) && !Instead().IsMatch(lower) && !mention.NamesTime)
        {
            // "cancel my demo please" with nothing booked was offered demo slots: the caller says there is none.
            return new(SlotChoiceKind.Cancel);
        }

        if (offeredSlots.Count == 0)
        {
            // No open offer: a named day or time is a wish the caller may check when the lead asks for a meeting. "the first
            // one" right after its pick was booked was answered from the knowledge (the channels answer's "one lead").
            return mention.NamesDay || mention.NamesTime ? requested
                : hasActiveMeeting && (mention.Position is not null || mention.Last) ? new(SlotChoiceKind.PickAfterBooking)
                : Nothing;
        }

        var turnsDown = OtherTimes().IsMatch(lower) || mention.NextWeek;
        if (!mention.HasCriteria)
        {
            if (turnsDown || (mention.Negated && NoneFits().IsMatch(lower)))
            {
                return new(SlotChoiceKind.OtherTimes, NextWeek: mention.NextWeek);
            }

            if (mention.Acceptance && !mention.Negated)
            {
                return offeredSlots.Count == 1 ? new(SlotChoiceKind.Pick, offeredSlots[0]) : new(SlotChoiceKind.Ambiguous, Candidates: offeredSlots);
            }

            return Nothing;
        }

        var local = offeredSlots.Select(s => (Slot: s, At: TimeZoneInfo.ConvertTime(s.Start, zone).DateTime)).ToList();
        var fitting = local.Where(s => Fits(s.At, mention, day)).Select(s => s.Slot).ToList();
        var offeredDayOrTime = fitting.Count > 0;

        if (mention.Negated || (turnsDown && !offeredDayOrTime))
        {
            // "Tuesday doesn't work", "none of these, how about Friday at 9?": a day or time not offered is the lead's own proposal.
            return (mention.NamesDay || mention.NamesTime) && !offeredDayOrTime && mention.Position is null && !mention.Last
                ? requested
                : new(SlotChoiceKind.OtherTimes, NextWeek: mention.NextWeek);
        }

        if (mention.Position is not null || mention.Last)
        {
            var index = mention.Last ? offeredSlots.Count - 1 : mention.Position!.Value;
            var others = mention with { Position = null, Last = false };
            if (!others.HasCriteria)
            {
                if (index < offeredSlots.Count)
                {
                    return new(SlotChoiceKind.Pick, offeredSlots[index]);
                }

                // "the 3rd" with two slots: the 3rd of the month, if a slot is on it.
                var onDay = local.Where(s => s.At.Day == index + 1).Select(s => s.Slot).ToList();
                return onDay.Count == 1 ? new(SlotChoiceKind.Pick, onDay[0]) : new(SlotChoiceKind.Ambiguous, Candidates: offeredSlots);
            }

            if (index < offeredSlots.Count && fitting.Contains(offeredSlots[index]))
            {
                return new(SlotChoiceKind.Pick, offeredSlots[index]);
            }

            return index < fitting.Count ? new(SlotChoiceKind.Pick, fitting[index]) : new(SlotChoiceKind.Ambiguous, Candidates: fitting.Count > 1 ? fitting : offeredSlots);
        }

        if (!mention.NamesDay && !mention.NamesTime && fitting.Count > 0)
        {
            // Only a part of the day ("mornings are better"): a preference, not a pick; the lead confirms which.
            return new(SlotChoiceKind.Ambiguous, Candidates: fitting);
        }

        return fitting.Count switch
        {
            1 => new(SlotChoiceKind.Pick, fitting[0]),
            > 1 => new(SlotChoiceKind.Ambiguous, Candidates: fitting),
            // Only a part of the day that nothing offered fits ("mornings are better"): other times.
            _ when !mention.NamesDay && !mention.NamesTime => new(SlotChoiceKind.OtherTimes),
            _ => requested,
        };
    }

    /// <summary>The calendar day the lead named, in their zone: a date, "tomorrow", or the next such weekday (next week's when they say so).</summary>
    private static DateOnly? DayOf(SlotMention mention, DateOnly today)
    {
        if (mention.Date is { } date)
        {
            var candidate = new DateOnly(today.Year, date.Month, Math.Min(date.Day, DateTime.DaysInMonth(today.Year, date.Month)));
            // "3 Jan" written in December is next January's.
            return candidate < today.AddDays(-31) ? candidate.AddYears(1) : candidate;
        }

        if (mention.RelativeDays is { } days)
        {
            return today.AddDays(days);
        }

        return mention.Weekdays.Count > 0 ? WeekdayDate(mention.Weekdays[^1], mention.NextWeek, today) : null;
    }

    /// <summary>The next such weekday (today's named means next week's: "today" says today), next week's when they say so.</summary>
    private static DateOnly WeekdayDate(DayOfWeek weekday, bool nextWeek, DateOnly today)
    {
        if (nextWeek)
        {
            // The weekday of the week after this one (weeks start on Monday).
            return NextMonday(today).AddDays(((int)weekday + 6) % 7);
        }

        var ahead = ((int)weekday - (int)today.DayOfWeek + 7) % 7;
        return today.AddDays(ahead == 0 ? 7 : ahead);
    }

    /// <summary>The Monday that starts next week.</summary>
    public static DateOnly NextMonday(DateOnly today)
    {
        var ahead = ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7;
        return today.AddDays(ahead == 0 ? 7 : ahead);
    }

    private static bool Fits(DateTime at, SlotMention mention, DateOnly? day)
    {
        if (mention.Weekdays.Count > 0 && !mention.Weekdays.Contains(at.DayOfWeek))
        {
            return false;
        }

        if ((mention.Date is not null || mention.RelativeDays is not null) && day != DateOnly.FromDateTime(at))
        {
            return false;
        }

        if (mention.Time is { } time && !Admits(TimeOnly.FromDateTime(at), time, mention.Bound))
        {
            return false;
        }

        return InPart(at, mention.Part);
    }

    /// <summary>Whether a slot starting at <paramref name="start"/> (local) meets the time named: at it, from it on, or before it.</summary>
    public static bool Admits(TimeOnly start, TimeOnly named, TimeBound bound) => bound switch
    {
        TimeBound.NotBefore => start >= named,
        TimeBound.NotAfter => start < named,
        _ => start == named,
    };

    /// <summary>Whether a local time lies in the part of the day named (any time when none is).</summary>
    public static bool InPart(DateTime at, DayPart? part) => part switch
    {
        DayPart.Morning => at.Hour < 12,
        DayPart.Afternoon => at.Hour is >= 12 and < 18,
        DayPart.Evening => at.Hour >= 17,
        _ => true,
    };

    [GeneratedRegex(@"\b(?:cancel\w*|call (?:it|the \w+) off|can'?t make it|cannot make it|won'?t make it|can'?t come|won'?t be able to (?:make|attend|come|join)|unable to (?:make|attend|come|join)|can'?t attend|not able to (?:make|attend|come)|absagen|absage|sag\w*(?: \w+){0,3} ab|storn\w*|nicht kommen|nicht teilnehmen|kann nicht dabei sein|schaffe? (?:es|das|den termin) nicht|schaff'?s nicht)\b")]
    private static partial Regex Cancel();

    [GeneratedRegex(@"\b(?:(?:the )?same (?:time|slot|hour)|(?:zur |zu der )?(?:selben|gleichen) (?:zeit|uhrzeit|stunde)|gleiche (?:zeit|uhrzeit))\b")]
    private static partial Regex SameTimeOfDay();

    [GeneratedRegex(@"\b(?:re-?schedul\w*|re-?book\w*|move (?:it|the|our|my)|push (?:it|the|our|my)|postpone\w*|another (?:time|day|slot|date)|different (?:time|day|slot|date)|change the (?:time|date|day)|other time|verschieb\w*|verleg\w*|umbuch\w*|umleg\w*|andere[nr]? (?:termin|zeit|tag|uhrzeit)|neue[nr]? (?:termin|zeit))\b")]
    private static partial Regex Reschedule();

    /// <summary>With a cancel word, a wish for another time makes it a move: "I can't make it, how about Thursday instead?".</summary>
    [GeneratedRegex(@"\b(?:instead|rather|how about|what about|could we do|can we do|stattdessen|lieber|wie wäre es|wie waere es|ginge auch|geht auch)\b")]
    private static partial Regex Instead();

    [GeneratedRegex(@"\b(?:rather|lieber|doch)\s+(?:just\s+|ganz\s+|einfach\s+|den\s+termin\s+|the\s+meeting\s+)?(?:cancel\w*|absag\w*|storn\w*)\b")]
    private static partial Regex RatherCancel();

    [GeneratedRegex(@"\b(?:none of (?:these|those|them|the)|neither|other (?:times?|slots?|options?|days?|dates?)|another (?:time|day|slot|option)|different (?:times?|days?|slots?)|something else|anything else|any other|later (?:in the|that|this)|other availability|andere[nr]? (?:termine?|zeit(?:en)?|tage?|uhrzeit(?:en)?|vorschläge|optionen)|keine[rsn]? davon|keiner der|passen (?:\w+ )?(?:alle|beide)? ?nicht|passt (?:beides|alles|keiner) nicht|sonst noch|weitere termine|später)\b")]
    private static partial Regex OtherTimes();

    /// <summary>A negated yes with nothing else: "doesn't work", "passt leider nicht", "those don't suit me".</summary>
    [GeneratedRegex(@"\b(?:work|works|suit|suits|fit|fits|good|possible|passt|passen|geht|gehen|klappt|klappen|möglich|moeglich)\b")]
    private static partial Regex NoneFits();
}
