using System.Text.RegularExpressions;

namespace SalesFlow.Core.Brain.Rules;

/// <summary>
/// A question that asks the previous one again about something else: "and spanish?" after "does it speak other
/// languages?", "what about zoho?" after the CRM answer, "und Französisch?", "spanish too?". On its own it shares no word
/// with the answer ("and spanish?" got "Got it, thanks"), so it is searched with the question before it, and the answer
/// may be the one just given (it applies to the new thing as well).
/// </summary>
public static partial class FollowUpQuestion
{
    /// <summary>What the follow-up asks about ("spanish", "auf Französisch", "zoho"), or null when the text is not one.</summary>
    public static string? TermOf(string text) => AskedTerm(text) ?? ToolInUse(text);

    /// <summary>
    /// The tool the lead says it uses against the answer just given: "we're on zoho tho" after the CRM answer, "we use square
    /// appointments tho" after the calendar answer, "wir nutzen aber Outlook". It asks whether the answer holds for that tool
    /// (read as an objection and as a meeting wish, it was told "a fair point" and offered times). A contrast word makes it
    /// one; "we already use calendly" says the lead has something in place (an objection of its own).
    /// </summary>
    public static string? ToolInUse(string text) =>
        Used(text, orHas: true) is { } term && Contrast().IsMatch(text) && !Already().IsMatch(text) ? term : null;

    /// <summary>
    /// What the lead says it already has ("azure hab ich schon", "we already have a twilio account", "Cal.com haben wir
    /// bereits"), or null. Said of a thing our answer just named, it meets a requirement: "azure hab ich schon" after the
    /// price answer ("your own Azure resources") was called a fair point and asked what would need to be true.
    /// </summary>
    public static string? AlreadyHad(string text) =>
        (AlreadyHas().Match(text.Trim()) is { Success: true } m ? m : HasAlready().Match(text.Trim())) is { Success: true } match
            && match.Groups["term"].Value.Trim() is { Length: > 1 } term && !NotAThing().IsMatch(term) && term.Split(' ').Length <= 3 ? term : null;

    [GeneratedRegex(@"^(?:(?:ok(?:ay)?|oh|ah|well|yeah|ja|naja|achso|also|nice|cool)[,.!]*\s+){0,2}(?:(?:we|i)\s+(?:already\s+(?:have|use|got|run)|(?:have|'ve)\s+already\s+got|(?:have|'ve)\s+got)|(?:we|i)['’]ve\s+already\s+got|(?:wir|ich)\s+(?:haben?|hab|nutzen?|nutze)\s+(?:schon|bereits))\s+(?:(?:a|an|the|our|my|ein|eine|einen)\s+)?(?<term>[^?!,;:\n]{1,40}?)(?:\s+(?:already|too|as well|anyway|account|subscription|konto|abo|schon))*\s*[.!]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AlreadyHas();

    [GeneratedRegex(@"^(?:(?:ok(?:ay)?|oh|ah|ja|naja|achso|also|cool)[,.!]*\s+){0,2}(?<term>[^?!,;:\n]{1,40}?)\s+(?:hab|habe|haben|nutze|nutzen)\s+(?:ich|wir)\s+(?:schon|bereits)(?:\s+\w+)?\s*[.!]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HasAlready();

    /// <summary>
    /// The tool a sentence says the lead uses ("we use vagaro", "Wir nutzen Theorg."), or null; "we have customers" names
    /// none (what the lead has or runs is a tool only set against an answer: <see cref="ToolInUse"/>).
    /// </summary>
    public static string? ToolUsed(string sentence) => Used(sentence, orHas: false);

    private static string? Used(string text, bool orHas)
    {
        var match = UsesTool().Match(text.Trim());
        var term = match.Success ? match.Groups["term"].Value.Trim() : null;
        return term is { Length: > 0 } && !NotAThing().IsMatch(term) && term.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 3
            && (orHas || !Has().IsMatch(match.Groups["verb"].Value)) ? term : null;
    }

    [GeneratedRegex(@"^(?:have|run|habe\w*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Has();

    private static string? AskedTerm(string text)
    {
        var match = Opened().Match(text.Trim());
        if (!match.Success)
        {
            match = Trailed().Match(text.Trim());
        }

        if (!match.Success)
        {
            match = AskedWithoutMark().Match(text.Trim());
        }

        var term = match.Success ? match.Groups["term"].Value.Trim() : null;
        return term is { Length: > 0 } && !NotAThing().IsMatch(term) && term.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 4 ? term : null;
    }

    /// <summary>What may stand before a follow-up: "ok", "hm", "schade", "na gut" (up to two).</summary>
    private const string FollowUpOpener = @"^(?:(?:ok(?:ay)?|hm+|ah|oh|cool|nice|great|gut|super|alles\s+klar|klar|schade|shame|too\s+bad|pity|na\s+gut)[,.!]*\s+){0,2}";

    /// <summary>
    /// "and spanish?", "what about zoho?", "how about for 10 users?", "und auf Französisch?", "was ist mit Pipedrive?"; not a
    /// question of its own after "and" ("ok and is there a setup fee?" asks something new).
    /// </summary>
    [GeneratedRegex(FollowUpOpener + @"(?:and\s+what\s+about|and\s+how\s+about|what\s+about|how\s+about|and\s+also|and|also|plus|und\s+was\s+ist\s+mit|was\s+ist\s+mit|wie\s+ist\s+es\s+mit|wie\s+sieht'?s\s+mit|und\s+wie\s+sieht'?s\s+mit|und\s+mit|und|oder)\s+(?!(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have|what|how|where|when|which|who|why|ist|sind|gibt|kann|können|muss|wie|wo|wann|welche\w*|wer|warum|geht|hat|habt|bietet|läuft|klappt|funktioniert|kostet|kosten|dauert|lohnt|bringt|braucht|brauche|passt|reicht|soll|darf|macht|i|we|my|our|ich|wir|mein\w*|unser\w*)\b)(?<term>[^?.!,;:\n]{1,40}?)(?:\s+aus)?\s*\?+\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Opened();

    /// <summary>"what about zapier", "was ist mit Pipedrive": the opening asks, without a question mark (it was thanked).</summary>
    [GeneratedRegex(FollowUpOpener + @"(?:and\s+|und\s+)?(?:what\s+about|how\s+about|was\s+ist\s+mit|wie\s+ist\s+es\s+mit|wie\s+sieht'?s\s+(?:es\s+)?mit)\s+(?!(?:i|we|my|our|ich|wir|mein\w*|unser\w*)\b)(?<term>[^?.!,;:\n]{1,40}?)(?:\s+aus)?\s*[.!]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AskedWithoutMark();

    /// <summary>"spanish too?", "french as well?", "Spanisch auch?", "geht Französisch auch?".</summary>
    [GeneratedRegex(@"^(?:(?:and|und|geht|gibt\s+es)\s+)?(?<term>[^?.!,;:\n]{1,30}?)\s+(?:too|as\s+well|also|auch|ebenfalls)\s*\?+\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Trailed();

    /// <summary>
    /// "but we use outlook", "we're on zoho tho", "we use square appointments though", "wir nutzen aber Outlook", "wir haben
    /// halt Pipedrive", "Wir nutzen Theorg."; no amount or pronoun ("but we have 5 people", "we use it for bookings tho").
    /// </summary>
    [GeneratedRegex(@"^(?:(?:ok(?:ay)?|hm+|ah|oh|well|yeah|ja|naja|hmm?|but|aber)[,.!]*\s+){0,2}(?:(?:we|i)\s+(?<verb>use|are\s+using|'?re\s+using|am\s+using|'?m\s+using|are\s+on|'?re\s+on|am\s+on|'?m\s+on|work\s+with|have|run)|(?:we|i)['’](?:re|m)\s+(?<verb>using|on)|(?:wir|ich)\s+(?<verb>nutze\w*|benutze\w*|verwende\w*|arbeite\w*\s+mit|habe\w*))\s+(?:(?:aber|allerdings|halt|eigentlich)\s+)?(?!(?:\d|a|an|no|not|only|just|lots|many|few|some|it|that|this|them|ein\w*|kein\w*|nur|viele|wenig\w*|es|das|die)\b)(?<term>[^?.!,;:\n]{1,40}?)(?:\s+(?:tho|though|actually|btw|instead|for\s+(?:that|this|bookings?|scheduling|appointments|our\s+crm|the\s+crm)))*\s*[.!?]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UsesTool();

    /// <summary>What sets the tool against the answer: "but", "tho", "aber".</summary>
    [GeneratedRegex(@"\b(?:but|tho|though|actually|instead|aber|allerdings|halt|eigentlich)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Contrast();

    /// <summary>"we already use calendly": something in place, not a question about the answer.</summary>
    [GeneratedRegex(@"\b(?:already|schon|bereits)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Already();

    /// <summary>A person, a time or a filler is no topic of the knowledge: "and you?", "what about tomorrow?", "and then?".</summary>
    [GeneratedRegex(@"^(?:you|u|yours|your\s+side|me|us|we|it|that|this|them|then|now|so|du|dir|dich|sie|ihnen|ihr|euch|wir|uns|das|dann|jetzt|so|today|tomorrow|tonight|next\s+\w+|this\s+\w+|monday|tuesday|wednesday|thursday|friday|saturday|sunday|morgen|heute|übermorgen|nächste\s+\w+|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|\d.*(?:am|pm|uhr)|the\s+(?:morning|afternoon|evening|weekend)|am\s+\w+|later|später|after|danach|vorher|before)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotAThing();

    /// <summary>
    /// How a reply opens when it answers a follow-up: the thing asked about, as a question ("Spanish? …"), without a German
    /// article, whose case belonged to the lead's sentence ("was ist mit dem Datenschutz?" was echoed "Dem Datenschutz?").
    /// </summary>
    public static string Echo(string term)
    {
        var thing = GermanArticle().Replace(term, string.Empty);
        thing = thing.Length == 0 ? term : thing;
        return char.ToUpperInvariant(thing[0]) + thing[1..] + "? ";
    }

    [GeneratedRegex(@"^(?:dem|den|der|die|das|des|einem|einen|einer|eines|ein|eine)\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GermanArticle();
}
