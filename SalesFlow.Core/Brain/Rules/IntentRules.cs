namespace SalesFlow.Core.Brain.Rules;

/// <summary>
/// Intent by priority: opt_out &gt; human &gt; purchase &gt; price objections &gt; meeting &gt; pricing &gt; objection
/// &gt; support &gt; explicit requests for information &gt; question &gt; interest &gt; proposed time slot &gt; greeting &gt; other.
/// "Too expensive"/"zu teuer" and "not interested"/"kein Interesse" are checked before meeting and pricing because
/// they contain pricing and interest words but are objections.
/// </summary>
internal static class IntentRules
{
    private static readonly PhraseRuleSet OptOut = new(
        "unsubscribe*", "opt out", "optout", "remove me", "take me off", "dont contact me", "do not contact",
        "dont text me", "dont message me", "dont email me", "no more text*|no more message*|no more email*|no more mails",
        "dont want any more|do not want any more", "stop & text*|messag*|contact*|email*|writing|sending|spam*",
        "leave me alone",
        "abmeld*", "austragen", "sie mich aus", "keine nachrichten mehr", "keine werbung", "keine newsletter",
        "keinen newsletter", "nicht mehr schreiben", "mir nicht mehr", "hören sie auf", "hör auf", "hört auf",
        "lösch* & nummer|daten|kontakt*", "stopp");

    private static readonly PhraseRuleSet Human = new(
        "human", "humans", "real person", "actual person", "real people", "live person", "live agent", "an agent",
        "representative", "someone from your", "talk to someone|speak to someone|speak with someone|talk with someone",
        "not a machine", "bot", "chatbot", "an ai", "person & speak*|talk*", "your manager", "your boss",
        "mensch", "menschen", "echte person|echten person|einer echten", "ansprechpartner", "chatbot",
        "mitarbeiter* & sprech*|red*|verbind*|weiterleit*", "kolleg* & sprech*|verbind*|weiterleit*",
        "ihrem chef|ihren chef|ihre chefin", "persönlich & sprech*|red*", "jemand* & sprech*|red*");

    private static readonly PhraseRuleSet Purchase = new(
        "ill take it", "well take it", "lets do it", "lets do this", "where do i sign", "where can i sign",
        "sign us up", "sign me up", "count me in", "count us in", "were in", "im in", "go ahead", "move forward",
        "ready to start", "buy", "purchase", "place an order|place the order|place my order", "like to order",
        "want to order", "how do i pay|how can i pay|where do i pay", "next step & get started|sign|start|buy",
        "send*|email & contract|invoice|agreement",
        "ich nehme es", "nehmen wir es", "wir nehmen es", "nehme ich", "machen wir so", "machen wir es",
        "unterschreib*", "kaufen", "kaufe", "bestellen", "bestelle", "wir sind dabei", "ich bin dabei",
        "legen wir los", "möchten starten|wollen starten|können starten",
        "buchen & paket|*paket|lizenz*|tarif|abo|plan", "book & plan|package|license*",
        "schick*|send* & vertrag|rechnung|auftragsbestätigung");

    private static readonly PhraseRuleSet PriceObjection = new(
        "too expensive", "too pricey", "too costly", "too much money", "lot of money", "cant afford",
        "cannot afford", "not interested", "no interest", "not for us", "dont have the budget", "dont have a budget",
        "no budget", "cheaper", "zu teuer", "ganz schön teuer", "ziemlich teuer", "recht teuer", "kein interesse",
        "nicht interessiert", "kein budget", "keine budget", "günstiger", "nicht leisten");

    private static readonly PhraseRuleSet Meeting = new(
        "call", "over the phone|by phone|on the phone|phone call|phone me", "demo", "meeting", "meet", "schedule", "book", "appointment", "zoom", "hop on",
        "calendar invite|invite", "per teams|via teams|on teams|teams call|teams meeting",
        "minutes|mins|min & set up|go through|chat|talk",
        "termin*", "rückruf", "zurückruf*", "ruf*|rufen & zurück", "anruf*", "anrufen", "telefon*", "gespräch",
        "treffen", "zusammensetzen", "einladung", "videocall", "minuten & sprechen|durchgehen|austauschen");

    private static readonly PhraseRuleSet Pricing = new(
        "price*", "pricing", "cost", "costs", "how much", "discount*", "budget", "fee", "fees", "quote",
        "per month", "per user", "per seat", "per year", "rates",
        "preis*", "*preis", "kostet", "kosten", "wie teuer", "teuer", "rabatt*", "*rabatt", "angebot", "gebühr*",
        "wie viel", "wieviel", "monatlich");

    private static readonly PhraseRuleSet Objection = new(
        "not sure", "unsure", "think about it", "think it over", "need to think", "competitor*", "no time",
        "dont have time", "busy", "happy with", "satisfied with", "already use", "already using", "already have",
        "already work with", "not a priority", "maybe next year", "maybe later", "next year", "not right now",
        "not now", "get back to you", "talk to my", "check with my", "discuss with my", "tried & before",
        "dont see a reason", "no reason to switch", "not convinced", "doesnt fit", "not the right time",
        "too complicated", "no need",
        "überleg*", "keine zeit", "nicht sicher", "abklär*", "konkurrenz", "nächstes jahr", "lieber nicht",
        "später", "zufrieden", "passt nicht", "kein bedarf", "brauchen wir nicht", "nicht überzeugt",
        "jetzigen|aktuellen|bisherigen & anbieter|lösung|tool");

    private static readonly PhraseRuleSet Support = new(
        "problem", "problems", "issue", "issues", "broken", "doesnt work", "does not work", "not working",
        "isnt working", "dont work", "didnt work", "wont work", "stopped working", "doesnt load", "wont load",
        "not loading", "error*", "crash*", "bug", "bugs", "cant log in", "cant login", "cant access", "locked",
        "charged twice", "double charged", "charged & without|twice|wrong", "refund*", "password", "reset",
        "hasnt arrived", "not arrived", "never arrived", "where is my order", "help with my", "wrong with",
        "went wrong", "wrong amount", "wrong item", "fix", "useless", "worst", "scam", "fraud", "complaint",
        "not received", "customer support", "support team",
        "funktioniert|funktionieren|geht|läuft & nicht|nichts", "fehler*", "*fehlermeldung", "problem*",
        "absturz", "stürzt", "abgestürzt", "abgebucht", "abbuchung", "passwort", "login", "einloggen", "hilfe",
        "konto", "lieferung", "nicht angekommen", "stimmt nicht", "kaputt", "reklamation", "betrug*", "störung",
        "abzocke");

    private static readonly PhraseRuleSet InformationRequest = new(
        "tell me more", "more info*", "more detail*", "some info*", "learn more", "know more", "interested",
        "erzählen sie mir mehr", "erzählen sie mehr", "erzähl mir mehr", "mehr erfahren", "mehr info*",
        "mehr detail*", "interessiert", "interessieren");

    private static readonly PhraseRuleSet Interest = new(
        "sounds good", "sounds great", "sounds interesting", "looking for", "need", "we need", "curious",
        "relevant", "useful", "searching for", "exactly what", "looks great", "looks good", "yes please",
        "klingt gut", "klingt super", "klingt spannend", "klingt interessant", "spannend", "interessant",
        "suchen", "brauchen", "ja gerne", "ja bitte");

    private static readonly PhraseRuleSet TimeSlot = new(
        "monday", "tuesday", "wednesday", "thursday", "friday", "tomorrow", "tmrw", "tonight",
        "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "uhr", "nächste woche");

    private static readonly PhraseRuleSet OutOfOffice = new(
        "vacation", "holiday", "out of office", "ooo", "urlaub", "abwesend", "nicht im büro");

    private static readonly PhraseRuleSet SmallTalk = new(
        "how are you", "how r u", "hows it going", "how is it going", "whats up", "wie gehts", "wie geht es",
        "alles gut");

    private static readonly PhraseRuleSet Greeting = new(
        "hi", "hello", "hey", "hiya", "heya", "howdy", "greetings", "good morning", "good afternoon",
        "good evening", "morning", "hallo", "hallihallo", "guten tag", "guten morgen", "guten abend", "moin",
        "servus", "grüß gott", "grüezi", "hi there");

    private static readonly HashSet<string> QuestionStarters = new(StringComparer.Ordinal)
    {
        "what", "whats", "how", "hows", "does", "do", "can", "could", "is", "are", "which", "where", "when", "why",
        "will", "would", "who", "wie", "was", "wo", "wann", "warum", "welche", "welcher", "welches", "gibt", "kann",
        "können", "könnten", "ist", "sind", "hat", "haben", "funktioniert", "unterstützt", "bietet", "bieten",
    };

    private static readonly PhraseRuleSet Wondering = new(
        "wondering", "i wonder", "like to know", "want to know", "würde gerne wissen", "möchte wissen", "frage mich");

    public static (Intent Intent, double Confidence) Classify(LeadText lead)
    {
        var tokens = lead.Tokens;
        if (tokens.Count == 0)
        {
            return (Intent.Other, 0.2);
        }

        // "STOP", "Stopp!!!", "stop pls": a leading stop word is an opt-out on SMS/WhatsApp.
        if (tokens[0] is "stop" or "stopp" or "unsubscribe" or "abmelden" || OptOut.IsMatch(tokens))
        {
            return (Intent.OptOut, 0.95);
        }

        if (Human.IsMatch(tokens))
        {
            return (Intent.Human, 0.9);
        }

        if (Purchase.IsMatch(tokens))
        {
            return (Intent.Purchase, 0.85);
        }

        if (PriceObjection.IsMatch(tokens))
        {
            return (Intent.Objection, 0.85);
        }

        if (Meeting.IsMatch(tokens))
        {
            return (Intent.Meeting, 0.85);
        }

        if (Pricing.IsMatch(tokens) || lead.HasCurrencySign)
        {
            return (Intent.Pricing, 0.85);
        }

        if (Objection.IsMatch(tokens))
        {
            return (Intent.Objection, 0.75);
        }

        if (Support.IsMatch(tokens))
        {
            return (Intent.Support, 0.8);
        }

        if (InformationRequest.IsMatch(tokens))
        {
            return (Intent.Interest, 0.8);
        }

        var smallTalk = tokens.Count <= 8 && SmallTalk.IsMatch(tokens);
        if (!smallTalk && (lead.QuestionMarks > 0 || QuestionStarters.Contains(tokens[0]) || Wondering.IsMatch(tokens)))
        {
            return (Intent.Question, lead.QuestionMarks > 0 ? 0.7 : 0.6);
        }

        if (Interest.IsMatch(tokens))
        {
            return (Intent.Interest, 0.7);
        }

        if (TimeSlot.IsMatch(tokens) && !OutOfOffice.IsMatch(tokens))
        {
            return (Intent.Meeting, 0.55);
        }

        if (smallTalk || Greeting.IsMatch(tokens))
        {
            return (Intent.Greeting, tokens.Count <= 4 ? 0.85 : 0.6);
        }

        return (Intent.Other, 0.3);
    }
}
