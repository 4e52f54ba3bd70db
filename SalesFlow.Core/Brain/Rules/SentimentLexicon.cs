namespace SalesFlow.Core.Brain.Rules;

/// <summary>
/// Lexicon sentiment with negation ("not good", "nicht gut"), intensifiers ("very", "sehr"), exclamation marks,
/// shouting in capitals and emoji. Insults, threats and fraud accusations force the score to strongly negative.
/// </summary>
internal static class SentimentLexicon
{
    public const double PositiveThreshold = 0.2;
    public const double NegativeThreshold = -0.2;

    /// <summary>The score a message with an insult or threat gets at most.</summary>
    public const double StronglyNegativeCeiling = -0.75;

    private static readonly Dictionary<string, double> Words = new(StringComparer.Ordinal)
    {
        // English positive
        ["good"] = 1, ["great"] = 1.5, ["love"] = 2, ["loved"] = 2, ["awesome"] = 2, ["perfect"] = 1.5,
        ["thanks"] = 0.6, ["thank"] = 0.6, ["thx"] = 0.6, ["nice"] = 1, ["happy"] = 1, ["excellent"] = 2,
        ["amazing"] = 2, ["cool"] = 0.8, ["interested"] = 0.8, ["useful"] = 1, ["glad"] = 1, ["excited"] = 1.5,
        ["helpful"] = 1, ["fantastic"] = 2, ["wonderful"] = 2, ["convinced"] = 1, ["curious"] = 0.6,
        ["brilliant"] = 2, ["impressive"] = 1.5, ["relevant"] = 0.6, ["exactly"] = 0.5,
        ["deal"] = 0.5, ["yes"] = 0.4, ["love"] = 2, ["ready"] = 0.5, ["lets"] = 0.3,
        // English negative
        ["bad"] = -1, ["terrible"] = -2, ["awful"] = -2, ["hate"] = -2, ["annoying"] = -1.5, ["annoyed"] = -1.5,
        ["frustrating"] = -1.5, ["frustrated"] = -1.5, ["angry"] = -2, ["problem"] = -0.3, ["issue"] = -0.3,
        ["broken"] = -1, ["error"] = -0.3, ["crash"] = -1, ["crashing"] = -1, ["crashes"] = -1, ["useless"] = -2,
        ["disappointed"] = -1.5, ["disappointing"] = -1.5, ["worse"] = -1.5, ["wrong"] = -0.3, ["expensive"] = -0.8,
        ["unfortunately"] = -0.5, ["slow"] = -0.7, ["spam"] = -1.5, ["stupid"] = -2, ["ridiculous"] = -2,
        ["horrible"] = -2, ["unacceptable"] = -2, ["locked"] = -0.6, ["twice"] = -0.3, ["sorry"] = -0.2,
        ["never"] = -0.4, ["again"] = -0.2, ["nothing"] = -0.3, ["doesnt"] = -0.5, ["isnt"] = -0.5,
        ["cant"] = -0.5, ["wont"] = -0.4, ["didnt"] = -0.4, ["hasnt"] = -0.4, ["dont"] = -0.3,
        // German positive
        ["gut"] = 1, ["super"] = 1.5, ["toll"] = 1.5, ["klasse"] = 1.5, ["prima"] = 1, ["perfekt"] = 1.5,
        ["danke"] = 0.6, ["dank"] = 0.6, ["spannend"] = 1, ["interessant"] = 0.8, ["interessiert"] = 0.8,
        ["gerne"] = 0.4, ["gern"] = 0.4, ["schön"] = 1, ["freue"] = 1.5, ["überzeugt"] = 1, ["passt"] = 0.4,
        ["hilfreich"] = 1, ["genial"] = 2, ["froh"] = 1, ["nett"] = 1, ["nette"] = 1, ["nice"] = 1, ["frohe"] = 1.5,
        ["dabei"] = 0.3, ["ja"] = 0.3, ["klingt"] = 0.3, ["gefällt"] = 1,
        // German negative
        ["schlecht"] = -1, ["schlimm"] = -1.5, ["schrecklich"] = -2, ["furchtbar"] = -2, ["ärgerlich"] = -1.5,
        ["nervig"] = -1.5, ["genervt"] = -1.5, ["enttäuscht"] = -1.5, ["kaputt"] = -1, ["fehler"] = -0.3,
        ["leider"] = -0.6, ["teuer"] = -0.6, ["interesse"] = 0.8, ["unverschämt"] = -2, ["frechheit"] = -2, ["nutzlos"] = -2,
        ["sauer"] = -1.5, ["wütend"] = -2, ["ständig"] = -0.7, ["doppelt"] = -0.6, ["stürzt"] = -1,
        ["nichts"] = -0.4, ["nie"] = -0.4, ["katastrophe"] = -2, ["ärger"] = -1.5, ["stimmt"] = 0,
    };

    /// <summary>
    /// Insults, threats and fraud accusations: a human should take over. A lawyer is a threat only when the lead brings
    /// one in ("my lawyer will…", "ich schalte meinen Anwalt ein"): "I'm a lawyer" and "ich bin Anwältin" are leads
    /// (law-firm software sells to them).
    /// </summary>
    private static readonly PhraseRuleSet StronglyNegative = new(
        "scam*", "fraud*", "worst", "furious", "idiot*", "ripoff",
        // The lawyer named with its owner, and what brings it in, each as written together: the words anywhere in a message
        // made "I'm a partner at a family law practice (6 solicitors). We get a lot of enquiries …" a threat, handed over.
        "my lawyer*|my attorney*|my solicitor*|our lawyer|our attorney|our solicitor|a lawyer|an attorney|a solicitor|our legal team|our legal department|my legal team"
            + " & will hear|hear from|hear about|hearing from|be hearing|involved|call my|calling my|contact my|contacting my|letter from|be in touch|informed|inform my|know about this"
            + "|deal with this|take this further|talk to my|speak to my|speaking to my|go to my|going to my|get a|get my|getting a|hire a|hiring a|pass this|hand this|forward this|see a|see my|consult my|consulting my",
        "legal action|legal steps|take you to court|see you in court", "sue", "suing", "lawsuit",
        "rip off", "fuck*", "*fuck*", "shit*", "crap", "pathetic", "disgusting", "police", "report you", "liars",
        "=betrug*", "betrüger*", "abzocke*", "abzocker*", // "=": not "Betrag" (amount)
        "mein anwalt|meinen anwalt|meinem anwalt|meine anwaeltin|meiner anwaeltin|unser anwalt|unseren anwalt|unserem anwalt|unsere anwaeltin|unserer anwaeltin|einen anwalt|den anwalt|dem anwalt|zum anwalt"
            + "|mein rechtsanwalt|meinen rechtsanwalt|meinem rechtsanwalt|meine rechtsanwaeltin|einen rechtsanwalt|zum rechtsanwalt|unsere rechtsabteilung|unserer rechtsabteilung"
            + " & einschalt*|eingeschaltet|schalte|schalten|schaltet|informier*|uebergeb*|gebe das|geb das|gebe ich|geben wir|hoeren von|hoeren sie|kuemmert sich|schreibt ihnen|melden|meldet sich|gehe|gehen|wende mich|wenden uns",
        "anwaltlich*|rechtliche schritte|gerichtlich*|vor gericht", "anzeige erstatten|anzeige gegen|erstatte anzeige|erstatten anzeige", "verklagen", "polizei",
        "schlechteste*", "scheiß*", "scheiss*", "idioten", "verarsch*", "unverschämt*", "frechheit");

    /// <summary>A case imagined, not lived: "what if it…", "was passiert, wenn…", "und falls es…".</summary>
    private static readonly PhraseRuleSet Hypothetical = new(
        "what if|what happens if|what happens when|and if it|what about if|suppose|supposing|imagine",
        "was wenn|was ist wenn|was passiert wenn|was passiert falls|was ist falls|und wenn es|und falls|angenommen");

    /// <summary>
    /// Exasperation that carries no single negative word. Not at the lead's own workload ("I'm so sick of answering the same
    /// questions on whatsapp all day" is its pain, and was taken for an upset lead).
    /// </summary>
    private static readonly PhraseRuleSet Exasperation = new(
        "how many times", "never signed up",
        "sick of|fed up & your|you|u|ur|this|these|it",
        "sick of|fed up & !answering|replying|whatsapp*|messages|texts|emails|calls|phone|admin|paperwork|questions|enquiries|inquiries|follow*|chasing",
        "leave me alone", "wie oft noch", "nie angemeldet",
        "hören sie auf", "reicht jetzt", "nicht zu fassen");

    /// <summary>Complaint and rejection phrases whose words are neutral on their own (−1 each).</summary>
    private static readonly PhraseRuleSet NegativePhrases = new(
        "doesnt work|does not work|not working|isnt working|stopped working|doesnt load",
        "funktioniert nicht|geht nicht|geht gar nichts|nicht angekommen|stimmt nicht|nicht akzeptiert",
        "funktioniert|funktionieren & nicht mehr",
        "lot of money|waste of",
        "stop texting|stop messaging|stop contacting|stop calling|dont contact|dont text|dont want any more",
        "schreiben sie mir nicht");

    /// <summary>
    /// Fear, worry and pain: an anxious lead (a patient afraid of the dentist, a buyer worried about the migration) needs
    /// a careful reply, so the message is negative — but only mildly (<see cref="DistressScore"/>): fear is not anger,
    /// and on its own it must not reach the strongly negative range that hands the conversation to a human. Negated
    /// ("no worries", "keine Sorge", "don't worry") it does not count.
    /// </summary>
    private static readonly HashSet<string> Distress = new(StringComparer.Ordinal)
    {
        "nervous", "scared", "afraid", "frightened", "terrified", "anxious", "anxiety", "fear", "fears", "worried",
        "worry", "worries", "concerned", "concern", "concerns", "painful",
        "angst", "ängste", "ängstlich", "nervös", "sorge", "sorgen", "besorgt", "bedenken", "befürchte", "befürchten",
        "beunruhigt", "mulmig", "panik", "unsicher", "schmerzen",
    };

    /// <summary>The score a message with a distress word gets at most (unless other words make it lower).</summary>
    private const double DistressScore = -0.4;

    /// <summary>Words that turn the following clause into the one that counts ("nice, but …").</summary>
    private static readonly HashSet<string> Contrast = new(StringComparer.Ordinal)
    {
        "but", "however", "although", "though", "aber", "allerdings", "jedoch", "trotzdem",
    };

    /// <summary>Words that are not sentiment in these neighbourhoods: "good morning", "wie teuer", "ganz schön".</summary>
    private static bool IsNeutralUse(List<string> tokens, int i) => tokens[i] switch
    {
        "good" => i + 1 < tokens.Count && tokens[i + 1] is "morning" or "afternoon" or "evening" or "night" or "day",
        "teuer" => i > 0 && tokens[i - 1] is "wie",
        "schön" => i > 0 && tokens[i - 1] is "ganz",
        // "wir sorgen dafür", "sorgt für": the verb (to take care of), not the noun (worry).
        "sorge" or "sorgen" => (i + 1 < tokens.Count && tokens[i + 1] is "dafür" or "für") || (i > 0 && tokens[i - 1] is "dafür" or "zu"),
        // "can it filter out spam?": spam as a thing the product handles, not the lead calling us spam (strongly negative,
        // handed over).
        "spam" => NamesSpamHandling(tokens) || AsksWhatItDoes(tokens),
        _ => false,
    };

    private static bool NamesSpamHandling(List<string> tokens) => tokens.Any(t => SpamHandling.Any(cue => t.StartsWith(cue, StringComparison.Ordinal)));

    /// <summary>The lead's customers' feelings: "our customers are furious", "die Kunden sind sauer", "angry customers".</summary>
    private static readonly PhraseRuleSet OthersFeeling = new(
        "customers|clients|patients|guests|people|leads|buyers|kunden|kundinnen|patienten|gaeste|leute|mandanten & are|were|get|gets|got|sind|waren|werden|wird & furious|angry|upset|annoyed|frustrated|mad|sauer|wuetend|veraergert|genervt|frustriert",
        // "is it annoying for customers?" and "do leads get annoyed by the follow ups?" ask about the lead's customers.
        "annoying for|nervig fuer|laestig fuer & customers|clients|leads|people|patients|guests|kunden|patienten|gaeste|leute|interessenten",
        "customers|clients|leads|people|patients|guests|kunden|patienten|gaeste|leute & get annoyed|gets annoyed|genervt sein|genervt werden",
        // "does it escalate angry customers to us?" was handed over; "I'm angry, your customer service …" is at us.
        string.Join('|',
            from feeling in new[] { "angry", "furious", "upset", "annoyed", "frustrated", "rude", "veraergerte", "veraergerten", "wuetende", "wuetenden", "genervte", "genervten", "unzufriedene", "unzufriedenen" }
            from who in new[] { "customer", "customers", "client", "clients", "patients", "guests", "leads", "callers", "kunde", "kunden", "patienten", "gaeste", "anrufer" }
            select feeling + " " + who));

    /// <summary>
    /// Whether the message speaks to us ("you", "your", "euer"; German "Sie" is also "they" and is left out): "I'm not happy
    /// with how slow we reply to leads, can this help?" is the lead's own trouble, not anger at us.
    /// </summary>
    private static bool AddressesUs(List<string> tokens) =>
        tokens.Any(t => t is "you" or "your" or "yours" or "u" or "ur" or "ihr" or "euer" or "eure" or "euch" or "du" or "dein" or "deine");

    /// <summary>"does it …", "can it …", "kann es …": a question what the product does.</summary>
    private static bool AsksWhatItDoes(List<string> tokens) =>
        tokens.Zip(tokens.Skip(1)).Any(p => p.First is "does" or "can" or "will" or "could" or "would" or "kann" or "könnte" && p.Second is "it" or "es" or "das" or "this");

    private static readonly string[] SpamHandling =
        ["filter", "detect", "difference", "block", "recogni", "identif", "weed", "catch", "erkenn", "unterscheid", "aussortier", "herausfilter", "rausfilter", "fake", "genuine", "echt"];

    private static readonly HashSet<string> Negators = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "dont", "doesnt", "isnt", "wasnt", "arent", "cant", "wont", "didnt", "nothing",
        "nicht", "kein", "keine", "keinen", "keiner", "nie", "niemals", "nichts",
    };

    private static readonly HashSet<string> Intensifiers = new(StringComparer.Ordinal)
    {
        "very", "really", "so", "extremely", "absolutely", "totally", "super", "incredibly", "truly", "such",
        "sehr", "echt", "total", "wirklich", "extrem", "mega", "absolut", "richtig", "voll", "ganz",
    };

    private static readonly (string Emoji, double Weight)[] Emoji =
    [
        ("😊", 1), ("🙂", 0.8), ("😀", 1), ("😃", 1), ("😁", 1), ("👍", 0.8), ("🙏", 0.4), ("❤", 1.5), ("🎉", 1.5),
        ("👌", 0.8), ("🔥", 0.8), ("😍", 1.5), (":)", 0.8), (":-)", 0.8), (":D", 1),
        ("😡", -2), ("😠", -2), ("🤬", -2.5), ("😤", -1.5), ("😞", -1), ("😢", -1), ("👎", -1.2), ("🙄", -1),
        (":(", -1), (":-(", -1),
    ];

    private static bool HasDistress(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!Distress.Contains(tokens[i]) || IsNeutralUse(tokens, i))
            {
                continue;
            }

            var negated = (i > 0 && Negators.Contains(tokens[i - 1])) || (i > 1 && Negators.Contains(tokens[i - 2]));
            if (!negated)
            {
                return true;
            }
        }

        return false;
    }

    public static double Score(LeadText lead, Intent intent)
    {
        var tokens = lead.Tokens;
        var lastContrast = tokens.FindLastIndex(Contrast.Contains);
        var hypothetical = Hypothetical.FirstMatchStart(lead.Words);
        double sum = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!Words.TryGetValue(tokens[i], out var weight) || weight == 0 || IsNeutralUse(tokens, i))
            {
                continue;
            }

            if (lastContrast >= 0)
            {
                weight *= i < lastContrast ? 0.5 : 1.3;
            }

            // "what if it says something stupid to a customer": a worry asked about, not the lead's own anger (it was handed
            // to a person as strongly negative).
            if (hypothetical >= 0 && i > hypothetical && weight < 0)
            {
                weight *= 0.5;
            }

            // Contractions like "doesnt" carry a small negative weight of their own but also act as negators.
            var multiplier = 1.0;
            for (var back = 1; back <= 3 && i - back >= 0; back++)
            {
                var previous = tokens[i - back];
                var ganzSchön = previous == "schön" && i - back - 1 >= 0 && tokens[i - back - 1] == "ganz";
                if ((Intensifiers.Contains(previous) || ganzSchön) && back == 1)
                {
                    multiplier *= 1.5;
                }

                if (Negators.Contains(previous))
                {
                    // "not good" is clearly negative; "not bad" is only mildly positive.
                    multiplier *= weight > 0 ? -0.9 : -0.4;
                    break;
                }
            }

            // German negation follows the word: "gefällt mir nicht", "ist nicht gut" is handled above.
            if (i + 1 < tokens.Count && tokens[i + 1] is "nicht" && weight > 0)
            {
                multiplier *= -0.9;
            }

            sum += weight * multiplier;
        }

        foreach (var (emoji, weight) in Emoji)
        {
            if (lead.Original.Contains(emoji, StringComparison.Ordinal))
            {
                sum += weight;
            }
        }

        if (NegativePhrases.IsMatch(lead.Words))
        {
            sum -= 1;
        }

        // A decision to buy is good news; a problem report is a bad experience even when worded calmly.
        sum += intent switch
        {
            Intent.Purchase => 0.5,
            Intent.Support => -0.3,
            _ => 0,
        };

        if (Exasperation.IsMatch(lead.Words))
        {
            sum -= 1.5;
        }

        // Shouting: two or more words of three or more capital letters (a lone "STOP" is not anger).
        var shouted = 0;
        foreach (var word in lead.OriginalTokens)
        {
            if (word.Length >= 3 && word.All(c => !char.IsLetter(c) || char.IsUpper(c)) && word.Any(char.IsLetter))
            {
                shouted++;
            }
        }

        if (shouted >= 2 && shouted * 2 >= lead.OriginalTokens.Count)
        {
            sum -= 1;
        }

        if (sum != 0 && lead.ExclamationMarks > 0)
        {
            sum *= lead.ExclamationMarks >= 2 ? 1.4 : 1.2;
        }

        var score = Math.Tanh(sum / 2);
        if (HasDistress(tokens))
        {
            score = Math.Min(score, DistressScore);
        }
        // "what if an angry customer threatens to sue?": a case asked about, not the lead's own threat (it was handed over);
        // "can it detect scam messages?" asks what the product does.
        if (StronglyNegative.FirstMatchStart(lead.Words) is var threat and >= 0 && !(hypothetical >= 0 && threat > hypothetical) && !NamesSpamHandling(tokens)
            && !OthersFeeling.IsMatch(lead.Words))
        {
            score = Math.Min(score, StronglyNegativeCeiling) - 0.1;
        }

        // "our customers are furious when nobody answers, can this fix it?", "we hate missing leads, can it help?": the lead's
        // customers' anger or its own pain, brought to the product, is no anger at us (both were handed over).
        // The cheap token checks first: the pain rules run only for a question what the product does.
        if (OthersFeeling.IsMatch(lead.Words) || (AsksWhatItDoes(tokens) && (!AddressesUs(tokens) || IntentRules.DescribesPain(lead))))
        {
            score = Math.Max(score, DistressScore);
        }

        return Math.Round(Math.Clamp(score, -1, 1), 3);
    }
}
