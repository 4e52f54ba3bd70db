using System.Globalization;
using System.Text;

namespace SalesFlow.Core.Knowledge;

/// <summary>Shared word handling for the embedder and the keyword query: lower-case, diacritics off, stop words out, light stemming.</summary>
public static class TextTerms
{
    /// <summary>
    /// Which way of making terms an index holds: raised whenever <see cref="Words"/> makes a word's term differently (a
    /// stop word, a spelling fold, a stemming rule), so an index that stores terms makes them again from its passages.
    /// </summary>
    public const int Version = 9;

    // English and German function words, and the words a lead wraps a question in ("could I ask you a few questions?",
    // "kurze Frage") or hedge it with ("aha und was kostet das ungefähr" missed the price answer): they match everything
    // and so carry no evidence ("who else uses this?" was answered with the AI-key FAQ, which says what model "you use";
    // "was kostet das ding?" missed the price answer). Keyword terms stored before a word joined the list (or a
    // stemming rule changed) are made again when an index opens (Version); vectors keep the old form until the
    // passage is indexed again, which costs such a passage a little cosine, nothing else. Negations written without their
    // apostrophe are as empty as "can" and "t" ("so it cant answer the phone?" missed the channels answer that
    // "can it answer the phone?" found), and so are the other halves of a contraction ("Do the customers know they're
    // talking to a bot?" searched "re" and found the languages answer, not the disclosure answer). "per" ("per mail",
    // "per month") is a preposition in both languages; "ups" is
    // "up" ("does it do follow ups?" found the opening-hours answer's "follow-ups" above the follow-up answer's "follow up");
    // "welche" is "which" ("Welche Kosten kommen monatlich auf uns zu?" missed the price answer); "look" frames a question
    // ("What would pricing look like for 4 sites?" fell under the threshold); "pre" is the prefix a hyphen splits off
    // ("pre-qualify"). "quick" wraps a question only before one
    // ("quick question", "quick q"): see <see cref="WrapsAQuestion"/>.
    private static readonly HashSet<string> StopWords = new(
        """
        a an the and or but if then else of to in on at by for with from as into onto about over under than so such
        is are was were be been being am do does did doing have has had having will would shall should can could may might must
        i me my mine we us our ours you your yours he him his she her hers it its they them their theirs this that these those
        what which who whom whose when where why how there here all any each few more most other some no nor not only own same
        too very just also s t re ll ve d m don now up down out off again further once both between through during before after above below
        please hi hello hey hiya heya moin servus thanks thank ok okay get got want need know tell let like
        ask asking asked question questions q qs wondering wonder curious guys something anything really maybe
        der die das den dem des ein eine einen einem einer und oder aber wenn dann von zu im in am an auf mit für ist sind war
        ich du er sie es wir ihr mein dein sein unser euer was wer wie wo warum nicht kein keine auch nur noch schon bitte hallo
        bei beim vom zum zur aus nach um als ob dass so mal denn eigentlich gerne gern kurz kurze uns euch ihnen sich man ihre ihren bis
        eure euren kann können könnt könnte habe hab haben hat habt wird werden gibt frage fragen geht gehts
        brauch brauche brauchen braucht dafür dazu damit darauf
        aha ah oh hmm hm ja yes yeah yep nope nee lol haha tbh btw exactly roughly approximately approx ungefähr etwa circa ca genau
        wat wot u ur pls plz thx ya viel viele vielen help helfen läuft laufen sowas etwas wäre wären würde würden hätte hätten
        halt eben überhaupt allerdings trotzdem sondern direkt directly tho though
        unser unsere unseren unserem unserer unseres eurem eurer eures meine meinen meinem meiner deine deinen deinem deiner
        ihrem ihrer seine seinen seinem seiner mir mich dir dich ihm ihn kannst könntest sag sagen
        whats hows wheres whens whys whos thats theres heres im ive youre youve theyre lets
        cant cannot dont doesnt didnt isnt arent wont wasnt werent aint either neither per ups welche welcher welches welchen welchem
        use uses using used nutzt nutze nutzen benutzen benutzt genutzt verwenden verwendet thing things stuff ding dinger look looks pre
        """.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(Fold),
        StringComparer.Ordinal); // folded as the text is: "für" and "können" were never matched against "fur" and "konnen".

    private static string Fold(string word) => new([.. Folded(word)]);

    /// <summary>The text lower-case with its diacritics off ("für" → "fur"): how both the text and the stop words are compared.</summary>
    private static IEnumerable<char> Folded(string text) =>
        text.Normalize(NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).Select(char.ToLowerInvariant);

    /// <summary>Content words of <paramref name="text"/>, in order, normalised and (unless told otherwise) stemmed.</summary>
    public static List<string> Words(string text, bool stem = true)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (var c in Folded(text))
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else
            {
                Take(tokens, current);
            }
        }

        Take(tokens, current);
        var words = new List<string>(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            var word = tokens[i];
            if (!StopWords.Contains(word) && !WrapsAQuestion(word, i + 1 < tokens.Count ? tokens[i + 1] : null))
            {
                word = ChatSpellings.GetValueOrDefault(word, word);
                words.Add(stem ? Stem(word) : word);
            }
        }

        return words;
    }

    /// <summary>
    /// "quick" before "question"/"q"/"one" only wraps the question ("quick question, does it do SMS?"); elsewhere it asks
    /// about speed ("how quick does it reply?" had been searched as "reply" alone and found the languages answer).
    /// </summary>
    private static bool WrapsAQuestion(string word, string? next) =>
        word == "quick" && next is "question" or "questions" or "q" or "qs" or "one";

    /// <summary>The share of the query's distinct content words (stemmed) that occur in <paramref name="text"/>: 0..1.</summary>
    public static double Coverage(IReadOnlyCollection<string> queryWords, string text)
    {
        if (queryWords.Count == 0)
        {
            return 0;
        }

        var words = Words(text).ToHashSet(StringComparer.Ordinal);
        return queryWords.Count(words.Contains) / (double)queryWords.Count;
    }

    private static void Take(List<string> tokens, StringBuilder current)
    {
        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
            current.Clear();
        }
    }

    /// <summary>
    /// Chat shorthand and spellings of one word, on both the query's and the passage's side: "die meisten fragen kommen über
    /// insta, geht das auch?" missed the channels answer's "Instagram", "does it work with email" its "e-mail" (split at the
    /// hyphen, so "mail"). A British "diary" is a calendar ("can it see our instructors diaries?" was left to the team).
    /// </summary>
    private static readonly Dictionary<string, string> ChatSpellings = new(StringComparer.Ordinal)
    {
        ["insta"] = "instagram", ["ig"] = "instagram", ["fb"] = "facebook", ["email"] = "mail", ["emails"] = "mail", ["mails"] = "mail",
        ["msg"] = "message", ["msgs"] = "messages", ["followup"] = "follow", ["followups"] = "follow", ["appt"] = "appointment", ["appts"] = "appointments", ["whatsap"] = "whatsapp",
        ["diary"] = "calendar", ["diaries"] = "calendar",
        // A lead's enquiry is a lead ("Can your system pre-qualify these enquiries?" missed the answer on qualifying leads).
        ["enquiry"] = "lead", ["enquiries"] = "leads", ["inquiry"] = "lead", ["inquiries"] = "leads",
        // "Kann ich das erstmal testen?" missed "Können wir es erst testen?".
        ["erstmal"] = "erst", ["erstmals"] = "erst",
    };

    /// <summary>Strips the commonest English inflections so "prices"/"price" and "shipping"/"ship" meet.</summary>
    internal static string Stem(string word) => WithoutSilentE(Inflected(WithoutPriorPrefix(word)));

    /// <summary>
    /// German "vor-" before a verb in "-ieren": what is done beforehand is what is done ("Kann Ihr System diese Anfragen
    /// vorqualifizieren?" missed the scoring answer's "qualifizieren"; likewise "vorsortieren", "vorformuliert").
    /// </summary>
    private static string WithoutPriorPrefix(string word) =>
        word.Length >= 11 && word.StartsWith("vor", StringComparison.Ordinal) && (word.EndsWith("ieren", StringComparison.Ordinal) || word.EndsWith("iert", StringComparison.Ordinal))
            ? word[3..]
            : word;

    /// <summary>
    /// A final "e" after a consonant goes, so a stem whose ending took it meets the word that kept it: "avoid giving legal
    /// advice" missed the control answer's "gives no legal advice" ("giv" against "give"); likewise "pricing"/"price",
    /// "cases"/"case", and German "Termine"/"Termin". Not after a vowel: "fee", "free".
    /// </summary>
    private static string WithoutSilentE(string stem) =>
        stem.Length >= 4 && stem[^1] == 'e' && !char.IsDigit(stem[0]) && "aeiouy".IndexOf(stem[^2]) < 0 ? stem[..^1] : stem;

    private static string Inflected(string word)
    {
        if (word.Length <= 3 || char.IsDigit(word[0]))
        {
            return word;
        }

        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4)
        {
            return word[..^3] + "y";
        }

        // "bookings" met "booking" as "booking" against "book" ("can SalesFlow handle viewing bookings" missed the
        // calendar answer's "booking software").
        if (word.EndsWith("ings", StringComparison.Ordinal) && word.Length > 6)
        {
            return Undouble(word[..^4]);
        }

        if (word.EndsWith("ing", StringComparison.Ordinal) && word.Length > 5)
        {
            return Undouble(word[..^3]);
        }

        if (word.EndsWith("ed", StringComparison.Ordinal) && word.Length > 4)
        {
            return Undouble(word[..^2]);
        }

        if (word.EndsWith("es", StringComparison.Ordinal) && word.Length > 4 && word[^3] is 's' or 'x' or 'z' or 'h')
        {
            return word[..^2];
        }

        // German verbs in "-ieren": "integriert"/"integrieren", "qualifiziert"/"qualifizieren" (both "…ier").
        if (word.EndsWith("iert", StringComparison.Ordinal) && word.Length > 6)
        {
            return word[..^1];
        }

        // German third persons: "arbeitet"/"arbeiten" (with its "en" gone), "beantwortet"/"beantworten".
        if (word.EndsWith("et", StringComparison.Ordinal) && word.Length > 6)
        {
            return word[..^2];
        }

        // German plurals and inflections: "Kunden"/"Kunde", "Anfragen"/"Anfrage", "eigenen"/"eigene" (with the final "e" gone).
        // Not "screen"; short words ("often", "token") keep theirs.
        if (word.EndsWith("en", StringComparison.Ordinal) && word.Length > 5 && !word.EndsWith("een", StringComparison.Ordinal))
        {
            return word[..^2];
        }

        // Not German "-eis": "Preis" lost its "s" and missed "Preise" ("preis" once its final "e" goes).
        if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("eis", StringComparison.Ordinal))
        {
            return word[..^1];
        }

        return word;
    }

    private static string Undouble(string stem) =>
        stem.Length > 2 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z') ? stem[..^1] : stem;
}
