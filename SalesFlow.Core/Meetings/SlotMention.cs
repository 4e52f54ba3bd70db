using System.Globalization;
using System.Text.RegularExpressions;

namespace SalesFlow.Core.Meetings;

/// <summary>The part of the day a lead names ("Tuesday afternoon", "vormittags").</summary>
public enum DayPart
{
    Morning,
    Afternoon,
    Evening,
}

/// <summary>How a named time binds: the time itself, or a window that starts or ends there ("anytime after 10am", "bis 14 Uhr").</summary>
public enum TimeBound
{
    At,
    NotBefore,
    NotAfter,
}

/// <summary>
/// What a message says about a time, in EN and DE: which offered slot by position ("the first one", "Nummer 2"), a
/// weekday, a date, a clock time, a part of the day, and whether it turns something down. Dates are read before times
/// and times before positions, each removing what it read, so "3.12." is no time and "2pm" no position.
/// Day and month names come from the framework's culture data.
/// </summary>
public sealed partial record SlotMention
{
    public int? Position { get; init; }
    /// <summary>"the last one": the offer's last slot whatever its length.</summary>
    public bool Last { get; init; }
    public IReadOnlyList<DayOfWeek> Weekdays { get; init; } = [];
    /// <summary>A day and month the lead wrote (the year is the offer's business).</summary>
    public (int Day, int Month)? Date { get; init; }
    /// <summary>Days from today the lead named ("tomorrow", "morgen", "today").</summary>
    public int? RelativeDays { get; init; }
    public TimeOnly? Time { get; init; }
    /// <summary>Whether <see cref="Time"/> is the time itself or where a window starts or ends.</summary>
    public TimeBound Bound { get; init; }
    public DayPart? Part { get; init; }
    public bool Negated { get; init; }
    public bool NextWeek { get; init; }
    /// <summary>A short yes with nothing else ("works for me", "passt", "ok").</summary>
    public bool Acceptance { get; init; }

    public bool NamesDay => Weekdays.Count > 0 || Date is not null || RelativeDays is not null;

    public bool NamesTime => Time is not null;

    public bool HasCriteria => Position is not null || Last || NamesDay || NamesTime || Part is not null;

    public static SlotMention Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = " " + text.ToLowerInvariant().Replace('’', '\'') + " ";
        var date = ReadDate(ref s);
        var (time, bound) = ReadTime(ref s);
        var (position, last) = ReadPosition(ref s);
        var weekdays = Weekday().Matches(s).Select(m => DayNames[m.Groups["d"].Value.TrimEnd('.')]).Distinct().ToList();
        int? relative = Tomorrow().IsMatch(s) ? 1 : Today().IsMatch(s) ? 0 : null;
        DayPart? part = Morning().IsMatch(s) ? DayPart.Morning : Afternoon().IsMatch(s) ? DayPart.Afternoon : Evening().IsMatch(s) ? DayPart.Evening : null;
        var words = Words().Matches(s).Count;
        return new SlotMention
        {
            Date = date,
            Time = time,
            Bound = bound,
            Position = position,
            Last = last,
            Weekdays = weekdays,
            RelativeDays = relative,
            Part = part,
            Negated = Negates(" " + text.ToLowerInvariant().Replace('’', '\'') + " "),
            NextWeek = NextWeekPattern().IsMatch(s),
            Acceptance = words <= 6 && !s.Contains('?', StringComparison.Ordinal) && Yes().IsMatch(s),
        };
    }

    /// <summary>
    /// Whether the message turns a time down. When it names a day or time, only a sentence that names one counts: an
    /// e-mail's "our office staff can't keep up" made "I'm free Thursday or Friday afternoon" a refusal, and Thursday was
    /// dropped. "no, that doesn't work" (naming none) turns the offer down as before.
    /// </summary>
    private static bool Negates(string text)
    {
        var plain = NotANegation().Replace(text, " ");
        var timed = SentenceEnd().Split(plain).Where(NamesATime).ToList();
        return timed.Count == 0 ? Negation().IsMatch(plain) : timed.Any(Negation().IsMatch);
    }

    private static bool NamesATime(string sentence) =>
        Weekday().IsMatch(sentence) || sentence.Any(char.IsDigit) || Tomorrow().IsMatch(sentence) || Today().IsMatch(sentence)
        || Morning().IsMatch(sentence) || Afternoon().IsMatch(sentence) || Evening().IsMatch(sentence) || NextWeekPattern().IsMatch(sentence);

    // Not after a digit: "am 3.12. geht es nicht" is one sentence.
    [GeneratedRegex(@"(?<=\p{L}[.!?]|[!?])\s+|\n")]
    private static partial Regex SentenceEnd();

    private static (int, int)? ReadDate(ref string s)
    {
        var numeric = NumericDate().Match(s);
        if (numeric.Success && Valid(Int(numeric.Groups["d"]), Int(numeric.Groups["m"])) is { } n)
        {
            s = Cut(s, numeric);
            return n;
        }

        foreach (var m in new[] { DayMonth().Match(s), MonthDay().Match(s) })
        {
            if (m.Success && Valid(Int(m.Groups["d"]), MonthNames[m.Groups["mon"].Value.TrimEnd('.')]) is { } named)
            {
                s = Cut(s, m);
                return named;
            }
        }

        return null;
    }

    private static (TimeOnly?, TimeBound) ReadTime(ref string s)
    {
        if (Noon().Match(s) is { Success: true } noon)
        {
            var noonBound = BoundBefore(s, noon);
            s = Cut(s, noon);
            return (new TimeOnly(12, 0), noonBound);
        }

        foreach (var m in new[] { ClockTime().Match(s), HourWithSuffix().Match(s), HourAfterWord().Match(s), HourAfterBoundWord().Match(s) })
        {
            if (!m.Success)
            {
                continue;
            }

            var hour = Int(m.Groups["h"]);
            var minute = m.Groups["min"].Success ? Int(m.Groups["min"]) : 0;
            var suffix = m.Groups["ap"].Value;
            if (suffix.StartsWith('p') && hour < 12)
            {
                hour += 12;
            }
            else if (suffix.StartsWith('a') && hour == 12)
            {
                hour = 0;
            }
            else if (suffix.Length == 0 && !m.Groups["min"].Success && !m.Groups["uhr"].Success && hour is >= 1 and <= 7)
            {
                hour += 12; // "at 2", "um 3": business hours, so the afternoon
            }

            if (hour is < 0 or > 23 || minute is < 0 or > 59)
            {
                continue;
            }

            var bound = BoundBefore(s, m);
            s = Cut(s, m);
            return (new TimeOnly(hour, minute), bound);
        }

        return (null, TimeBound.At);
    }

    /// <summary>The window word just before a time, or in the match itself ("ab 10").</summary>
    private static TimeBound BoundBefore(string s, Match time)
    {
        var lead = s[..time.Index] + time.Value[..Math.Max(0, time.Value.IndexOfAny("0123456789".ToCharArray()))];
        return NotBeforeCue().IsMatch(lead) ? TimeBound.NotBefore : NotAfterCue().IsMatch(lead) ? TimeBound.NotAfter : TimeBound.At;
    }

    private static (int?, bool) ReadPosition(ref string s)
    {
        if (NotAPosition().IsMatch(s))
        {
            s = NotAPosition().Replace(s, " ");
        }

        if (OrdinalWord().Match(s) is { Success: true } word)
        {
            var w = word.Groups["o"].Value;
            return w.StartsWith("last", StringComparison.Ordinal) || w.StartsWith("letzt", StringComparison.Ordinal) || w == "latter"
                ? (null, true)
                : (w[0] switch { 'f' or 'e' or '1' => 0, 's' or 'z' or '2' => 1, _ => 2 }, false);
        }

        if (NumberedOption().Match(s) is { Success: true } numbered)
        {
            var n = numbered.Groups["n"].Value;
            var index = n switch { "one" or "eins" => 1, "two" or "zwei" => 2, "three" or "drei" => 3, _ => int.Parse(n, CultureInfo.InvariantCulture) };
            return (index - 1, false);
        }

        return BareNumber().Match(s) is { Success: true } bare ? (Int(bare.Groups["n"]) - 1, false) : (null, false);
    }

    private static (int, int)? Valid(int day, int month) => day is >= 1 and <= 31 && month is >= 1 and <= 12 ? (day, month) : null;

    private static int Int(Group g) => int.Parse(g.Value, CultureInfo.InvariantCulture);

    private static string Cut(string s, Match m) => string.Concat(s.AsSpan(0, m.Index), " ", s.AsSpan(m.Index + m.Length));

    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");
    private static readonly CultureInfo De = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>Full and abbreviated month names of both languages, plus the spellings the cultures lack.</summary>
    private static readonly Dictionary<string, int> MonthNames = BuildMonths();

    private static readonly Dictionary<string, DayOfWeek> DayNames = BuildDays();

    private static Dictionary<string, int> BuildMonths()
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal) { ["sept"] = 9, ["maerz"] = 3, ["mrz"] = 3 };
        foreach (var culture in new[] { En, De })
        {
            for (var i = 0; i < 12; i++)
            {
                names[culture.DateTimeFormat.MonthNames[i].ToLowerInvariant()] = i + 1;
                names[culture.DateTimeFormat.AbbreviatedMonthNames[i].ToLowerInvariant().TrimEnd('.')] = i + 1;
            }
        }

        return names;
    }

    private static Dictionary<string, DayOfWeek> BuildDays()
    {
        var days = new Dictionary<string, DayOfWeek>(StringComparer.Ordinal)
        {
            ["tues"] = DayOfWeek.Tuesday, ["weds"] = DayOfWeek.Wednesday, ["thur"] = DayOfWeek.Thursday, ["thurs"] = DayOfWeek.Thursday, ["sonnabend"] = DayOfWeek.Saturday,
        };
        for (var i = 0; i < 7; i++)
        {
            days[En.DateTimeFormat.DayNames[i].ToLowerInvariant()] = (DayOfWeek)i;
            days[En.DateTimeFormat.AbbreviatedDayNames[i].ToLowerInvariant()] = (DayOfWeek)i;
            days[De.DateTimeFormat.DayNames[i].ToLowerInvariant()] = (DayOfWeek)i;
            // German two-letter abbreviations ("Di", "Do") are English words too: only with their dot ("Di.").
            days[De.DateTimeFormat.AbbreviatedDayNames[i].ToLowerInvariant().TrimEnd('.')] = (DayOfWeek)i;
        }

        return days;
    }

    private static string Alternation(IEnumerable<string> names) =>
        string.Join('|', names.OrderByDescending(n => n.Length).Select(Regex.Escape));

    private static readonly string MonthAlternation = Alternation(MonthNames.Keys);

    // Built at start-up from the culture names (not source-generated: the names are data).
    private static readonly Regex DayMonthPattern = new($@"(?<!\d)(?<d>\d{{1,2}})(?:st|nd|rd|th|\.)?\s*(?:of\s+)?(?<mon>{MonthAlternation})\.?(?!\p{{L}})(?!\s+(?:be|work|suit|do|also)\b)", RegexOptions.CultureInvariant);
    private static readonly Regex MonthDayPattern = new($@"(?<!\p{{L}})(?<mon>{MonthAlternation})\.?\s+(?:the\s+)?(?<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])", RegexOptions.CultureInvariant);
    private static readonly Regex WeekdayPattern = new(
        $@"(?<!\p{{L}})(?<d>{Alternation(DayNames.Keys.Where(k => k.Length > 2))})s?(?!\p{{L}})|(?<!\p{{L}})(?<d>(?:mo|di|mi|do|fr|sa|so)\.)",
        RegexOptions.CultureInvariant);

    private static Regex DayMonth() => DayMonthPattern;

    private static Regex MonthDay() => MonthDayPattern;

    private static Regex Weekday() => WeekdayPattern;

    [GeneratedRegex(@"(?<![\d.:])(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?:\d{2,4})?(?!\d)")]
    private static partial Regex NumericDate();

    [GeneratedRegex(@"(?<![\d.:])(?<h>\d{1,2})[:.](?<min>\d{2})(?!\d)\s*(?:(?<ap>[ap])\.?m\b\.?|(?<uhr>uhr\b))?")]
    private static partial Regex ClockTime();

    [GeneratedRegex(@"(?<![\d.:])(?<h>\d{1,2})\s*(?:(?<ap>[ap])\.?m\b\.?|(?<uhr>uhr)\b|h\b)")]
    private static partial Regex HourWithSuffix();

    [GeneratedRegex(@"\b(?:at|around|by|um|gegen|ab)\s+(?<h>\d{1,2})(?![\d.:/])")]
    private static partial Regex HourAfterWord();

    /// <summary>A bare hour after a window word ("after 10", "bis 3"), not a span ("after 3 months", "vor 2 Wochen").</summary>
    [GeneratedRegex(@"\b(?:after|before|until|till|from|nach|vor|bis)\s+(?<h>\d{1,2})(?![\d.:/])(?!\s*(?:weeks?|days?|months?|years?|hours?|minutes?|mins?|people|users|seats|employees|staff|wochen?|tagen?|monaten?|jahren?|stunden?|minuten?|leute|nutzer|mitarbeiter|%))")]
    private static partial Regex HourAfterBoundWord();

    /// <summary>"after", "from", "ab", "frühestens" right before the time: the window starts there.</summary>
    [GeneratedRegex(@"\b(?:after|from|later than|not before|no earlier than|ab|nach|frühestens|fruehestens|nicht vor)\s+(?:around\s+|about\s+|ca\.?\s+|circa\s+|gegen\s+|um\s+)?$")]
    private static partial Regex NotBeforeCue();

    /// <summary>"before", "until", "bis", "spätestens" right before the time: the window ends there.</summary>
    [GeneratedRegex(@"\b(?:before|until|till|til|no later than|not after|vor|bis|spätestens|spaetestens)\s+(?:around\s+|about\s+|ca\.?\s+|circa\s+|gegen\s+|um\s+)?$")]
    private static partial Regex NotAfterCue();

    [GeneratedRegex(@"\b(?:noon|midday|mittags?|12 uhr mittags)\b")]
    private static partial Regex Noon();

    /// <summary>
    /// Ordinal words that are no choice: "first of all", "at first", "one second", and "first" after something to do
    /// before ("great, can I try it first?" booked the first of three offered slots).
    /// </summary>
    [GeneratedRegex(@"\b(?:first of all|at first|first things first|first,? (?:i|we|let|you|i'll|i'd)|(?:a|one|just a) (?:second|sec)|zum ersten mal|erst mal|erstmal)\b|(?<=\b(?:try|test|see|check|read|think|talk|speak|ask|discuss|look|trial|sleep|run)\b[^.?!]{0,30}?)\bfirst\b")]
    private static partial Regex NotAPosition();

    [GeneratedRegex(@"\b(?<o>first|1st|second|2nd|third|3rd|last|latter|former|erste[nrsm]?|zweite[nrsm]?|dritte[nrsm]?|letzte[nrsm]?)\b")]
    private static partial Regex OrdinalWord();

    [GeneratedRegex(@"(?:\b(?:option|number|no\.?|nummer|nr\.?|variante|vorschlag|slot|termin|choice)\s*|#\s*)(?<n>[1-9]|one|two|three|eins|zwei|drei)\b")]
    private static partial Regex NumberedOption();

    /// <summary>A message that is a digit and a few polite words: "2", "2 please", "1 bitte!".</summary>
    [GeneratedRegex(@"^\W*(?:ok(?:ay)?\W+|ja\W+)?(?<n>[1-9])\W*(?:(?:please|pls|thanks|bitte|danke|gerne|works|passt)\W*)?$")]
    private static partial Regex BareNumber();

    // "lets do a call tmrw afternoon" was offered three mornings: chat spellings of tomorrow count too.
    [GeneratedRegex(@"\b(?:tomorrow|tmrw|tmr|2moro|tomorow|tommorow|tommorrow|(?<!guten |am |dienstag|montag|mittwoch|donnerstag|freitag)morgen(?! ?früh)(?=\W))")]
    private static partial Regex Tomorrow();

    [GeneratedRegex(@"\b(?:today|heute)\b")]
    private static partial Regex Today();

    [GeneratedRegex(@"\b(?:morning|mornings|vormittags?|morgens|früh|frueh|am morgen)\b")]
    private static partial Regex Morning();

    [GeneratedRegex(@"\b(?:afternoon|afternoons|nachmittags?|mittags)\b")]
    private static partial Regex Afternoon();

    [GeneratedRegex(@"\b(?:evening|evenings|abends?)\b")]
    private static partial Regex Evening();

    /// <summary>Negations that turn nothing down: "no problem", "kein Problem", "not bad".</summary>
    [GeneratedRegex(@"\b(?:no problem|not a problem|no worries|not bad|kein problem|keine sorge|nicht schlecht|kein thema)\b")]
    private static partial Regex NotANegation();

    [GeneratedRegex(@"\b(?:not|never|neither|none|nor|cannot|nicht|kein|keine|keiner|keinen|keines|weder)\b|n't\b|\b(?:dont|doesnt|cant|wont)\b")]
    private static partial Regex Negation();

    [GeneratedRegex(@"\b(?:next week|the week after|following week|not this week|this week (?:doesn't|doesnt|won't|wont) work|this week is (?:bad|full|busy|no good)|nächste[n]? woche|naechste[n]? woche|kommende[n]? woche|übernächste[n]? woche|diese woche (?:nicht|leider nicht|geht nicht|klappt nicht|passt nicht)|nicht (?:mehr )?diese woche)\b")]
    private static partial Regex NextWeekPattern();

    [GeneratedRegex(@"\b(?:yes|yeah|yep|sure|ok|okay|sounds good|works|perfect|great|fine|deal|ja|passt|gerne|gern|klingt gut|perfekt|super|einverstanden|prima)\b")]
    private static partial Regex Yes();

    [GeneratedRegex(@"\p{L}+|\d+")]
    private static partial Regex Words();
}
