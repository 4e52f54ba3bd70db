using System.Globalization;
using System.Text.RegularExpressions;

namespace SalesFlow.Core.Meetings;

/// <summary>
/// Slots as the lead reads them: in the lead's zone and language, day and month names from the framework's culture
/// data ("Tue 3 Dec 14:00", "Di., 3. Dez. 14:00"). Everything not German is written in English.
/// </summary>
public static partial class SlotText
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static bool IsGerman(string? language) => string.Equals(language, "de", StringComparison.OrdinalIgnoreCase);

    /// <summary>One slot's start: "Tue 3 Dec 14:00" / "Di., 3. Dez. 14:00"; in the US and Canada "Tue Dec 3 at 2:00 PM".</summary>
    public static string Format(DateTimeOffset start, TimeZoneInfo zone, string? language)
    {
        var local = TimeZoneInfo.ConvertTime(start, zone).DateTime;
        // ICU writes the German weekday abbreviation without its dot ("Di"); the month's format form has one ("Dez.").
        return IsGerman(language) ? local.ToString("ddd'.', d. MMM HH:mm", German)
            : ReadsTwelveHours(zone) ? local.ToString("ddd MMM d 'at' h:mm tt", AmericanEnglish)
            : local.ToString("ddd d MMM HH:mm", English);
    }

    /// <summary>A day without a time: "Mon 14 Dec" / "Mo., 14. Dez." / "Mon Dec 14".</summary>
    public static string FormatDay(DateTimeOffset at, TimeZoneInfo zone, string? language)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
        return IsGerman(language) ? local.ToString("ddd'.', d. MMM", German)
            : ReadsTwelveHours(zone) ? local.ToString("ddd MMM d", AmericanEnglish)
            : local.ToString("ddd d MMM", English);
    }

    /// <summary>A time of day as the lead reads it: "14:00", in the US and Canada "2:00 PM".</summary>
    public static string FormatTime(TimeOnly time, TimeZoneInfo zone, string? language) =>
        !IsGerman(language) && ReadsTwelveHours(zone) ? time.ToString("h:mm tt", AmericanEnglish) : time.ToString("HH:mm", English);

    /// <summary>
    /// The US and Canada read a 12-hour clock: a Californian offered "Mon 7 Dec 06:30" read an unfamiliar form. The
    /// zones are those of the two countries (IANA ids; Mexico and the Caribbean write 24 hours as often as not).
    /// </summary>
    private static bool ReadsTwelveHours(TimeZoneInfo zone) =>
        NorthAmericanZones.Contains(zone.Id) || zone.Id.StartsWith("America/Indiana/", StringComparison.Ordinal)
        || zone.Id.StartsWith("America/Kentucky/", StringComparison.Ordinal) || zone.Id.StartsWith("America/North_Dakota/", StringComparison.Ordinal)
        || zone.Id.StartsWith("US/", StringComparison.Ordinal) || zone.Id.StartsWith("Canada/", StringComparison.Ordinal);

    private static readonly HashSet<string> NorthAmericanZones = new(StringComparer.Ordinal)
    {
        "America/New_York", "America/Detroit", "America/Chicago", "America/Menominee", "America/Denver", "America/Boise", "America/Phoenix",
        "America/Los_Angeles", "America/Anchorage", "America/Juneau", "America/Sitka", "America/Nome", "America/Adak", "Pacific/Honolulu",
        "America/Toronto", "America/Vancouver", "America/Edmonton", "America/Winnipeg", "America/Regina", "America/Halifax", "America/St_Johns",
        "America/Moncton", "America/Whitehorse", "America/Yellowknife", "America/Iqaluit",
    };

    private static readonly CultureInfo AmericanEnglish = CultureInfo.GetCultureInfo("en-US");

    /// <summary>The choice as a question: "Tue 3 Dec 14:00 or Wed 4 Dec 10:30?", "A, B oder C?".</summary>
    public static string Offer(IReadOnlyList<MeetingSlot> slots, TimeZoneInfo zone, string? language) => Choice(slots, zone, language) + "?";

    /// <summary>"A or B", "A, B oder C".</summary>
    public static string Choice(IReadOnlyList<MeetingSlot> slots, TimeZoneInfo zone, string? language)
    {
        ArgumentNullException.ThrowIfNull(slots);
        if (slots.Count == 0)
        {
            throw new ArgumentException("An offer needs at least one slot.", nameof(slots));
        }

        var texts = slots.Select(s => Format(s.Start, zone, language)).ToList();
        var or = IsGerman(language) ? " oder " : " or ";
        return texts.Count == 1 ? texts[0] : string.Join(", ", texts[..^1]) + or + texts[^1];
    }

    /// <summary>The reply that offers slots: a short lead-in for what the lead asked for, and the choice.</summary>
    /// <param name="wish">
    /// A call back ("Können Sie mich zurückrufen?") or a call ("Können wir nächste Woche mal telefonieren?") was told a demo
    /// would be set up.
    /// </param>
    public static string OfferReply(IReadOnlyList<MeetingSlot> slots, TimeZoneInfo zone, string? language, MeetingWish wish) => (IsGerman(language), wish) switch
    {
        (true, MeetingWish.CallBack) => $"Gerne rufen wir Sie an. Passt Ihnen {Choice(slots, zone, language)}? (Zeiten in {zone.Id})",
        (true, MeetingWish.Call) => $"Gerne telefonieren wir. Passt Ihnen {Choice(slots, zone, language)}? (Zeiten in {zone.Id})",
        (true, _) => $"Gerne richte ich eine Demo ein. Passt Ihnen {Choice(slots, zone, language)}? (Zeiten in {zone.Id})",
        (false, MeetingWish.CallBack) => $"Happy to give you a call. Would {Choice(slots, zone, language)} work? (Times in {zone.Id})",
        (false, MeetingWish.Call) => $"Happy to set up a call. Would {Choice(slots, zone, language)} work? (Times in {zone.Id})",
        _ => $"Happy to set up a demo. Would {Choice(slots, zone, language)} work? (Times in {zone.Id})",
    };

    /// <summary>New slots after the lead turned the last ones down, or a time they asked for was taken.</summary>
    public static string OtherSlotsReply(IReadOnlyList<MeetingSlot> slots, TimeZoneInfo zone, string? language, bool requestedTaken) => IsGerman(language)
        ? $"{(requestedTaken ? "Diese Zeit ist leider nicht frei. " : "")}Wie wäre es mit {Offer(slots, zone, language)} (Zeiten in {zone.Id})"
        : $"{(requestedTaken ? "Sorry, that time isn't free. " : "")}How about {Offer(slots, zone, language)} (Times in {zone.Id})";

    /// <summary>
    /// A part of a day the lead named that has no free time ("lets do a call tmrw afternoon", offered three mornings as if
    /// they were what it asked for): said so, with the nearest times. Every day named is said ("Thursday or Friday
    /// afternoon" was told that Friday's was taken).
    /// </summary>
    public static string PartTakenReply(IReadOnlyList<MeetingSlot> slots, TimeZoneInfo zone, string? language, IReadOnlyList<DateOnly> days, DayPart part)
    {
        var names = days.Order().Select(day =>
        {
            var noon = day.ToDateTime(new TimeOnly(12, 0));
            return FormatDay(new DateTimeOffset(noon, zone.GetUtcOffset(noon)), zone, language);
        }).ToList();
        var or = IsGerman(language) ? " oder " : " or ";
        var named = names.Count == 1 ? names[0] : string.Join(", ", names[..^1]) + or + names[^1];
        return IsGerman(language)
            ? $"Am {named} ist {part switch { DayPart.Morning => "vormittags", DayPart.Afternoon => "nachmittags", _ => "abends" }} leider nichts frei. Am nächsten dran: {Offer(slots, zone, language)} (Zeiten in {zone.Id})"
            : $"Sorry, nothing is free on {named} in the {part.ToString().ToLowerInvariant()}. The closest I have: {Offer(slots, zone, language)} (Times in {zone.Id})";
    }

    /// <summary>
    /// The answer to a window the lead named ("anytime after 10am"): its free times, or when it has none in the next days,
    /// the nearest ones, saying so.
    /// </summary>
    public static string WindowReply(IReadOnlyList<MeetingSlot> slots, TimeZoneInfo zone, string? language, TimeOnly limit, TimeBound bound, bool fits)
    {
        var german = IsGerman(language);
        var window = (bound, german) switch
        {
            (TimeBound.NotAfter, true) => $"vor {FormatTime(limit, zone, language)} Uhr",
            (TimeBound.NotAfter, false) => $"before {FormatTime(limit, zone, language)}",
            (_, true) => $"ab {FormatTime(limit, zone, language)} Uhr",
            _ => $"after {FormatTime(limit, zone, language)}",
        };
        return (fits, german) switch
        {
            (true, true) => $"Gerne! {Capitalised(window)} kann ich Ihnen {Choice(slots, zone, language)} anbieten. Was passt Ihnen? (Zeiten in {zone.Id})",
            (true, false) => $"Sure! {Capitalised(window)} I can offer {Offer(slots, zone, language)} (Times in {zone.Id})",
            (false, true) => $"{Capitalised(window)} ist in den nächsten Tagen leider nichts frei. Am nächsten dran: {Offer(slots, zone, language)} (Zeiten in {zone.Id})",
            _ => $"Sorry, nothing is free {window} in the next days. The closest I have: {Offer(slots, zone, language)} (Times in {zone.Id})",
        };
    }

    /// <summary>
    /// Said when slots offered lie outside the lead's working day because the team works in another zone (a Californian
    /// offered 06:30 by a Berlin calendar deserves the reason); empty otherwise.
    /// </summary>
    public static string HostHoursNote(IReadOnlyList<MeetingSlot> slots, TimeZoneInfo leadZone, string? hostZone, string? language)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(leadZone);
        if (hostZone is null || hostZone == leadZone.Id || slots.All(s => SlotPicker.InLeadsDay(TimeZoneInfo.ConvertTime(s.Start, leadZone).DateTime)))
        {
            return "";
        }

        return IsGerman(language)
            ? $" Unser Team arbeitet nach {hostZone}-Zeit, daher sind das die Zeiten, die Ihrem Arbeitstag am nächsten liegen."
            : $" Our team works on {hostZone} time, so these are the times closest to your working day.";
    }

    private static string Capitalised(string text) => string.Concat(text[..1].ToUpperInvariant(), text.AsSpan(1));

    /// <summary>The calendar refused the picked slot (taken meanwhile): new times.</summary>
    public static string TakenReply(IReadOnlyList<MeetingSlot> slots, TimeZoneInfo zone, string? language) => IsGerman(language)
        ? $"Dieser Termin ist leider gerade vergeben worden. Wie wäre es mit {Offer(slots, zone, language)} (Zeiten in {zone.Id})"
        : $"Sorry, that time was just taken. How about {Offer(slots, zone, language)} (Times in {zone.Id})";

    /// <summary>Two or more offered slots fit what the lead said: ask which.</summary>
    public static string WhichReply(IReadOnlyList<MeetingSlot> slots, TimeZoneInfo zone, string? language) => (slots.Count, IsGerman(language)) switch
    {
        (1, true) => $"Passt Ihnen {Choice(slots, zone, language)}?",
        (1, false) => $"Would {Choice(slots, zone, language)} work?",
        (_, true) => $"Welcher Termin soll es sein: {Offer(slots, zone, language)}",
        _ => $"Which one would you like: {Offer(slots, zone, language)}",
    };

    /// <summary>"Booked: Tue 3 Dec 14:00 (Europe/Berlin).", with the e-mail note when a confirmation e-mail goes out.</summary>
    public static string Confirmation(Meeting meeting, TimeZoneInfo zone, bool emailSent)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var when = $"{Format(meeting.Start, zone, meeting.Language)} ({zone.Id})";
        var german = IsGerman(meeting.Language);
        var line = german ? $"Gebucht: {when}." : $"Booked: {when}.";
        if (meeting.Location is { Length: > 0 } location)
        {
            line += german ? $" Link: {location}" : $" Join: {location}";
        }

        if (emailSent)
        {
            line += german ? " Die Bestätigung kommt auch per E-Mail." : " You'll also get a confirmation by e-mail.";
        }

        return line;
    }

    /// <summary>Whether SalesFlow's message offered times to choose from (<see cref="OfferReply"/>, <see cref="OtherSlotsReply"/>, <see cref="WhichReply"/>…).</summary>
    public static bool IsOffer(string text) =>
        ZoneTail().IsMatch(text)
        || ((text.StartsWith("Welcher Termin soll es sein: ", StringComparison.Ordinal) || text.StartsWith("Which one would you like: ", StringComparison.Ordinal)
            || text.StartsWith("Passt Ihnen ", StringComparison.Ordinal) || text.StartsWith("Passt dir ", StringComparison.Ordinal) || text.StartsWith("Would ", StringComparison.Ordinal))
            && text.EndsWith('?') && ClockTime().IsMatch(text));

    /// <summary>An offer's closing "? (Zeiten in Europe/Berlin)", and the team's zone after it when it said so (<see cref="HostHoursNote"/>).</summary>
    [GeneratedRegex(@"\?\s*\((?:Zeiten|Times) in [^)]+\)(?:\s+(?:Our team works on|Unser Team arbeitet nach) [^\n]*)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ZoneTail();

    [GeneratedRegex(@"\b\d{1,2}:\d{2}\b", RegexOptions.CultureInvariant)]
    private static partial Regex ClockTime();

    /// <summary>Whether SalesFlow's message confirmed a booking or a move (<see cref="Confirmation"/>, <see cref="Rescheduled"/>).</summary>
    public static bool IsConfirmation(string text) =>
        text.StartsWith("Gebucht: ", StringComparison.Ordinal) || text.StartsWith("Booked: ", StringComparison.Ordinal)
        || text.StartsWith("Verschoben auf ", StringComparison.Ordinal) || text.StartsWith("Moved to ", StringComparison.Ordinal);

    public static string Rescheduled(Meeting meeting, TimeZoneInfo zone) => IsGerman(meeting.Language)
        ? $"Verschoben auf {Format(meeting.Start, zone, meeting.Language)} ({zone.Id})."
        : $"Moved to {Format(meeting.Start, zone, meeting.Language)} ({zone.Id}).";

    public static string Cancelled(Meeting meeting, TimeZoneInfo zone) => IsGerman(meeting.Language)
        ? $"Der Termin am {Format(meeting.Start, zone, meeting.Language)} ist abgesagt. Melden Sie sich gern, wenn Sie einen neuen möchten."
        : $"Your meeting on {Format(meeting.Start, zone, meeting.Language)} is cancelled. Just let me know if you'd like a new time.";

    /// <summary>The calendar did not answer yet: the booking is recorded and confirmed later, never claimed as done.</summary>
    public static string Pending(MeetingSlot slot, TimeZoneInfo zone, string? language) => IsGerman(language)
        ? $"Ich bestätige gerade den Termin {Format(slot.Start, zone, language)} ({zone.Id}) im Kalender und melde mich, sobald er fest ist."
        : $"I'm confirming {Format(slot.Start, zone, language)} ({zone.Id}) with the calendar and will let you know as soon as it's booked.";

    public static string NoSlots(string? language) => IsGerman(language)
        ? "In den nächsten Tagen ist im Kalender leider nichts frei. Soll Sie jemand aus dem Team anrufen, um einen Termin zu finden?"
        : "There are no free times in the calendar over the next few days. Would you like someone from the team to call you to find a time?";

    public static string CalendarDown(string? language) => IsGerman(language)
        ? "Ich erreiche den Kalender gerade nicht. Ich melde mich gleich mit freien Terminen, oder jemand aus dem Team ruft Sie an."
        : "I can't reach the calendar right now. I'll come back to you with free times shortly, or someone from the team can call you.";

    public static string AlreadyBooked(Meeting meeting, TimeZoneInfo zone) => IsGerman(meeting.Language)
        ? $"Sie haben bereits einen Termin: {Format(meeting.Start, zone, meeting.Language)} ({zone.Id}). Möchten Sie ihn verschieben?"
        : $"You're already booked for {Format(meeting.Start, zone, meeting.Language)} ({zone.Id}). Would you like to move it?";

    public static string MoveOffer(IReadOnlyList<MeetingSlot> slots, TimeZoneInfo zone, string? language) => IsGerman(language)
        ? $"Kein Problem. Passt Ihnen stattdessen {Choice(slots, zone, language)}? (Zeiten in {zone.Id})"
        : $"No problem. Would {Choice(slots, zone, language)} work instead? (Times in {zone.Id})";

    public static string CalendarDownForChange(string? language) => IsGerman(language)
        ? "Ich erreiche den Kalender gerade nicht und konnte den Termin noch nicht ändern. Bitte versuchen Sie es in ein paar Minuten noch einmal, oder jemand aus dem Team hilft Ihnen."
        : "I can't reach the calendar right now, so the meeting isn't changed yet. Please try again in a few minutes, or someone from the team can help.";

    public static string NoActiveMeeting(string? language) => IsGerman(language)
        ? "Ich finde keinen gebuchten Termin. Möchten Sie einen vereinbaren?"
        : "I can't find a booked meeting for you. Would you like to set one up?";

    /// <summary>The confirmation e-mail's text.</summary>
    public static string ConfirmationEmail(string clientName, Meeting meeting, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var when = $"{Format(meeting.Start, zone, meeting.Language)}–{TimeZoneInfo.ConvertTime(meeting.End, zone):HH:mm} ({zone.Id})";
        var where = meeting.Location is { Length: > 0 } l ? l : null;
        return IsGerman(meeting.Language)
            ? $"""
              Hallo {meeting.AttendeeName},

              Ihr Termin mit {clientName} ist gebucht: {when}.{(where is null ? "" : $"\nLink: {where}")}

              Wenn Sie verschieben oder absagen möchten, antworten Sie einfach im Chat.
              """
            : $"""
              Hello {meeting.AttendeeName},

              your meeting with {clientName} is booked: {when}.{(where is null ? "" : $"\nJoin: {where}")}

              If you need to move or cancel it, just reply in the chat.
              """;
    }
}
