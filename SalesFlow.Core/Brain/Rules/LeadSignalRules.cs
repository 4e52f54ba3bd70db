using System.Text.RegularExpressions;
using SalesFlow.Core.Leads;

namespace SalesFlow.Core.Brain.Rules;

/// <summary>
/// The offline reading of BANT, DISC and key facts from a lead's words (English and German): explicit phrases only
/// ("our budget is 5,000 €", "I'm the CEO", "by the end of the quarter"), so that what lands in the profile is what the
/// lead actually said. The model reads far more; this keeps the profile useful when no model is configured.
/// </summary>
public static partial class LeadSignalRules
{
    public const int MaxEvidenceLength = 160;

    public static (BantSignals Bant, DiscSignals Disc, KeyFacts Facts) Read(string text)
    {
        var sentences = Sentences(text);
        // "Head of Sales at Acme GmbH" names both; a role and company stated apart are read on their own.
        var roleAt = RoleAtCompanyPattern().Match(text);
        var company = CompanyPattern().Match(text) is { Success: true } c ? c.Groups["c"].Value.Trim().TrimEnd('.', ',')
            : roleAt.Success ? roleAt.Groups["c"].Value.Trim().TrimEnd('.', ',') : null;
        var role = RolePattern().Match(text) is { Success: true } r ? r.Groups["r"].Value.Trim()
            : roleAt.Success ? roleAt.Groups["r"].Value.Trim() : null;

        var budgetSentence = sentences.FirstOrDefault(s => BudgetWord().IsMatch(s));
        var amount = budgetSentence is null ? null : AmountPattern().Match(budgetSentence) is { Success: true } a ? a.Value.Trim() : null;
        var budget = budgetSentence is null ? BantSignal.None : new BantSignal(amount is null ? 0.5 : 0.8, Evidence(budgetSentence));

        var timelineMatch = TimelinePattern().Match(text) is { Success: true } within ? within : NextPeriodPattern().Match(text);
        var urgent = UrgentPattern().Match(text);
        var timelineText = timelineMatch.Success ? timelineMatch.Value.Trim() : urgent.Success ? urgent.Value.Trim() : null;
        var timeline = timelineText is null ? BantSignal.None : new BantSignal(urgent.Success ? 0.9 : 0.7, Evidence(SentenceWith(sentences, timelineText)));

        var deciderSentence = sentences.FirstOrDefault(s => DeciderPattern().IsMatch(s));
        var authority = deciderSentence is not null ? new BantSignal(0.8, Evidence(deciderSentence))
            : role is not null && SeniorRole().IsMatch(role) ? new BantSignal(0.7, Evidence(SentenceWith(sentences, role)))
            : sentences.FirstOrDefault(s => NotDeciderPattern().IsMatch(s)) is { } asks ? new BantSignal(0.2, Evidence(asks))
            : BantSignal.None;

        var pains = sentences.Where(StatesNeed).Select(Evidence).ToList();
        var need = pains.Count == 0 ? BantSignal.None : new BantSignal(0.6, pains[0]);

        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        var disc = new DiscSignals(
            DominancePattern().IsMatch(text) || (words is > 0 and <= 6 && !text.Contains('?')) ? 0.6 : 0,
            InfluencePattern().IsMatch(text) || text.Count(c => c == '!') >= 2 ? 0.6 : 0,
            SteadinessPattern().IsMatch(text) ? 0.6 : 0,
            ConscientiousnessPattern().IsMatch(text) || text.Count(c => c == '?') >= 2 ? 0.6 : 0);
        disc = disc with { Said = disc == DiscSignals.None ? null : text };

        var facts = new KeyFacts(LeadFacts.FindName(text), company, role, amount, timelineText, pains, ContactAddresses.FindEmailIn(text));
        return (new BantSignals(budget, authority, need, timeline), disc, facts);
    }

    private static List<string> Sentences(string text) =>
        SentenceSplit().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

    private static string SentenceWith(List<string> sentences, string part) =>
        sentences.FirstOrDefault(s => s.Contains(part, StringComparison.OrdinalIgnoreCase)) ?? part;

    private static string Evidence(string sentence) =>
        sentence.Length <= MaxEvidenceLength ? sentence : sentence[..MaxEvidenceLength].TrimEnd() + "…";

    [GeneratedRegex(@"(?<=[.!?])\s+|\n+", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceSplit();

    [GeneratedRegex(@"\b(?:I work (?:at|for)|I'm (?:with|from)|I am (?:with|from)|our company(?: is)?|we are|company:|ich arbeite (?:bei|für)|wir sind|unsere firma(?: ist)?|firma:)\s+(?<c>\p{Lu}[\w&.\-]*(?:\s+(?:\p{Lu}[\w&.\-]*|&))*)", RegexOptions.CultureInvariant)]
    private static partial Regex CompanyPattern();

    // The role may follow the name: "I'm Anna Schmidt, Head of Sales", "ich bin Jonas Weber, Vertriebsleiter".
    [GeneratedRegex(@"\b(?:I'm|I am|as|ich bin|als)\s+(?:\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){0,2}\s*,\s*(?:and\s+|und\s+)?)?(?:the\s+|a\s+|an\s+|der\s+|die\s+)?(?<r>CEO|CTO|CFO|COO|CMO|co-founder|founder|owner|managing director|head of \w+|director of \w+|(?:sales|marketing|purchasing|IT|office|project|product|operations) manager|procurement lead|Geschäftsführer\w*|Inhaber\w*|Gründer\w*|Einkaufsleiter\w*|Vertriebsleiter\w*|Leiter\w* (?:der |des )?\w+|Vorstand)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RolePattern();

    [GeneratedRegex(@"(?<r>\b(?i:CEO|CTO|CFO|COO|CMO|co-founder|founder|owner|managing director|head of \w+|director of \w+|(?:sales|marketing|purchasing|IT|office|project|product|operations) manager|Geschäftsführer\w*|Inhaber\w*|Gründer\w*|Einkaufsleiter\w*|Vertriebsleiter\w*|Leiter\w* (?:der |des )?\w+))\s+(?i:at|of|bei|von)\s+(?<c>\p{Lu}[\w&.\-]*(?:\s+(?:\p{Lu}[\w&.\-]*|&))*)", RegexOptions.CultureInvariant)]
    private static partial Regex RoleAtCompanyPattern();

    [GeneratedRegex(@"\b(?:next|this|coming|nächste[nmrs]?|diese[nmrs]?|kommende[nmrs]?)\s+(?:week|month|quarter|year|Woche|Monat|Quartal|Jahr)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NextPeriodPattern();

    [GeneratedRegex(@"CEO|CTO|CFO|COO|CMO|founder|owner|managing director|head of|director|Geschäftsführer|Inhaber|Gründer|Leiter|Vorstand", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SeniorRole();

    [GeneratedRegex(@"\bbudget\w*|\bwe can (?:spend|afford)\b|\bkönnen (?:wir )?(?:ausgeben|investieren)\b|\binvestieren\b|\bspend up to\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BudgetWord();

    // A number is tried only from the start of its run of digits and separators ((?<![\d.,])): from every position
    // inside "1.1.1.…" the scan to the run's end made a long run quadratic (16 s for 80 KB).
    [GeneratedRegex(@"(?:[€$£]\s?\d[\d.,]*\s?[kK]?)|(?:(?<![\d.,])\d[\d.,]*\s?(?:[kK]\b|€|\$|£|EUR\b|euros?\b|USD\b|dollars?\b|Tsd\.?|tausend\b))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AmountPattern();

    [GeneratedRegex(@"\b(?:by|before|within|until|in|bis|innerhalb|in den nächsten|zum|ab)\s+(?:the\s+|der\s+|dem\s+|den\s+)?(?:end of\s+(?:the\s+)?|ende\s+)?(?:next\s+|this\s+|nächste[nmrs]?\s+|diese[nmrs]?\s+|\d+\s+|two\s+|three\s+|zwei\s+|drei\s+)?(?:weeks?|months?|quarter|Q[1-4]|year|days?|Wochen?|Monat(?:e|en|s)?|Quartal(?:s)?|Jahr(?:es)?|Tage?n?|January|February|March|April|May|June|July|August|September|October|November|December|Januar|Februar|März|Juni|Juli|Oktober|Dezember)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TimelinePattern();

    [GeneratedRegex(@"\basap\b|\bas soon as possible\b|\burgent\w*|\bright away\b|\bimmediately\b|\bso schnell wie möglich\b|\bdringend\w*|\bumgehend\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrgentPattern();

    [GeneratedRegex(@"\bI (?:make|take) the decision|\bI decide\b|\bI'm the decision[- ]maker|\bI am the decision[- ]maker|\bmy decision\b|\bI sign\b|\bich entscheide\b|\bich treffe die entscheidung|\bmeine entscheidung\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DeciderPattern();

    [GeneratedRegex(@"\b(?:ask|check with|talk to|discuss (?:it )?with) (?:my|our) (?:boss|manager|partner|team|CEO|board)|\bnot my decision\b|\bmit (?:meinem|meiner|unserem|unserer) (?:Chef|Chefin|Partner|Partnerin|Team|Geschäftsführung) (?:abstimmen|besprechen|klären)|\b(?:Chef|Chefin|Geschäftsführung) entscheidet\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotDeciderPattern();

    [GeneratedRegex(@"\bproblem\w*|\bstruggl\w*|\bissue\w*|\bpain\b|\bwe need\b|\bwe're looking for\b|\bwe are looking for\b|\blooking for a\b|\btoo (?:slow|expensive|complicated|manual)\b|\bwast(?:e|ing)\b|\bfrustrat\w*|\bSchwierigkeit\w*|\bwir brauchen\b|\bwir suchen\b|\bwe (?:want|plan|would like|'d like|need) to\b|\blooking to\b|\bwir (?:wollen|möchten|planen|müssen)\b|\bfor (?:our\s+)?\d+\s+(?:users|reps|seats|people|employees|agents|sales\s?reps|salespeople)\b|\bfür (?:unsere\s+)?\d+\s+(?:Nutzer|Mitarbeiter\w*|Vertriebler\w*|Personen|Lizenzen)\b|\bzu (?:langsam|teuer|kompliziert|aufwendig)\b|\bverschwend\w*|\bärger\w*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NeedPattern();

    [GeneratedRegex(@"\bbottom line\b|\bget to the point\b|\bjust tell me\b|\bquickly\b|\bresults?\b|\bbriefly\b|\bkurz und knapp\b|\bauf den punkt\b|\bergebnis\w*|\bsofort\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DominancePattern();

    [GeneratedRegex(@"\bawesome\b|\bamazing\b|\blove\b|\bexcited\b|\bfantastic\b|\bsuper\b|\btoll\b|\bklasse\b|\bgenial\b|\bbegeistert\b|[\u2600-\u27BF]|\p{Cs}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InfluencePattern();

    [GeneratedRegex(@"\bsafe\w*|\breliab\w*|\bsupport\b|\bstep by step\b|\btogether\b|\bour team\b|\bpeace of mind\b|\bSicherheit\b|\bzuverlässig\w*|\bUnterstützung\b|\bin Ruhe\b|\bSchritt für Schritt\b|\bgemeinsam\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SteadinessPattern();

    [GeneratedRegex(@"\bdetails?\b|\bspecifications?\b|\bspecs\b|\bdata\b|\bhow exactly\b|\bcompar\w*|\bdocumentation\b|\bnumbers\b|\bin detail\b|\bgenau\b|\bDetails?\b|\bDaten\b|\bSpezifikation\w*|\bVergleich\w*|\bDokumentation\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConscientiousnessPattern();

    /// <summary>Whether the text names a budget with an amount ("Budget wären so 500 Euro im Monat", "we can spend up to $2k").</summary>
    public static bool StatesBudget(string text) => BudgetWord().IsMatch(text) && AmountPattern().IsMatch(text);

    /// <summary>
    /// Whether the text gives a team's size: "we are 8 salespeople", "a team of 12", "mit 8 Verkäufern", "für 5 Nutzer", "2
    /// groomers", "3 Maler", "wir sind zu dritt", "there are three of us", "6 vans" (a dog groomer naming its two groomers
    /// was asked how big the team was, a plumbing firm with six vans likewise).
    /// </summary>
    public static bool StatesTeamSize(string text) => TeamSize().IsMatch(text);

    /// <summary>Whether the text says what the lead needs ("we need", "looking for") or describes a pain in its work.</summary>
    public static bool StatesNeed(string text) => NeedPattern().IsMatch(text) || IntentRules.DescribesPain(LeadText.Parse(text));

    [GeneratedRegex(@"\b(?:team of|team von|teams? (?:mit|with))\s+\d+|\bzu\s+(?:zweit|dritt|viert|fünft|fuenft|sechst|siebt|acht|zehnt)\b|\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+of\s+us\b|\b\d+\s*(?:-\s*)?(?:people|persons?|users|seats|employees|staff|sales\s?(?:people|reps|persons?)|salespeople|reps|agents|colleagues|licen[cs]es|person team|consultants|advisors|advisers|brokers|recruiters|realtors|technicians|techs|engineers|developers|employees|workers|members|guys|groomers|stylists|hairdressers|barbers|therapists|physios|physiotherapists|trainers|coaches|cleaners|drivers|nurses|dentists|doctors|vets|hygienists|painters|electricians|plumbers|mechanics|installers|designers|lawyers|solicitors|accountants|tutors|teachers|instructors|chefs|receptionists|assistants|carers|beauticians|detailers|roofers|landscapers|gardeners|builders|contractors|dispatchers|setters|closers|vans|trucks|crews|lads|\w*Friseur\w*|\w*Therapeut\w*|Physios?|Behandler\w*|\w*Trainer\w*|Gesellen|Azubis|\w*Pfleger\w*|Pflegekräfte|\w*Ärzt\w*|Maler|\w*Handwerker\w*|Elektriker\w*|Installateur\w*|\w*Fahrer\w*|Kosmetiker\w*|Anwält\w*|Steuerberater\w*|\w*Lehrer\w*|\w*Mechaniker\w*|Köch\w*|Leuten?|Leit|Mann|Personen|Nutzer\w*|\w*mitarbeiter\w*|Verkäufer\w*|Verkaeufer\w*|Vertriebler\w*|Kolleg\w*|\w*Berater\w*|\w*Makler\w*|Angestellte\w*|Beschäftigte\w*|\w*Techniker\w*|Monteure|Köpfe|Lizenzen|Plätze|köpfig\w*|er[- ]Team)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TeamSize();
}
