using System.Text.RegularExpressions;

namespace SalesFlow.Core.Brain.Rules;

/// <summary>
/// Intent by weighted cues. Every intent has cue lists with a weight that says how reliable the cue is (an explicit
/// "unsubscribe" is 10, a bare "budget" is 5.5, a bare question form is 3); an intent's score is its strongest cue
/// plus a small bonus for every further cue, and the highest score wins (ties: opt_out &gt; human &gt; purchase &gt;
/// objection &gt; meeting &gt; pricing &gt; support &gt; interest &gt; question &gt; greeting &gt; other).
/// <para>On top of the keyword cues:</para>
/// <list type="bullet">
/// <item>Negation scope: an interest, purchase or meeting cue with a negator up to four words before it ("we don't
/// need", "no time for a call") — or, German-style, right after it ("brauchen wir nicht") — counts as an objection
/// instead, unless the message is a question ("Können wir nicht morgen telefonieren?").</item>
/// <item>Question form: a question mark, a leading question word or verb, or "quick question" makes a weak
/// <c>question</c> cue; a day or time in question form ("How about Friday?", "Passt Ihnen Donnerstag?") is a meeting
/// proposal.</item>
/// <item>Context cues that lower a score: a meeting word in a thank-you for a past meeting ("thanks for the demo
/// yesterday"), an opt-out phrase that describes the product ("werden keine Nachrichten mehr verschickt").</item>
/// </list>
/// Matching runs on <see cref="LeadText.Words"/> (folded, typo-tolerant, dialect and shorthand normalised), so "kostet",
/// "Kosten" and "koschtet" or "Grüezi" and "Gruezi" hit the same cue.
/// </summary>
internal static partial class IntentRules
{
    private sealed record Cues(Intent Intent, double Weight, PhraseRuleSet Rules);

    /// <summary>The sales or service people, named by their department.</summary>
    private const string Departments =
        "sales people|salespeople|salesperson|sales rep|sales reps|sales representative|sales team|sales department|sales guy|sales guys|sales =staff|customer service|customer care|kundendienst|kundenservice|vertrieb|vertriebler|verkaeufer|verkaeufern|verkaufsteam|vertriebsmitarbeiter*|vertriebsteam";

    /// <summary>
    /// A lead describing its own company and staff: "we are a dealership with 8 salespeople", "wir haben 12 Vertriebler".
    /// Read as a hand-over, such a message silenced the bot mid-qualification.
    /// </summary>
    private static readonly string OwnStaffCues = string.Join('|', new[]
    {
        "we are", "were a", "were an", "we have", "weve", "we employ", "team of", "wir sind", "sind wir", "wir haben",
        "haben wir", "team von", "beschaeftig*",
        // "can it qualify leads before passing them to my sales guys?" was handed to a colleague.
        MySalesStaff,
    }.Concat(
        from before in new[] { "with", "of", "have", "for", "mit", "von", "haben", "fuer" }
        from digit in "123456789"
        select $"{before} {digit}*"));

    private const string MySalesStaff =
        "my sales|my salespeople|my salesperson|my reps|my sales reps|my sales guys|my sales team|my customer service|mein vertrieb|meinem vertrieb|meine verkaeufer|meinen verkaeufern"
        + "|meine vertriebler|meinen vertrieblern|mein verkaufsteam|meinem verkaufsteam|mein vertriebsteam|meinem vertriebsteam";

    private static readonly PhraseRuleSet OwnStaff = new($"{Departments} & {OwnStaffCues}");

    /// <summary>Whether the lead talks about its own sales or service staff rather than asking for ours.</summary>
    public static bool DescribesOwnStaff(LeadText lead) => OwnStaff.IsMatch(lead.Words);

    /// <summary>
    /// Words of asking for or reaching someone, or of doubting a machine: without any of them a message is no hand-over
    /// request, however the model reads it ("we're a 15 person agency" read 0.97 human).
    /// </summary>
    private static readonly PhraseRuleSet ReachingSomeone = new(
        "talk*", "speak*", "chat with", "connect*", "transfer*", "call*", "phone*", "contact*", "reach*", "put me through",
        "get me", "want", "need", "would like", "id like", "can i", "could i", "human*", "real", "bot", "robot", "ai",
        "machine", "agent", "someone", "somebody", "anyone", "anybody", "sprech*", "=rede*", "reden", "verbind*", "anruf*",
        "ruf* & an", "zurueckruf*", "kontakt*", "erreich*", "weiterleit*", "durchstell*", "=moecht*", "will", "brauche*",
        "haett* & gern*", "kann ich", "koennte ich", "mensch*", "echt*", "ki", "roboter", "maschine", "jemand*");

    /// <summary>
    /// A question about the business itself — what it does, who uses it, how it solves the lead's problem: never off-topic
    /// and never a fault report for a sales assistant, though the model read "what do you guys actually do?" (0.48) and
    /// "Was macht ihr eigentlich genau?" (0.79) as other and "how does your thing fix that?" as a support case.
    /// </summary>
    private static readonly PhraseRuleSet AboutTheBusiness = new(
        "what do you & do|offer|sell", "what does it do", "what does it even do|what does it actually do|what does it really do|what does this even do", "what does & your & do", "what is this|whats this|what is it exactly|so what is it|what is it then|whats it then|so whats it|was ist es dann|was ist das dann|also was ist das",
        "what exactly is|what exactly do",
        // "hmm. so what CAN it do exactly" was cheered at ("Love that, thanks for your interest").
        "what can it do|what can this do|what can it actually do|what can this thing do|was kann es|was kann das|was kann das ding|was kann euer tool|was kann ihr tool",
        "who uses it|who uses this|who is it for|who is this for|who are your customers",
        "how does it work|how does this work|how does it actually work|how does this actually work|how would it work", "was macht ihr|was machen sie|was macht ihre|was macht eure",
        "was bietet ihr|was bieten sie|was ist das genau|was genau ist|was genau macht", "wer nutzt|wer verwendet|fuer wen ist",
        "wie funktioniert das|wie funktioniert es", "how does|how would|how can|how will & your|it|this|you & fix*|solve*|help*|handle*",
        "how would|how does|how will & that|it|this & work|look", "wie & wuerde|wird & das|es & funktionier*|aussehen|laufen",
        "wie & loest|loesen & ihr|sie|das|es", "wie & hilft & das|es|ihr|euer|ihre",
        // "Und was passiert mit unseren Daten, wenn wir kündigen?" was a support case (its "kündigen" cue).
        WhatHappensIfPhrase,
        // "Kannst du mir kurz erklären was ihr genau macht?" (a clause's word order) was thanked and asked what to improve.
        "was ihr genau macht|was ihr macht|was ihr so macht|was ihr anbietet|was sie genau machen|was sie anbieten|was genau ihr",
        // "ok schade. Und was bringt mir das dann genau?" was told the team would be asked.
        "was bringt mir das|was bringt uns das|was bringt mir das ding|was habe ich davon|was haben wir davon|whats in it for me|whats in it for us|what do i get out of it|what do we get out of it",
        "what|wat & you guys|u guys|yall|you all & do|offer|sell",
        // "was unterscheidet euch von chatgpt?" was read as a support case (0.54) and apologised to.
        DifferenceInEnglish, DifferenceInGerman);

    /// <summary>
    /// Who sees the lead's data: "Und wer hat Zugriff auf die Nachrichten?" (a care service asking about privacy) was
    /// apologised to as a fault (the model: support, 0.55).
    /// </summary>
    private static readonly PhraseRuleSet DataAccess = new(
        "who has access|who can access|who gets access|who can see|who sees|who can read|who reads",
        "wer hat zugriff|wer hat alles zugriff|wer bekommt zugriff|wer sieht|wer liest", "wer kann & sehen|lesen|einsehen|zugreifen");

    /// <summary>
    /// The lead asking what it would gain: "what's the main benefit?", "was bringt mir das?" (no passage names a benefit, and
    /// "we run 3 dental clinics, what's the main benefit?" was left to the team).
    /// </summary>
    private static readonly PhraseRuleSet Benefit = new(
        "main benefit|the benefit|the benefits|key benefit|key benefits|biggest benefit|the advantage|the advantages|main advantage|biggest advantage",
        "whats in it for|what would it do for|what will it do for|what does it do for|what do we gain|what do i gain|what do we get out of|what do i get out of",
        // "we hate missing leads, can it help?", "our customers are furious when nobody answers, can this fix it?" were left to the team.
        "can it help|could it help|can this help|could this help|would it help|would this help|will it help|can it fix|can this fix|could it fix|would it fix|can it solve|can this solve"
            + "|kann das helfen|kann es helfen|hilft das|hilft uns das|hilft es|loest das|loest es|wuerde das helfen",
        "welche vorteile|welchen vorteil|was ist der vorteil|was sind die vorteile|wo ist der vorteil|wo liegt der vorteil|wo liegen die vorteile|der groesste vorteil|hauptvorteil", "was bringt|was bringen & mir|uns|das|es|ihr|euer", "bringt das|bringt es|bringt mir das|bringt uns das & was|etwas|ueberhaupt|noch was|dann was", "was hab ich davon|wozu brauche|wozu brauchen");

    /// <summary>Whether the lead asks what it would gain (<see cref="Benefit"/>; the phrases <see cref="AboutTheBusiness"/> already lists, "was habe ich davon", are read there).</summary>
    public static bool AsksForTheBenefit(LeadText lead) => Benefit.IsMatch(lead.Words) && !AsksAboutPrice(lead);

    /// <summary>An overview asked for: "a short overview of what SalesFlow does", "einen kurzen Überblick, was das kann".</summary>
    private static readonly PhraseRuleSet Overview = new(
        "overview|rundown|run down|summary of what|intro to what|introduction to what|ueberblick|uebersicht & !pricing|prices|price|preise|preis|kosten|costs");

    /// <summary>Whether the lead asks for an overview of what the business does (<see cref="Overview"/>), not of its prices.</summary>
    public static bool AsksForAnOverview(LeadText lead) => Overview.IsMatch(lead.Words);

    /// <summary>
    /// A bot the lead had before: "honestly we tried a chatbot before and customers hated it" was thanked and asked for its
    /// biggest concern, which it had just named; what makes this one different answers it.
    /// </summary>
    private static readonly PhraseRuleSet BotBefore = new(
        "chatbot|chatbots|bot|bots|ki tool|ai tool|ki|ai & tried|had|used|hatten|probiert|ausprobiert|getestet|genutzt|before|vorher|frueher|damals|last year|letztes jahr",
        // "sounds like just another chatbot" (what makes this one different is the answer).
        "just another|yet another|only another|just a|nur ein|noch ein|noch so ein|schon wieder ein & chatbot|bot|ki tool|ai tool");

    /// <summary>
    /// Whether the lead tells of a bot it had before, or takes this for just another (<see cref="BotBefore"/>), not asking
    /// whether this is one.
    /// </summary>
    public static bool HadABotBefore(LeadText lead) => BotBefore.IsMatch(lead.Words) && !AsksIfBot(lead);

    /// <summary>The lead saying what it uses today: "we use a spreadsheet tbh", "wir arbeiten mit Excel".</summary>
    private static readonly PhraseRuleSet WhatItUses = new(
        "we use|we are using|were using|we just use|we currently use|we still use|currently using|we rely on|we work with|we are on|were on",
        "wir nutzen|wir verwenden|wir benutzen|wir arbeiten mit|nutzen wir|verwenden wir|arbeiten wir mit");

    private static readonly PhraseRuleSet WritesQuotes = new(
        "angebote|angebot|quotes|quote|offers|kostenvoranschlaege|kostenvoranschlag & schreiben|schreibt|erstellen|erstellt|verschicken|verschickt|write|writes|create|creates|draft|drafts|prepare|prepares"
            + " & !mir|me|us|uns|fuer mich|fuer uns|for me|for us|koennten sie|could you|can you|koennen sie");

    /// <summary>
    /// Whether the lead asks if the product writes its quotes ("Schade. Und Angebote schreiben?", "can it draft quotes?"):
    /// a question what it does, not about our price (it was given the price answer).
    /// </summary>
    public static bool AsksIfItWritesQuotes(LeadText lead) => lead.QuestionMarks > 0 && WritesQuotes.IsMatch(lead.Words);

    private static readonly PhraseRuleSet OwnPrices = new(
        "unsere preise|unsere preisliste|unsere tarife|unsere konditionen|meine preise|our prices|our pricing|our price list|our rates|my prices|my rates");

    /// <summary>
    /// Whether the lead tells of its own prices without asking ("Unsere Preise stehen alle auf mobile.de"): how its business
    /// works, not a question about ours (it was offered "the exact pricing for your setup").
    /// </summary>
    public static bool TellsOfItsOwnPrices(LeadText lead) => lead.QuestionMarks == 0 && OwnPrices.IsMatch(lead.Words) && !HasQuestionForm(lead);

    /// <summary>Whether the lead says what it uses today (<see cref="WhatItUses"/>).</summary>
    public static bool SaysWhatItUses(LeadText lead) => WhatItUses.IsMatch(lead.Words);

    private static readonly HashSet<string> JustHow = new(
        ["how", "how so", "like how", "how exactly", "how then", "and how", "but how", "ok how", "wie", "wie denn", "wie genau", "inwiefern", "und wie", "aber wie", "wie das", "ok wie"],
        StringComparer.Ordinal);

    /// <summary>
    /// A bare "how?" after an answer ("You can try it right away: … dotnet run or azd up" → "how"): it asks how to go about
    /// it. The model read "how" as a greeting (0.92) and the lead was welcomed.
    /// </summary>
    public static bool AsksJustHow(LeadText lead) => JustHow.Contains(string.Join(' ', lead.Words));

    /// <summary>Whether the lead asks who can see its data or its customers' messages (<see cref="DataAccess"/>).</summary>
    public static bool AsksWhoSeesTheData(LeadText lead) => DataAccess.IsMatch(lead.Words);

    // Only in a question's words: "better than", "anders als" are as often a statement ("unser altes Tool war besser als …").
    // "how do i know yours wont do the same" (after a bad chatbot) asks what makes it different; the model read a support case.
    private const string DifferenceInEnglish =
        "how do i know yours|how do i know it wont|how do we know yours|how do we know it wont|how is yours better|how is yours any better|whats different about yours|what makes yours better|why is yours better|"
        // "how do i know this wont be the same" (after "we tried a chatbot before and customers hated it") was handed over.
        + "how do i know this wont|how do we know this wont|how do i know you wont|how do we know you wont|what makes this different|how is that different|hows that different|"
        + "how are you different|how is it different|how is this different|hows it different|hows this different|what makes you different|what makes it different|how do you compare|how does it compare|"
        // "Ist das nicht dasselbe wie ChatGPT?" was told the team would check.
        + "isnt this the same as|isnt it the same as|isnt that the same as|is this the same as|is it the same as|same thing as|any different from|any different to";

    private const string DifferenceInGerman =
        "woher weiss ich dass ihr|woher weiss ich dass es|woher weiss ich dass das|woher wissen wir dass|was ist bei euch anders|was ist bei ihnen anders|warum ist eures besser|warum ist ihres besser|"
        + "was unterscheidet|worin unterscheidet|wie unterscheidet|was ist der unterschied|whats the difference|what is the difference|was macht euch anders|was macht sie anders|"
        + "dasselbe wie|das selbe wie|das gleiche wie|genau wie|nicht einfach wie";

    private static readonly PhraseRuleSet Difference = new(DifferenceInEnglish, DifferenceInGerman);

    /// <summary>Whether the lead asks how the product differs from others ("how are you different from tidio or intercom?").</summary>
    public static bool AsksHowItIsDifferent(LeadText lead) => Difference.IsMatch(lead.Words);

    /// <summary>Whether the message asks what the business does or who uses it (<see cref="AboutTheBusiness"/>).</summary>
    public static bool AsksAboutTheBusiness(LeadText lead) => AboutTheBusiness.IsMatch(lead.Words);

    private const string WhatHappensIfPhrase = "what happens|what would happen|was passiert|was geschieht & if|when|wenn|falls";

    private static readonly PhraseRuleSet WhatHappensIf = new(WhatHappensIfPhrase);

    /// <summary>Whether the lead asks about a case of its own customers (<see cref="CaseOfACustomer"/>).</summary>
    public static bool AsksAboutACustomersCase(LeadText lead) => lead.QuestionMarks > 0 && CaseOfACustomer.IsMatch(lead.Words);

    /// <summary>
    /// A case of the lead's own customers ("What if a patient wants to cancel their appointment?", "Und wenn ein Kunde den
    /// Termin verschieben will?"): a question what the product does then, not a meeting wish (it was offered demo times).
    /// </summary>
    private static readonly PhraseRuleSet CaseOfACustomer = new(
        "what if|and if|what happens if|what happens when|what about if|what about when|how about if|was wenn|was ist wenn|und wenn|was passiert wenn|was passiert falls|und falls"
            + " & someone|somebody|a patient|a customer|a client|a guest|a lead|a member|a student|a caller|a buyer|a tenant|people|customers|patients|clients|guests|they|jemand|ein kunde|eine kundin|ein patient|eine patientin|ein gast|kunden|patienten|gaeste|ein interessent");

    /// <summary>
    /// Whether the message asks what happens in a case ("what happens to our data if we stop using it?"): a question about
    /// the business, but not what it does (it was sent the "what SalesFlow does" answer).
    /// </summary>
    public static bool AsksWhatHappensIf(LeadText lead) => WhatHappensIf.IsMatch(lead.Words);

    /// <summary>Whether the message has any word of asking for, reaching or doubting someone (see <see cref="ReachingSomeone"/>).</summary>
    public static bool AsksForSomeone(LeadText lead) => ReachingSomeone.IsMatch(lead.Words);

    /// <summary>
    /// A lead describing a pain in its own work — leads lost track of, hours of copying, enquiries that go under: a need,
    /// the opening for a value proposition. The model read such statements as objections ("we lose track of leads in
    /// spreadsheets" 0.78), support cases ("our reps spend hours copying WhatsApp chats into the CRM" 0.89) or questions.
    /// </summary>
    private static readonly PhraseRuleSet Pain = new(
        "lose track|losing track|lost track|loose track & of & !time", "fall* through the cracks|slip* through the cracks|slipping through",
        "a mess|messy|=chaos|chaotic|chaotisch|durcheinander & lead*|enquiries|inquiries|pipeline|crm|spreadsheet*|process*|follow*|inbox|anfrage*|kunde*|vertrieb|prozess*|excel|tabelle*|postfach|orders|bookings|appointments|messages|chats|whatsapp|bestellung*|auftraege|buchung*|termine|nachrichten", "spend* hours|takes hours|take hours|takes forever",
        "too much time|so much time & spend*|takes|take|cost*|lose|losing|wast*", "wasting time|time consuming",
        "manually|by hand & enter*|copy*|typ*|track*|updat*|transfer*|everything", "copy paste|copy and paste",
        "cant keep up|cannot keep up|overwhelm*|drowning in", "miss* & leads|enquiries|inquiries|opportunities|deals",
        // "I'm not happy with how slow we reply to leads, can this help?" was met as an objection to switching.
        "slow|slowly|too slow|too long & we reply|we respond|we answer|we get back|our replies|our response|our responses|to reply|to respond|to answer|to get back & !you|your|yours",
        // "mostly they come by email and we miss some" was thanked and asked what brings the lead.
        "we miss|we are missing|were missing|we keep missing & some|a few|a lot|many|lots|half|most|them|quite a few",
        // "we get a ton of calls and texts after hours and miss most of em" was thanked for the insight.
        "miss most|miss half|miss a lot|miss lots|miss many|missing most|missing half|missing a lot & of|calls|texts|messages|leads|enquiries|them|em",
        // "Die meisten wollen einen Besichtigungstermin, aber viele sind gar nicht ernsthaft interessiert" was told "Das freut mich".
        "nicht ernsthaft|nicht ernst gemeint|time wasters|timewasters|time wasting|tyre kickers|tire kickers|not serious|arent serious|never show up|dont show up|dont turn up|never turn up|no shows|noshows",
        // "honestly we miss a ton of calls when we're out on jobs" was thanked and asked whether a demo would help.
        "miss a ton|miss tons|miss loads|miss so many|miss heaps|missing a ton|missing tons|missing loads|missing so many",
        "we miss|we are missing|were missing|we keep missing|we missed & calls|texts|messages|bookings|jobs|customers|clients",
        "forget* to follow|forgot to follow|nobody follows up|no one follows up|never follow up",
        // "I have a problem: too many leads and not enough staff" and "Issue is nobody answers after 6pm" were support cases.
        "too many leads|too many enquiries|too many inquiries|too many messages|not enough staff|not enough people|understaffed|short staffed|zu viele anfragen|zu wenig personal|zu wenig leute",
        // Not at us: "I wrote to you twice and nobody answers" is a complaint.
        "nobody answers|no one answers|noone answers|nobody picks up|no one picks up|nobody replies|no one replies|niemand antwortet|keiner antwortet|keiner geht ran|niemand geht ran|niemand geht dran|keiner geht dran"
            + " & !you|your|yours|ihnen|euch|ihr|eure|euer|bei ihnen|bei euch",
        // "we had a human answering before but she quit" was a support case handed to a colleague.
        "she quit|he quit|they quit|she left|he left|quit on us|left us|resigned|ist weg|hat gekuendigt|haben gekuendigt|aufgehoert & before|receptionist|assistant|human|person|someone|somebody|answering|answered|frontdesk|front desk|empfang|rezeption|sekretaerin|assistentin|mitarbeiterin|mitarbeiter",
        "forget to reply|forget to respond|forget to answer|forgot to reply|forgot to respond|forgot to answer",
        // "we lose jobs because we take too long to reply to quote requests" was met as an objection.
        "lose|losing|lost|verlier*|verloren & jobs|customers|clients|deals|sales|business|orders|work|auftraege|kunden|geschaeft|umsatz & because|when|since|cuz|cause|coz|bc|weil|wenn|da",
        // "we got like 200 leads a month from google ads and half never hear back" was a support case handed to a colleague.
        "never hear back|dont hear back|do not hear back|never get a reply|never get an answer|never get a response|never get called back|nie eine antwort|keine antwort bekommen|nie zurueckgerufen"
            + " & half|most|many|a lot|lots|some|leads|enquiries|inquiries|customers|people|haelfte|viele|die meisten|leads|anfragen|kunden",
        // "we get like 50 leads a week … half of them we never get back to" was thanked for the picture.
        "never get back to|dont get back to|cant get back to|dont always get back to|never respond to|never reply to|never answer|dont respond to|dont reply to|never call back|dont call back"
            + " & half|most|many|a lot|lots|some|them|em|leads|enquiries|inquiries|customers|people|messages|calls",
        // "we text our leads but half never reply": the lead's own leads going quiet.
        "never reply|never respond|never write back|never text back|dont reply|dont respond|antworten nie|melden sich nie|nie zurueck"
            + " & half|most|many|a lot|lots|haelfte|viele|die meisten & leads|our|we|wir|unsere|interessenten|kunden",
        // "bin fitnesstrainer und hab keinen bock mehr auf die ganzen whatsapps" was a support case handed to a colleague.
        "keinen bock mehr|kein bock mehr|keine lust mehr|die nase voll|nervt mich|nerven mich|genervt von|sick of|tired of|fed up with|so done with|drives me crazy|driving me crazy|drive me crazy"
            + " & whatsapp*|nachrichten|anfragen|mails|emails|messages|texts|dms|calls|anrufe*|telefon*|admin|papierkram|paperwork|questions|fragen|answering|beantworten|antworten|replying|follow*|nachfass*"
            + " & !your|you guys|ihr system|euer|eure|ihre app|ihrem",
        // "honestly we lose a ton of leads cuz we're out detailing and can't text back" was met as an objection.
        "we lose|we are losing|were losing|we lost|we keep losing|losing a lot of|losing lots of|losing so many & leads|enquiries|inquiries|prospects",
        "take too long|takes too long|took too long|too long to|too slow to|reply too late|respond too late|answer too late|zu lange|zu langsam|zu spaet & reply|respond|answer|get back|antwort*|reagier*|melden",
        "biggest issue|biggest problem|main issue|main problem|our problem is|our issue is|biggest headache & we|us|our|were",
        // Unanswered messages are the lead's own pain only when its own team leaves them ("I wrote twice and nobody
        // answers" is a complaint about the business).
        "nobody answers|no one answers|nobody replies|no one replies|nobody responds|no one responds|go unanswered|goes unanswered|slow to respond|slow to reply|nobody picks up|no one picks up|miss calls|missed calls|missing calls & we|us|our|were",
        "cant answer|cannot answer|cant reply|cant respond|cant pick up|cant get back|cant text back|cant call back|cant write back & we|us|our|were|my guys|my team|my staff|my people|my reps|my techs|my crew|lads|the guys|the boys|the team|the crew|the staff|the techs",
        // "we get loads of enquiries … but nobody has time to answer them" was shown the channels.
        "nobody has time|no one has time|nobody has the time|no one has the time|no time to|dont have time to|dont have the time to|never have time to|havent got time to|keine zeit & answer*|repl*|respond*|get back|text back|call back|antwort*|beantwort*|zurueck*|melden & !your|you guys|ihre|ihren|deine|eure",
        "doesnt do|does not do|dont do|cant do|cannot do & well|properly|good|great|reliably", "groesste problem|groesstes problem|hauptproblem|unser problem ist", "problem & dass|that & wir|uns|unser*|we|us|our",
        "erst am naechsten tag|erst am naechsten morgen|next day|next morning|till morning|until morning & antwort*|beantwort*|answer*|repl*|respon*", "schaff* & nicht & alle|anfragen|beantwort*|antwort*|nachricht*",
        "niemand antwortet|keiner antwortet|unbeantwortet & wir|uns|unser*",
        // "Wir bekommen über Immoscout viele Anfragen, die keiner rechtzeitig beantwortet" was greeted and asked what brings it.
        // (Only with what the lead receives: "niemand hat unsere Anfrage beantwortet" is a complaint about the business.)
        "bekommen|erhalten|kriegen|viele & keiner|niemand & rechtzeitig|schnell genug|beantwortet|beantworten",
        "verlier* & ueberblick|leads|anfragen|kunden|interessenten", "keinen ueberblick|ueberblick fehlt",
        "geh* & unter & anfrage*|lead*|nachricht*|mails|kunde*|interessent*",
        "stunden & kopier*|abtipp*|verbring*", "zu viel zeit & kostet|kosten|verlier*|verbring*|geht", "zeitaufw*",
        // "Viele Mandanten fragen per WhatsApp nach Terminen und Unterlagen, das frisst viel Zeit" was offered demo times.
        "frisst|fressen|raubt|rauben|eats up|eat up|eating up & zeit|time|hours|stunden",
        "manuell|per hand|von hand|haendisch & eintrag*|eingeb*|kopier*|uebertrag*|pfleg*|alles", "abtipp*",
        "nicht hinterher|kaum hinterher|nicht mehr hinterher|ueberfordert|ueberlastet", "kaum nach|nicht nach|nicht mehr nach & komm*", "verpass* & anfragen|leads|kunden|chancen|auftraege",
        "keiner da|niemand da|keiner erreichbar|niemand erreichbar|nicht erreichbar|nobody there|no one there|nobody around|no one around|nobody available|no one available|nobody is around|no one is around|nobody is there|no one is there|nobody is available|no one is available|nobody in the office|no one in the office & abends|wochenende*|nachts|feierabend|evening*|weekend*|night*|after hours",
        // "we currently use intercom but its expensive and the bot is dumb" was told "Fair question": the lead's current
        // tool falling short is its pain.
        "we use|we are using|were using|currently use|currently using|wir nutzen|wir verwenden|nutzen aktuell|nutzen derzeit & but|aber|though|however & expensive|pricey|dumb|stupid|useless|clunky|slow|annoying|sucks|limited|bad|terrible|teuer|dumm|umstaendlich|langsam|nervig|nervt|schlecht|begrenzt|veraltet|outdated",
        // "we tried chatbots before … they were robotic and couldnt answer anything real" was apologised to as a fault of ours:
        // a tool the lead had before falling short is its pain.
        "they were|it was|they felt|it felt|they sounded|it sounded|sie waren|es war|die waren|der war & robotic|roboterhaft|useless|dumb|stupid|clunky|generic|nutzlos|dumm|generisch|unbrauchbar|rubbish|crap|awful|terrible|garbage|a disaster|mist|schrott|eine katastrophe",
        // "we tried a chatbot last year n it was rubbish, customers hated it", "it just gave canned answers and couldnt book
        // anything" (that chatbot, in the past tense) were met as an objection and a fault of ours.
        "customers hated|clients hated|people hated|patients hated|kunden hassten|kunden fanden & es|ihn|den & schrecklich|furchtbar",
        "canned answers|canned responses|canned replies|generic answers|same answers|standardantworten|immer dieselben antworten",
        "couldnt|could not|konnte nicht|konnte nichts|konnte keine & book|answer|understand|handle|buchen|beantworten|verstehen",
        "bleib* liegen|liegen bleiben|liegenbleiben", "vergess* & nachzufassen|nachfassen|zurueckzurufen|zu antworten|zurueckzuschreiben|zu reagieren", "zu langsam & antwort*|reagier*");

    /// <summary>A fault in the product itself: a support case, not a pain to sell against.</summary>
    private static readonly PhraseRuleSet ProductFault = new(
        "doesnt work|does not work|not working|isnt working|stopped working|broken|=error*|bug|bugs|crash*",
        "dont arrive|do not arrive|not arriving|arent arriving|stopped arriving|kommen nicht an|kommt nicht an",
        "cant log*|cannot log*|login|log in|password|invoice|refund|charged",
        "funktioniert nicht|geht nicht|kaputt|fehler*|absturz|stuerzt|einloggen|passwort|rechnung|erstattung|abgebucht",
        // Naming the product is no fault by itself: "could you tell me whether your system supports appointment booking"
        // (an operations director introducing its clinics) was taken for a support case.
        "your app|your software|your system|ihre app|ihre software|ihr system|eure app|euer system"
            + " & not|doesnt|dont|didnt|cant|wont|isnt|stopped|broke|broken|down|slow|issue|issues|problem|problems|wrong|nicht|kein*|problem*|langsam|falsch");

    /// <summary>
    /// A lead introducing itself or its business ("I'm the ops manager at a 40-person logistics company", "Wir sind ein
    /// Sanitärbetrieb mit 6 Leuten"): a first word about who writes, not a support case (the model read one as support).
    /// </summary>
    private static readonly PhraseRuleSet SelfIntroduction = new(
        "im the|i am the|im a|i am a|im an|i am an|i run|we run|we are a|were a|we are an|were an|i own|we own|i work at|i work for|i manage|im head of|i head" + NotACustomer,
        // "we get like 50 whatsapp msgs a day asking about shipping" (the lead's own customers' messages) was apologised to.
        "we get|we receive|we have|we handle|wir bekommen|wir kriegen|wir erhalten|wir haben & messages|msgs|enquiries|inquiries|requests|questions|emails|calls|leads|chats|nachrichten|anfragen|fragen|mails|anrufe" + NotACustomer,
        // One rule each: written as one, its "&" demanded all of them at once, and "Wir sind eine Sprachschule" matched none.
        "wir sind ein*" + NotACustomer,
        // "Moin, wir sind n Barbershop in Hamburg, 3 Stühle" (spoken "n", "ne") was welcomed and asked what brings it.
        "wir sind n|wir sind ne|wir sind nen|wir sind so n|wir sind so ne|ich bin n|ich hab n|ich hab ne|wir haben n|wir haben ne" + NotACustomer,
        "ich bin & bei" + NotACustomer,
        "ich bin & inhaber*|geschaeftsfuehrer*|gruender*|leiter*" + NotACustomer,
        "ich leite|ich fuehre|wir betreiben|ich betreibe" + NotACustomer,
        // "I have a dental clinic in Valencia, many tourists write us on whatsapp" was apologised to as a support case.
        "i have a|i have an|we have a|we have an|ich habe ein|ich habe eine|ich habe einen|ich hab ein|ich hab eine|ich hab einen|wir haben ein|wir haben eine|wir haben einen"
            + " & clinic|practice|salon|shop|store|restaurant|cafe|studio|gym|agency|company|business|firm|office|bakery|garage|dealership|hotel|spa|school|praxis|kanzlei|laden|geschaeft|firma|betrieb|agentur|werkstatt|autohaus|schule|klinik|*praxis|*studio|*salon|*laden|*betrieb|*agentur|*werkstatt"
            + NotACustomer);

    /// <summary>"I'm a customer and since yesterday our messages don't arrive" introduces a support case.</summary>
    // An existing customer of ours, not a business introducing itself: "im a customer", "my account". Its own customers
    // are its business ("we run a small candle shop, most of our customer messages come via instagram" was a support case).
    private const string NotACustomer = " & !im a customer|i am a customer|im an existing|i am an existing|existing customer|your customer|a customer of|as a customer|a client of|your client|im a user|i am a user|your user|subscriber|my account|our account|your account"
        + "|bestandskunde|ich bin kunde|ich bin kundin|bin bei ihnen|bin bei euch|kunde bei ihnen|kunde bei euch|ihr kunde|euer kunde|nutzer ihrer|nutzer eurer|mein konto|unser konto|mein account";

    /// <summary>
    /// A volume of the lead's own traffic ("ca. 2000 Anfragen pro Monat", "50 whatsapp msgs a day"): how big its business
    /// is, not a price question (its "pro Monat" read as one and got the pricing opener).
    /// </summary>
    [GeneratedRegex(@"\d[\d.,]*\s*(?:\+\s*)?(?:inbound\s+|new\s+|whatsapp\s+|e-?mail\s+)?(?:anfragen|nachrichten|leads|requests|enquiries|inquiries|messages|msgs|chats|mails|e-mails|emails|anrufe|calls|bestellungen|orders|buchungen|bookings)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TrafficVolume();

    private static readonly PhraseRuleSet PriceWords = new("=price*|pricing|cost|costs|how much|preis*|kostet|kosten|teuer|budget|=quote|angebot|tarif*|lizenz*|licence|license");

    /// <summary>
    /// Whether a question names a price ("got about £200 a month budget for something like this, would that cover it?"):
    /// when the knowledge finds nothing for its words, it asks what it costs (it got the pricing opener alone).
    /// </summary>
    public static bool AsksAboutPrice(LeadText lead) =>
        lead.QuestionMarks > 0 && PriceWords.IsMatch(lead.Words) && !AsksIfItWritesQuotes(lead) && !AsksWhereItsFactsComeFrom(lead) && !AsksTheCostOfCustomWork(lead);

    /// <summary>Whether the lead states a volume of its own traffic (<see cref="TrafficVolume"/>) and asks nothing about price.</summary>
    public static bool StatesTrafficVolume(LeadText lead, string text) => TrafficVolume().IsMatch(text) && !PriceWords.IsMatch(lead.Words);

    /// <summary>Whether the lead introduces itself or its business (<see cref="SelfIntroduction"/>) and names no fault in the product.</summary>
    public static bool IntroducesItself(LeadText lead) => (SelfIntroduction.IsMatch(lead.Words) || IntroducedByName().IsMatch(lead.Original)) && !ReportsAFault(lead);

    /// <summary>
    /// "hi this is dave from dave's plumbing in oakland", "Hier ist Jana von der Kanzlei Roth": a name and where it works
    /// (it was asked what brought it, as if it had said nothing about itself); "ich bin Lena von einer Tanzschule in Köln"
    /// with a capital name (it was told its question would go to the team). Only "from"/"von": "it's busy at the moment"
    /// and "this is fine with me" name no one, nor does "ich bin begeistert von Ihrem Angebot".
    /// </summary>
    [GeneratedRegex(@"\b(?:this\s+is|it'?s|hier\s+ist|hier\s+spricht|hier\s+schreibt)\s+(?!(?:great|good|nice|cool|awesome|interesting|exactly|what|not|the|a|an|just|really|so|very|about|coming|all|only|mostly|also|still|more|less|different|far|away|apart|free|safe|made|sent|written|copied|taken|based|weird|strange|gut|toll|super|nicht|so|ja|nur|auch|weit|anders)\b)\p{L}[\p{L}'-]*(?:\s+\p{L}[\p{L}'-]*)?\s+(?:from|von|vom)\s+\S|\b(?:ich\s+bin|i'?m|i\s+am)\s+(?!(?-i:Kunde|Kundin|Customer|Client)\b)(?-i:\p{Lu})\p{L}[\p{L}'-]*(?:\s+(?-i:\p{Lu})\p{L}[\p{L}'-]*)?\s+(?:from|von|vom)\s+\S", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IntroducedByName();

    /// <summary>
    /// "i'm not techy at all tho", "wir haben keine IT", "klingt kompliziert für mich": a worry about the skills it takes,
    /// which the knowledge answers as the question whether a developer is needed (TurnKnowledge).
    /// </summary>
    public static bool SaysItIsNotTechnical(LeadText lead) => NotTechnical.IsMatch(lead.Words);

    /// <summary>
    /// "nah thats too much hassle for us rn", "klingt nach viel Aufwand": a worry about the effort, which the knowledge
    /// answers as the question how much effort the set-up is (TurnKnowledge); it was told "budget matters".
    /// </summary>
    public static bool WorriesAboutTheEffort(LeadText lead) => TooMuchEffort.IsMatch(lead.Words);

    /// <summary>The effort named as a reason not to go on: an objection (the intent table) and a worry the set-up FAQ answers.</summary>
    private const string EffortObjection =
        "too much hassle|too much effort|too much work|too much of a hassle|zu viel aufwand|klingt nach viel aufwand|ganz schoen viel aufwand|ziemlich viel aufwand|zu aufwendig|zu aufwaendig|klingt aufwendig|klingt aufwaendig|zu umstaendlich";

    /// <summary>The effort objection and milder words for it ("Wie viel Aufwand ist das?" is only searched, never an objection).</summary>
    private static readonly PhraseRuleSet TooMuchEffort = new(
        EffortObjection,
        "too much trouble|a lot of hassle|lot of work to set up|sounds like a lot of work|sounds like work|seems like a lot of work",
        "viel aufwand|nach aufwand|nach viel arbeit|zu viel arbeit");

    private static readonly PhraseRuleSet NotTechnical = new(
        "not techy|not technical|isnt technical|arent technical|non technical|nontechnical|not tech savvy|not very techy|not very technical|not a tech person|not a techie|not good with tech|not good with computers|not great with tech|not great with computers|no tech skills|no technical skills|no technical background",
        "no it department|no it person|no it team|no developers|no developer|no programmer|no programmers|dont have a developer|dont have developers|dont have an it|dont have any developers|no coding|cant code|cannot code|dont code",
        "sounds complicated|seems complicated|looks complicated|sounds too technical|sounds technical|klingt kompliziert|klingt ziemlich kompliziert|klingt sehr kompliziert|wirkt kompliziert|zu kompliziert fuer mich|kompliziert fuer mich|kompliziert fuer uns|klingt technisch",
        // "Und wer richtet das ein? Ich hab keine Ahnung von Azure".
        "keine ahnung von azure|keine ahnung von it|keine ahnung von computern|kenne mich mit azure nicht aus|kenn mich mit azure nicht aus|no idea about azure|dont know azure|never used azure|no clue about azure|dont know anything about azure",
        // "Hm, Azure sagt mir gar nix. Ist das kompliziert?" was told the team would check.
        "azure sagt mir nichts|azure sagt mir nix|azure sagt mir gar nichts|azure sagt mir gar nix|never heard of azure|whats azure|what is azure|was ist azure",
        "ist das kompliziert|ist es kompliziert|ist das schwierig|ist das schwer|is it complicated|is that complicated|is this complicated|is it difficult to use|is it hard to use",
        "keine ahnung von technik|nicht technisch|technisch nicht so|technisch nicht fit|kein techniker|keine techniker|keine it|keinen entwickler|keine entwickler|keinen programmierer|keine programmierer|nicht programmieren|kann nicht programmieren|koennen nicht programmieren");

    /// <summary>Whether the lead describes a pain in its own work (<see cref="Pain"/>) rather than a fault in the product.</summary>
    public static bool DescribesPain(LeadText lead) => Pain.IsMatch(lead.Words) && !ReportsAFault(lead);

    /// <summary>Whether the message names a fault in the product (<see cref="ProductFault"/>).</summary>
    public static bool ReportsAFault(LeadText lead) => ProductFault.IsMatch(lead.Words);

    /// <summary>
    /// A lead putting the decision off — to talk it over with its team or boss, to think about it: a stall, however
    /// warmly put. The model read "Sounds good but I need to discuss it with my team first" as interest (1.00), and the
    /// lead was cheered at and asked what would make the biggest difference.
    /// </summary>
    private static readonly PhraseRuleSet Deferral = new(
        "discuss & internally|team|boss|manager|partner*|colleagues|cofounder", "discuss it first|discuss this first", "run it by|run this by",
        "check with|talk to|speak to|speak with|talk with & my|our & team|boss|manager|partner*|colleagues|cofounder|wife|husband",
        "think about it|think it over|sleep on it|mull it over",
        // "ich muss das mit meinem Geschäftspartner besprechen" was cheered at (its partner inside a compound).
        "besprech*|abstimm*|abklaer*|klaer* & intern|team|chef*|kolleg*|*partner*|geschaeftsfuehr*",
        "intern & besprech*|abstimm*|klaer*|entscheid*", "drueber schlafen|darueber schlafen", "ueberleg* & noch|erst|mal|kurz",
        // "klingt interessant, aber ich muss erst mit meinem Chef sprechen" was cheered at and asked for the team size.
        "sprechen|reden|absprechen|rede|spreche & chef*|chefin|geschaeftsfuehr*|*partner*|team|kolleg*|vorgesetzt*|inhaber* & erst|noch|zuerst|vorher|muss|muessen",
        // "Ok cool, ich schau mir das mal an und melde mich" was read as an order (the "an" of "anschauen").
        "schau mir das|schaue mir das|schauen uns das|seh mir das|sehe mir das|sehen uns das|guck mir das|gucke mir das & an & melde*|melden|erst|in ruhe",
        "ill have a look|i will have a look|ill take a look|i will take a look|let me have a look|let me look into it|ill look into it & get back|let you know|be in touch|come back|reach out",
        // "Okay, klingt spannend. Ich überleg's mir." was cheered at.
        "ueberlege es|ueberleg es|ueberlegen es|ueberlege mir|ueberlegen uns|ueberlege ich mir|ueberlegen wir uns");

    /// <summary>Whether the lead puts the decision off (<see cref="Deferral"/>).</summary>
    public static bool DefersDecision(LeadText lead) => Deferral.IsMatch(lead.Words);

    /// <summary>
    /// A request to be sent material to read or a proposal: "Können Sie mir Unterlagen per Mail schicken?" and "Could you
    /// send a proposal before then?" were told a colleague would be asked for "an accurate answer".
    /// </summary>
    private static readonly PhraseRuleSet MaterialsRequest = new(
        "send|email|mail|forward & me|us & info|infos|information|details|brochure|material*|documents|docs|deck|case stud*|one pager|pdf|overview|proposal|quote",
        // "Habt ihr Referenzen aus der Autobranche?" was thanked "for the info".
        "do you have|have you got|got any|any|can you share|could you share|habt ihr|haben sie|gibt es|koennen sie & references|reference customers|case stud*|testimonials|success stories|customer stories|referenzen|referenzkunden|kundenbeispiele|erfahrungsberichte|fallstudie*",
        // "Can you send me something I can forward to him?" was cheered at and asked for the main challenge.
        "send|email|mail & me|us & something|anything|stuff", "something|anything & to forward|i can forward|to share|i can share|to show",
        "etwas|etwas zum & schick*|zuschick*|send*|weiterleit*|weitergeben",
        // "can it send them a quote automatically?" asks what the product does for the lead's customers.
        "send|prepare & a proposal|a quote|an offer & !can it|could it|does it|will it|would it|automatically|them|customers|clients", "send|put & something|it|that|this|everything|details & in writing", "schriftlich & schick*|send*|geben|bekommen|zukommen|haben",
        "schick*|send*|zusend*|mail*|zukommen|uebermittel* & unterlagen|infos|informationen|infomaterial|broschuere|prospekt|material*|datenblatt|referenzen|praesentation|pdf|uebersicht|details|angebot");

    /// <summary>Whether the lead asks to be sent material to read (<see cref="MaterialsRequest"/>).</summary>
    public static bool AsksForMaterials(LeadText lead) => MaterialsRequest.IsMatch(lead.Words);

    /// <summary>
    /// A lead asking who is writing or where its number comes from ("hey who is this? how did you get my number",
    /// "Woher haben Sie meine Nummer?"): a question to answer truthfully, with the way out offered. It used to be read
    /// as an opt-out, and the lead, who had asked a question, never heard from us again. "…Remove it now" still opts out.
    /// </summary>
    private static readonly PhraseRuleSet WhoWeAreQuestion = new(
        "who is this|who are you|who is writing|who is texting|who is messaging|whos this|who dis",
        "wer ist da|wer ist das|wer sind sie|wer seid ihr|wer bist du|wer schreibt",
        // "Hallo, Sie hatten mir geschrieben?" was glad the lead wrote and asked what it wanted to improve.
        "you wrote to me|you wrote me|you texted me|you messaged me|you emailed me|you contacted me|did you text me|did you write to me|did you message me|did you email me"
            + "|message from this number|text from this number|messages from this number|texts from this number",
        "sie hatten mir geschrieben|sie haben mir geschrieben|hatten sie mir geschrieben|haben sie mir geschrieben|ihr habt mir geschrieben|habt ihr mir geschrieben"
            + "|du hast mir geschrieben|hast du mir geschrieben|nachricht von dieser nummer|sms von dieser nummer|nachrichten von dieser nummer",
        HowWeGotItInEnglish, HowWeGotItInGerman);

    private const string HowWeGotItInEnglish = "how|where & did you|do you & get|got|find|have & my number|my contact*|my details|my data|my email|my address";

    private const string HowWeGotItInGerman = "woher & haben sie|habt ihr|hast du|kennen sie|kennt ihr & meine nummer|meine daten|meinen kontakt|meine kontaktdaten|meine mail*|meine adresse";

    private static readonly PhraseRuleSet HowWeGotItQuestion = new(HowWeGotItInEnglish, HowWeGotItInGerman);

    /// <summary>
    /// The lead asking to be told once the product does what it lacks: "maybe, if you add it later let me know" (after "a
    /// dealbreaker") was asked what it would need to feel confident.
    /// </summary>
    private static readonly PhraseRuleSet ToldOnceItCan = new(
        "let me know|keep me posted|keep me updated|keep me in the loop|ping me|get back to me|reach out|tell me|give me a shout|hit me up"
            + " & if|when|once|whenever & add|adds|added|support|supports|launch|integrate|integrates|connect|connects|release|build" + NoOfferOfOurs,
        "bescheid|melden sie sich|meldet euch|meld dich|melden|auf dem laufenden"
            + " & wenn|falls|sobald & gibt|unterstuetzt|unterstuetzen|anbindet|anbinden|integriert|integrieren|verfuegbar" + NoOfferOfOurs);

    // "let me know when you have a slot", "Bescheid, wenn es einen freien Termin gibt": a wish for what we offer now.
    private const string NoOfferOfOurs = " & !slot|slots|time|times|call|demo|meeting|quote|price|pricing|offer|termin*|zeit|angebot|preis*|gespraech";

    /// <summary>Whether the lead asks to be told once the product can do what it lacks (<see cref="ToldOnceItCan"/>).</summary>
    public static bool AsksToBeToldOnceItCan(LeadText lead) => ToldOnceItCan.IsMatch(lead.Words);

    /// <summary>Whether the lead asks how we got its number or address ("how did you get my number", "Woher haben Sie meine Nummer?").</summary>
    public static bool AsksHowWeGotTheContact(LeadText lead) => HowWeGotItQuestion.IsMatch(lead.Words);

    /// <summary>"hi is this the right number for salesflow", "Bin ich hier richtig bei …?", "are you the guys with the …?": a check that it reached the business.</summary>
    private static readonly PhraseRuleSet RightPlaceQuestion = new(
        "is this|is that|am i|have i reached|did i reach|this is|is it & right number|right place|correct number|right company|right contact|right account|right chat",
        "bin ich hier richtig|bin ich richtig|richtige nummer|richtig bei|richtigen nummer|richtige adresse",
        // "hi is this the company with the ai texting thing" was sent the AI-disclosure answer.
        "is this the company|is this the business|is this the firm|is this the place|are you the company|are you the guys|are you the ones|are you the people"
            + "|ist das die firma|sind sie die firma|seid ihr die firma|sind sie die mit|seid ihr die mit");

    private static readonly PhraseRuleSet WhomItReached = new(
        "is this|is that|is it|am i talking to|am i speaking to|am i speaking with|am i chatting with|have i reached|ist das|ist hier|spreche ich mit|bin ich bei|bin ich hier bei");

    /// <summary>Whether the lead asks whom it reached ("Is this SalesFlow?"): the caller checks the name is the client's.</summary>
    public static bool AsksWhomItReached(LeadText lead) => WhomItReached.IsMatch(lead.Words);

    /// <summary>Whether the lead asks if it reached the right business (<see cref="RightPlaceQuestion"/>).</summary>
    public static bool AsksIfRightPlace(LeadText lead) => RightPlaceQuestion.IsMatch(lead.Words);

    /// <summary>
    /// "is this the pizza place on 5th?", "Ist das die Praxis Dr. Weber?": a lead asking whether it reached some other
    /// business (a wrong number). Asking whether the product suits a kind of business ("is this a good fit for a dental
    /// practice?") is a question about the product.
    /// </summary>
    private static readonly PhraseRuleSet OtherBusinessQuestion = new(
        "is this|is that|am i talking to|am i speaking to|am i speaking with|am i chatting with|have i reached|ist das die|ist das der|ist das das|ist da die|ist da der|spreche ich mit|bin ich bei"
            + " & place|shop|store|restaurant|pizza*|pizzeria|takeaway|cafe|office|clinic|practice|surgery|salon|bakery|hotel|garage|dentist|doctor|doctors|vet|pharmacy|laden|praxis|buero|geschaeft|friseur|werkstatt|baeckerei|apotheke|arzt|zahnarzt|kanzlei"
            + " & !right|correct|richtig*|for|fuer|fit|suitable|geeignet|good|gut|work|works|funktioniert|use|nutzen");

    /// <summary>Whether the lead asks if it reached some other business (<see cref="OtherBusinessQuestion"/>), in a short message.</summary>
    public static bool AsksForAnotherBusiness(LeadText lead) => lead.Words.Count <= 12 && OtherBusinessQuestion.IsMatch(lead.Words);

    /// <summary>"sup. saw your post on linkedin", "Hab eure Anzeige auf Instagram gesehen": where the lead found us, a first hello.</summary>
    private static readonly PhraseRuleSet WhereItFoundUs = new(
        "saw|seen|found|came across|spotted|noticed|read & your|ur|this|the & post|ad|ads|advert|advertisement|video|reel|page|website|site|profile|article|listing",
        "gesehen|gefunden|gelesen|entdeckt|gestossen & ihre|eure|euren|ihren|euer|ihr|die|den|das & anzeige|beitrag|post|video|seite|webseite|website|profil|artikel|werbung");

    /// <summary>Whether the lead only says where it found us (<see cref="WhereItFoundUs"/>): a short first message that asks nothing.</summary>
    public static bool SaysWhereItFoundUs(LeadText lead) => lead.QuestionMarks == 0 && lead.Words.Count <= 12 && WhereItFoundUs.IsMatch(lead.Words);

    /// <summary>Words of a lead who is keen ("interested", "sounds good", "klingt spannend"): the interest openers cheer only at them.</summary>
    private static readonly PhraseRuleSet Keen = new(
        "interested|interest|interesting|sounds good|sounds great|sounds interesting|love|like it|like that|keen|excited|great|awesome|cool|nice|perfect|want|would like|id like|looking for|need|curious",
        "interessiert|interesse|interessant|klingt gut|klingt spannend|spannend|super|toll|cool|klasse|perfekt|gerne|gern|moechte|moechten|wuerde|suchen|suche|brauchen|brauche|neugierig");

    /// <summary>Whether the lead sounds keen (<see cref="Keen"/>).</summary>
    public static bool SoundsKeen(LeadText lead) => Keen.IsMatch(lead.Words);

    /// <summary>"we'd probably resell it to our clients too", "wir würden es an unsere Kunden weiterverkaufen": a reseller's interest.</summary>
    private static readonly PhraseRuleSet Reselling = new(
        "resell|reselling|reseller|resellers|white label|whitelabel|white labelled|rebrand|partner program|partner programme|referral program",
        "weiterverkauf*|wiederverkauf*|wiederverkaeufer*|white label|whitelabel|partnerprogramm|reseller");

    /// <summary>Whether the lead speaks of reselling or white-labelling the product (<see cref="Reselling"/>).</summary>
    public static bool WantsToResell(LeadText lead) => Reselling.IsMatch(lead.Words) && !ReportsAFault(lead);

    /// <summary>
    /// Whether the lead asks who is writing or how we got its number (<see cref="WhoWeAreQuestion"/>), or who called it
    /// (<see cref="MissedCall"/>: "Hi there, I got a missed call from this number?" was offered demo slots).
    /// </summary>
    public static bool AsksWhoWeAre(LeadText lead) => WhoWeAreQuestion.IsMatch(lead.Words) || MissedCall.IsMatch(lead.Words);

    /// <summary>
    /// A lead asking to be written to again at a later time ("can you text me again next week?", "try me again in a couple
    /// of weeks", "Können Sie mich nächste Woche nochmal anschreiben?"): not a meeting wish (it was offered demo slots).
    /// "Call me next week" stays a meeting; "I'll get back to you next week" is the lead's own deferral.
    /// </summary>
    private static readonly PhraseRuleSet LaterContact = new(
        "text me|text us|message me|message us|msg me|write me|write to me|write us|email me|email us|mail me|ping me|ping us|contact me|contact us|hit me up|try me|try us|get back to me|get back to us|reach out again|reach out to me|reach out to us|check back|check in with me|follow up with me|circle back|ask me again|remind me"
            + " & later|next week|next month|next year|in a week|in a few|in a couple|in two|in three|in 2|in 3|in 4|in a month|after the|after christmas|after new year|tomorrow|monday|tuesday|wednesday|thursday|friday|january|february|march|april|june|july|august|september|october|november|december|end of the month|beginning of next|after|when im back|when i am back|once im back|when i get back|once i get back"
            // "I don't have time rn, text me next week" asks for later: only a "don't" about the contact itself turns it down.
            + " & !dont text|dont message|dont write|dont email|dont contact|dont ping|never|stop",
        "melden sie sich|meld dich|meldet euch|melde dich|melden sie sich wieder|schreiben sie mir|schreib mir|schreibt mir|schreiben sie uns|kontaktieren sie mich|kontaktieren sie uns|anschreiben|schreiben sie mich|fragen sie mich|frag mich|fragen sie nochmal|erinnern sie mich"
            + " & spaeter|naechste* woche|naechste* monat*|naechstes jahr|kommende* woche|kommende* monat*|in einer woche|in zwei|in drei|in 2|in 3|in ein paar|in einem monat|morgen wieder|morgen nochmal|morgen noch mal|erst morgen|dann morgen|nach den feiertagen|nach weihnachten|nach neujahr|im neuen jahr|montag|dienstag|mittwoch|donnerstag|freitag|januar|februar|maerz|april|juni|juli|august|september|oktober|november|dezember|ende des monats|anfang des monats"
            // "Ich hab grad keine Zeit, schreib mir nächste Woche nochmal" was asked when to write: "keine Zeit" turns nothing down.
            + " & !nicht mehr|nie|keine nachricht*|keine mail*|keine werbung|kein interesse");

    /// <summary>
    /// A lead putting us off to a later time without asking in so many words ("maybe after the holidays", "vielleicht
    /// nächsten Monat"): a span of weeks or more, so "maybe next week" (a meeting time as often as not) is left out.
    /// </summary>
    private static readonly PhraseRuleSet LaterStall = new(
        "maybe|perhaps|probably|rather|better|only|vielleicht|eher|lieber|besser|erst|wohl"
            + " & after the holidays|after christmas|after new year|next month|next year|in a few weeks|in a couple of weeks|in two weeks|in 2 weeks|in three weeks|in a month|in january|in february|in march|in april|in june|in july|in august|in september|in october|in november|in december|nach den feiertagen|nach weihnachten|nach neujahr|naechste* monat*|naechstes jahr|im neuen jahr|in ein paar wochen|in zwei wochen|in 2 wochen|in drei wochen|in einem monat|im januar|im februar|im maerz|im april|im mai|im juni|im juli|im august|im september|im oktober|im november|im dezember"
            + " & !call|meeting|demo|termin|gespraech|telefonat|dont|never|nicht mehr|nie");

    /// <summary>
    /// A lead promising to write again itself ("I'll get back to you next week", "Ok, dann melde ich mich nächste Woche
    /// nochmal"): still a deferral, but it was asked what would need to be true, as if it had said no. SalesFlow says it
    /// will check in if it hears nothing by then.
    /// </summary>
    private static readonly PhraseRuleSet GetBackPromise = new(
        // "I'll discuss with the partners and get back to you next week" promises it with a verb between.
        "ill get back to you|i will get back to you|well get back to you|we will get back to you|ill be in touch|i will be in touch|well be in touch|ill reach out|ill come back to you|ill circle back|ill let you know|i will let you know|ill text you|ill message you|ill write to you|ill contact you|and get back to you|and get back to u|then get back to you|and come back to you|and let you know|then let you know"
            + " & !dont|never|stop|wont",
        "ich melde mich|wir melden uns|melde mich|melden uns|melde ich mich|meld mich|meld ich mich|ich meld mich|melden wir uns|gebe ich bescheid|geben wir bescheid|komme ich auf sie zurueck|schreibe ich ihnen|ich komme auf sie zurueck|ich komme auf euch zurueck|wir kommen auf sie zurueck|ich gebe bescheid|ich gebe ihnen bescheid|wir geben bescheid|ich schreibe ihnen|ich schreib dir|ich schreibe euch"
            + " & !nicht mehr|nie|keine|bitte nicht|=ab|abmelden");

    /// <summary>Whether the lead promises to write again itself (<see cref="GetBackPromise"/>).</summary>
    public static bool PromisesToGetBack(LeadText lead) => GetBackPromise.IsMatch(lead.Words);

    /// <summary>Whether the lead asks to be written to again later (<see cref="LaterContact"/>).</summary>
    public static bool AsksToBeContactedLater(LeadText lead) => LaterContact.IsMatch(lead.Words) || LaterStall.IsMatch(lead.Words);

    /// <summary>
    /// A lead with no time for this now ("interested but swamped right now", "super busy at the moment", "gerade ist
    /// bei uns Land unter"): a timing stall. Read as interest (1.00) and cheered at, or as a meeting (0.51).
    /// </summary>
    private static readonly PhraseRuleSet TimeStall = new(
        "swamped|slammed|snowed under|too busy|very busy|super busy|so busy|really busy|crazy busy|hectic|no time|no bandwidth|no capacity|bad timing|not the right time|not a good time|bad time",
        "keine zeit|stressig|viel los|land unter|ausgelastet|keine kapazitaet*|schlechter zeitpunkt|nicht der richtige zeitpunkt|gerade schlecht|passt gerade nicht|passt im moment nicht|keinen kopf",
        // "I'm interested but I'm on holiday till the 20th" was asked what brings the lead.
        "on holiday|on vacation|on leave|out of office|away until|away till|im urlaub|in urlaub|verreist|nicht im buero");

    /// <summary>Whether the lead has no time for this now (<see cref="TimeStall"/>).</summary>
    public static bool StallsForTime(LeadText lead) => TimeStall.IsMatch(lead.Words);

    private static readonly PhraseRuleSet MeetingWord = new(
        "call|meeting|demo|appointment|zoom|video|teams call|meet", "termin|gespraech|telefonat|anruf|treffen|videocall|vorfuehrung");

    /// <summary>Whether the lead names a meeting of any kind (a call, a demo, ein Termin).</summary>
    public static bool NamesAMeeting(LeadText lead) => MeetingWord.IsMatch(lead.Words);

    /// <summary>Whether the lead refers to a call or meeting that already took place (<see cref="PastMeeting"/>, <see cref="MissedCall"/>).</summary>
    public static bool RefersToAPastMeeting(LeadText lead) => PastMeeting.IsMatch(lead.Words) || MissedCall.IsMatch(lead.Words);

    /// <summary>
    /// A call the lead missed from this number: who called, not a wish for a call. Not "missed calls": that is the lead's own
    /// pain ("we have missed calls every day, can we book a call?" still wants one).
    /// </summary>
    private static readonly PhraseRuleSet MissedCall = new(
        "missed call|missed a call|missed your call|call from this number|called me from|verpassten anruf|anruf verpasst|anruf von dieser nummer|von dieser nummer angerufen");

    /// <summary>"Bonjour, do you speak English?", "Sprechen Sie Deutsch?": a question about the language, answered first.</summary>
    private static readonly PhraseRuleSet LanguageQuestion = new(
        "do you|can you|can we|could we|could you & speak|write|talk|chat|continue & english|german|in english|in german",
        "sprechen sie|sprichst du|sprecht ihr|koennen sie|koennen wir|kannst du|schreiben sie & englisch|deutsch|auf englisch|auf deutsch");

    /// <summary>Whether the lead asks which language we speak (<see cref="LanguageQuestion"/>).</summary>
    public static bool AsksAboutTheLanguage(LeadText lead) => LanguageQuestion.IsMatch(lead.Words);

    /// <summary>
    /// A lead asking for a language we do not write ("Hola, ¿hablan español?", "do you speak French?"): it was thanked
    /// "for letting me know". The rules brain writes English and German only, and says so.
    /// </summary>
    private static readonly PhraseRuleSet OtherLanguageQuestion = new(
        "do you|can you|can we|could we|could you|is it|is there & speak|write|talk|chat|available|support|reply|answer & spanish|french|italian|portuguese|dutch|polish|turkish|arabic|russian|chinese",
        "sprechen sie|sprichst du|sprecht ihr|koennen sie|koennen wir|kannst du|schreiben sie|gibt es & spanisch|franzoesisch|italienisch|portugiesisch|niederlaendisch|polnisch|tuerkisch|arabisch|russisch",
        "hablan|habla|hablas|parlez|parles|parla|parlate|falam|fala|spreekt|spreken|mowicie|konusuyor* & espanol|ingles|aleman|francais|anglais|italiano|inglese|portugues|nederlands|engels|polsku|turkce|english|spanish");

    /// <summary>Whether the lead asks for a language other than English or German (<see cref="OtherLanguageQuestion"/>).</summary>
    public static bool AsksForAnotherLanguage(LeadText lead) => OtherLanguageQuestion.IsMatch(lead.Words);

    /// <summary>"Guten Abend, ich habe eine Frage zu Ihrem Produkt": a question announced, not yet asked.</summary>
    private static readonly PhraseRuleSet AnnouncedQuestion = new(
        "i have a question|ive got a question|i have a quick question|quick question|i have some questions|a few questions|few qs|couple qs|some qs|couple of questions|couple questions|got some questions|got questions",
        "ich habe eine frage|hab eine frage|habe da eine frage|hab da eine frage|kurze frage|ich haette eine frage|ich haette da eine frage|ich habe ein paar fragen|habe einige fragen");

    /// <summary>
    /// "Hi, I'm a student writing my thesis about chatbots. Could I ask you a few questions?": leave to ask, the questions
    /// still to come. It was answered with the trial FAQ (its answer said "ask for").
    /// </summary>
    private static readonly PhraseRuleSet PermissionToAsk = new(
        "can i|could i|may i|mind if i|can we|could we & ask & question|questions",
        "darf ich|kann ich|koennte ich|duerfte ich|duerfen wir|koennen wir & frage|fragen");

    /// <summary>
    /// Whether the lead only announces a question: a short message without a question mark (<see cref="AnnouncedQuestion"/>),
    /// or one that ends with the announcement ("Hi, this is Marcus from Iron Temple Fitness in Toronto. Got a few q's" was
    /// asked its team size), or leave to ask (<see cref="PermissionToAsk"/>) with no question after it ("Can I ask a
    /// question: does it do X?" asks it).
    /// </summary>
    public static bool AnnouncesAQuestion(LeadText lead)
    {
        var words = lead.Words;
        var last = words.FindLastIndex(w => w is "question" or "questions" or "qs" or "frage" or "fragen");
        if (lead.QuestionMarks == 0 && (words.Count <= 12 || words.Count - last <= 3) && AnnouncedQuestion.IsMatch(words))
        {
            return true;
        }

        return last >= 0 && PermissionToAsk.IsMatch(words) && words.Count - last <= 5 && !words.Skip(last + 1).Any(QuestionStarters.Contains);
    }

    /// <summary>
    /// How the lead's business works with its customers — they book ("we're a salon with 4 stylists, clients book via insta
    /// and whatsapp"), call, or are called back; the phone it has: not a wish for a meeting with us (each was offered slots).
    /// </summary>
    private static readonly PhraseRuleSet WorkWithCustomers = new(
        // "inbound demo requests come via email and we're slow to respond" (the lead's own prospects asking it for demos)
        // was offered demo slots.
        "demo requests|demo request|meeting requests|booking requests|appointment requests|call requests|terminanfragen|demoanfragen|buchungsanfragen"
            + " & !can we|can i|could we|lets|koennen wir|with you|mit ihnen|mit euch",
        "clients|customers|patients|guests|people|brides|couples|students|members|parents|buyers|tenants|owners|families|diners|pupils|visitors|callers|leads|prospects"
            + "|kunden|kundinnen|mandanten|klienten|patienten|gaeste|leute|schueler|mitglieder|eltern|paare|kaeufer|mieter|besucher|interessenten & book|books|booking|schedule|reserve|request|enquire|inquire|buchen|bucht|reservieren|vereinbaren|anfragen|fragen an|fragt an"
            + " & !can we|can i|could we|could i|id like|i would like|we would like|want to|lets|koennen wir|kann ich|moechte|moechten|wuerde gern|wuerden gern|demo|call with you",
        // "Brides message us on Instagram and WhatsApp to book fittings" (whoever writes in to book) was offered demo slots.
        "message us|messages us|text us|texts us|write to us|write us|writes to us|dm us|dms us|email us|emails us|call us|calls us|contact us|contacts us|reach out|reaches out|ask us|asks us"
            + "|schreiben uns|schreibt uns|melden sich|meldet sich|rufen uns an|ruft uns an|fragen uns|fragt uns & to book|to schedule|to reserve|to arrange|zu buchen|zu reservieren|zu vereinbaren|einen termin|nach terminen"
            + " & !can we|can i|could we|could i|id like|i would like|we would like|lets|koennen wir|kann ich|moechte|moechten|wuerde gern|wuerden gern|demo|call with you|mit ihnen|mit euch",
        // "Vor allem Tischreservierungen und Fragen zu Öffnungszeiten" (what a café's guests write about) was offered demo slots.
        "vor allem|hauptsaechlich|meistens|mostly|mainly|primarily & *reservierung*|reservierungen|reservations|bookings|table bookings|buchungsanfragen|terminanfragen|appointment requests|booking requests"
            + " & !can we|can i|could we|could i|id like|i would like|we would like|lets|koennen wir|kann ich|moechte|wuerde gern|wuerden gern|demo|call with you|mit ihnen|mit euch",
        // "Die meisten wollen einen Besichtigungstermin, aber viele sind gar nicht ernsthaft interessiert" (an estate agent's
        // enquirers) was offered demo slots.
        "die meisten|viele davon|viele von denen|die leute|most of them|most people|a lot of them|many of them|clients|customers|patients|guests|kunden|kundinnen|mandanten|patienten|interessenten|gaeste"
            + " & wollen|moechten|suchen|want|wants|ask for|asking for|are after & termin*|besichtigung*|*termin|appointment*|viewing*|booking*|probetraining*|beratung*|consultation*"
            + " & !can we|can i|could we|could i|id like|i would like|we would like|lets|koennen wir|kann ich|wuerde gern|wuerden gern|demo|call with you|mit ihnen|mit euch",
        // "Our problem is people call after 5pm and nobody answers, we lose those jobs" was offered slots after 5 PM.
        "clients|customers|patients|guests|people|callers|kunden|kundinnen|mandanten|klienten|patienten|leute|anrufer & call|calls|calling|ring|phone|anrufen|ruft|rufen & after|before|at night|nobody|no one|noone|niemand|keiner|nach|abends|nachts|and we|und wir"
            + " & !can we|can i|could we|could i|id like|i would like|we would like|want to|lets|koennen wir|kann ich|moechte|moechten|wuerde gern|wuerden gern|demo|call with you|call me|ruf mich|rufen sie mich",
        // "Die meisten Kunden rufen bei uns an, WhatsApp kommt aber immer mehr" was a support case handed to a colleague.
        CustomersCallingPhrase,
        // The lead calling its own leads: "We lose a lot because we're slow to call back." and "yeah mostly we call them back
        // when we can" were offered call slots.
        "we call|we ring|we phone|i call|we try to call|we usually call|we always call|we then call|we have to call|we need to call|slow to call|late to call|forget to call|call them|calling them|ring them|phone them|call our leads|call leads|calling leads|call our customers|call customers|calling customers"
            + LeadsOwnCallsNotAWish,
        "we|were|i|im|slow|late|forget|forgot|never & call back|calling back|ring back" + LeadsOwnCallsNotAWish,
        // "Nein, wir haben nur ein Telefon und eine Website." (what it has, asked how leads reach it) was offered demo slots.
        "wir haben|ich habe|haben wir|habe ich|we have|we only have|we just have|weve got|we got|ive got & ein telefon|nur ein telefon|das telefon|ein festnetz|a phone|one phone|the phone|a landline|a phone number|eine telefonnummer"
            + LeadsOwnCallsNotAWish,
        "nur telefon|nur per telefon|nur das telefon|nur ueber telefon|only phone|only by phone|just phone|just the phone|only the phone|phone only|by phone only" + LeadsOwnCallsNotAWish,
        // "Leute schreiben mir ständig auf Insta und WhatsApp wegen Terminen" was offered demo slots, "Interessenten fragen per
        // WhatsApp nach Exposés und Besichtigungsterminen" likewise.
        "clients|customers|patients|guests|people|kunden|kundinnen|mandanten|klienten|patienten|gaeste|leute|interessenten|mieter|kaeufer|schueler|mitglieder|students|members|buyers|tenants|leads|prospects"
            + " & schreiben|schreibt|fragen|fragt|melden sich|meldet sich|message|messages|messaging|ask|asking|text|texting|write|writing|dm & termin*|appointment*|booking*|reservation*|slots|besichtigung*|viewing*|probestunde*|fahrstunde*|probetraining*"
            + " & !can we|can i|could we|could i|id like|i would like|we would like|want to|lets|koennen wir|kann ich|moechte|moechten|wuerde gern|wuerden gern|demo|call with you");

    /// <summary>
    /// The lead's own customers asking it things ("mostly people asking about class times and refunds on whatsapp",
    /// "Unsere Kunden fragen meistens nach Öffnungszeiten und Preisen"): how its business works. Their "refunds" read as a
    /// support case to apologise for, their "Preisen" as a price question.
    /// </summary>
    private static readonly PhraseRuleSet CustomersAsking = new(
        "customers|clients|people|students|patients|guests|members|users|buyers|visitors|leads|parents|tenants|shoppers|callers|folks|prospects"
            + " & ask|asking|asks|want to know|wanting to know|enquire|enquiring|inquire|inquiring|write in|writing in|message us|messaging us|text us|texting us|dm us|email us|call us|calling us"
            // "We run a gym, members message about cancelling memberships a lot" was a support case handed to a colleague.
            + "|message about|messages about|messaging about|email about|emails about|text about|texts about|write about|writes about|call about|calls about"
            + " & !can i|could i|can we|could we|how do i|how can i|my account|my order|my booking|i was|i am a|im a" + NotAFaultOfOurs,
        "kunden|kundinnen|leute|patienten|gaeste|mitglieder|interessenten|besucher|kaeufer|eltern|mieter|schueler|teilnehmer"
            + " & fragen|fragt|fragend|schreiben|schreibt|wollen wissen|moechten wissen|melden sich|rufen an|rufen bei uns an"
            + " & !kann ich|koennen wir|wie kann ich|mein konto|meine bestellung|ich bin kunde|ich bin kundin" + NotAFaultOfOurs);

    /// <summary>
    /// The customers' questions may name refunds or invoices (<see cref="ProductFault"/>'s words, theirs to the lead); a fault
    /// in our product still makes a support case ("my customers write that your widget is broken").
    /// </summary>
    private const string NotAFaultOfOurs = " & !your app|your software|your system|your widget|your tool|your bot|broken|not working|doesnt work|dont arrive|"
        + "funktioniert nicht|kaputt|kommen nicht an|ihre app|ihr system|eure app|euer system|euer tool";

    /// <summary>Whether the lead describes its own customers' questions (<see cref="CustomersAsking"/>) and asks nothing itself.</summary>
    public static bool DescribesCustomersQuestions(LeadText lead) => lead.QuestionMarks == 0 && (CustomersAsking.IsMatch(lead.Words) || QuestionsItGets.IsMatch(lead.Words));

    /// <summary>
    /// The questions the lead's business gets, named without its customers ("Ja genau, vor allem Fragen zu Kurszeiten und
    /// Preisen", "mostly questions about opening hours"): read as the lead's own price question, answered "thanks for your
    /// question about pricing". The lead's own questions ("I have a few questions about pricing") are not.
    /// </summary>
    private static readonly PhraseRuleSet QuestionsItGets = new(
        "mostly|mainly|usually|typically|lots of|loads of|a lot of|many|tons of|plenty of|the usual|the same"
            + " & questions about|questions on|questions regarding|questions like|enquiries about|inquiries about|=questions|=enquiries|=inquiries"
            + " & !i have|ive got|i got|we have|my question|quick question|our question|can i ask|i wanted to ask|have a few|have some|have a couple",
        "vor allem|meistens|hauptsaechlich|ueberwiegend|viele|oft|typische|die ueblichen|immer wieder|immer die gleichen"
            + " & fragen zu|fragen nach|fragen wegen|fragen ueber|anfragen zu|anfragen wegen|anfragen nach"
            + " & !ich habe|ich haette|wir haben|wir haetten|habe ich|haette ich|haetten wir|meine frage|eine frage|kurze frage");

    /// <summary>The lead's customers reaching it by phone: "Die meisten Kunden rufen bei uns an", "most customers just call us".</summary>
    /// <summary>What makes a call the lead names one it wants with us after all.</summary>
    private const string LeadsOwnCallsNotAWish =
        " & !can we|can i|could we|could i|id like|i would like|we would like|would love|want to talk|lets|call me|give me a call|call with you|with you|demo|can you|could you|please call|pls call|a call back|a callback|appreciate|phone call";

    private const string CustomersCallingPhrase =
        "clients|customers|patients|guests|people|callers|kunden|kundinnen|mandanten|klienten|patienten|leute|anrufer & call us|calling us|phone us|ring us|call in|mostly call|usually call|just call|prefer to call|rufen uns an|rufen bei uns an|rufen meistens an|rufen meist an|rufen eher an|rufen lieber an|rufen halt an|telefonieren lieber"
        + " & !can we|can i|could we|could i|id like|i would like|we would like|want to|lets|koennen wir|kann ich|moechte|moechten|wuerde gern|wuerden gern|demo|call with you|call me|ruf mich|rufen sie mich";

    private static readonly PhraseRuleSet CustomersCalling = new(CustomersCallingPhrase);

    private static readonly PhraseRuleSet Discount = new(
        "discount|discounts|discounted|special rate|reduced rate|reduced price|nonprofit pricing|non profit pricing|charity pricing|rabatt*|nachlass|sonderkondition*|sonderpreis*|ermaessigung*|verguenstigung*");

    /// <summary>Whether the lead asks for a discount ("do you offer a discount for charities?"): what it costs answers it first.</summary>
    public static bool AsksForADiscount(LeadText lead) => Discount.IsMatch(lead.Words) && !AsksWhatItMaySay(lead);

    /// <summary>
    /// A question whether the assistant may say what it should not ("what stops it from promising discounts we don't
    /// offer?", which was sent the price answer for its "discounts"; "Was, wenn der Bot Preise erfindet?"): how what it says
    /// is controlled.
    /// </summary>
    private static readonly PhraseRuleSet WhatItMaySay = new(
        "promise|promises|promising|make up|makes up|making up|invent|invents|inventing|hallucinat*|verspricht|versprechen|zusagt|zusagen|erfindet|erfinden|ausdenkt"
            + "|says something wrong|says the wrong thing|gets it wrong|wrong answer|wrong answers|mist erzaehlt|mist erzaehlen|unsinn erzaehlt|quatsch erzaehlt|falsches sagt|falsche antwort*|falsch antwortet"
            + " & what stops|how do you stop|stop it|prevent*|make sure|ensure|what if|if it|if the bot|can it|could it|will it|does it|would it|who is liable|whos liable|verhinder*|sicherstell*|was wenn|was ist wenn|wenn es|wenn der bot|falls der bot|kann es|kann der|wer haftet"
            // "Ich möchte nicht, dass der Bot unseren Kunden Unsinn erzählt" was sent the AI-disclosure answer.
            + "|dont want it to|dont want the bot to|do not want it to|moechte nicht dass|will nicht dass|wollen nicht dass|darf nicht");

    /// <summary>Whether the lead asks how what the assistant says is kept in bounds (<see cref="WhatItMaySay"/>).</summary>
    public static bool AsksWhatItMaySay(LeadText lead) => WhatItMaySay.IsMatch(lead.Words);

    /// <summary>
    /// Whether the lead asks if it suits a kind of business: "funktioniert das auch für Fitnessstudios?" (no German stemming
    /// meets the industries answer's "Studio"), "would this work for a dog groomer?".
    /// </summary>
    public static bool AsksIfItSuitsABusiness(LeadText lead) => lead.QuestionMarks > 0 && (SuitsABusiness().IsMatch(lead.Original) || FitsItsSize().IsMatch(lead.Original));

    /// <summary>
    /// Whether it is worth it or too much for the lead: "we're a 2 person team, is this overkill for us?", "Wir sind ein
    /// Autohaus mit 20 Verkäufern, lohnt sich das für uns?" (the model: objections, met with "what is your biggest concern?").
    /// </summary>
    [GeneratedRegex(@"\b(?:lohnt\s+sich\s+(?:das|es)|rentiert\s+sich\s+(?:das|es)|worth\s+it|overkill|too\s+(?:big|much|complex|complicated|advanced)|zu\s+(?:groß|gross|viel|komplex|kompliziert|überdimensioniert)|übertrieben|uebertrieben|oversized|überdimensioniert)\s+(?:(?:auch|also|even|eigentlich|überhaupt|ueberhaupt)\s+)?(?:for|für|fuer)\s+(?:us|me|uns|mich|a|an|ein\w*|small|kleine\w*|so\s+\w+|our\w*|unser\w*)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FitsItsSize();

    [GeneratedRegex(@"\b(?:work|works|suitable|useful|good|geht|funktioniert|klappt|passt|geeignet|nutzbar|sinnvoll)\s+(?:(?:das|es|it|this|that)\s+)?(?:(?:auch|also|too|even)\s+)?(?:for|für|fuer)\s+(?:(?:a|an|my|our|ein|eine|einen|mein\w*|unser\w*)\s+)?(?:small\s+|kleine[nsr]?\s+)?\p{L}{3,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SuitsABusiness();

    /// <summary>The lead's customers writing after hours: "die kundinnen schreiben oft spät abends wegen terminen", "people text us at 11pm".</summary>
    private static readonly PhraseRuleSet CustomersWritingLate = new(
        "clients|customers|patients|guests|people|members|leads|kunden|kundinnen|mandanten|klienten|patienten|leute|mitglieder|interessenten"
            + " & write|writes|text|texts|message|messages|email|dm|dms|schreiben|schreibt|melden|fragen|anfragen|nachrichten"
            + " & late|at night|in the evening|evenings|on weekends|at weekends|over the weekend|after hours|after work|11pm|midnight|abends|nachts|spaet|am wochenende|nach feierabend|nach ladenschluss"
            + " & !can we|can i|could we|koennen wir|kann ich|demo|call with you");

    /// <summary>Whether the lead's customers write to it after hours (<see cref="CustomersWritingLate"/>): whether SalesFlow answers then is what it needs to hear.</summary>
    public static bool DescribesCustomersWritingLate(LeadText lead) => CustomersWritingLate.IsMatch(lead.Words);

    /// <summary>Whether the lead's customers mostly call it (<see cref="CustomersCallingPhrase"/>): SalesFlow takes no calls, which it should hear.</summary>
    public static bool DescribesCustomersCalling(LeadText lead) => CustomersCalling.IsMatch(lead.Words);

    /// <summary>
    /// The social channel the lead's customers write on ("members ask about classes and memberships on insta all day",
    /// "die meisten Anfragen kommen über Instagram"), or null: whether SalesFlow covers it is what the lead needs to hear
    /// (it was thanked for the insight). A channel named without customers writing ("saw your ad on facebook") is none, nor
    /// is one whose ads or forms bring the enquiries ("we get loads of enquiries from facebook ads": a source, not a channel).
    /// </summary>
    public static string? ChannelItsCustomersWriteOn(LeadText lead) =>
        SocialChannel().Match(lead.Original) is { Success: true } match && CustomersWriting().IsMatch(lead.Original) ? match.Groups["channel"].Value
        : MainChannel().Match(lead.Original) is { Success: true } main ? main.Groups["channel"].Value
        : null;

    // "Instagram is actually our main one tbh" was called a fair point and asked what would need to be true; "nee insta ist
    // eigentlich das wichtigste" asked for its biggest concern.
    [GeneratedRegex(@"\b(?<channel>insta(?:gram)?|facebook|messenger|tiktok|telegram|signal|linkedin|viber|wechat)\s+(?:is|ist)\s+(?:actually\s+|really\s+|honestly\s+|eigentlich\s+|ehrlich\s+gesagt\s+|tbh\s+|halt\s+|aber\s+)?(?:our|my|the|unser\w*|mein\w*|das|der|die|am)\s+(?:main|biggest|big|primary|most\s+important|busiest|wichtigste\w*|haupt\w*|groesste\w*|größte\w*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MainChannel();

    [GeneratedRegex(@"\b(?:on|via|through|over|in|from|über|ueber|per|auf|bei|aus)\s+(?:the\s+|dem\s+|der\s+)?(?<channel>insta(?:gram)?|ig|facebook|fb|messenger|tiktok|telegram|signal|linkedin|twitter|viber|wechat)\b(?!\s+(?:ads?|adverts?|advertising|campaigns?|lead\s+forms?|forms?|werbung|anzeigen?|kampagnen?))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SocialChannel();

    [GeneratedRegex(@"\b(?:ask\w*|message\w*|msgs?|writ\w*|dms?|text\w*|chat\w*|reach\w*|contact\w*|enquir\w*|inquir\w*|request\w*|leads?|anfrage\w*|schreib\w*|frag\w*|meld\w*|nachricht\w*|kommen|kommt)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CustomersWriting();

    private static readonly PhraseRuleSet CheckingWhatWasSaid = new(
        "thats it|is that it|thats all|is that all|really|seriously|for real|so its free|its free|its really free|no monthly|no fee|no fees|nothing else|no catch",
        "wirklich|echt|ernsthaft|das wars|das ist alles|also kostenlos|also gratis|umsonst|keine gebuehr|keine gebuehren|keine monatlichen|sonst nichts|kein haken");

    /// <summary>
    /// A short question that checks what SalesFlow just said ("thats it? no monthly fee?", "wirklich? umsonst?"): it was
    /// met with "I want to give you the exact pricing, not a ballpark", as if nothing had been said.
    /// </summary>
    public static bool ChecksWhatWasSaid(LeadText lead) => lead.QuestionMarks > 0 && lead.Words.Count <= 6 && CheckingWhatWasSaid.IsMatch(lead.Words);

    /// <summary>
    /// A short question that puts what SalesFlow said in the lead's own words to check it ("so it cant answer the phone?",
    /// "ok so no instagram?", "also keine Anrufe?"): after the channels answer had said so, it was told its question would
    /// go to the team. "so what does it cost?" asks something new.
    /// </summary>
    public static bool RestatesToCheck(LeadText lead)
    {
        var words = lead.Words;
        var at = words.Count > 0 && RestatingLeadIns.Contains(words[0]) ? 1 : 0;
        return lead.QuestionMarks > 0 && words.Count <= 8 && words.Count >= at + 3 && words[at] is "so" or "also"
            && !QuestionWordsAfterSo.Contains(words[at + 1]);
    }

    private static readonly HashSet<string> RestatingLeadIns = new(["ok", "okay", "wait", "ah", "oh", "aha", "hm", "hmm", "right", "alright", "achso", "ach"], StringComparer.Ordinal);

    private static readonly HashSet<string> QuestionWordsAfterSo = new(
        ["what", "how", "where", "when", "which", "who", "why", "whats", "hows", "and", "if", "far", "much", "many", "wie", "was", "wo", "wann", "welche", "welcher",
         "welches", "welchen", "wer", "warum", "wieso", "weshalb", "und", "wenn", "lange"],
        StringComparer.Ordinal);

    /// <summary>Whether the lead describes how its business works with its customers (<see cref="WorkWithCustomers"/>).</summary>
    public static bool DescribesItsWorkWithCustomers(LeadText lead) => WorkWithCustomers.IsMatch(lead.Words);

    private static readonly PhraseRuleSet CallMe = new(
        "call me|ring me|give me a call|give me a ring|phone me|callback|call back|ruf* mich|rufen sie mich|rufst du mich|zurueckruf*|rueckruf|mich anrufen|mich mal anrufen"
            + " & !dont|do not|never|nicht|kein|keinen|nie");

    /// <summary>Whether the lead asks to be called ("Können Sie mich zurückrufen?", "can someone call me"): the call is offered as one, not as a demo.</summary>
    public static bool AsksToBeCalled(LeadText lead) => CallMe.IsMatch(lead.Words);

    private static readonly PhraseRuleSet PhoneCall = new(
        "telefonier*|telefonat|telefontermin|phone call|a call|quick call|short call|hop on a call|jump on a call|on the phone|am telefon & !demo*|vorfuehrung*|zoom|teams|video*");

    /// <summary>What the lead asks to have: to be called back, a phone call, or (named or not) a demo.</summary>
    public static Meetings.MeetingWish MeetingWishOf(LeadText lead) =>
        AsksToBeCalled(lead) ? Meetings.MeetingWish.CallBack : PhoneCall.IsMatch(lead.Words) ? Meetings.MeetingWish.Call : Meetings.MeetingWish.Demo;

    /// <summary>Whether the lead asks if it is talking to a machine ("Is this an AI bot?", "Bist du ein Mensch?").</summary>
    public static bool AsksIfBot(LeadText lead) => BotQuestion.IsMatch(lead.Words);

    /// <summary>Asking to be put through to a person ("can I talk to a real person?", "Ich möchte mit einem Mitarbeiter sprechen").</summary>
    private static readonly PhraseRuleSet WantsAPerson = new(
        "talk to|speak to|speak with|talk with|chat with|connect me|transfer me|put me through|get me|pass me|hand me|give me|i want|i need|id like|i would like|can i have"
            + " & human|person|someone|somebody|agent|rep|representative|colleague|manager|staff|sales team|salesperson",
        "sprechen|reden|verbinden|durchstellen|weiterleiten|moechte|will|brauche|haette gern & mensch*|jemand*|mitarbeiter*|kollege*|kollegin|person|berater*|verkaeufer*",
        // Refusing to write with a bot: "Mit einem Bot will ich nicht reden", "I don't want to talk to a bot".
        "dont want to|do not want to|wont|not going to|refuse to|rather not & talk|speak|chat|write|deal & to a bot|with a bot|to a robot|with a robot|to a machine|with a machine|to bots|with bots|to an ai|with an ai",
        "mit einem bot|mit einer maschine|mit einem roboter|mit einer ki|mit bots|mit einem computer & nicht|keine lust & reden|sprechen|schreiben|chatten");

    /// <summary>
    /// "is this the sales bot", "Bist du ein Mensch oder ein Bot?": a question who writes, not a wish for a person. It is
    /// answered truthfully and the conversation goes on; "are you a bot? I want to talk to a person" still hands over.
    /// (Its intent stays a hand-over: that is how the labelled data reads a bot question.)
    /// </summary>
    public static bool OnlyAsksIfBot(LeadText lead) => AsksIfBot(lead) && !WantsAPerson.IsMatch(lead.Words);

    /// <summary>Whether the lead asks for a person in words ("I'd like to talk to someone", "Ich möchte einen Mitarbeiter sprechen").</summary>
    public static bool AsksForAPerson(LeadText lead) => WantsAPerson.IsMatch(lead.Words);

    private static readonly PhraseRuleSet BotQuestion = new(
        "are you|am i talking to|am i chatting with|am i speaking to|am i writing to & bot|chatbot|robot|ai|automated|machine|human|real person",
        "bist du|sind sie|rede ich mit|schreibe ich mit|spreche ich mit|chatte ich mit & bot|chatbot|ki|roboter|automatisch|maschine|mensch|echt*",
        // "is this", "ist das" only with the bot in so many words: "Ist das DSGVO-konform? … dass der Bot keine steuerlichen
        // Auskünfte gibt?" was told it was talking to the AI assistant, its two questions unanswered.
        "is this a bot|is this the bot|is this the sales bot|is this your bot|is this a sales bot|is this the chatbot|is this your chatbot|is this the ai|is this your ai|is this a chatbot|is this an ai|is this ai|is this a robot|is this automated|is this automatic|is this an ai bot|is this actually a bot|is this actually ai|is this just a bot|is this a real person|is this a human|is this a machine|is this a computer|is it a bot|is it ai|is it an ai|is it a robot|is it automated|is it a real person|is it a human|is that a bot|is that ai",
        "ist das ein bot|ist das der bot|ist das euer bot|ist das ihr bot|ist das ein ki bot|ist das eine ki|ist das ki|ist das ein roboter|ist das automatisch|ist das automatisiert|ist das ein chatbot|ist das hier ein bot|ist das hier eine ki|ist das eigentlich ein bot|ist das eigentlich eine ki|ist das nur ein bot|ist das ein mensch|ist das echt");

    /// <summary>
    /// A lead saying its budget is tight: a price concern, not a price question ("we're a 2 person startup so budget is
    /// tight" was answered "Glad you asked").
    /// </summary>
    private static readonly PhraseRuleSet TightBudget = new(
        "budget|money|cash|geld|mittel & tight|limited|small|low|short|knapp|begrenzt|klein|gering|beschraenkt",
        "cant afford|cannot afford|koennen uns & nicht leisten",
        // "lol thats alot" after the price talk was thanked and offered a call.
        "thats a lot|thats alot|that is a lot|a lot of money|quite a lot|kind of steep|bit steep|pretty steep|too pricey|so expensive|way too much",
        // "hmm idk sounds pricey lol" was thanked for asking about pricing.
        "sounds pricey|seems pricey|bit pricey|kinda pricey|quite pricey|pretty pricey|sounds expensive|seems expensive|bit expensive|kinda expensive|pretty expensive|quite expensive|rather expensive",
        "klingt teuer|etwas teuer|bisschen teuer|ein wenig teuer|recht happig",
        "menge holz|viel holz|stange geld|menge kohle|viel kohle|menge geld",
        "ganz schoen viel|ziemlich viel|ganz schoen teuer|ziemlich teuer|ganz schoen happig|happig|recht teuer");

    /// <summary>Whether the lead says its budget is tight (<see cref="TightBudget"/>).</summary>
    public static bool StatesTightBudget(LeadText lead) => TightBudget.IsMatch(lead.Words);

    /// <summary>
    /// A lead complaining that it was not answered ("this is the 3rd time ive messaged, nobody has got back to me. what a
    /// joke" was thanked and asked what brought it): a support case, met with an apology for the wait.
    /// </summary>
    private static readonly PhraseRuleSet NoAnswerComplaint = new(
        "nobody|no one|noone|nobodys|niemand|keiner & got back to me|gotten back to me|got back to us|replied to me|answered me|responded to me|answered my|replied to my|called me back|rang me back|hat sich gemeldet|hat mir geantwortet|hat uns geantwortet|hat mich zurueckgerufen|meldet sich bei mir",
        "still waiting for|still no reply|still no answer|still no response|still havent heard|warte immer noch|immer noch keine antwort|noch immer keine antwort",
        // "Hallo, ich habe gestern schon angefragt und keine Antwort bekommen" was told it was nice to hear from it.
        "ich habe|ich hab|hab ich|habe ich|i have|ive|i & angefragt|geschrieben|gefragt|asked|messaged|written|wrote|enquired|emailed|contacted|sent"
            + " & keine antwort|nie eine antwort|keine rueckmeldung|nichts gehoert|no answer|no reply|no response|never heard back|didnt hear back|havent heard back|never got a reply|never got an answer|didnt get a reply|didnt get an answer"
            + " & !leads|customers|clients|patients|kunden|interessenten|them|they",
        "this is the|thats the|its the|for the|das ist das|zum & third time|3rd time|second time|2nd time|fourth time|dritte mal|dritten mal|zweite mal|zweiten mal & ive|i have|ich habe|ich hab|hab ich|habe ich & messag*|writ*|wrote|text*|email*|call*|contact*|asked|geschrieben|angerufen|gefragt|nachricht*");

    /// <summary>Whether the lead complains that nobody answered it (<see cref="NoAnswerComplaint"/>).</summary>
    public static bool ComplainsOfNoAnswer(LeadText lead) => NoAnswerComplaint.IsMatch(lead.Words);

    /// <summary>Small talk about the weather, sport or the time, a joke or a poem: no question about the business.</summary>
    private static readonly PhraseRuleSet OffTopic = new(
        "weather|=wetter", "=won & !deal|deals|award|customer*|client*", "wer & gewonnen", "what time is it|whats the time|wie spaet ist|wie viel uhr ist|wieviel uhr ist",
        "tell me a joke|erzaehl mir einen witz|erzaehl einen witz|write me a poem|write a poem|schreib mir ein gedicht|schreib ein gedicht");

    /// <summary>
    /// Whether a short message asks something off-topic (<see cref="OffTopic"/>): "whats the weather like in london today"
    /// was promised a precise answer from the team. (A longer one may say "weather" for "whether".)
    /// </summary>
    public static bool AsksSomethingOffTopic(LeadText lead) => lead.Words.Count <= 12 && OffTopic.IsMatch(lead.Words);

    /// <summary>A message that is no enquiry: a vendor's pitch to the business, or someone asking for a job.</summary>
    private static readonly PhraseRuleSet NoEnquiry = new(
        "would you be interested in|are you interested in|interested in growing|haetten sie interesse an|haben sie interesse an"
            + " & your traffic|your website|your ranking|your rankings|your seo|your online presence|your visibility|more traffic|ihre website|ihr ranking|ihre sichtbarkeit|mehr traffic",
        "we offer|we provide|offering|wir bieten|bieten wir & seo|link building|backlinks|guest post*|web design|webdesign|suchmaschinenoptimierung & services|packages|dienstleistung*|pakete"
            + " & !enquiries|inquiries|our clients|our customers|unsere kunden|anfragen",
        "are you hiring|you guys hiring|r u hiring|are you looking for staff|any job openings|any openings|open positions|job opening*|looking for a job|apply for a job|send my cv|send you my cv|send my resume"
            + "|stellt ihr ein|stellen sie ein|suchen sie mitarbeiter|sucht ihr mitarbeiter|stellenangebot*|initiativbewerbung|mich bewerben|offene stelle*");

    /// <summary>
    /// Whether the message is no enquiry (<see cref="NoEnquiry"/>): "We are a digital marketing agency offering SEO and link
    /// building services…" and "are you guys hiring?" were asked their team size.
    /// </summary>
    public static bool IsNoEnquiry(LeadText lead) => NoEnquiry.IsMatch(lead.Words);

    /// <summary>Bonus per additional matching cue list of the same intent.</summary>
    private const double ExtraCueBonus = 0.25;

    /// <summary>A deletion asked about as one the lead may want later, not asked for now.</summary>
    private const string DeletionOneDay = " & !if i leave|if we leave|if i stop|if we stop|if i cancel|if we cancel|when i leave|when we leave|anytime|any time|at any point|later|one day|someday|in the future";

    private static readonly Cues[] Table =
    [
        // ---------------------------------------------------------------- opt_out
        new(Intent.OptOut, 10, new(
            "unsubscrib*", "opt out", "optout", "remove me", "take me off", "dont contact me", "do not contact",
            "dont text me", "dont message me", "dont email me", "dont call me again|dont call again|do not call",
            "no more text*|no more message*|no more email*|no more mails", "no further message*|no further email*",
            // "does it stop spam enquiries?" asks what the product does.
            "dont want any more|do not want any more", "stop & text*|messag*|contact*|email*|writing|sending|spam*|offers|whatsapp* & !does it|can it|will it|could it|would it|is it able|kann es|kann das|stop me if|stop me when|if im wrong|if i am wrong",
            "leave me alone", "off your list|off your database|off your mailing*|from your list|from your database",
            // Asked as what the lead may do one day ("Can I delete all my data if I leave?", "Kann ich meine Daten jederzeit
            // löschen lassen?"): a question about its rights, which opted it out for good.
            "remove & my number|my details|my data|it now" + DeletionOneDay, "delete & my details|my data|my number|my contact*" + DeletionOneDay,
            "data & deleted & gdpr|dsgvo" + DeletionOneDay, "never signed up", "spamming", "dont want them|dont want these",
            "=abmeld*", "austragen", "sie mich aus", "keine nachrichten mehr & !verschick*|versend*|gesend*|geschickt|ankomm*|update",
            "keine weiteren nachrichten|keine weiteren mails",
            // "Bitte keine Werbung, ich habe nur eine Frage zum Datenschutz" asks its question (it was opted out, unanswered).
            "keine werbung & !nur eine frage|eine frage zum|eine frage zur|eine frage zu|nur wissen", "keine newsletter",
            "keinen newsletter", "nicht mehr schreiben", "mir nicht mehr", "kontaktier* & nicht mehr",
            "nicht mehr kontaktier*", "=loesch* & nummer|daten|kontakt* & !einen kontakt|einen lead|einen kunden|einen interessenten|wie kann ich|wie koennen wir|jederzeit|wenn ich|wenn wir|falls ich|falls wir|spaeter|irgendwann", "=stopp", "mich in ruhe|uns in ruhe", "nie wieder",
            "nicht mehr bekommen|nicht mehr erhalten|nicht mehr zugeschickt", "verteiler", "zuspam*", "zugespamt",
            "widersprech* & daten|nutzung|werbung|verarbeitung", "zusendung* & ein|einstellen", "=newsletter & abmeld*|aus",
            "melde* & mich|uns & ab & !spaeter", "hoer*|hoert & auf & schreib*|schick*|nachricht*|mail*|spam*|whatsapp*|nerv*")),
        // A wrong number ("sorry wrong number", "Sie haben sich verwählt") is no lead: it was asked what brought it to us.
        new(Intent.OptOut, 8, new(
            "wrong number|wrong person|wrong guy|wrong contact|falsche nummer|falsche person|falsch verbunden|verwaehlt"
                + " & !correct|right|new|instead|use|my other|richtige|neue|stattdessen|andere nummer")),
        // "hör auf": usually "stop messaging me", but "hören Sie auf mit dem Bot, ich will jemanden sprechen" is a hand-over.
        // "can it tell the difference between a real lead and spam?" asks about the product (it was opted out, for good).
        new(Intent.OptOut, 7.5, new("hoeren sie & auf", "hoer & auf", "hoert & auf",
            "spam & !filter*|detect*|tell|difference|block*|recogni*|identif*|sort*|weed*|catch*|handle*|deal with|real lead*|genuine|erkenn*|unterscheid*|aussortier*|herausfilter*|rausfilter*|echte*|fake*|bots|does it|can it|will it|could it|would it|kann es|kann das")),

        // ---------------------------------------------------------------- human
        new(Intent.Human, 9.5, new(
            "talk to|speak to|speak with|talk with|deal with & a person|a human|someone|somebody|your team|your manager|an agent|a colleague|a rep|a representative|a real|an actual|real person|human* & !someone who|somebody who|customer*|client*|student*|alumni|reference*|graduate*",
            "mensch* & sprech*|red*|schreib*", "echten person|echte person|einer echten|jemand echtes|jemanden echtes|jemand echten",
            "ihr team|ihrem team|euer team|eurem team & sprech*|red*", "wer & zustaendig & sprechen|reden")),
        new(Intent.Human, 8, new(
            // Not a person the lead had or compares with: "we had a human answering before but she quit" was handed over.
            // Nor one asked about as part of the product: "Is there a human in the loop?" was handed over.
            "human|humans & !we had|had a|used to|before|quit|left|our|hired|hire|employ*|receptionist|answering|instead of|than a|better than|replace*|like a|sounds|as good as|in the loop|oversight|review|approve|approves|check the|checks the",
            "real person", "actual person", "actual human", "real people", "live person",
            "live agent", "an agent", "representative", "someone from your", "someone real", "somebody real",
            "talk to someone|speak to someone|speak with someone|talk with someone & !someone who|customer*|client*|student*|alumni|reference*|graduate*", "not a machine", "not a robot",
            "an ai", "person & speak*|talk*", "your manager", "your boss", "account manager", "transfer me",
            "put me through", "connect me", "=colleague & take over", "someone on the phone",
            "who am i & talking|chatting|speaking|writing",
            // In so many words: "Ist das DSGVO-konform? … dass der Bot keine steuerlichen Auskünfte gibt?" (two questions) asked whether it is a bot.
            "is this a bot|is this the bot|is this the sales bot|is this your bot|is this a sales bot|is this the chatbot|is this your chatbot|is this the ai|is this your ai|is this a chatbot|is this an ai|is this ai|is this a robot|is this automated|is this automatic|is this an ai bot|is this actually a bot|is this actually ai|is this just a bot|is this a real person|is this a human|is this a machine|is this a computer|is it a bot|is it ai|is it an ai|is it a robot|is it automated|is it a real person|is it a human|is that a bot|is that ai",
            "are you & bot|robot|ai|human|real", "written by & ai|bot|a machine", "anyone there|anybody there",
            "is there & anyone|anybody|somebody|someone & help*",
            "mensch", "menschen", "echte person|echten person|einer echten", "ansprechpartner*", "fleisch und blut",
            "mitarbeiter* & sprech*|red*|verbind*|weiterleit*", "kolleg* & sprech*|verbind*|weiterleit*|uebernehm*",
            "einen mitarbeiter|eine mitarbeiterin|einen berater|eine beraterin", "berater* & weiterleit*|sprech*|verbind*",
            "ihrem chef|ihren chef|ihre chefin", "frau|herrn|herr & sprechen", "ihrem vorgesetzt*|ihren vorgesetzt*|vorgesetzt*", "persoenlich & sprech*|red*|anschreib*",
            "jemand* & sprech*|red*|persoenlich|echt*", "verbinden sie mich", "stellen sie mich & durch", "durchstell*",
            "mit wem & schreibe|spreche|chatte", "bist du & bot|ki|roboter|mensch|echt", "ist das ein bot|ist das der bot|ist das euer bot|ist das ihr bot|ist das ein ki bot|ist das eine ki|ist das ki|ist das ein roboter|ist das automatisch|ist das automatisiert|ist das ein chatbot|ist das hier ein bot|ist das hier eine ki|ist das eigentlich ein bot|ist das eigentlich eine ki|ist das nur ein bot|ist das ein mensch|ist das echt",
            "irgendwer|irgendjemand & helfen", "kundendienst|kundenservice & durch|verbind*|sprech*", "keinen roboter|keine maschine")),
        // Asking for the sales or service people by their department (issue 14): a hand-over, unless the lead describes
        // its own job ("I work in sales", "ich leite den Vertrieb") or its own staff ("wir haben 8 Verkäufer"), or
        // complains about them.
        new(Intent.Human, 7, new(
            $"{Departments} & !work|working|head|leite|leiten|arbeite|taetig|bin im|sind im|our|unser|unserem|unseren|useless|terrible|awful|worst|schlecht|miserabel & !{OwnStaffCues}")),
        // A bare "bot"/"chatbot" mention is weak: "difference between you and a chatbot?" is a question.
        new(Intent.Human, 2.9, new("bot", "chatbot", "robot", "roboter")),

        // ---------------------------------------------------------------- purchase
        new(Intent.Purchase, 7, new(
            "ill take it", "well take it", "lets do it", "lets do this", "where do i sign", "where can i sign",
            "lets try it|lets give it a try|lets give it a go|well give it a try|ill give it a try|well try it",
            "probieren wir es|wir probieren es|probieren wirs|testen wir es|wir testen es|lass mal testen|lass uns testen|lasst uns testen|dann testen wir|dann probieren wir|lass es uns testen|lass es uns probieren & !nicht|wenn|falls|ob|spaeter",
            "lets test it|lets try it out|lets give it a shot|ill give it a shot|well give it a shot|happy to give it a try|ready to give it a try",
            "sign us up", "sign me up", "count me in", "count us in", "go ahead", "move forward",
            // "We're in!" is a yes; "we're in the middle of a restructuring" is not.
            "were in & !were in the|were in a|were in an|were in talks|were in touch|were in contact",
            "im in & !im in the|im in a|im in an|im in touch",
            "ready to start|ready to sign|ready to buy|ready to go|ready to order", "purchase",
            "place an order|place the order|place my order", "like to order", "want to order",
            "how do i pay|how can i pay|where do i pay|how do i order|how can i order|how do we order|how can we order|where do i order|where can i order", "next step & get started|sign|start|buy",
            // "nobody replied to my email about my invoice. ridiculous" is a complaint, not an order.
            // "can it send invoices" asks what the product does (it was welcomed aboard); "can it send me the invoice" asks for ours.
            "send*|email & contract|invoice|agreement|order form & !nobody|no one|replied|responded|answered|wrong|never|still|havent|hasnt|didnt|third time|second time|again"
                + " & !can it|does it|will it|could it|would it|is it able|can the|does the|can your|does your|can this|does this",
            "send*|email & contract|invoice|agreement|order form & me|us & !nobody|no one|replied|responded|answered|wrong|never|still|havent|hasnt|didnt|third time|second time|again",
            "order form", "invoice us|bill us",
            "accept* & quote|offer|proposal", "decided to go with|go with you|going with you", "ball rolling",
            "sign up", "please proceed|proceed with",
            "ich nehme es", "nehmen wir es", "wir nehmen es", "nehme ich", "nehme es", "machen wir so", "machen wir es",
            "wir machen das|machen wir das|machen wir des", "das machen wir & !nicht|kein*|wenn|falls|ob|lieber|selbst|weiterhin|intern|erst|spaeter", "unterschreib*", "bestellen", "bestelle", "wir sind dabei",
            "ich bin dabei", "legen wir los", "loslegen", "moechten starten|wollen starten|koennen starten",
            "buchen & paket|*paket|lizenz*|tarif|abo|plan", "book & plan|package|license*|licence*",
            "schick*|send* & vertrag|rechnung|auftragsbestaetigung|bestellformular & !kann es|kann das|kann der|kann die|kann ihr|kann euer|macht es|schickt es|verschickt es|geht das", "bestellformular",
            "in rechnung stellen|stellen sie uns", "nehme* & angebot & an", "angebot & annehm*", "abgemacht",
            "fuer sie entschieden|fuer euch entschieden", "dazubuchen|dazu buchen|hinzubuchen", "freischalten",
            "abschliessen", "wie & melde* & an", "=anmelden & wie|wo",
            // German commitments without a purchase word: "ich möchte es machen", "nehmen wir die zwei", "ich buche den Kurs".
            "moechte*|will|wollen|wuerde*|werde*|werden & es machen|das machen|es gerne machen|das gerne machen|es gern machen|das gern machen|das so machen|es so machen & !wenn|falls|ob|bevor|nicht",
            "nehmen wir & den|die|das|ihn|beide|alle|zwei|drei|vier|fuenf & !mit|wenn|falls|ob|an",
            "wir nehmen|ich nehme & den|die|das|ihn|beide|alle|zwei|drei|vier|fuenf & !mit|wenn|falls|ob|an|zurueck|ab|ernst|teil|kontakt|bezug",
            "ich buche|wir buchen|buche ich|buchen wir & !wenn|falls|ob|termin*|call|gespraech|beratung*|rueckruf|demo|probe*",
            // "ich schau mir das mal an und melde mich" (the "an" of "anschauen") was an order.
            "melde mich|melden uns|melde ich mich|melden wir uns & an & !wenn|falls|ob|wie|wo|kann|muss|spaeter|bei|zurueck|wieder|sobald|nochmal|schau*|guck*|seh*|sieh*",
            "auftrag & erteil*|geben|vergeben & !wenn|falls|ob", "beauftragen & !wenn|falls|ob|mit", "kaufvertrag & !wenn|falls|ob",
            "lets go for it|well go for it|ill go for it|go for it", "lets sign|well sign|ill sign|happy to sign|can sign",
            "well go with|ill go with|were going with|we are going with|go ahead with & plan|package|option|tier|offer|quote|proposal|annual|monthly & !competitor*|another|other|someone else|elsewhere")),
        // Bare "buy"/"kaufen": a commitment, but not in a condition, a comparison or an availability question ("mieten statt
        // kaufen", "the cheap ones you can buy online", "if we buy 20 licences, is there a discount?", "kann ich auch … kaufen?").
        new(Intent.Purchase, 7, new(
            "buy|kaufen|kaufe & !if|wenn|falls|statt|anstatt|instead|rather|than|oder|or|auch|also|online|cheap*|billig*|guenstig*|selbst|myself|ourselves|elsewhere|woanders|you can|kann man|man kann|lohnt|store|shop|laden|baumarkt")),
        new(Intent.Purchase, 5, new("=anmelden", "registrieren", "register")),
        new(Intent.Purchase, 5, new(
            "deal", "upgrade*", "add & seat*|licen*|user*", "pay & credit card|card|paypal|invoice|now",
            "kreditkarte|paypal|ueberweisung & zahl*", "zahlen & direkt|sofort & !wenn|falls|ob", "richte* & konto", "konto einrichten",
            "set up the account|set up our account", "get started")),
        // Past tense: "Gekauft!" is a yes, "we just bought a house" or "vor zwei Monaten einen Wagen gekauft" is context.
        new(Intent.Purchase, 4.4, new(
            "gekauft|bought & !haus|house|home|flat|apartment|property|wohnung|immobilie|grundstueck|car|wagen|auto|fahrzeug|ago|vor|last year|letztes jahr|geerbt")),

        // ---------------------------------------------------------------- objection (price and rejection)
        // "=": exact where a look-alike is common ("steep" ≈ "steel", "unsure" ≈ "unsere", "Bedenken" ≈ "bedanken").
        new(Intent.Objection, 6.5, new(
            "too expensive", "too pricey", "too costly", "too much money", "lot of money", "cant afford",
            "cannot afford", "not interested", "no interest", "not for us", "dont have the budget",
            "dont have a budget", "no budget", "cheaper", "=steep", "overpriced", "not worth", "half that|half the price",
            "cant justify|cannot justify|hard to justify", "too much for",
            "zu teuer", "ganz schoen teuer", "ziemlich teuer", "recht teuer", "kein interesse", "nicht interessiert",
            "kein budget", "keine budget", "guenstiger", "nicht leisten", "zu viel geld|zu viel fuer", "nicht rechtfertigen",
            "lohnt sich nicht|lohnt sich das nicht|rechnet sich nicht", "kein geld",
            // Price pushback without a price word: compared with what they pay or expected, or "a lot for …".
            "well above|way above|far above|well over|way over|far over|way more|a lot more|big jump|quite a jump & what we|what i|we pay|we spend|we paid|our budget|we had|we budgeted|planned",
            "more than we|more than i & pay|spend|paid|expected|thought|budgeted|planned|had in mind|can afford",
            "over our budget|over budget|above our budget|exceeds our budget|beyond our budget|outside our budget",
            // Not the lead's own workload: "our admin team of 2 answers everything manually and it's a lot".
            "thats a lot|that is a lot|its a lot|thats quite a lot|thats a bit much|bit much for & !of|thanks|thank|manually|by hand|answers|answer|answering|handle|handling|work|messages|enquiries|inquiries|emails|requests",
            "more expensive than|pricier",
            "=happig*", "schluck", "viel fuer|viel geld & !wie viel|wieviel|wie|vielen", "bisschen viel|etwas viel|ganz schoen viel|ziemlich viel|recht viel",
            "mehr & als wir bisher|als wir jetzt|als wir zahlen|als wir ausgeben|als wir bezahlen|als bisher|als gedacht|als erwartet|als geplant|als ich dachte|als ich gedacht|als wir gedacht|als wir dachten|als wir erwartet|als wir geplant|als wir eingeplant",
            "ueber unserem budget|ueber dem budget|ueber budget|uebersteigt & budget|rahmen", "sprengt|sprengen & budget|rahmen",
            "teurer als", "billiger", "schwer zu stemmen", "liegt|liegen & ueber & wettbewerb*|mitbewerb*|anbieter|konkurrenz|budget|dem des|dem von",
            // A competitor's lower offer, or a request to match it.
            "came in & lower|cheaper|under|below|less", "quoted|offered|offering|offers|angeboten & less|lower|cheaper|half|weniger|billiger|guenstiger|haelfte",
            "undercut*", "beat their|beat that|match that|match their|match the price|can you match|could you match|price match",
            "another|other|different|andere|anderer|anderes|anderen & installer|supplier|provider|vendor|agency|clinic|company|dealer|anbieter|betrieb|autohaus|klinik|haendler|firma|praxis & cheaper|less|lower|half|billiger|guenstiger|weniger|haelfte|nachlass|rabatt",
            "da mitgehen|mitgehen & sie|ihr|da", "fuer die haelfte")),
        new(Intent.Objection, 5, new(
            "not sure", "=unsure", "think about it", "think it over", "need to think", "competitor*", "no time",
            "dont have time", "busy", "happy with & !not happy|not too happy|not that happy|not very happy|not really happy|unhappy", "satisfied with", "fine with", "already use", "already using",
            "already have", "already work with", "not a priority", "maybe next year", "maybe later",
            "not right now", "not now", "get back to you", "talk to my", "check with my", "discuss with my",
            // "Ich melde mich" (I'll be in touch) stalls; "ich melde mich an" signs up.
            "ich melde mich|wir melden uns|melde mich wieder|melden uns wieder|melde ich mich|melden wir uns & !an|anmelden",
            "run this past|run it past|run this by|run it by", "tried & before",
            "dont see a reason", "no reason to switch", "mitbewerber*", "wettbewerber*", "=bedenken", "concerns about|concerned about", "too risky|zu riskant", "not convinced", "doesnt fit", "not the right time",
            "too complicated", "zu kompliziert|klingt kompliziert|kompliziert fuer mich|kompliziert fuer uns", "no need",
            EffortObjection, "dont need", "dont see the need|dont really see the need", "dont trust",
            "skeptic*", "sceptic*", "locked into|tied into|under contract", "too small",
            // "we do it manually" keeps what it has; "answers everything manually and it's a lot" is its pain.
            "manually|by hand & !its a lot|a lot of work|too much|takes forever|takes ages|hours|overwhelm*|cant keep up|nightmare|exhausting|painful",
            "ueberleg*", "keine zeit", "nicht sicher", "abklaer*", "konkurrenz", "lieber nicht",
            "zufrieden", "passt nicht", "kein bedarf", "keinen bedarf", "brauchen wir nicht", "nicht ueberzeugt",
            "jetzigen|aktuellen|bisherigen & anbieter|loesung|tool", "skeptisch", "vertraglich gebunden|gebunden",
            "kein thema", "halte nichts|halten nichts", "lieber & selbst", "weiterhin selbst", "chef & besprech*|abstimm*|klaer*|reden|fragen",
            "momentan nicht|derzeit nicht|aktuell nicht|im moment nicht & !funktion*|geht|laeuft|klappt|login|app",
            "passt & gerade|momentan|aktuell & nicht", "zu klein",
            "schon eine loesung|bereits eine loesung",
            "nicht ueberzeugt", "bringt nichts|nichts gebracht")),
        // Commitment and timing: refusing a long tie-in or saying it is the wrong moment is as clear as "too expensive",
        // and must outweigh a price word in the same turn ("5 € Rabatt ist nett, aber … nicht binden").
        new(Intent.Objection, 6, new(
            "long contract|lengthy contract|long commitment|big commitment|long term commitment|tie ourselves|tie myself|tie us|tied down|lock ourselves|lock myself|lock us in|locked in",
            "too long & contract|term|commitment|months|years|tie*",
            "=binden|festlegen & nicht|ungern|lange|langfristig|zu lang*", "mindestlaufzeit|laufzeit|=bindung|vertrag & zu lang*|zu lange|nicht in frage",
            "nicht in frage|out of the question|non starter|nonstarter|deal breaker|dealbreaker|ausschlusskriterium",
            "timing & isnt|not|bad|wrong|off|tough|difficult|awkward", "bad timing",
            "zeitpunkt & nicht|unguenstig*|schlecht*|falsch*")),
        // A season or "next year/quarter" is a stall only with a deferral ("try me in the autumn", "melden Sie sich im
        // Herbst wieder"); as a plain fact ("wir ziehen im Herbst um", "contract renewal in the autumn") it is context.
        new(Intent.Objection, 5, new(
            "autumn|next quarter|next year|im herbst|im fruehling|im sommer|naechstes quartal|naechstes jahr|naechsten jahr & try|again|back|reach out|contact|ping|check in|revisit|circle|maybe|perhaps|later|wait|postpone|melden|wieder|nochmal|erst|vielleicht|eventuell|warten|verschieben|spaeter|angehen|zurueck*|schauen|fruehestens & !umzug|umziehen|ziehen|ziehe|zieh|einzug|moving|move|renewal")),
        new(Intent.Objection, 3.5, new("spaeter")),
        new(Intent.Objection, 4.5, new("in ruhe")),
        new(Intent.Objection, 6, new(
            "joke|ridiculous|absurd|laecherlich|wucher*|unverschaemt* & price*|pricing|preis*|kost*|teuer|cost*")),

        // ---------------------------------------------------------------- meeting
        new(Intent.Meeting, 6, new(
            "call", "over the phone|by phone|on the phone|phone call|phone me", "demo", "meeting", "meet", "schedule",
            "book", "appointment", "zoom", "hop on", "calendar invite|invite", "per teams|via teams|on teams|teams call|teams meeting",
            "minutes|mins|min & set up|go through|chat|talk", "ring me|give me a ring", "video call|videocall",
            "walkthrough|walk through", "when suits you|when works for you|when are you free|are you free|when do you have time",
            "book a slot|a slot", "quick chat", "in person",
            // A demo asked for as seeing it work ("ok cool. can i see it working somewhere?" was left to the team).
            "see it in action|see it working|see it work|see it live|see how it works live", "show me|show us & how it works|it in action|it live|it working",
            "in aktion sehen|live sehen|live erleben|live zeigen", "zeig*|zeigen & wie es funktioniert|wie das funktioniert|wie das aussieht",
            "mir das mal zeigen|uns das mal zeigen|mir das zeigen|uns das zeigen|zeig mir mal|zeigen sie mir mal|zeigst du mir|zeigt ihr mir|zeigt mir mal",
            // Not the product a practice or shop looks for: "Terminvergabe per WhatsApp", "Online-Terminbuchung".
            "termin* & !terminvergabe|terminbuchung*|terminverwaltung|terminmanagement|terminerinnerung*|terminsoftware|terminplaner|online termin*",
            // "=gespraech": one talk, not the conversations a lead asks about ("wer sieht die Gespräche?" was offered demo times).
            "rueckruf", "zurueckruf*", "ruf*|rufen & zurueck", "anruf*", "anrufen", "telefon*", "=gespraech",
            "treffen", "zusammensetzen", "einladung", "videocall", "minuten & sprechen|durchgehen|austauschen|fuer mich",
            "ruf* & an", "vorfuehrung", "wann haben sie zeit|haetten sie & zeit", "besprechen & teams|zoom|telefon*",
            "zeit fuer & gespraech|call|austausch")),
        // Booking phrased as reserving or arranging a visit or appointment (issue 14).
        new(Intent.Meeting, 6.5, new(
            "reserve|reserving|arrange|set up|book|schedule & slot|time|appointment|visit|viewing|consultation",
            "besichtigung*", "termin* & reservier*|ausmach*|vereinbar*", "vereinbar* & besichtigung|gespraech|beratung")),
        new(Intent.Meeting, 7, new("call me back|call back", "ruf* mich & zurueck", "rufen sie mich & zurueck")),

        // ---------------------------------------------------------------- pricing
        // "=price*": with typo tolerance the stem matched "process", "procedure" and "PRINCE2".
        new(Intent.Pricing, 5.5, new(
            "=price*", "pricing", "cost", "costs", "how much", "discount*", "budget", "fee", "fees",
            // "We get ~300 inbound quote requests a week": the lead's own customers asking it for quotes; "we need to collect
            // the date, size and flavor before we quote": the lead quoting its own customers.
            "=quote & !quote requests|quote request|requests for quotes|request for quotes|quotes a week|quotes per|we quote|quote them|quote the customer|quote customers|quote our customers",
            "per month", "per user", "per seat", "per year", "rates", "rate", "=charge", "ballpark", "cheapest",
            "free tier|free plan|free version", "special offer*|any offers|any deals",
            "preis*", "*preis", "kostet", "kosten", "koscht*", "wie teuer", "teuer", "rabatt*", "*rabatt", "gebuehr*",
            "wie viel", "wieviel", "monatlich*", "kostenlos* & !test*|ausprobier*", "gratis", "=aktion*",
            // Amounts on payment terms: "Leasingrate", "Monatsrate", "monthly payment", a cost estimate.
            "*leasingrate*|*monatsrate*|leasingangebot*|leasingkondition*|kostenvoranschlag",
            "monthly payment*|monthly cost*|monthly fee*|monthly price|pro monat",
            // Negotiation asks: the best price, room to move, a discount for paying up front.
            "best you can do|best price|best offer|best deal|bestes angebot|besten preis|bester preis|letzter preis|letztes angebot",
            "wiggle room|any flexibility|some flexibility|flexibility on|flexible on|room on the price|room to move",
            "spielraum", "entgegenkommen|entgegen kommen", "nachlass*", "was geht da noch|geht da noch was|was geht da preislich|am preis noch was",
            "=prepay*|pay upfront|pay up front|paying annually|pay annually|annual billing|annual prepayment|*vorauszahlung|vorkasse",
            "haette gern* ein angebot|haetten gern* ein angebot|bitte um ein angebot|um ein angebot")),
        // Whether financing, leasing or instalments exist is a question in form ("Do you offer financing?", "Gibt es
        // Ratenzahlung?"), so these only decide a statement ("Finanzierung wäre uns wichtig"), below the question cue.
        new(Intent.Pricing, 2.9, new(
            "ratenzahlung*|=raten|finanzier*|financing|finance|instalment*|installment*|pay monthly & !approved|genehmigt|bewilligt|department|team|abteilung|director|officer|manager")),
        new(Intent.Pricing, 4.5, new(
            "subscription", "one off", "paid", "vat", "tarif*", "pakete", "abo", "einmalzahlung",
            "mwst", "lizenzen & angebot")),
        new(Intent.Pricing, 3.5, new("angebot")),
        new(Intent.Pricing, 5.5, new("angebot & zukommen|schicken|senden|machen|erstellen|zusenden|uebersend*|uebermitteln")),

        // ---------------------------------------------------------------- support
        new(Intent.Support, 4.5, new(
            "problem", "problems", "issue", "issues", "broken", "doesnt work", "does not work", "not working",
            "isnt working", "dont work", "didnt work", "wont work", "stopped working", "doesnt load", "wont load",
            "not loading", "error*", "crash*", "bug", "bugs", "cant log in", "cant login", "cant access", "=locked",
            "charged twice", "double charged", "charged & without|twice|wrong", "refund*", "password", "reset",
            "hasnt arrived", "not arrived", "never arrived", "where is my order", "help with my", "wrong with",
            "went wrong", "wrong amount", "wrong item", "fix", "useless", "worst", "scam", "fraud", "complaint",
            "not received", "havent received", "still havent", "customer support", "support team", "delayed",
            "unauthori*", "cant connect", "not syncing|arent syncing|isnt syncing|stopped syncing",
            "arent being sent|not being sent|isnt being sent", "need help", "2fa", "two factor", "login", "log in",
            "anymore & !interest*",
            "funktioniert|funktionieren|geht|laeuft & nicht|nichts", "fehler*", "*fehlermeldung", "problem*",
            "absturz", "stuerzt", "abgestuerzt", "abgebucht", "abbuchung", "passwort", "einloggen", "hilfe",
            "konto", "lieferung", "nicht angekommen", "stimmt nicht", "kaputt", "reklamation", "=betrug*" /* not "Betrag" */, "stoerung",
            "abzocke", "verspaetet", "beheben", "laesst sich nicht", "nicht autorisiert", "zugangsdaten", "gesperrt",
            "kommt nicht an|kommen nicht|kommt nicht", "keine & verschickt|versendet|gesendet", "nicht mehr & verschickt|versendet|gesendet",
            "zwei faktor|zweifaktor|2fa", "helfen", "seit dem update|since & update")),
        new(Intent.Support, 5, new(
            "cancel* & subscription|account|contract|plan|order|membership", "kuendig*", "stornier*",
            "app|system|tool|dashboard|programm|software & stops|freez*|hangs|stuck|haengt|friert")),
        new(Intent.Support, 6, NoAnswerComplaint),
        new(Intent.Support, 4, new(
            "invoice*", "billing", "receipt", "rechnung*", "add & new user|a user|new user", "hinzufueg*|fuege & hinzu",
            "neuen benutzer|neuen nutzer")),

        // ---------------------------------------------------------------- interest
        new(Intent.Interest, 4, new(
            "tell me more", "more info*", "more detail*", "some info*", "learn more", "know more", "hear more",
            "more about", "interested", "intrigued", "keen", "promising", "curious", "brochure", "case study",
            "something i could read", "overview", "next step*", "whats the scoop", "send details|send me details",
            "erzaehlen sie mir mehr", "erzaehlen sie mehr", "erzaehl mir mehr", "erzaehl*", "mehr erfahren",
            "mehr info*", "mehr detail*", "interessiert", "interessieren", "interesse", "mehr wissen", "mehr darueber",
            "unterlagen", "broschuere", "datenblatt", "neugierig", "vielversprechend", "naechsten schritte|naechste schritt*",
            "zum lesen", "was bieten sie|was bietet ihr")),
        new(Intent.Interest, 2.5, new(
            "sounds good", "sounds great", "sounds interesting", "looking for", "need", "we need", "relevant",
            "useful", "searching for", "exactly what", "looks great", "looks good", "yes please", "could work",
            "solve", "look into", "recommended", "why not",
            "klingt gut", "klingt super", "klingt spannend", "klingt interessant", "spannend", "interessant",
            "suchen", "brauchen", "ja gerne", "ja bitte", "koennte & passen", "empfohlen", "anschauen", "ich hoere")),

        // ---------------------------------------------------------------- greeting
        new(Intent.Greeting, 1.5, new(
            "hi", "hello", "hey*", "howdy", "greetings", "good morning", "good afternoon", "good evening", "morning",
            "evening", "yo", "hallo*", "hallihallo", "guten tag", "guten morgen", "guten abend", "moin", "servus",
            "gruess gott", "gruss gott", "gruezi", "hi there", "salue", "hoi", "gruess di", "tach", "gude", "huhu",
            "mahlzeit", "hola", "guete morge|guete tag|guete obig", "schoenen guten",
            // Casual typos (issue 14).
            "helo", "hii", "hiii", "hallo zusammen")),

        // ---------------------------------------------------------------- other
        new(Intent.Other, 6.5, new(
            "vacation", "holiday", "out of office", "ooo", "urlaub", "abwesend", "nicht im buero",
            "automatic reply|automated reply|auto reply|autoreply", "automatische antwort", "travelling|traveling",
            "geschaeftsreise", "limited access|eingeschraenkt*", "in a meeting|in meetings", "im meeting|in einem meeting",
            "wrong number", "falsche nummer", "meant to send|war fuer & gedacht", "back on|wieder da|zurueck am")),
        new(Intent.Other, 6, new("no problem|no worries|kein problem|keine sorge*")),
        // Off-topic questions (issue 14): small talk about the weather, sport or the time is no product question.
        new(Intent.Other, 4.5, OffTopic),
        new(Intent.Other, 6, NoEnquiry),
        new(Intent.Other, 5, new( "typo|tippfehler", "thanks for your patience|danke fuer ihre geduld")),
        new(Intent.Other, 3, new(
            "thanks for|thank you for|danke fuer|vielen dank fuer", "have a great|have a nice|schoenes wochenende|schoenen tag",
            "bye", "tschuess", "ciao", "bis bald", "see you", "happy new year|gutes neues", "weather|=wetter" /* not "weiter" */)),
    ];

    /// <summary>Priority for ties, highest first.</summary>
    private static readonly Intent[] TieOrder =
    [
        Intent.OptOut, Intent.Human, Intent.Purchase, Intent.Objection, Intent.Meeting, Intent.Pricing, Intent.Support,
        Intent.Interest, Intent.Question, Intent.Greeting, Intent.Other,
    ];

    /// <summary>Cues whose negation turns them into an objection.</summary>
    private static readonly Intent[] NegatableIntents = [Intent.Interest, Intent.Purchase, Intent.Meeting];

    private static readonly HashSet<string> Negators = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "dont", "doesnt", "didnt", "wont", "cant", "isnt", "arent",
        "nicht", "kein", "keine", "keinen", "keiner", "nie", "niemals",
    };

    /// <summary>Negative words that a negator turns into praise ("not bad", "nicht schlecht"): no negation scope.</summary>
    private static readonly HashSet<string> NegatedPraise = new(StringComparer.Ordinal)
    {
        "bad", "wrong", "terrible", "schlecht", "falsch", "uebel", "verkehrt",
    };

    /// <summary>Weekdays and times: on their own weak, as a question or with "works/passt" a meeting proposal.</summary>
    private static readonly PhraseRuleSet TimeSlot = new(
        "monday", "tuesday", "wednesday", "thursday", "friday", "tomorrow", "tonight", "next week", "this week",
        "wed", "thu", "mon", "tue", "fri",
        "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "uhr", "naechste woche", "diese woche", "morgen & !guten",
        "*vormittag", "*nachmittag");

    private static readonly PhraseRuleSet Availability = new(
        "works for me|work for me|suits me|works", "how about|what about", "im around|im free|i am free", "available",
        "passt mir|passt ihnen|passt es", "ginge|geht bei mir|geht es|ginge bei mir", "wie waere es", "haette zeit|haben sie zeit",
        "koennen wir|could we|can we", "bei mir");

    /// <summary>
    /// A question whether the product does something with appointments or calls ("does it send appointment reminders?",
    /// "can it book appointments for my patients?", "Kann das System Termine für unsere Kunden vereinbaren?"): a product
    /// question, not a wish for a meeting with us (it was offered demo slots). Checked only when no time is named: "can it
    /// be on Thursday?" is about our meeting.
    /// </summary>
    private static readonly PhraseRuleSet FeatureQuestion = new(
        "does it|can it|will it|could it|would it|is it able|does the system|does your system|can the system|can your system|does the bot|can the bot|does the tool|does your tool|does your software|can your software|does the software"
            + " & send|sends|remind|reminds|reminder|reminders|book|books|schedule|schedules|confirm|confirms|reschedule|cancel|call|calls|handle|handles|manage|manages"
            + " & !be|suit|suits|work for you|works for you",
        "kann es|kann das|kann das system|kann der bot|kann die software|kann das tool|macht es|macht das|schickt es|verschickt es|bucht es|kann man damit|koennen kunden|koennen patienten|koennen gaeste"
            + " & termin*|erinner*|buch*|anruf*|rueckruf*|vereinbar*|absag*|verschieb*",
        // "könnt ihr auch Termine in unseren Google Kalender eintragen?" was offered demo slots.
        "koennt ihr|koennen sie|kannst du|can you|could you|do you & google kalender|outlook|kalender eintrag*|in unseren kalender|in unserem kalender|eintragen|synchronisier*|google calendar|our calendar|sync*"
            + " & !mir|mich|me|invite|einladung",
        // Without naming the product, after an answer about it: "auch Termine in meinen Kalender eintragen? ich nutz google
        // kalender" was offered demo slots. Not the invitation to a meeting with us ("can you add it to my calendar?").
        "in meinen kalender|in meinem kalender|in unseren kalender|in unserem kalender|in den kalender|in my calendar|into my calendar|in our calendar|into our calendar|to my calendar|to our calendar"
            + " & eintrag*|buch*|synchronisier*|uebertrag*|put|puts|add|adds|sync|syncs|book|books & !mir|mich|me|invite|einladung|add it|put it|send it|trag es|tragen sie es");

    /// <summary>
    /// Whether the lead asks if the product books what its customers book ("kann der bot auch fahrstunden buchen?", "can it
    /// book classes?"): the calendar's answer, which names appointments, not the lead's lessons (it was left to the team).
    /// </summary>
    public static bool AsksIfItBooks(LeadText lead) => lead.QuestionMarks > 0 && ItBooks.IsMatch(lead.Words);

    private static readonly PhraseRuleSet ItBooks = new(
        "does it|can it|will it|could it|can the bot|can your bot|does the bot|can the system|can your system|does your system|can you|could you & book|books|schedule|schedules|reserve|take bookings|take reservations & !a call|a demo|a meeting|me in|us in",
        "kann es|kann das|kann der bot|kann das system|kann die software|koennt ihr|kann man damit|bucht es|bucht der bot & buchen|vereinbaren|eintragen|reservieren|ausmachen|planen & !mir|uns einen|einen termin mit|eine demo");

    private static readonly PhraseRuleSet FactsSource = new(
        "how does it know|how would it know|how will it know|how does the bot know|how does the system know|how does your bot know|how does the ai know|where does it get|where would it get"
            + " & our|my|the|which|what|whether|when|about", // "ok how does it know which listings are available" was left to the team
        "woher weiss|woher kennt|woher hat|woher nimmt|woher bekommt|wie kennt & es|das system|der bot|die ki|das tool",
        // "Can it answer questions about our treatments and prices from our own info?" found the price answer.
        "answer|answers|reply|respond|know|learn & from our|using our|based on our|with our own & info|information|data|website|site|documents|docs|faqs|faq|price list|menu|catalog|catalogue",
        "antwort*|beantwort*|lernen|lernt|kennen & aus unseren|mit unseren|anhand unserer|auf basis unserer|aus unserer & infos|informationen|daten|webseite|website|dokumente*|faqs|preisliste*|unterlagen|speisekarte",
        // "can it tell them our prices tho?" was sent SalesFlow's own price.
        "can it|could it|will it|would it|does it|can the bot|can your bot|can the ai|can you & tell|give|quote|explain|share|send & our prices|our pricing|our price list|our rates|our services|our treatments|our menu|our products|our opening hours",
        "kann es|kann das|kann der bot|kann die ki|kann das system|koennt ihr & unsere preise|unsere preisliste|unsere leistungen|unsere behandlungen|unsere produkte|unsere oeffnungszeiten & nennen|sagen|erklaeren|mitteilen|schicken|weitergeben|ausgeben",
        // "Kann der Bot auch einen groben Preis nennen, z.B. anhand der Zimmeranzahl?" (a removal firm's price to its
        // customers) was sent SalesFlow's own price.
        "kann es|kann das|kann der bot|kann die ki|kann das system|kann er & preis|preise|einen preis|einen groben preis|richtpreis|preisspanne|kosten & nennen|sagen|schaetzen|ausrechnen|berechnen|angeben|ausgeben|kalkulieren",
        "can it|could it|will it|would it|does it|can the bot|can your bot|can the ai & quote|estimate|calculate|give|tell & a price|prices|an estimate|estimates|a quote|a rough price|a ballpark|price range",
        // "what if someone asks about grants, can it explain the SEAI grant?" was told the team would check.
        "can it|could it|will it|would it|can the bot|can your bot|can the ai|kann es|kann der bot|kann die ki|kann das system & explain|erklaeren|answer questions about|answer questions on|handle questions about|fragen zu|fragen ueber & !you|your|ihr|euer|eure",
        // "Und wenn ein Mandant eine Frage zur Steuererklärung hat?" was told the team would check.
        "what if|and if|if a|if someone|when a|when someone|wenn|falls & customer|client|patient|someone|somebody|lead|guest|kunde|kundin|mandant|mandantin|patient|patientin|jemand|gast|interessent"
            // "Und wenn der Kunde nach dem Preis für ein bestimmtes Auto fragt?" was given our price (its "nach" apart from "fragt").
            + " & asks about|asks a question about|has a question about|has questions about|frage zu|frage zur|frage zum|fragen zu|fragen zur|fragen zum|fragt nach|frage ueber|fragen ueber|fragt|fragen|wissen will|wissen moechte"
            + " & !doesnt know|does not know|dont know|cant answer|cannot answer|nicht weiss|nicht kennt|nicht beantworten|keine antwort");

    /// <summary>
    /// Whether the lead asks how the assistant knows its business ("how does it know our prices tho", "Woher kennt der
    /// Bot unsere Preise?", "can it answer … from our own info?"): a question about the knowledge base, not about our price.
    /// </summary>
    public static bool AsksWhereItsFactsComeFrom(LeadText lead) => FactsSource.IsMatch(lead.Words);

    /// <summary>A meeting wished for in so many words: "I'd like to set up a call", "Ich würde gern ein Gespräch vereinbaren".</summary>
    private static readonly PhraseRuleSet MeetingWish = new(
        "id like|i would like|wed like|we would like|i want to|we want to|keen to|love to & call|demo|meeting|chat & set up|book|schedule|arrange|have|jump on|hop on",
        "moechte|moechten|wuerde gern*|wuerden gern*|haette gern*|haetten gern* & termin|gespraech|demo|telefonat|call|vorfuehrung & vereinbaren|ausmachen|buchen|haben");

    /// <summary>Whether the lead asks what the product does with appointments or calls (<see cref="FeatureQuestion"/>), naming no time.</summary>
    public static bool AsksWhatTheProductDoes(LeadText lead) =>
        FeatureQuestion.IsMatch(lead.Words) && !TimeSlot.IsMatch(lead.Words) && !HasClockTime(lead.Words);

    /// <summary>
    /// A lead asking which times we have ("sure, what times do you have?", "Welche Termine hätten Sie?"): a meeting wish.
    /// The model read one as small talk after our offer of a call, and the lead was thanked and asked again.
    /// </summary>
    private static readonly PhraseRuleSet TimesQuestion = new(
        "what times|which times|what time slots|which slots|what slots|what days|which days|what availability|any availability|your availability",
        "welche zeiten|welche termine|welche tage|wann haetten sie|wann habt ihr|wann haettet ihr|wann passt es ihnen|wann passt es euch");

    /// <summary>Whether the lead asks which times we have (<see cref="TimesQuestion"/>).</summary>
    public static bool AsksForTimes(LeadText lead) => TimesQuestion.IsMatch(lead.Words);

    /// <summary>
    /// A question about the terms ("is there a contract or can I cancel anytime?", "Wie lange ist die Vertragslaufzeit?"):
    /// a question, not a support case (its "cancel" cue read one as a fault to apologise for).
    /// </summary>
    private static readonly PhraseRuleSet TermsQuestion = new(
        "cancel anytime|cancel at any time|cancel any time|contract|minimum term|notice period|lock in|locked in|commitment" + NotACustomersOwn,
        "kuendbar|vertragslaufzeit|laufzeit|mindestlaufzeit|kuendigungsfrist|vertragsbindung|vertrag" + NotACustomersOwn);

    /// <summary>A customer cancelling its own contract ("how do I cancel my contract?") is a support case.</summary>
    private const string NotACustomersOwn = " & !my contract|our contract|meinen vertrag|unseren vertrag|mein vertrag|unser vertrag|how do i|how can i|wie kann ich|wie kuendige";

    /// <summary>Whether the lead asks about contract terms (<see cref="TermsQuestion"/>) without naming a fault in the product.</summary>
    public static bool AsksAboutTheTerms(LeadText lead) => lead.QuestionMarks > 0 && TermsQuestion.IsMatch(lead.Words) && !ReportsAFault(lead);


    private static readonly PhraseRuleSet PastMeeting = new(
        "thanks for the|thank you for the|danke fuer die|danke fuer das & demo|call|meeting|gespraech|termin|webinar|vorfuehrung",
        "great call|good call|nice call|gutes gespraech|super gespraech|tolles gespraech",
        "after the webinar|nach dem webinar", "demo yesterday|demo gestern|call yesterday|call today|gespraech heute",
        // A call that took place ("wir hatten letzte Woche telefoniert", "we spoke on the phone last week"): it was offered
        // demo slots as a meeting wish. Not "haben/hätten Sie Zeit für ein Gespräch", which asks for one (it was read as a
        // call that took place and answered as small talk): "ein Gespräch" is past only after "hatten".
        "=hatten|haben|hab|habe & telefoniert|gesprochen|geredet", "=hatten & ein gespraech|ein telefonat|einen termin",
        "wie besprochen|wie vereinbart|wie am telefon|telefonat von|telefonat am|gespraech von|gespraech am|unserem telefonat|unserem gespraech|unseres gespraechs|unseres telefonats",
        "we spoke|we talked|we had a call|we had a chat|we met|spoke on the phone|talked on the phone|as discussed|as agreed|call from last|our call from",
        "following up on|follow up on|further to|regarding|about & our call|our chat|our conversation|our meeting|our demo|the call|the demo|the meeting",
        "our call|our chat|our conversation|our meeting|our demo & last week|yesterday|earlier|this morning|from|on monday|on tuesday|on wednesday|on thursday|on friday");

    /// <summary>
    /// A question whether the product hands over ("can it hand over to a real person when needed?", "Kann das System an
    /// einen Mitarbeiter übergeben?"): a question about a feature, not a request for a person. It was handed over, and
    /// the conversation ended. "Can you transfer me to a human?" still asks for one.
    /// </summary>
    private static readonly PhraseRuleSet HandOverFeature = new(
        "can it|does it|will it|could it|would it|is it able|can the|does the|will the|can your|does your|can this|does this|is there|kann es|kann das|kann der|kann die|kann ihr|kann euer|kann man|geht das|gibt es|funktioniert"
            + " & hand over|hand off|handover|handoff|hand it over|transfer*|escalat*|pass it|pass on|pass the|forward*|route*|switch to|uebergeb*|uebergab*|weiterleit*|eskalier*"
            + " & !me|us|mich|uns");

    /// <summary>
    /// A question what the lead's customers can do: "can leads unsubscribe easily?", "Können Kunden sich abmelden?" (both
    /// opted the lead out for good), "can my customers talk to a real person if they want?" (handed over), "Können Kunden
    /// über den Bot kündigen?" and "can it handle customers who complain a lot?" (support cases). The lead asking for
    /// itself ("can you unsubscribe me?") still opts out.
    /// </summary>
    private static readonly PhraseRuleSet WhatTheLeadsCustomersDo = new(
        "can|could|do|does|will|would|how|what if|what happens|is it possible|kann|koennen|koennte|koennten|wie|was passiert|was wenn|ist es moeglich"
            + " & leads|customers|clients|patients|guests|people|someone|somebody|customer|lead|client|patient|guest|kunden|kunde|jemand|interessenten|interessent|patienten|gaeste|gast|leute|mandanten|mandant"
            + " & unsubscribe*|opt out|optout|abmeld*|austrag*|stop|stopp|cancel*|kuendig*|complain*|beschwer*|talk to|speak to|speak with|talk with|real person|a person|human|mensch*|mitarbeiter*"
            + " & !me|mich|mir|you keep|ihr schreibt|sie schreiben mir|your|yours|euer|eure|eurem|euren|ihrem team|ihr team|can i|could i|may i|kann ich|koennte ich|darf ich");

    /// <summary>Whether the lead asks what its customers can do about opting out, cancelling, complaining or reaching a person (<see cref="WhatTheLeadsCustomersDo"/>).</summary>
    public static bool AsksWhatOthersCanDo(LeadText lead) => IsAskedAsAQuestion(lead) && WhatTheLeadsCustomersDo.IsMatch(lead.Words);

    /// <summary>Words a question may open with before its question word ("ok what about zapier?", "und was ist mit Instagram?").</summary>
    private static readonly HashSet<string> QuestionLeadIns = new(StringComparer.Ordinal)
    {
        "ok", "okay", "and", "so", "but", "also", "hmm", "hm", "ah", "oh", "well", "cool", "great", "nice", "sure", "alright", "right",
        "und", "aber", "gut", "super", "na", "achso", "aha", "noch", "ach",
    };

    /// <summary>
    /// A direct question: a question mark, three words or more, a clause before a question mark that opens with a question
    /// word (after "ok", "and", "und"…: "quick one: how do I add a second number?"), no small talk ("how are you?"). The
    /// model reads some as small talk ("what if a lead writes at night?"); the reply still answers.
    /// </summary>
    public static bool AsksAnOpenQuestion(LeadText lead)
    {
        if (lead.Words.Count < 3 || SmallTalk.IsMatch(lead.Words))
        {
            return false;
        }

        // "what if we start small": a question word first (after "ok", "and"…: "ok and whats the catch") and three words
        // or more from it asks without a question mark; "what a great idea" and "how nice is that" exclaim.
        if (lead.QuestionMarks == 0)
        {
            var from = lead.Words.SkipWhile(QuestionLeadIns.Contains).ToList();
            return from.Count >= 3 && lead.Words.Count >= 4 && OpenQuestionWords.Contains(from[0]) && !Exclamations.Contains(from[1]);
        }

        var questions = lead.Original.Split('?');
        foreach (var question in questions.Take(questions.Length - 1))
        {
            // A comma too: "We run 3 coffee shops, could you help with catering orders?"; and the sentence's own start: "Und
            // was ist, wenn jemand einen Kurs absagen will?" was thanked with "Alles klar".
            var sentence = question.Split(['.', ':', '!', ';', '\n']).LastOrDefault(c => !string.IsNullOrWhiteSpace(c));
            var clause = sentence?.Split(['-', '–', ',']).LastOrDefault(c => !string.IsNullOrWhiteSpace(c));
            if (StartsWithAQuestionWord(clause) || StartsWithAQuestionWord(sentence))
            {
                return true;
            }
        }

        return false;
    }

    /// <remarks>"if", "wenn", "falls" too, before a question mark: "ok. and if someone asks for a callback?" was thanked.</remarks>
    private static bool StartsWithAQuestionWord(string? text) =>
        text is not null && LeadText.Parse(text).Words.FirstOrDefault(w => !QuestionLeadIns.Contains(w)) is { } first
        && (QuestionStarters.Contains(first) || first is "if" or "wenn" or "falls");

    /// <summary>A customer praising what it bought ("We signed up last week, loving it so far!", "Wir nutzen es seit März und sind begeistert").</summary>
    private static readonly PhraseRuleSet PraiseAfterBuying = new(
        "signed up|subscribed|bought|purchased|started using|been using|we use it|using it|switched to you|went live|launched it"
            + " & love|loving|loved|happy|great|enjoy|enjoying|awesome|amazing|works well|working well|works great|fantastic|impressed"
            + " & !but|however|although|except|not|dont|doesnt|isnt|cant|problem|issue",
        "angemeldet|gekauft|gebucht|nutzen es|nutzen euch|nutzen sie|im einsatz|umgestiegen|live gegangen"
            + " & begeistert|zufrieden|super|toll|klasse|gefaellt|laeuft gut|funktioniert gut|genial|top"
            + " & !aber|jedoch|allerdings|nicht|kein|keine|problem|fehler");

    /// <summary>Whether the lead praises what it bought (<see cref="PraiseAfterBuying"/>) and raises nothing with it.</summary>
    public static bool PraisesWhatItBought(LeadText lead) => PraiseAfterBuying.IsMatch(lead.Words);

    /// <summary>
    /// A question what the product can do, with the product as the subject ("can it also send invoices?", "Kann es auch
    /// Rechnungen schreiben?"): no order, however much its verb ("send … invoices") sounds like one. It was thanked "That's
    /// great news!" and asked where to send the contract.
    /// </summary>
    private static readonly PhraseRuleSet ProductAbilityQuestion = new(
        "can it|does it|will it|could it|would it|is it able|can the system|does the system|can your system|does your system|can the bot|does the bot|can the tool|does the tool|can salesflow|does salesflow" + ForSomeoneElse,
        "kann es|kann das|macht es|kann das system|kann der bot|kann das tool|kann salesflow|schafft es|geht es auch|unterstuetzt es" + ForSomeoneElse);

    /// <summary>"can it send me the invoice please?" asks for the lead's own invoice: an order after all.</summary>
    private const string ForSomeoneElse = " & !me the|us the|me a|us a|me an|us an|me my|us our|mir die|mir eine|mir den|uns die|uns eine|uns den|mir meine|uns unsere";

    /// <summary>Whether the lead asks what the product can do (<see cref="ProductAbilityQuestion"/>, with a question mark).</summary>
    public static bool AsksWhatItCanDo(LeadText lead) => lead.QuestionMarks > 0 && ProductAbilityQuestion.IsMatch(lead.Words);

    private static readonly HashSet<string> OpenQuestionWords = new(StringComparer.Ordinal)
    {
        "what", "whats", "how", "why", "where", "when", "which", "who", "wie", "was", "warum", "wieso", "weshalb", "wo", "wann", "welche", "welcher", "welches",
    };

    private static readonly HashSet<string> Exclamations = new(StringComparer.Ordinal)
    {
        "a", "an", "great", "nice", "cool", "awesome", "lovely", "amazing", "wonderful", "fun", "kind", "sweet", "toll", "schoen", "super", "gut", "klasse", "fuer",
    };

    /// <summary>
    /// A customer asking to cancel ("Hello, I would like to cancel", "Ich möchte kündigen"): a support case for a person.
    /// The first was read as a greeting. Cancelling a meeting is the calendar's (SlotChoice), a question about the terms
    /// ("can I cancel anytime?") is no request.
    /// </summary>
    private static readonly PhraseRuleSet CancelRequest = new(
        "i would like to|i want to|id like to|we would like to|we want to|wed like to|please|pls|how do i|how can i|i need to|we need to & =cancel|cancellation|unsubscribe from"
            + " & !meeting|call|appointment|demo|booking|slot|anytime|any time|at any time|can i cancel|can we cancel",
        "ich moechte|ich will|wir moechten|wir wollen|bitte|wie kann ich|ich muss|wir muessen & =kuendigen|kuendigung|stornieren|=abbestellen"
            + " & !termin|gespraech|demo|buchung|jederzeit|monatlich");

    /// <summary>Whether the lead asks to cancel what it has (<see cref="CancelRequest"/>).</summary>
    public static bool AsksToCancel(LeadText lead) => CancelRequest.IsMatch(lead.Words);

    /// <summary>"Das ist günstiger als gedacht 😄": a price below what the lead expected, which the price words read as an objection.</summary>
    private static readonly PhraseRuleSet PleasantSurprise = new(
        "cheaper|less|better|more affordable|lower & than & expected|i expected|i thought|we thought|we expected",
        "guenstiger|billiger|besser|weniger & als & gedacht|erwartet|befuerchtet");

    /// <summary>Whether the lead finds something cheaper or better than it expected (<see cref="PleasantSurprise"/>).</summary>
    public static bool IsPleasantlySurprised(LeadText lead) => PleasantSurprise.IsMatch(lead.Words);

    /// <summary>"Und wie sieht es mit dem Datenschutz aus, wir sind eine Arztpraxis": a question, with or without its question mark.</summary>
    private static readonly PhraseRuleSet HowItStands = new("wie sieht es|wie siehts|wie schaut es|wie schauts|wie ist es & mit|bei & aus");

    /// <summary>Whether the lead asks how something stands (<see cref="HowItStands"/>).</summary>
    public static bool AsksHowItStands(LeadText lead) => HowItStands.IsMatch(lead.Words);

    /// <summary>"how do i start", "how do we get started?", "Wie legen wir los?": how to begin, a buying signal asked as a question.</summary>
    private static readonly PhraseRuleSet HowToStart = new(
        "how do i|how do we|how can i|how can we|how would i|how would we|what do i need to|what do we need to|what would i need to|what would we need to|what would i have to|what would we have to|where do i|where can i & start|get started|begin|sign up|signup|set it up|set up|onboard",
        // "Was müsste ich denn tun, um das zu starten?" was told the team would check.
        "was muesste ich|was muessten wir|was muessen wir|was muss ich|was brauche ich|was brauchen wir & tun|machen & starten|anfangen|loslegen|beginnen|einrichten|einzurichten|zu starten|anzufangen",
        // "Gut. Was müssten wir technisch vorbereiten?" was asked what would make the biggest difference.
        "was muesste ich|was muessten wir|was muessen wir|was muss ich|what do we need to|what would we need to|what do i need to|what would i need to & vorbereiten|technisch|bereitstellen|prepare|have ready|on our side|on our end",
        // "ok und wie fang ich an?" (spoken "fang") was told the team would check.
        "wie fange ich|wie fang ich|wo fange ich|wo fang ich|womit fange ich|womit fang ich|wie fangen wir|wie kann ich|wie koennen wir|wie starte ich|wie starten wir|wie legen wir|wie lege ich|was muss ich tun & an|anfangen|starten|los|loslegen|beginnen|einrichten|anmelden",
        HowSoonInEnglish, HowSoonInGerman);

    // "How long until we could be up and running?" was thanked for the order and promised the contract details.
    private const string HowSoonInEnglish = "how fast|how quickly|how soon|how long until|how long till|how long before|how long would it take|how long does it take & start|get started|go live|be live|going live|up and running|be running|running";

    private const string HowSoonInGerman = "wie schnell|wie bald|ab wann|wie lange dauert es bis|wie lange bis|wie lange braucht es bis & starten|anfangen|loslegen|live|laeuft|einsatzbereit";

    private static readonly PhraseRuleSet HowSoon = new(HowSoonInEnglish, HowSoonInGerman);

    /// <summary>
    /// Whether the lead asks how soon it can start ("how fast can we be live"): the set-up answer says it (it was told the
    /// team would check); "how do i start" is led on to the next step.
    /// </summary>
    public static bool AsksHowSoonItStarts(LeadText lead) => HowSoon.IsMatch(lead.Words);

    /// <summary>
    /// "what do you need from me", "Was brauchen Sie von uns?": what the lead has to give. After a buying signal it asks for
    /// the next step ("we want to go ahead" then "what do you need from me" was told what SalesFlow does). A question, not an
    /// order (as "what are the next steps?", run 41): the reply leads on.
    /// </summary>
    private static readonly PhraseRuleSet WhatWeNeed = new(
        "what do you need from me|what do you need from us|what do you need from my side|what do you need from our side|what do i need to send|what do we need to send|what info do you need|what information do you need",
        "was brauchen sie von mir|was brauchen sie von uns|was braucht ihr von mir|was braucht ihr von uns|was brauchst du von mir|welche infos brauchen sie|welche informationen brauchen sie|was muss ich ihnen schicken");

    /// <summary>Whether the lead asks what it has to give (<see cref="WhatWeNeed"/>).</summary>
    public static bool AsksWhatWeNeed(LeadText lead) => WhatWeNeed.IsMatch(lead.Words);

    /// <summary>Whether the lead asks how to begin (<see cref="HowToStart"/>) without naming a fault in the product.</summary>
    public static bool AsksHowToStart(LeadText lead) => HowToStart.IsMatch(lead.Words) && !ReportsAFault(lead);

    /// <summary>
    /// "ok klingt gut, wie geht's weiter", "what are the next steps?": the lead asks SalesFlow to lead on (it was cheered at and
    /// asked what would make the biggest difference). Read as it is (mostly interest); the reply proposes the next step.
    /// </summary>
    private static readonly PhraseRuleSet NextStep = new(
        "next step|next steps|what happens next|whats next|how do we proceed|how do i proceed|how to proceed|where do we go from here|how do we move forward",
        "wie geht es weiter|wie gehts weiter|wie geht s weiter|wie gehen wir vor|wie machen wir weiter|naechste schritt|naechsten schritt|naechste schritte|naechsten schritte");

    /// <summary>Whether the lead asks what happens next (<see cref="NextStep"/>).</summary>
    public static bool AsksForTheNextStep(LeadText lead) => NextStep.IsMatch(lead.Words);

    /// <summary>"Wie viel Aufwand ist die Einrichtung für uns?" was read as a price question by both halves (its "wie viel").</summary>
    private static readonly PhraseRuleSet HowMuchEffort = new(
        "how much|wie viel|wieviel & effort|work|hassle|time|aufwand|arbeit|zeit & !cost|costs|price*|pricing|pay|money|kostet|kosten|preis*|geld|zahlen|euro|dollar|budget");

    /// <summary>Whether the lead asks how much effort or time something takes, not what it costs (<see cref="HowMuchEffort"/>).</summary>
    public static bool AsksHowMuchEffort(LeadText lead) => HowMuchEffort.IsMatch(lead.Words);

    /// <summary>"What would it cost to build that integration?", "Was kostet eine individuelle Anpassung?".</summary>
    private static readonly PhraseRuleSet CostOfCustomWork = new(
        "=cost|costs|how much|price*|pricing|kostet|kosten|preis* & =build|building|=built|=develop|developing|development|=custom|bespoke|tailor*|customi*|entwickeln|entwicklung|=bauen|individuell*|programmier*|anpassung*");

    /// <summary>
    /// Whether the lead asks what work built for it would cost (<see cref="CostOfCustomWork"/>): no price list answers
    /// that ("What would it cost to build that integration?" was asked for its team size).
    /// </summary>
    public static bool AsksTheCostOfCustomWork(LeadText lead) => CostOfCustomWork.IsMatch(lead.Words);

    /// <summary>"schade", "too bad": a lead's disappointment, which was thanked for ("Danke, Lukas!").</summary>
    private static readonly PhraseRuleSet Regret = new("schade|=bummer|too bad|what a pity|=pity|what a shame|thats a shame|thats a pity|sehr schade|echt schade");

    /// <summary>Whether the lead voices disappointment (<see cref="Regret"/>).</summary>
    public static bool ExpressesRegret(LeadText lead) => Regret.IsMatch(lead.Words);

    private static readonly PhraseRuleSet SmallTalk = new(
        // "Wie geht es jetzt weiter?" asks for the next step, not how SalesFlow is.
        "how are you", "how are ya", "hows it going", "how is it going", "whats up", "wie geht es & !weiter", "wie geht es dir",
        "alles gut", "wie laeufts", "hi na|hallo na|hey na|na du");

    private static readonly HashSet<string> GreetingOpeners = new(StringComparer.Ordinal)
    {
        "hi", "hello", "hey", "hallo", "moin", "helo", "hii", "heyy", "servus", "gruezi", "salue", "hoi", "howdy", "yo", "gude", "huhu", "hiya", "heya",
    };

    private static readonly HashSet<string> QuestionStarters = new(StringComparer.Ordinal)
    {
        "what", "whats", "how", "hows", "does", "do", "can", "could", "is", "are", "which", "where", "when", "why",
        "will", "would", "who", "wie", "was", "wo", "wann", "warum", "welche", "welcher", "welches", "gibt", "kann",
        "koennen", "koennten", "ist", "sind", "hat", "haben", "habt", "funktioniert", "unterstuetzt", "bietet", "bieten",
        "geht", "laesst", "muss", "brauche", "woher", "wieso", "weshalb", "wer", "any", "question", "frage",
        "beantwortet", "lassen", "darf", "duerfen", "werden", "wird",
    };

    private static readonly PhraseRuleSet Wondering = new(
        "wondering", "i wonder", "like to know", "want to know", "wuerde gerne wissen", "moechte wissen", "frage mich",
        "quick question", "kurze frage", "eine frage", "a question");

    /// <summary>
    /// A last sentence of three words or more that opens with a question word, asked without a question mark: "ok cool. how
    /// long to set up" was read as nothing in particular and met with "that's a fair point".
    /// </summary>
    private static bool EndsWithAQuestion(LeadText lead)
    {
        var end = lead.Original.TrimEnd();
        var breakAt = end.LastIndexOfAny(['.', '!', '\n']);
        if (breakAt <= 0 || breakAt == end.Length - 1 || !char.IsWhiteSpace(end[breakAt + 1]))
        {
            return false;
        }

        var last = LeadText.Parse(end[(breakAt + 1)..]).Words;
        return last.Count >= 3 && QuestionStarters.Contains(last[0]);
    }

    /// <summary>
    /// Whether the message has a question's form or a request's (a question mark, a question word or "tell me" first, "I
    /// wonder", a last sentence that asks): "mostly get leads off checkatrade and facebook", read as a question by the
    /// model at 0.50, has neither.
    /// </summary>
    public static bool HasQuestionForm(LeadText lead) =>
        lead.Words.Count == 0 || IsAskedAsAQuestion(lead) || RequestOpeners.Contains(lead.Words[0]);

    /// <summary>A question mark, a question word first, "I wonder", or a last sentence that asks (the words are not empty).</summary>
    private static bool IsAskedAsAQuestion(LeadText lead) =>
        lead.QuestionMarks > 0 || QuestionStarters.Contains(FirstAfterFillers(lead.Words)) || Wondering.IsMatch(lead.Words) || EndsWithAQuestion(lead);

    private static readonly HashSet<string> Fillers = new(["and", "so", "ok", "okay", "oh", "ah", "hmm", "und", "also", "ach", "achso"], StringComparer.Ordinal);

    /// <summary>The first word after up to two fillers ("ok and can it handle multiple locations": "can").</summary>
    private static string FirstAfterFillers(List<string> words) =>
        words.Take(2).TakeWhile(Fillers.Contains).Count() is var skip && skip < words.Count ? words[skip] : words[0];

    private static readonly HashSet<string> RequestOpeners = new(
        ["tell", "explain", "show", "send", "give", "describe", "please", "pls", "plz", "erklaer", "erklaeren", "erzaehl", "erzaehlen", "zeig", "zeigen", "sag", "sagen", "schick", "schicken", "bitte"],
        StringComparer.Ordinal);

    public static (Intent Intent, double Confidence) Classify(LeadText lead)
    {
        var words = lead.Words;
        if (words.Count == 0)
        {
            return (Intent.Other, 0.2);
        }

        var scores = new Dictionary<Intent, double>();
        var isQuestion = IsAskedAsAQuestion(lead);
        var starts = new List<int>();

        void Add(Intent intent, double weight, int cues = 1)
        {
            var bonus = ExtraCueBonus * Math.Min(cues - 1, 3);
            scores[intent] = scores.TryGetValue(intent, out var current)
                ? Math.Max(current, weight) + ExtraCueBonus + bonus
                : weight + bonus;
        }

        foreach (var cues in Table)
        {
            starts.Clear();
            cues.Rules.CollectMatches(words, starts);
            if (starts.Count == 0)
            {
                continue;
            }

            if (!isQuestion && Array.IndexOf(NegatableIntents, cues.Intent) >= 0)
            {
                var negated = starts.Count(start => IsNegated(words, start));
                if (negated == starts.Count)
                {
                    Add(Intent.Objection, Math.Max(5, cues.Weight - 1));
                    continue;
                }
            }

            Add(cues.Intent, cues.Weight, starts.Count);
        }

        // "STOP", "Stopp!!!", "stop pls": a leading stop word is an opt-out on SMS/WhatsApp; "stop me if I'm wrong, but …"
        // (an idiom) is not.
        if (words[0] is "stop" or "stopp" or "unsubscribe" or "abmelden" or "end" && !(words.Count > 2 && words[1] == "me" && words[2] is "if" or "when"))
        {
            Add(Intent.OptOut, words[0] == "end" ? 7 : 9);
        }
        else if (words.Count <= 3 && (words.Contains("stop") || words.Contains("stopp")))
        {
            Add(Intent.OptOut, 9); // "pls stop", "bitte stopp"
        }

        if (isQuestion && HandOverFeature.IsMatch(words))
        {
            scores.Remove(Intent.Human);
        }

        if (isQuestion && WhatTheLeadsCustomersDo.IsMatch(words))
        {
            scores.Remove(Intent.OptOut);
            scores.Remove(Intent.Human);
            scores.Remove(Intent.Support); // "Können Kunden über den Bot kündigen?" is no cancellation of the lead's
        }

        // "what if a customer wants a refund?" asks what the product does in a customer's case, "what if the system crashes?"
        // in a case imagined; neither is a case of the lead's. Nor is a customer's opt-out ("what if a lead says remove me?"
        // opted the lead out for good).
        var customersCase = isQuestion && CaseOfACustomer.IsMatch(words);
        if (customersCase || (isQuestion && ImaginedCase.IsMatch(words)))
        {
            scores.Remove(Intent.Support);
        }

        if (customersCase)
        {
            scores.Remove(Intent.OptOut);
            scores.Remove(Intent.Human);
        }

        if (TimeSlot.IsMatch(words) || HasClockTime(words))
        {
            // "How about Friday?" proposes a slot; "What happens if a lead replies at 3am?" does not.
            var openQuestion = words[0] is "what" or "whats" or "why" or "where" or "who" or "was" or "warum" or "wo" or "wer"
                || (words[0] is "how" or "wie" && !Availability.IsMatch(words)) || SomeonesCase.IsMatch(words) || WhatHappensThen.IsMatch(words);
            var proposal = Availability.IsMatch(words) || (isQuestion && !openQuestion);
            Add(Intent.Meeting, proposal ? 5.8 : 1.6);
        }

        // "I got a missed call from this number?" asks who called, not for a call (it was offered demo slots).
        if (MissedCall.IsMatch(words))
        {
            scores.Remove(Intent.Meeting);
        }

        if (PastMeeting.IsMatch(words) && scores.TryGetValue(Intent.Meeting, out var meeting))
        {
            // A call mentioned only as one that took place is no wish for one; a question or an availability beside it
            // ("can we book a follow-up demo on Friday?") may still ask for another.
            if (!isQuestion && !Availability.IsMatch(words))
            {
                scores.Remove(Intent.Meeting);
            }
            else
            {
                scores[Intent.Meeting] = meeting - 3.5;
            }
        }

        // "I'd like to set up a call to learn more. Also, can your system send appointment reminders to customers?" still
        // wishes the call (it was answered as a question, the call ignored).
        if (scores.ContainsKey(Intent.Meeting) && isQuestion && (AsksWhatTheProductDoes(lead) || customersCase) && !MeetingWish.IsMatch(words))
        {
            scores.Remove(Intent.Meeting);
        }

        // "how does it know our prices tho" asks where the assistant's facts come from, not what it costs (one question:
        // beside another, the price may be asked for as well).
        if (isQuestion && lead.QuestionMarks <= 1 && AsksWhereItsFactsComeFrom(lead))
        {
            scores.Remove(Intent.Pricing);
        }

        // "Hi, thanks for reaching out": a short message that opens with a greeting is a greeting.
        // "alright mate 👋" (a British hello) was thanked; "alright, sounds good" agrees.
        if (words.Count <= 6 && (GreetingOpeners.Contains(words[0]) || (words.Count >= 2 && words[0] == "alright" && words[1] is "mate" or "there" or "pal" or "lads" or "guys" or "m8")))
        {
            Add(Intent.Greeting, 3.1);
        }

        var smallTalk = words.Count <= 8 && SmallTalk.IsMatch(words);
        if (smallTalk)
        {
            Add(Intent.Greeting, 3.2);
        }
        else if (isQuestion)
        {
            // "yo wat u guys do exactly??" asks what the business does: more than the greeting around it.
            Add(Intent.Question, AboutTheBusiness.IsMatch(words) ? 3.5 : lead.QuestionMarks > 0 ? 3 : 2.8);
        }

        var best = Intent.Other;
        var bestScore = 0.0;
        var second = 0.0;
        foreach (var intent in TieOrder)
        {
            if (!scores.TryGetValue(intent, out var score))
            {
                continue;
            }

            if (score > bestScore)
            {
                second = bestScore;
                best = intent;
                bestScore = score;
            }
            else if (score > second)
            {
                second = score;
            }
        }

        if (bestScore <= 0)
        {
            return (Intent.Other, 0.3);
        }

        var confidence = Math.Clamp(0.35 + 0.06 * bestScore, 0.4, 0.95);
        if (bestScore - second < 1)
        {
            confidence -= 0.1;
        }

        if (best == Intent.Greeting && words.Count <= 4)
        {
            confidence = Math.Max(confidence, 0.85);
        }

        return (best, Math.Round(confidence, 2));
    }

    /// <summary>
    /// A negator up to four words before the cue, or right after it ("brauchen wir nicht"). A negated negative word is
    /// praise, not a negation of what follows: "not bad. do I need to bring anything?".
    /// </summary>
    private static bool IsNegated(List<string> words, int start)
    {
        for (var i = Math.Max(0, start - 4); i < start; i++)
        {
            if (Negators.Contains(words[i]) && !(i + 1 < start && NegatedPraise.Contains(words[i + 1])))
            {
                return true;
            }
        }

        for (var i = start + 1; i <= start + 2 && i < words.Count; i++)
        {
            if (words[i] is "nicht" or "nie")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A case imagined as a question opens: "what if the system crashes?", "was passiert, wenn es ausfällt?".</summary>
    private static readonly PhraseRuleSet ImaginedCase = new(
        "what if|what happens if|what happens when|and if it|what about if|was wenn|was ist wenn|was passiert wenn|was passiert falls|und wenn es|und falls es");

    /// <summary>
    /// A case of someone else's, at a time: "If a lead texts us at 2am, does your system reply right away?" was offered
    /// demo slots.
    /// </summary>
    private static readonly PhraseRuleSet SomeonesCase = new(
        "if|when|whenever|wenn|falls|sobald & a lead|a customer|a client|someone|somebody|a patient|a guest|people|customers|clients|leads|they|jemand|ein kunde|eine kundin|ein interessent|kunden|ein gast|gaeste|ein patient|leute");

    /// <summary>
    /// What the product does then, asked anywhere in the message: "Hi, we're a plumbing company. What happens with emergencies
    /// like a burst pipe at 2am?" was told 2am was not free and offered demo slots.
    /// </summary>
    private static readonly PhraseRuleSet WhatHappensThen = new("what happens|what would happen|what do you do with|what does it do with|was passiert|was geschieht|was macht ihr mit|was macht es mit");

    /// <summary>Whether the lead asks what happens in a case (<see cref="WhatHappensThen"/>), not for a time.</summary>
    public static bool AsksWhatHappensThen(LeadText lead) => lead.QuestionMarks > 0 && WhatHappensThen.IsMatch(lead.Words);

    /// <summary>"3pm", "10am", "at 5", "um 14".</summary>
    private static bool HasClockTime(List<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (word.Length is >= 3 and <= 4 && (word.EndsWith("am", StringComparison.Ordinal) || word.EndsWith("pm", StringComparison.Ordinal))
                && word[..^2].All(char.IsDigit))
            {
                return true;
            }

            if (word is "at" or "um" && i + 1 < words.Count && words[i + 1].Length <= 2 && words[i + 1].All(char.IsDigit)
                && int.Parse(words[i + 1], System.Globalization.CultureInfo.InvariantCulture) is >= 1 and <= 23)
            {
                return true;
            }
        }

        return false;
    }
}
