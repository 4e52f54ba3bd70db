using System.Globalization;
using System.Text.RegularExpressions;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Meetings;

namespace SalesFlow.Core.FollowUps;

/// <summary>
/// A lead asking to be written to again later ("can you text me again next week?", "Melden Sie sich nächsten Monat
/// nochmal", or "in two weeks" in answer to our "When would be a better time for me to check back?"). It was read as a
/// meeting wish and offered demo slots, and the cadence wrote again an hour later. Now the reply says when SalesFlow
/// will write, and the follow-ups wait until then (<see cref="FollowUpFacts.CheckBackAt"/>): the time is kept on the
/// reply's copy in the conversation (<see cref="MetadataKey"/>), so a later cycle ("thx" after the promise) keeps it too,
/// and both drivers read it from the messages (<see cref="Promised"/>).
/// </summary>
public static partial class CheckBack
{
    /// <summary>The local time of day the check-back is written, unless the lead named one.</summary>
    public static readonly TimeOnly DefaultTime = new(10, 0);

    /// <summary>How long "later" (no time named) waits: a few days, as a rep would.</summary>
    public const int DaysWhenNoTimeIsNamed = 3;

    /// <summary>The key of the promised time (round-trip ISO 8601) on the metadata of the reply that promised it.</summary>
    public const string MetadataKey = "checkBackAt";

    /// <summary>The metadata of a reply that promises to write again at <paramref name="at"/>.</summary>
    public static IReadOnlyDictionary<string, string> MetadataFor(DateTimeOffset at) =>
        new Dictionary<string, string> { [MetadataKey] = at.ToString("O", CultureInfo.InvariantCulture) };

    /// <summary>The latest time SalesFlow promised to write again among <paramref name="messages"/>, if it is after <paramref name="after"/>.</summary>
    public static DateTimeOffset? Promised(IEnumerable<Conversations.Message> messages, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var latest = messages
            .Where(m => m.Direction == Conversations.MessageDirection.Outbound)
            .Select(m => m.Metadata.TryGetValue(MetadataKey, out var value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : (DateTimeOffset?)null)
            .LastOrDefault(at => at is not null);
        return latest > after ? latest : null;
    }

    /// <summary>When to write to the lead again, in the lead's zone; null when the message asks for no such thing.</summary>
    public static DateTimeOffset? For(string leadText, string? lastPrompt, DateTimeOffset writtenAt, TimeZoneInfo zone) =>
        IsRequested(leadText, lastPrompt) ? When(leadText, writtenAt, zone) : null;

    /// <summary>Whether the lead asks to be written to later, in so many words or by naming a time after our check-back question.</summary>
    public static bool IsRequested(string leadText, string? lastPrompt)
    {
        ArgumentNullException.ThrowIfNull(leadText);
        var lead = LeadText.Parse(leadText);
        if (IntentRules.AsksToBeContactedLater(lead) || IntentRules.PromisesToGetBack(lead))
        {
            return true;
        }

        // "next week" answers our question; "can we book a call next week?" after it still wants a meeting.
        return lastPrompt is not null && AsksWhenToCheckBack(lastPrompt) && NamesATime(leadText) && !IntentRules.NamesAMeeting(lead);
    }

    /// <summary>The day the lead named (or <see cref="DaysWhenNoTimeIsNamed"/> later), on a weekday, at the time it named or <see cref="DefaultTime"/>.</summary>
    public static DateTimeOffset When(string leadText, DateTimeOffset writtenAt, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(leadText);
        ArgumentNullException.ThrowIfNull(zone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(writtenAt, zone).DateTime);
        var text = " " + leadText.ToLowerInvariant() + " ";
        var mention = SlotMention.Read(leadText);
        var relative = Relative(text, today);
        var dated = relative is null ? Named(mention, today) ?? DayOfTheMonth(text, today) : null;
        var day = relative ?? dated ?? today.AddDays(DaysWhenNoTimeIsNamed);
        // "on holiday till the 17th, ping me after": the day after the lead is back, not its last day away.
        day = dated is not null && AwayUntil().IsMatch(text) ? day.AddDays(1) : day;
        // A weekday, and not one of the holidays nearly every client keeps ("in January" is not New Year's Day).
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || (day.Month, day.Day) is (1, 1) or (12, 25) or (12, 26))
        {
            day = day.AddDays(1);
        }

        var local = day.ToDateTime(mention.Time ?? DefaultTime);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The reply that says when SalesFlow writes again ("Of course, Anna! I'll write to you again on Mon 14 Dec. …").</summary>
    /// <param name="leadText">The lead's message: a lead that promised to write itself is told SalesFlow checks in only if it hears nothing.</param>
    public static string Confirmation(DateTimeOffset at, TimeZoneInfo zone, string? language, string? name, string leadText)
    {
        // The time too when the lead named one: "can you text me tomorrow around 2?" was told the day alone.
        var day = SlotMention.Read(leadText).Time is null ? SlotText.FormatDay(at, zone, language)
            : $"{SlotText.FormatDay(at, zone, language)} {(SlotText.IsGerman(language) ? "um" : "at")} {SlotText.FormatTime(TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime), zone, language)}";
        var to = string.IsNullOrWhiteSpace(name) ? "" : ", " + name.Trim();
        var leadWrites = IntentRules.PromisesToGetBack(LeadText.Parse(leadText));
        return (SlotText.IsGerman(language), leadWrites) switch
        {
            (true, true) => $"Gerne{to}! Falls ich bis {day} nichts von Ihnen höre, melde ich mich dann kurz bei Ihnen. Falls vorher etwas ist, schreiben Sie einfach hier.",
            (true, false) => $"Gerne{to}! Ich melde mich am {day} wieder bei Ihnen. Falls vorher etwas ist, schreiben Sie einfach hier.",
            (false, true) => $"Sounds good{to}! If I haven't heard from you by {day}, I'll check in then. If anything comes up before, just reply here.",
            _ => $"Of course{to}! I'll write to you again on {day}. If anything comes up before then, just reply here.",
        };
    }

    /// <summary>Our question when to write again, in the lead's language.</summary>
    public static string QuestionFor(bool german) => ReplyTemplates.CheckBackQuestions[german ? 1 : 0];

    /// <summary>Whether a text of ours is a <see cref="Confirmation"/> (a letter by e-mail included).</summary>
    public static bool IsConfirmation(string text) =>
        text.Contains("I'll write to you again on ", StringComparison.Ordinal) || text.Contains("Ich melde mich am ", StringComparison.Ordinal)
        || text.Contains("I'll check in then.", StringComparison.Ordinal) || text.Contains("melde ich mich dann kurz bei Ihnen", StringComparison.Ordinal)
        || text.Contains("melde ich mich dann kurz bei dir", StringComparison.Ordinal);

    /// <summary>Whether a text is our question when to check back (the timing objection's question, either language).</summary>
    public static bool AsksWhenToCheckBack(string prompt) =>
        ReplyTemplates.CheckBackQuestions.Any(q => prompt.Contains(q, StringComparison.Ordinal) || prompt.Contains(GermanAddress.ToDu(q), StringComparison.Ordinal));

    /// <summary>Whether the text names a day or a span ("next week", "in two weeks", "Friday"): only then can it answer our question when to check back.</summary>
    public static bool NamesATime(string leadText)
    {
        var mention = SlotMention.Read(leadText);
        return mention.NamesDay || mention.NextWeek || Relative(" " + leadText.ToLowerInvariant() + " ", DateOnly.MinValue) is not null; // any day will do: only whether one is named counts
    }

    private static DateOnly? Relative(string text, DateOnly today)
    {
        if (InSoMany().Match(text) is { Success: true } m)
        {
            var n = Count(m.Groups["n"].Value);
            var unit = m.Groups["u"].Value;
            return unit.StartsWith('m') ? today.AddMonths(n) : unit.StartsWith('d') || unit.StartsWith('t') ? today.AddDays(n) : today.AddDays(7 * n);
        }

        if (NextMonth().IsMatch(text))
        {
            return new DateOnly(today.Year, today.Month, 1).AddMonths(1);
        }

        if (AfterTheHolidays().IsMatch(text) || NextYear().IsMatch(text))
        {
            return new DateOnly(today.Year + (today.Month >= 2 ? 1 : 0), 1, 7);
        }

        // "maybe in the spring": the first day of its first month ("im Frühjahr" in December is March).
        if ((MonthName().Match(text) is { Success: true } month ? MonthNumbers[month.Groups["m"].Value]
            : Season().Match(text) is { Success: true } season ? SeasonStarts[season.Groups["s"].Value] : 0) is var number and > 0)
        {
            return new DateOnly(today.Year + (number <= today.Month ? 1 : 0), number, 1);
        }

        return null;
    }

    private static DateOnly? Named(SlotMention mention, DateOnly today)
    {
        if (mention.Date is { } date)
        {
            var candidate = new DateOnly(today.Year, date.Month, Math.Min(date.Day, DateTime.DaysInMonth(today.Year, date.Month)));
            return candidate > today ? candidate : candidate.AddYears(1);
        }

        if (mention.Weekdays.Count > 0 && !mention.NextWeek)
        {
            var ahead = ((int)mention.Weekdays[0] - (int)today.DayOfWeek + 7) % 7;
            return today.AddDays(ahead == 0 ? 7 : ahead);
        }

        if (mention.RelativeDays is int days && days > 0)
        {
            return today.AddDays(days);
        }

        if (!mention.NextWeek)
        {
            return null;
        }

        // "next week" (its Monday), "next week Tuesday" (that day of it).
        var toMonday = ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7;
        var monday = today.AddDays(toMonday == 0 ? 7 : toMonday);
        return mention.Weekdays.Count > 0 ? monday.AddDays(((int)mention.Weekdays[0] - (int)DayOfWeek.Monday + 7) % 7) : monday;
    }

    /// <summary>"till the 20th", "bis zum 20.": that day of this month, or of the next once it has passed.</summary>
    private static DateOnly? DayOfTheMonth(string text, DateOnly today)
    {
        if (OrdinalDay().Match(text) is not { Success: true } m || !int.TryParse(m.Groups["d"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 31)
        {
            return null;
        }

        var month = new DateOnly(today.Year, today.Month, 1);
        month = n > today.Day ? month : month.AddMonths(1);
        return new DateOnly(month.Year, month.Month, Math.Min(n, DateTime.DaysInMonth(month.Year, month.Month)));
    }

    [GeneratedRegex(@"\b(?:the\s+)?(?<d>[0-3]?\d)(?:st|nd|rd|th)\b|\b(?:zum|am|bis)\s+(?<d>[0-3]?\d)\.(?!\d)")]
    private static partial Regex OrdinalDay();

    private static int Count(string word) => word switch
    {
        "a" or "an" or "one" or "ein" or "eine" or "einer" or "einem" => 1,
        "two" or "zwei" or "couple of" or "a couple of" => 2,
        "three" or "drei" or "a few" or "few" or "ein paar" => 3,
        "four" or "vier" => 4,
        "five" or "fünf" => 5,
        "six" or "sechs" => 6,
        _ => int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 24 ? n : 1,
    };

    private static readonly Dictionary<string, int> MonthNumbers = new()
    {
        ["january"] = 1, ["januar"] = 1, ["february"] = 2, ["februar"] = 2, ["march"] = 3, ["märz"] = 3, ["maerz"] = 3, ["april"] = 4,
        ["may"] = 5, ["mai"] = 5, ["june"] = 6, ["juni"] = 6, ["july"] = 7, ["juli"] = 7, ["august"] = 8, ["september"] = 9,
        ["october"] = 10, ["oktober"] = 10, ["november"] = 11, ["december"] = 12, ["dezember"] = 12,
    };

    [GeneratedRegex(@"\b(?:in|after|nach|about|ca\.?|etwa)\s+(?<n>\d{1,2}|an?|one|two|three|four|five|six|(?:a )?few|(?:a )?couple of|eine[mr]?|ein paar|zwei|drei|vier|fünf|sechs)\s+(?<u>days?|weeks?|months?|tagen|tag|wochen|woche|monaten|monat)\b")]
    private static partial Regex InSoMany();

    [GeneratedRegex(@"\b(?:till|until|til|bis)\s+(?:the\s+|zum\s+|einschließlich\s+)?\d{1,2}")]
    private static partial Regex AwayUntil();

    [GeneratedRegex(@"\b(?:next month|following month|nächste[nm]? monat|naechste[nm]? monat|kommende[nm]? monat|anfang nächste[nm]? monat)\b")]
    private static partial Regex NextMonth();

    [GeneratedRegex(@"\b(?:in|im|this|next|early|late)\s+(?:the\s+)?(?<s>spring|summer|autumn|fall|frühling|fruehling|frühjahr|fruehjahr|sommer|herbst)\b")]
    private static partial Regex Season();

    private static readonly Dictionary<string, int> SeasonStarts = new()
    {
        ["spring"] = 3, ["frühling"] = 3, ["fruehling"] = 3, ["frühjahr"] = 3, ["fruehjahr"] = 3,
        ["summer"] = 6, ["sommer"] = 6, ["autumn"] = 9, ["fall"] = 9, ["herbst"] = 9,
    };

    [GeneratedRegex(@"\b(?:next year|new year|nächste[sn]? jahr|naechste[sn]? jahr|neue[nm]? jahr|neujahr)\b")]
    private static partial Regex NextYear();

    [GeneratedRegex(@"\b(?:after|nach) (?:the )?(?:holidays|christmas|xmas|new year|den feiertagen|weihnachten|neujahr|dem jahreswechsel)\b")]
    private static partial Regex AfterTheHolidays();

    [GeneratedRegex(@"\b(?:in|im|early|late|anfang|ende|mitte)\s+(?<m>january|januar|february|februar|march|märz|maerz|april|may|mai|june|juni|july|juli|august|september|october|oktober|november|december|dezember)\b")]
    private static partial Regex MonthName();
}
