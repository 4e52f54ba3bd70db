using System.Globalization;
using System.Text;
using SalesFlow.Core.Meetings;
using SalesFlow.Core.Brain;

namespace SalesFlow.Core.Conversations;

/// <summary>What SalesFlow's last message asked or offered, read from its own text (rules and model replies alike).</summary>
public enum PendingPrompt
{
    None,
    /// <summary>"Would you like a demo?", "Would a short call help?": a yes is a meeting wish.</summary>
    MeetingOffer,
    /// <summary>"Shall I put together the exact pricing?": a yes asks for prices.</summary>
    PricingOffer,
    /// <summary>Any other question: a yes/no alone answers nothing the brain can act on.</summary>
    OpenQuestion,
    /// <summary>Times to choose from ("Tue 10:00, Wed 09:00 or …?"): a bare yes has not chosen one yet.</summary>
    SlotOffer,
    /// <summary>"Booked: Tue 8 Dec 10:00": a yes or thanks after it needs no sales question.</summary>
    MeetingBooked,
    /// <summary>"Of course! I'll write to you again on Mon 14 Dec.": a thanks after it needs no sales question.</summary>
    CheckBackPromised,
    /// <summary>"Could you share any details, like an order number or a screenshot?": what follows is for the colleague.</summary>
    SupportDetails,
    /// <summary>"Which e-mail address should they go to?": a yes or thanks has not given one yet.</summary>
    AddressRequest,
    /// <summary>"Send me the code from it here": a thanks has not sent it yet.</summary>
    CodeRequest,
}

/// <summary>A lead's message of a few words that only makes sense against the last prompt.</summary>
public enum ShortAnswer
{
    None,
    Yes,
    No,
    /// <summary>"ok", "thanks", "alles klar": heard, no decision.</summary>
    Acknowledged,
    /// <summary>"??": the lead did not understand, or waits for an answer.</summary>
    Puzzled,
}

/// <summary>How a short answer reads against the last prompt: a new intent for the brain, or a fixed reply that moves on.</summary>
public sealed record DialogueReading(Intent? Intent, string? FixedReply);

/// <summary>
/// Reads a short answer ("yes", "passt", "nein", "ok") against what SalesFlow last asked (issue 14): on its own such
/// an answer reads as nothing in particular, and the lead got the same generic question again. A yes to a meeting offer
/// becomes a meeting wish (the meeting dialogue offers slots), a yes to a pricing offer a pricing request; a no or a
/// bare acknowledgement gets a short reply that asks what would help.
/// </summary>
public static class DialogueContext
{
    private static readonly HashSet<string> Yes = new(StringComparer.Ordinal)
    {
        "yes", "yeah", "yep", "yup", "sure", "ok", "okay", "k", "please", "yes please", "sure thing", "of course", "absolutely",
        "definitely", "sounds good", "go ahead", "why not", "ja", "jo", "jep", "gerne", "gern", "ja gerne", "ja gern",
        "ja bitte", "bitte", "klar", "na klar", "passt", "passt gut", "okay passt", "ok passt", "gerne doch", "sehr gerne",
        "warum nicht", "auf jeden fall", "unbedingt", "ja klar", "yes sure", "ok sure", "sure why not", "ok cool", "ok great",
        "ok super", "ok perfect", "sounds great", "ok gerne", "ok gern", "ja passt", "jo passt",
        // "yes exactly" to "Shall I show you how it would work for your team in a short call?" was thanked and asked again.
        "yes exactly", "exactly", "yes definitely", "yes absolutely", "yeah sure", "yes pls", "yes plz", "yea", "ya", "ja genau", "genau",
        "ja unbedingt", "ja sehr gerne", "ja auf jeden fall",
        // "yeah go on then" to "Shall I show you how it would work for your team in a short call?" was sent the follow-up FAQ.
        "go on", "go on then", "yeah go on", "yeah go on then", "ok go on", "ok go on then", "go for it", "lets do it", "lets do that",
        "yeah lets do it", "ok lets do it", "yeah ok", "ok then", "alright then", "yeah why not", "yes why not", "sure go ahead",
        "yes go ahead", "yeah go ahead", "ok go ahead", "im in", "sounds good to me", "works for me", "klingt gut", "ja klingt gut",
        "ok klingt gut", "machen wir", "ja machen wir", "gerne machen wir", "ok machen wir", "los gehts", "na dann los",
    };

    private static readonly HashSet<string> No = new(StringComparer.Ordinal)
    {
        "no", "nope", "nah", "no thanks", "no thank you", "not really", "not yet", "nein", "nee", "ne", "nein danke",
        "eher nicht", "noch nicht", "lieber nicht",
        // "nah im good" after "Shall I show you how it works?" was asked for the team size.
        "nah im good", "im good", "no im good", "nah thanks", "nah thx", "no thx", "not for me", "im good thanks", "were good",
        "passt schon", "nein passt schon", "brauchen wir nicht", "brauche ich nicht", "lass mal", "ne lass mal", "nee lass mal",
    };

    private static readonly HashSet<string> Acknowledged = new HashSet<string>(StringComparer.Ordinal)
    {
        "thanks", "thank you", "thx", "ty", "cheers", "got it", "cool", "great", "alright", "fine", "noted", "ok thanks", "okay thanks",
        "danke", "danke schoen", "vielen dank", "alles klar", "verstanden", "super", "prima", "ok danke", "okay danke", "gut",
        "cool thanks", "great thanks", "perfect", "nice", "awesome", "perfekt", "top", "super danke", "danke dir",
        "perfect thanks", "perfect thank you", "great thank you", "perfekt danke", "top danke", "prima danke", "passt danke",
    }.Concat(Farewells()).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// A goodbye, alone or after thanks: "Danke, bis dann" after the booking was searched ("bis" met the scoring answer's
    /// "0 bis 100") and sent it.
    /// </summary>
    private static IEnumerable<string> Farewells()
    {
        string[] days = ["monday", "tuesday", "wednesday", "thursday", "friday", "montag", "dienstag", "mittwoch", "donnerstag", "freitag"];
        string[] goodbyes =
        [
            "bis dann", "bis bald", "bis spaeter", "bis morgen", "bis zum termin", "tschuess", "ciao", "bye", "bye bye", "see you",
            "see you then", "see you soon", "see you tomorrow", "talk then", "talk soon", "speak soon", "speak then", "until then",
            .. days.Select(d => (d.EndsWith("day", StringComparison.Ordinal) ? "see you " : "bis ") + d),
        ];
        string[] thanks = ["", "danke ", "thanks ", "thank you ", "thx ", "ok ", "okay ", "super ", "prima ", "great ", "perfect ", "perfekt ", "cheers ", "alles klar ", "ok danke ", "ok thanks ", "vielen dank ", "great thanks "];
        return thanks.SelectMany(t => goodbyes.Select(g => t + g));
    }

    /// <summary>The prompt in SalesFlow's own last message.</summary>
    public static PendingPrompt PromptOf(string? lastOutbound)
    {
        if (string.IsNullOrWhiteSpace(lastOutbound))
        {
            return PendingPrompt.None;
        }

        if (FollowUps.CheckBack.IsConfirmation(lastOutbound))
        {
            return PendingPrompt.CheckBackPromised;
        }

        if (SlotText.IsConfirmation(lastOutbound))
        {
            return PendingPrompt.MeetingBooked;
        }

        if (SlotText.IsOffer(lastOutbound))
        {
            return PendingPrompt.SlotOffer;
        }

        if (Leads.EmailTexts.AsksForTheCode(lastOutbound))
        {
            return PendingPrompt.CodeRequest;
        }

        if (!lastOutbound.Contains('?', StringComparison.Ordinal))
        {
            return PendingPrompt.None;
        }

        // The question is the last sentence that ends in "?": an opener's words ("let's book a call") are no offer.
        var question = LastQuestion(lastOutbound).ToLower(CultureInfo.InvariantCulture);

        bool Any(params string[] cues) => cues.Any(c => question.Contains(c, StringComparison.Ordinal));
        if (Any("order number", "screenshot", "sort it out", "bestellnummer", "um es schnell zu lösen"))
        {
            return PendingPrompt.SupportDetails;
        }

        if (Any("e-mail address", "email address", "e-mail-adresse"))
        {
            return PendingPrompt.AddressRequest;
        }

        if (Any("demo", "call", "meeting", "see how it works", "walk you through", "gespräch", "termin", "vorführ", "telefonat", "funktioniert"))
        {
            return PendingPrompt.MeetingOffer;
        }

        return Any("pricing", "price", "prices", "quote", "preise", "angebot") && Any("shall i", "should i", "would you like", "soll ich", "möchten sie", "möchtest du", "darf ich")
            ? PendingPrompt.PricingOffer
            : PendingPrompt.OpenQuestion;
    }

    /// <summary>A yes, a no or an acknowledgement of at most a few words; anything longer says more and is read as it is.</summary>
    public static ShortAnswer Read(string text)
    {
        if (text.Contains('?', StringComparison.Ordinal) && text.All(c => c is '?' or '!' || char.IsWhiteSpace(c)))
        {
            return ShortAnswer.Puzzled;
        }

        if (Emoji(text) is { } emoji)
        {
            return emoji;
        }

        var folded = Fold(text);
        return Yes.Contains(folded) ? ShortAnswer.Yes
            : No.Contains(folded) ? ShortAnswer.No
            : Acknowledged.Contains(folded) ? ShortAnswer.Acknowledged
            : ShortAnswer.None;
    }

    /// <summary>
    /// The lead's answer to our request for a support case's details ("Kundennummer 48213", "when will someone get back
    /// to me?"): thanked, and told again that the colleague has it. It was asked "what brings you to us?" and what it
    /// wanted to improve. A new wish of its own (a price, a meeting, a person, a purchase, an opt-out) reads as usual.
    /// </summary>
    public static DialogueReading? AfterSupportDetails(string? lastOutbound, Intent intent, bool german, string? name)
    {
        if (PromptOf(lastOutbound) != PendingPrompt.SupportDetails || intent is not (Intent.Other or Intent.Support or Intent.Greeting or Intent.Question or Intent.Interest))
        {
            return null;
        }

        var you = string.IsNullOrWhiteSpace(name) ? string.Empty : ", " + name.Trim();
        return new(Intent.Support, german
            ? $"Danke{you}, das habe ich an den Kollegen weitergegeben. Er meldet sich so schnell wie möglich persönlich bei Ihnen."
            : $"Thanks{you}, I've passed that on to the colleague. They'll get back to you personally as soon as they can.");
    }

    /// <summary>How <paramref name="leadText"/> reads against SalesFlow's last message; null when it is no short answer.</summary>
    public static DialogueReading? Interpret(string? lastOutbound, string leadText, bool german, string? name)
    {
        var answer = Read(leadText);
        if (answer == ShortAnswer.None)
        {
            return null;
        }

        var prompt = PromptOf(lastOutbound);
        var you = string.IsNullOrWhiteSpace(name) ? string.Empty : ", " + name.Trim();
        return (answer, prompt) switch
        {
            (ShortAnswer.Yes or ShortAnswer.Acknowledged or ShortAnswer.Puzzled, PendingPrompt.SlotOffer) => new(null, german
                ? $"Gern{you}! Welche der genannten Zeiten passt Ihnen am besten?"
                : $"Great{you}! Which of those times suits you best?"),
            (ShortAnswer.No, PendingPrompt.SlotOffer) => new(null, german
                ? $"Kein Problem{you}. Welcher Tag und welche Uhrzeit würden Ihnen besser passen?"
                : $"No problem{you}. Which day and time would suit you better?"),
            (ShortAnswer.Yes or ShortAnswer.Acknowledged, PendingPrompt.MeetingBooked) => new(null, german
                ? $"Prima{you}, dann bis zum Termin! Falls vorher Fragen aufkommen, schreiben Sie mir einfach."
                : $"Great{you}, talk to you then! If anything comes up before, just message me."),
            // "thx" after "I'll write to you again on Mon 14 Dec" was offered the pricing or a call.
            (ShortAnswer.Yes or ShortAnswer.Acknowledged, PendingPrompt.CheckBackPromised) => new(null, german
                ? $"Gern{you}, bis dann!"
                : $"You're welcome{you}, talk soon!"),
            // "thx" after "Which e-mail address should they go to?" was offered the pricing or a call, as if nothing was asked.
            (ShortAnswer.Yes or ShortAnswer.Acknowledged, PendingPrompt.AddressRequest) => new(null, german
                ? $"Gern{you}! {OpenQuestionOf(lastOutbound)}"
                : $"You're welcome{you}! {OpenQuestionOf(lastOutbound)}"),
            // "thanks!" after "Send me the code from it here" was offered the pricing or a call, after the lead had said it buys.
            (ShortAnswer.Yes or ShortAnswer.Acknowledged, PendingPrompt.CodeRequest) => new(null, german
                ? $"Gern{you}! Senden Sie mir einfach den Code aus der E-Mail hier, sobald Sie ihn haben."
                : $"You're welcome{you}! Just send me the code from the e-mail here when you have it."),
            (ShortAnswer.Yes, PendingPrompt.MeetingOffer) => new(Intent.Meeting, null),
            // A yes to "Shall I put together the exact pricing?" was asked the same question again: prices come from people.
            (ShortAnswer.Yes, PendingPrompt.PricingOffer) => new(Intent.Pricing, german
                ? $"Prima{you}! Ein Kollege stellt Ihnen die genauen Preise für Ihr Setup zusammen und schickt sie Ihnen. An welche E-Mail-Adresse dürfen wir sie senden?"
                : $"Great{you}! A colleague will put together the exact pricing for your setup and send it to you. Which e-mail address should it go to?"),
            (ShortAnswer.Puzzled, _) => new(null, german
                ? $"Entschuldigung{you}, da war ich wohl unklar. {OpenQuestionOf(lastOutbound) ?? "Wobei kann ich Ihnen helfen?"}"
                : $"Sorry{you}, I wasn't clear. {OpenQuestionOf(lastOutbound) ?? "What can I help you with?"}"),
            (ShortAnswer.No, _) => new(null, german
                ? $"Kein Problem{you}. Was würde Ihnen gerade am meisten weiterhelfen: ein paar Details zum Lesen oder eine konkrete Frage, die ich beantworten kann?"
                : $"No problem{you}. What would help you most right now: a few details to read, or a specific question I can answer?"),
            (ShortAnswer.Yes, _) => new(null, german
                ? $"Prima{you}! Erzählen Sie mir kurz mehr dazu, dann schlage ich Ihnen den passenden nächsten Schritt vor. Oder möchten Sie direkt einen kurzen Termin?"
                : $"Great{you}! Tell me a little more about it and I'll suggest the right next step. Or would you like to book a short call right away?"),
            _ => new(null, german
                ? $"Gern geschehen{you}! Möchten Sie als Nächstes die Preise sehen oder lieber einen kurzen Termin, in dem ich Ihnen alles zeige?"
                : $"Happy to help{you}! Would you like to see the pricing next, or book a short call where I show you everything?"),
        };
    }

    /// <summary>
    /// A message of emoji alone: "👍" after "I'll write to you again on Mon 21 Dec" was asked how the lead handles this
    /// today. 👍 👌 ✅ are a yes (and thank for a promise), 👎 ❌ a no, 🙏 🙂 😊 a thank-you; skin tones and the emoji
    /// presentation selector do not count. Null for anything else.
    /// </summary>
    private static ShortAnswer? Emoji(string text)
    {
        var marks = text.EnumerateRunes().Where(r => !Rune.IsWhiteSpace(r) && r.Value is not (0xFE0F or (>= 0x1F3FB and <= 0x1F3FF))).Select(r => r.Value).ToList();
        if (marks.Count == 0 || marks.Count > 5)
        {
            return null;
        }

        return marks.All(YesMarks.Contains) ? ShortAnswer.Yes
            : marks.All(NoMarks.Contains) ? ShortAnswer.No
            : marks.All(m => YesMarks.Contains(m) || ThanksMarks.Contains(m)) ? ShortAnswer.Acknowledged
            : null;
    }

    /// <summary>👍 👌 ✅ ✔ 💯</summary>
    private static readonly HashSet<int> YesMarks = [0x1F44D, 0x1F44C, 0x2705, 0x2714, 0x1F4AF];

    /// <summary>👎 ❌</summary>
    private static readonly HashSet<int> NoMarks = [0x1F44E, 0x274C];

    /// <summary>🙏 🙂 😊 😀 😁 😃 👏 ❤ 🤝</summary>
    private static readonly HashSet<int> ThanksMarks = [0x1F64F, 0x1F642, 0x1F60A, 0x1F600, 0x1F601, 0x1F603, 0x1F44F, 0x2764, 0x1F91D];

    /// <summary>The question SalesFlow's last message asked, to ask again; null when it asked none.</summary>
    private static string? OpenQuestionOf(string? lastOutbound) =>
        string.IsNullOrWhiteSpace(lastOutbound) || !lastOutbound.Contains('?', StringComparison.Ordinal) ? null : LastQuestion(lastOutbound).Trim();

    private static string LastQuestion(string text)
    {
        var end = text.LastIndexOf('?');
        var start = text.LastIndexOfAny(['.', '!', '?', ':', '\n'], Math.Max(0, end - 1));
        return text[(start + 1)..(end + 1)];
    }

    /// <summary>Lower case, umlauts spelled out, punctuation and emoji dropped, spaces collapsed: "Ja, gerne! 👍" → "ja gerne".</summary>
    private static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Trim().ToLower(CultureInfo.InvariantCulture))
        {
            _ = c switch
            {
                'ä' => builder.Append("ae"),
                'ö' => builder.Append("oe"),
                'ü' => builder.Append("ue"),
                'ß' => builder.Append("ss"),
                '\'' or '’' => builder, // "I'm good", "let's do it" are listed as typed without it
                _ when char.IsLetter(c) => builder.Append(c),
                _ => builder.Append(' '),
            };
        }

        return string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
