namespace SalesFlow.Core.Brain.Rules;

/// <summary>English/German detection from function words, common sales vocabulary and ä/ö/ü/ß.</summary>
internal static class LanguageDetector
{
    private static readonly HashSet<string> German = new(StringComparer.Ordinal)
    {
        // function words
        "der", "die", "das", "dem", "den", "des", "und", "oder", "aber", "ich", "du", "sie", "wir", "ihr", "ihnen",
        "ihre", "ihrem", "ihren", "ihrer", "mir", "mich", "uns", "unser", "unsere", "unserem", "mein", "meine",
        "meinem", "meiner", "dein", "ein", "eine", "einen", "einem", "einer", "nicht", "kein", "keine", "keinen",
        "ist", "bin", "bist", "sind", "seid", "hat", "habe", "haben", "hab", "wird", "wurde", "werden", "kann",
        "können", "könnten", "möchte", "möchten", "würde", "würden", "will", "wollen", "muss", "müsste", "mit", "für",
        "fürs", "von", "vom", "zu", "zum", "zur", "auf", "aus", "bei", "beim", "nach", "seit", "bis", "über", "auch",
        "noch", "schon", "nur", "doch", "mal", "jetzt", "dann", "wenn", "ob", "dass", "wie", "wo", "wann", "warum",
        "welche", "welcher", "welches", "gibt", "es", "im", "am", "ja", "nein", "nee", "sehr", "gerne", "gern", "bitte",
        "danke", "dank", "vielen", "leider", "heute", "morgen", "gestern", "diese", "dieser", "dieses", "etwas",
        "genau", "gar", "nichts", "mehr", "immer", "ganz", "lieber", "vielleicht", "wäre", "hätte", "geht", "gehts",
        "machen", "mach", "macht", "passt", "alles", "klar", "hier", "zusammen", "jemanden", "dafür", "darauf",
        "gerade", "ab", "wurde", "mich",
        // greetings and small talk
        "hallo", "moin", "servus", "tschüss", "guten", "tag", "abend", "grüß", "gott", "frohe", "weihnachten",
        "verstanden", "super", "toll", "klingt", "gut",
        // sales vocabulary
        "preis", "preise", "preisliste", "kostet", "kosten", "kostenlos", "rabatt", "angebot", "teuer", "günstiger",
        "termin", "rückruf", "gespräch", "telefonat", "telefonisch", "einladung", "abmelden", "austragen", "stopp",
        "nachrichten", "werbung", "nummer", "falsche", "interesse", "interessiert", "interessant", "erfahren",
        "erzählen", "infos", "lösung", "suchen", "brauchen", "mitarbeiter", "mensch", "menschen", "echten",
        "ansprechpartner", "vertrag", "rechnung", "bestellen", "kaufen", "unterschreiben", "fehler", "hilfe",
        "konto", "passwort", "lieferung", "urlaub", "überlegen", "budget", "anbieter", "zufrieden", "einrichtung",
        "um", "an", "ruf", "rufen", "gekauft", "kaufe", "nehme", "nehmen", "schicken", "senden", "melde", "melden",
        "euer", "eure", "euch", "unsere", "uns", "sich", "sowas", "etwas", "grad", "gerade", "bisschen", "na", "jo",
        "gude", "huhu", "tach", "mahlzeit", "tschüß", "ciao", "wiedersehen", "grüße", "gruß", "grüezi", "salü",
        "hoi", "zäme", "mitenand", "merci", "vielmal", "nöd", "isch", "goht", "gohts", "chönd", "griaß", "baba",
        "wos", "wia", "kost", "mia", "leit", "guat", "hob", "kummt", "ois", "pfiat",
        "habt", "hast", "wäre", "wären", "lässt", "muss", "soll", "sollen", "wollen", "dürfen", "kein", "keine",
        "frage", "kurze", "antwort", "nachricht", "mail", "mails", "bestellung", "zahlung", "abo", "vielen", "dank",
        "woche", "monat", "jahr", "uhr", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "später",
    };

    /// <summary>Words both languages use ("problem", "team", "demo"): no evidence either way.</summary>
    private static readonly HashSet<string> Shared = new(StringComparer.Ordinal)
    {
        "problem", "team", "demo", "app", "login", "update", "name", "info", "meeting", "chat", "bot", "chatbot",
        "support", "hi", "hey", "ok", "okay", "super", "top", "cool", "sorry", "so", "in", "online", 
    };

    private static readonly HashSet<string> English = new(StringComparer.Ordinal)
    {
        // function words
        "the", "a", "an", "and", "or", "but", "i", "you", "we", "our", "us", "my", "me", "your", "it", "its", "is",
        "are", "am", "be", "been", "was", "were", "this", "that", "these", "those", "of", "to", "for", "with", "on",
        "at", "from", "by", "about", "not", "no", "yes", "do", "does", "did", "dont", "doesnt", "didnt", "can",
        "cant", "could", "would", "should", "will", "wont", "have", "has", "had", "what", "whats", "how", "which",
        "where", "when", "why", "who", "there", "here", "any", "some", "more", "much", "many", "just", "please",
        "pls", "thanks", "thank", "than", "if", "up", "out", "off", "again", "yet", "im", "ill", "id", "ive", "lets",
        "thats", "were", "theyre", "youre", "isnt", "get", "got", "like", "want", "need", "know", "tell", "let",
        "send", "take", "into", "all", "too", "very", "really", "u", "r",
        // greetings and small talk
        "hi", "hello", "hey", "hiya", "morning", "afternoon", "evening", "good", "great", "cool", "ok", "okay",
        "lol", "happy", "year", "sorry", "wrong", "number", "noted",
        // sales vocabulary
        "price", "pricing", "cost", "discount", "call", "meeting", "schedule", "appointment", "interested",
        "unsubscribe", "opt", "human", "person", "agent", "contract", "invoice", "buy", "order", "sign", "problem",
        "error", "broken", "account", "password", "expensive", "budget", "sounds", "info",
    };

    /// <summary>Evidence a lead needs to have changed language: two words more for the other one (see <see cref="SwitchesFrom"/>).</summary>
    private const double SwitchMargin = 2;

    public static string Detect(LeadText lead)
    {
        var (de, en) = Evidence(lead);

        // Ties and messages without evidence (emoji, "ok", "STOP") default to English.
        return de > en ? "de" : "en";
    }

    /// <summary>
    /// Whether a lead who wrote in <paramref name="known"/> so far clearly writes in the other language now. "ok", "👍",
    /// "Top" or "Mia san a Tischlerei mit 4 Leit" (one word each way) is no such evidence: an Austrian lead was answered
    /// in English mid-conversation.
    /// </summary>
    public static bool SwitchesFrom(LeadText lead, string known)
    {
        var (de, en) = Evidence(lead);
        return known == "de" ? en - de >= SwitchMargin : de - en >= SwitchMargin;
    }

    private static (double De, double En) Evidence(LeadText lead)
    {
        double de = 0, en = 0;
        foreach (var token in lead.Tokens)
        {
            if (Shared.Contains(token))
            {
                continue;
            }

            var isGerman = German.Contains(token);
            var isEnglish = English.Contains(token);
            if (token.AsSpan().IndexOfAny("äöüß") >= 0)
            {
                de += 1.5;
            }
            else if (isGerman && !isEnglish)
            {
                de += 1;
            }
            else if (isEnglish && !isGerman)
            {
                en += 1;
            }
            else if (!isGerman && !isEnglish && token.Length > 5 && (token.EndsWith("ung", StringComparison.Ordinal)
                         || token.EndsWith("keit", StringComparison.Ordinal) || token.EndsWith("lich", StringComparison.Ordinal)))
            {
                de += 0.5;
            }
        }

        return (de, en);
    }
}
