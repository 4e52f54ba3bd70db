using System.Text;
using System.Text.RegularExpressions;
using SalesFlow.Core.Brain.Llm;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Core.Compliance;

/// <summary>
/// The deterministic compliance filter (English and German). It works sentence by sentence: a sentence that breaks a
/// rule is removed; a reply over the channel's length is trimmed at a sentence boundary. When nothing substantial is
/// left, or when opt-out or hand-over wording would change (those are sent verbatim or not at all), the verdict is
/// <see cref="ComplianceVerdict.Blocked"/> and the rules brain's vetted reply goes out instead. Rules only ever remove
/// text, so a rewritten reply can never say more than the model did; the one addition is the client's own AI disclosure,
/// put in front of a conversation's first message when the client configured one. Before any of that,
/// <see cref="PromptLeak"/> looks for our instructions and for secrets in the whole text: either blocks the reply.
/// </summary>
public sealed partial class RulesComplianceFilter : IComplianceFilter
{
    /// <summary>Below this many characters what is left is no longer a reply.</summary>
    public const int MinimumRemainder = 20;

    public ComplianceResult Check(ComplianceInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var protectedPurpose = input.Purpose is OutboxPurpose.OptOutConfirmation or OutboxPurpose.OptInConfirmation or OutboxPurpose.Handover;
        // Opt-out and hand-over wording goes out verbatim: nothing is put in front of it.
        var disclosure = protectedPurpose || input.Policy.IsDisclosedIn(input.Text) ? null : input.Policy.Disclosure;
        var result = Judge(input, protectedPurpose, disclosure is null ? 0 : disclosure.Length + 1);
        return disclosure is null || result.Text.Length == 0 || input.Policy.IsDisclosedIn(result.Text)
            ? result
            : result with
            {
                Verdict = result.Verdict == ComplianceVerdict.Pass ? ComplianceVerdict.Rewritten : result.Verdict,
                Text = disclosure + "\n" + result.Text,
                RuleIds = [.. result.RuleIds, ComplianceRules.AiDisclosure],
                Findings = [.. result.Findings, new ComplianceFinding(ComplianceRules.AiDisclosure, disclosure)],
            };
    }

    /// <param name="reserved">Characters the disclosure will take in front of the text.</param>
    private static ComplianceResult Judge(ComplianceInput input, bool protectedPurpose, int reserved)
    {
        var text = input.Text.Trim();
        // A leak is judged on the whole text (it may span sentences) and blocks the whole reply: what surrounds a
        // repeated instruction or a key is the injection's work too.
        var leaks = PromptLeak.Find(text, input.Policy.Secrets);
        if (leaks.Count > 0)
        {
            return Blocked(input, [.. leaks]);
        }

        // Phone numbers are not prices: "+49 30 …" must not make "30 %" a known figure.
        var allowedNumbers = NumbersIn(input.Knowledge.Append(input.LeadText).Select(t => PhonePattern().Replace(t ?? "", " ")));
        var discountsKnown = input.Knowledge.Any(k => DiscountWord().IsMatch(k));
        var allowedContacts = ContactsIn(input.Knowledge.Append(input.LeadText).Concat(input.LeadContacts));

        var findings = new List<ComplianceFinding>();
        var lines = new List<List<string>>();
        var removedProtected = false;
        foreach (var line in text.Split('\n'))
        {
            var kept = new List<string>();
            foreach (var sentence in SentenceBreak().Split(line.Trim()).Where(s => s.Length > 0))
            {
                var broken = RulesBrokenBy(sentence, allowedNumbers, discountsKnown, allowedContacts, input.Policy).ToList();
                if (broken.Count == 0)
                {
                    kept.Add(sentence);
                    continue;
                }

                findings.AddRange(broken.Select(rule => new ComplianceFinding(rule, sentence)));
                removedProtected |= IsProtected(sentence);
            }

            lines.Add(kept);
        }

        var rewritten = Join(lines);
        var limit = (input.Channel.IsShortForm() ? ReplyText.ShortFormLimit : LlmReplyGenerator.EmailMaxChars) - reserved;
        if (rewritten.Length > limit)
        {
            var trimmed = ReplyText.FitToLength(rewritten, limit);
            findings.Add(new ComplianceFinding(ComplianceRules.Length, $"{rewritten.Length} > {limit} characters"));
            removedProtected |= ProtectedSentences(rewritten).Except(ProtectedSentences(trimmed)).Any();
            rewritten = trimmed;
        }

        if (findings.Count == 0)
        {
            return new ComplianceResult(ComplianceVerdict.Pass, text, [], []);
        }

        if (protectedPurpose || removedProtected)
        {
            findings.Add(new ComplianceFinding(ComplianceRules.ProtectedWording, protectedPurpose ? input.Purpose : "opt-out or hand-over sentence"));
            return Blocked(input, findings);
        }

        return rewritten.Length < MinimumRemainder || !rewritten.Any(char.IsLetter)
            ? Blocked(input, findings)
            : new ComplianceResult(ComplianceVerdict.Rewritten, rewritten, RuleIds(findings), findings);
    }

    private static ComplianceResult Blocked(ComplianceInput input, List<ComplianceFinding> findings) =>
        new(ComplianceVerdict.Blocked, input.FallbackText.Trim(), RuleIds(findings), findings);

    private static List<string> RuleIds(IEnumerable<ComplianceFinding> findings) => findings.Select(f => f.RuleId).Distinct().ToList();

    private static IEnumerable<string> RulesBrokenBy(string sentence, HashSet<string> allowedNumbers, bool discountsKnown, HashSet<string> allowedContacts, CompliancePolicy policy)
    {
        if (policy.BannedPhraseIn(sentence) is not null)
        {
            yield return ComplianceRules.BannedPhrase;
        }

        if (Unnegated(GuaranteeWords(), sentence))
        {
            yield return ComplianceRules.Guarantee;
        }

        var inventedFigure = Figures().Matches(sentence).Any(m => !allowedNumbers.Contains(Digits(m.Value)))
            || (DiscountWord().IsMatch(sentence) && (!discountsKnown || NumberPattern().Matches(sentence).Any(m => !allowedNumbers.Contains(Digits(m.Value)))))
            || FreeOffer().IsMatch(sentence)
            // A discount the knowledge names has its figure; one without a figure is a new offer.
            || (DiscountWord().IsMatch(sentence) && !NumberPattern().IsMatch(sentence));
        if (inventedFigure)
        {
            yield return ComplianceRules.InventedFigure;
        }

        if (PressureWords().IsMatch(sentence))
        {
            yield return ComplianceRules.Pressure;
        }

        if (Scarcity().IsMatch(sentence))
        {
            yield return ComplianceRules.Scarcity;
        }

        if (AdviceClaim().IsMatch(sentence))
        {
            yield return ComplianceRules.AdviceClaim;
        }

        if (Disparaging().IsMatch(sentence))
        {
            yield return ComplianceRules.Disparaging;
        }

        if (ContactsIn([sentence]).Any(c => !allowedContacts.Contains(c)))
        {
            yield return ComplianceRules.ThirdPartyContact;
        }
    }

    /// <summary>A match counts unless its own clause negates it ("we can't guarantee results, but …").</summary>
    private static bool Unnegated(Regex rule, string sentence) =>
        rule.Matches(sentence).Any(m =>
        {
            var clauseStart = sentence.LastIndexOfAny([',', ';', ':', '—', '('], Math.Max(0, m.Index - 1)) + 1;
            return !Negation().IsMatch(sentence[clauseStart..m.Index]);
        });

    /// <summary>Every number written anywhere in the texts, as bare digits ("1.500 €" and "1500 EUR" are the same figure).</summary>
    private static HashSet<string> NumbersIn(IEnumerable<string> texts) =>
        texts.SelectMany(t => NumberPattern().Matches(t ?? "").Select(m => Digits(m.Value))).Where(d => d.Length > 0).ToHashSet(StringComparer.Ordinal);

    /// <summary>E-mail addresses (lower case) and phone numbers (their last nine digits, so +49 170… and 0170… match).</summary>
    private static HashSet<string> ContactsIn(IEnumerable<string> texts)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (Match m in EmailPattern().Matches(text ?? ""))
            {
                found.Add(m.Value.ToLowerInvariant());
            }

            foreach (Match m in PhonePattern().Matches(text ?? ""))
            {
                var digits = Digits(m.Value);
                if (digits.Length >= 8)
                {
                    found.Add("tel:" + digits[^Math.Min(9, digits.Length)..]);
                }
            }
        }

        return found;
    }

    private static string Digits(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                sb.Append(c);
            }
        }

        // "49.00" and "49" are the same price: trailing zero cents say nothing new.
        var digits = sb.ToString();
        return value.Contains('.') || value.Contains(',') ? TrimZeroCents(value, digits) : digits;
    }

    private static string TrimZeroCents(string value, string digits)
    {
        var sep = Math.Max(value.LastIndexOf('.'), value.LastIndexOf(','));
        var tail = value[(sep + 1)..].TrimEnd();
        return tail.Length == 2 && tail == "00" ? digits[..^2] : digits;
    }

    private static bool IsProtected(string sentence) => ProtectedWords().IsMatch(sentence);

    private static IEnumerable<string> ProtectedSentences(string text) =>
        text.Split('\n').SelectMany(l => SentenceBreak().Split(l.Trim())).Where(IsProtected);

    private static string Join(List<List<string>> lines)
    {
        var sb = new StringBuilder();
        var blank = false;
        foreach (var line in lines)
        {
            if (line.Count == 0)
            {
                blank = sb.Length > 0;
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(blank ? "\n\n" : "\n");
            }

            sb.Append(string.Join(' ', line));
            blank = false;
        }

        return sb.ToString().Trim();
    }

    [GeneratedRegex(@"(?<=[.!?…])\s+(?=\S)", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"\bguarantee[sd]?\b|\bguaranteeing\b|\b100\s?%|\b100\s?(?:percent|per cent|prozent)\b|\brisk[\s-]?free\b|\bno risk\b|\bwithout any risk\b|\bgarantiert\w*|\bgarantie\w*|\bgewährleist\w*|\brisikofrei\w*|\bohne (?:jedes |jegliches )?risiko\b|\bzero risk\b|\bcan(?:no|')t lose\b|\bpromise[sd]?\b|\bcertain(?:ly|ty)\b|\bis certain\b|\bdefinitely\b|\bno way (?:this|it) (?:can|could|will) fail\b|\bnever fails?\b|\bworks every time\b|\bassured\b|\bensure you\b|\b(?:drop|fall)s? to zero\b|\bzero downtime\b|\btrust me\b|\b(?:every|all) (?:single )?(?:customers?|clients?)\b[^.]*\b(?:results?|success)|\bversprochen\b|\bversprech\w*|\bverspreche\b|\bganz sicher\b|\bauf jeden fall\b|\bmit sicherheit\b|\bnichts schief\w*|\bkein(?:erlei)? risiko\b|\bsicher[nt]? (?:ihnen )?zu\b|\bzusicher\w*|\bnie wieder\b|\bjeder kunde\b[^.]*\bergebnis\w*|\bohne ausnahme\b|\b(?:klappt|funktioniert) immer\b|\bnull ausfall\w*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GuaranteeWords();

    [GeneratedRegex(@"\b(?:not|no|nobody|cannot|can'?t|can’t|won'?t|wouldn'?t|unable|nicht|nichts|keine?[nrs]?|niemand)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Negation();

    [GeneratedRegex(@"\b(?:months?|weeks?|upgrade\w*) (?:for )?free\b|\bare free\b|\bfree (?:upgrade|months?)\b|\bmonths free\b|\bgratis\b|\bkostenlos\b|\bschenken wir\b|\bhalf (?:price|off)\b|\bhalben preis\b|\bdie hälfte\b|\bwaive\b|\berlasse\w*|\bsonderpreis\w*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FreeOffer();

    [GeneratedRegex(@"\bonly (?:\w+ )?(?:spots?|seats?|licen[cs]es?|units?|places?|slots?) (?:left|remaining)\b|\b(?:licen[cs]es?|spots?|seats?|units?|places?) (?:left|remaining|remain)\b|\bsold out\b|\bfully booked\b|\bhandful of\b|\bfirst (?:\w+ )?customers only\b|\bgoing fast\b|\bsecure your (?:place|spot|seat)\b|\bbefore someone else\b|\bnur noch (?:\w+ )?(?:plätze|platz|lizenzen|stück|termine?|onboarding-termin)\b|\bübrig\b|\bausverkauft\b|\bausgebucht\b|\bnur wenige\b|\bnur für die ersten\b|\bkaum noch\b|\bgehen schnell weg\b|\bsichern sie sich (?:jetzt )?ihren platz\b|\bbevor ihn jemand\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Scarcity();

    [GeneratedRegex(@"\blegally\b|\blegal advice\b|\bno lawyer\b|\bfully (?:gdpr )?compliant\b|\bdeduct\w*|\btax[- ]deductible\b|\bcures?\b|\bheals?\b|\bmedication\b|\bfinancial advis[oe]r\b|\bsafe (?:financial )?bet\b|\bsure investment\b|\bhigh returns\b|\btake out a loan\b|\bnot enforceable\b|\bwithout notice\b|\bdon'?t need consent\b|\brechtlich\b|\bkeine einwilligung\b|\bdsgvo-konform\b|\bkeinen anwalt\b|\banwalt brauchen sie nicht\b|\bvon der steuer absetz\w*|\bheilt\b|\bmedikamente? ab\b|\bgeldanlage\b|\bfinanzberater\w*|\bunwirksam\b|\bfristlos\b|\bkredit\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AdviceClaim();

    [GeneratedRegex(@"\bstupid\b|\bidiot\w*|\bfoolish\b|\bincompetent\b|\bdumb\b|\byour age\b|\bwomen (?:usually|always|often)\b|\btalk to a man\b|\bforeigners?\b|\bfrom that country\b|\bscam\w*|\bsteals?\b|\bout of business\b|\bbankrupt\b|\bsued\b|\bsecurity holes\b|\bbeat any\b|\btwice as (?:fast|good) as\b|\bcrush you\b|\bdumm\w*|\bunfähig\w*|\bin ihrem alter\b|\bfrauen brauchen\b|\bmit einem mann\b|\bausländer\w*|\baus diesem land\b|\bbetrug\w*|\bklaut\b|\bstiehlt\b|\bpleite\b|\bverklagt\b|\bsicherheitslücken\b|\bunterbieten jeden\b|\bdoppelt so \w+ wie\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Disparaging();

    [GeneratedRegex(@"(?:[€$£]\s?\d[\d.,']*)|(?:\d[\d.,']*\s?(?:€|\$|£|%|eur\b|euros?\b|usd\b|dollars?\b|chf\b|gbp\b|pounds?\b|percent\b|per cent\b|prozent\b|k€))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Figures();

    [GeneratedRegex(@"\d[\d.,']*", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"\bdiscount\w*|\brebate\w*|\bspecial (?:price|offer|deal)\b|\bcoupon\w*|\bpromo code\b|\brabatt\w*|\bnachlass\w*|\bpreisnachlass\w*|\bsonderpreis\w*|\bsonderangebot\w*|\bgutschein\w*|\b\d+\s?% off\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DiscountWord();

    [GeneratedRegex(@"\bonly today\b|\btoday only\b|\bact (?:now|fast|quickly)\b|\blast chance\b|\blimited[- ]time\b|\bbefore it'?s too late\b|\bexpires? (?:today|tonight|soon)\b|\bdon'?t miss (?:out|this)\b|\bhurry\b|\bonly \w+ (?:left|spots? left|places? left)\b|\bnow or never\b|\bdecide (?:now|today)\b|\bsign (?:now|today)\b|\bnur (?:noch )?heute\b|\bletzte chance\b|\bsofort zuschlagen\b|\bschnell sein\b|\bzeitlich begrenzt\w*\b|\bnur noch \w+ (?:plätze|stück|verfügbar)\b|\bjetzt oder nie\b|\bverpassen sie nicht\b|\bläuft heute ab\b|\bwithin the next (?:hour|\w+ minutes)\b|\bwithin (?:\w+ )?minutes\b|\bif you don'?t (?:buy|sign|act) now\b|\bevery day you wait\b|\bprice goes up\b|\bbefore it'?s gone\b|\bexpires? tonight\b|\bjetzt entscheiden\b|\bsofort (?:handeln|entscheiden|unterschreiben|kaufen|bestellen|buchen|zusagen|zugreifen)\b|\b(?:handeln|entscheiden|unterschreiben|kaufen|bestellen|buchen|zusagen|greifen) sie (?:sich )?(?:jetzt |heute |noch )?sofort\b|\bbeeil\w*|\bjetzt[- ]oder[- ]nie\b|\bjetzt nicht kaufen\b|\binnerhalb der nächsten (?:stunde|\w+ minuten)\b|\bunterschreiben sie (?:jetzt|heute|sofort)\b|\bjeder tag warten\b|\bsonst ist das angebot weg\b|\bzugreifen\b|\bsonst vergebe\b|\bsteigt der preis\b|\bin \w+ minuten\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PressureWords();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![\w+])(?:\+|00)?\d[\d \-/()]{6,}\d(?!\w)", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"(?-i:\bSTOP\b|\bSTART\b)|\bunsubscribe\w*|\bopt(?:ed)?[- ]?out\b|\bno (?:more|further) messages\b|\babgemeldet\b|\babmeld\w*|\babbestell\w*|\bkeine (?:weiteren )?nachrichten\b|\bcolleague\b|\ba (?:person|human|team member)\b|\bkollege\w*|\bkollegin\w*|\bein mensch\b|\bmitarbeiter\w*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ProtectedWords();
}
