using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Core.Conversations;

/// <summary>
/// The client's knowledge for one reply as "[sourceId] text" lines: the passages the reply may draw on and the
/// compliance filter checks figures against. They are found for the lead's questions when it asks any (a long e-mail's
/// greeting, story and signature drowned its question, and nothing was found), and those in the lead's language come
/// first (a German lead asking about Salesforce was answered from the English FAQ, which scored a little higher than its
/// German twin). A failing index never blocks a reply.
/// </summary>
public sealed partial class TurnKnowledge(IKnowledgeRetriever knowledge, ILogger<TurnKnowledge> logger)
{
    private const int Passages = 3;

    /// <summary>At most this many questions of one message are searched apart (each search costs under a millisecond).</summary>
    private const int MaxQueries = 3;

    /// <summary>For a check without a conversation: there is no earlier message to ask a follow-up about.</summary>
    public static readonly Func<Task<string?>> NoEarlierText = () => Task.FromResult<string?>(null);

    /// <param name="clientName">The business's name: "hey whats this about" asks what it does.</param>
    /// <param name="language">The reply's language, whose passages come first; null keeps the index's order (a compliance check, which reads them all).</param>
    /// <param name="earlierLeadText">The lead's message before this turn's, read only for a follow-up ("and spanish?").</param>
    public async Task<KnowledgeForReply> ForAsync(string clientId, string clientName, string leadText, string? language, Func<Task<string?>> earlierLeadText, CancellationToken ct)
    {
        try
        {
            // Each question on its own: "Ist das System DSGVO-konform und wo werden die Daten gespeichert?" as one query
            // shared too few words with the GDPR answer to pass the threshold. Each question's best passage (in the reply's
            // language when there is one) comes first, in the order asked, so a two-question e-mail can answer both; then
            // the best of the rest.
            var detected = new Dictionary<string, string>(StringComparer.Ordinal); // each passage's language read once, not per ordering
            bool InLanguage(Passage p)
            {
                if (language is null)
                {
                    return true;
                }

                if (!detected.TryGetValue(p.Text, out var found))
                {
                    detected[p.Text] = found = LanguageDetector.Detect(LeadText.Parse(p.Text));
                }

                return found == language;
            }

            var found = new List<Passage>();
            var firsts = new List<Passage>();
            var unanswered = new List<string>();
            var namingUnknownProducts = new List<string>(); // stay the team's questions beside a fallback's answer

            // "and spanish?" after "does it speak other languages?" asks that question again about Spanish: searched so
            // first ("schade. und per mail?" alone found the hand-over answer, which mentions e-mail). Unless nothing found
            // so names the new thing in the reply's language while a search for it alone does ("and hubspot?" after the
            // price answer found only the German CRM answer above the threshold): then as usual. "we use square appointments
            // tho" names a meeting word, but asks about the tool.
            if (FollowUpQuestion.TermOf(leadText) is { } term && (FollowUpQuestion.ToolInUse(leadText) is not null || AsksTheKnowledge(leadText)) && await earlierLeadText() is { } earlier
                && QuestionsIn(earlier)[^1] is var asked && AsksTheKnowledge(asked))
            {
                // As usual also when the search alone finds a passage that names more of the new thing: "what about a free
                // trial?" after "is there a setup fee?" found only the price answer ("Is it free?"), the trial answer alone.
                var termWords = TextTerms.Words(term);
                double Names(Passage p) => TextTerms.Coverage(termWords, p.Text);
                double NamedMost(IEnumerable<Passage> passages) => passages.Where(InLanguage).Select(Names).DefaultIfEmpty(0).Max();
                var passages = (await knowledge.RetrieveAsync(clientId, asked + " " + term, Passages, ct)).Passages;
                if (NamedMost(passages) < 1 && NamedMost((await knowledge.RetrieveAsync(clientId, leadText, Passages, ct)).Passages) > NamedMost(passages))
                {
                    passages = [];
                }

                found.AddRange(passages);
                firsts.AddRange(passages.OrderByDescending(InLanguage).ThenByDescending(Names).ThenByDescending(p => p.Score).Take(1));
            }

            // "Können Sie mir Unterlagen per Mail schicken?" asks for material, not the knowledge (it found the web-form answer's "schicken").
            foreach (var question in found.Count > 0 ? [] : QuestionsIn(leadText).Where(q => !IntentRules.AsksForMaterials(LeadText.Parse(q))))
            {
                var query = FactsSourceQuestion(question, language) ?? question;
                var passages = (await knowledge.RetrieveAsync(clientId, query, Passages, ct)).Passages;
                var parsed = LeadText.Parse(query); // read once for the cues below
                foreach (var variant in new[] { WithoutScope(query), AfterPreamble(query), AfterClause(query), SoughtThing(query), BeforeQualifier(query), AsAppointments(query), IndustryQuestion(parsed, language), OverviewQuestion(parsed, clientName, language), RequestedThing(query), TopicAskedAbout(query) }.OfType<string>())
                {
                    passages = [.. passages, .. (await knowledge.RetrieveAsync(clientId, variant, Passages, ct)).Passages];
                }

                // A worry's own answer comes first: "we've got no IT person" found the hand-over answer through "person",
                // as well as the developer answer through the worry's question.
                var worry = WorryQuestion(parsed, language) is { } worryQuestion ? (await knowledge.RetrieveAsync(clientId, worryQuestion, Passages, ct)).Passages : [];
                passages = [.. passages, .. worry];

                // Only to rank what the searches above found: with fewer words, a passage sharing one of them passed the
                // threshold ("can your system send appointment reminders?" found the answer on moving a meeting).
                if (AsTheProduct(query) is { } plain)
                {
                    var foundWhole = passages.Select(p => p.SourceId).ToHashSet(StringComparer.Ordinal);
                    passages = [.. passages, .. (await knowledge.RetrieveAsync(clientId, plain, Passages, ct)).Passages.Where(p => foundWhole.Contains(p.SourceId))];
                }

                // "does it work with Reapit?" was answered with the industries FAQ ("works", "with"): a product the question
                // asks to be connected is searched by its name when nothing found in the reply's language names it ("does it
                // work with hubspot?" found the CRM answer under the threshold, "Funktioniert das mit Pipedrive?" only its
                // English twin), and one no passage names is one the knowledge does not know.
                var namesAProduct = false;
                if (ToolAskedFor(question) is { } tool && !passages.Any(p => InLanguage(p) && TextTerms.Coverage(tool, p.Text) >= 1))
                {
                    // All of its name: "Does it integrate with Follow Up Boss?" was answered with the follow-up FAQ ("follows up").
                    bool Names(Passage p) => TextTerms.Coverage(tool, p.Text) >= 1;
                    passages = [.. passages.Where(Names), .. (await knowledge.RetrieveAsync(clientId, string.Join(' ', tool), Passages, ct)).Passages.Where(Names)];
                    namesAProduct = true;
                }

                // "Can SalesFlow respond to Zillow leads?" was answered with the follow-up FAQ, "does it pull leads from
                // realtor.com?" with the calendar's: a product the question names that no passage found names is the team's.
                if (ToolAskedFor(question) is null && NamedProduct(question, clientName, language) is { } product && !passages.Any(p => InLanguage(p) && TextTerms.Coverage(product, p.Text) >= 1))
                {
                    passages = [];
                    namesAProduct = true;
                }

                // "Wie viele Kunden habt ihr schon?" names only "Kunden" and was sent the answer on questions it cannot
                // answer: a count of our customers is answered only by a passage that gives a number.
                if (CountOfOurs().IsMatch(question))
                {
                    passages = [.. passages.Where(p => p.Text.Any(char.IsDigit))];
                }

                if (namesAProduct && passages.Count == 0)
                {
                    namingUnknownProducts.Add(question);
                }

                found.AddRange(passages);
                if (passages.Count > 0)
                {
                    firsts.Add(worry.Any(InLanguage) ? BestFor(question, worry, InLanguage) : BestFor(question, passages, InLanguage));
                }
                else if (AsksTheKnowledge(question))
                {
                    unanswered.Add(question);
                }
            }

            // "can it book them into our calendar? we use vagaro" was given the calendar answer, which names no Vagaro: a tool
            // the lead says it uses beside its question is searched by its name when nothing found names all of it, and one
            // no passage names is the team's question.
            foreach (var tool in firsts.Count > 0 ? ToolsUsedBeside(leadText) : [])
            {
                if (found.Any(p => InLanguage(p) && TextTerms.Coverage(tool.Words, p.Text) >= 1))
                {
                    continue;
                }

                var named = (await knowledge.RetrieveAsync(clientId, string.Join(' ', tool.Words), Passages, ct)).Passages.Where(p => TextTerms.Coverage(tool.Words, p.Text) >= 1).ToList();
                found.AddRange(named);
                if (named.Count == 0)
                {
                    unanswered.Add(language == "de" ? $"Geht das mit {tool.Name}?" : $"Does it work with {tool.Name}?");
                }
            }

            // "hey whats this about", "ok so how does it actually work": a question about the business that names nothing
            // the knowledge holds is asked what the business does (its FAQ names it); "i'm not techy at all tho" asks
            // whether it takes a developer, "too much hassle for us" how much effort the set-up is, "most customers call us"
            // whether it takes calls, "do you offer a discount for charities?" what it costs, "funktioniert das auch für
            // Fitnessstudios?" whether it suits that business, "members ask
            // about classes on insta all day" whether it covers Instagram, "die kundinnen
            // schreiben oft spät abends" whether it answers at night, "kann der bot auch fahrstunden buchen?" whether it books
            // appointments.
            foreach (var fallback in found.Count == 0 ? FallbackQuestions(LeadText.Parse(leadText), clientName, language) : [])
            {
                var passages = (await knowledge.RetrieveAsync(clientId, fallback, Passages, ct)).Passages;
                if (passages.Count > 0)
                {
                    // What is found answers the message as a whole, but not about a product no passage names: "can it book
                    // directly into Jane?" was given the calendar answer, which names no Jane, and nothing more.
                    unanswered.RemoveAll(q => !namingUnknownProducts.Contains(q));
                    found.AddRange(passages);
                    firsts.AddRange(passages.OrderByDescending(InLanguage).ThenByDescending(p => p.Score).Take(1));
                    break;
                }
            }

            var best = found
                .GroupBy(p => (p.KnowledgeBaseId, p.SourceId, p.Text))
                .Select(g => g.MaxBy(p => p.Score)!)
                .ToDictionary(p => (p.KnowledgeBaseId, p.SourceId, p.Text));
            var lines = firsts.Select(p => best[(p.KnowledgeBaseId, p.SourceId, p.Text)])
                .Concat(best.Values.OrderByDescending(p => p.Score))
                .Distinct()
                .Take(Passages)
                .OrderBy(p => InLanguage(p) ? 0 : 1)
                .Select(p => $"[{p.SourceId}] {p.Text}")
                .ToList();
            return new KnowledgeForReply(lines, firsts.Count > 0 ? unanswered : []);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Knowledge retrieval failed; the reply is written without it");
            return KnowledgeForReply.None;
        }
    }

    /// <summary>How close to the best score a passage whose FAQ question names more of the lead's words is taken instead.</summary>
    private const double NearlyAsGood = 0.05;

    /// <summary>
    /// A question's best passage, in the reply's language first: of those scoring nearly as well as the best, the one whose FAQ
    /// question names most of its words ("does it do follow ups?" was answered with the "how is it different" FAQ, whose
    /// answer says "follows" twice, a little above the FAQ that asks "Does it follow up …?").
    /// </summary>
    private static Passage BestFor(string question, IReadOnlyList<Passage> passages, Func<Passage, bool> inLanguage)
    {
        var ranked = passages.OrderByDescending(inLanguage).ThenByDescending(p => p.Score).ToList();
        var top = ranked[0];
        var words = TextTerms.Words(question);
        double Asked(Passage p) => KnowledgeAnswer.FaqQuestion(p.Text) is { } asked ? TextTerms.Coverage(words, asked) : 0;
        return ranked.Where(p => inLanguage(p) == inLanguage(top) && top.Score - p.Score <= NearlyAsGood)
            .OrderByDescending(Asked).ThenByDescending(p => p.Score).First();
    }

    /// <summary>
    /// The questions of a message that ask the knowledge, asked with a question mark: what is answered beside a wish the
    /// reply meets with fixed text (meeting times). "Can we do a call on Tuesday?" and "kannst du mir das mal zeigen?" are
    /// none (they found the calendar FAQ and the set-up FAQ's "zeigen", no answer to them).
    /// </summary>
    public static IReadOnlyList<string> ProductQuestionsIn(string text) =>
        [.. QuestionsIn(text).Where(q => q.EndsWith('?') && AsksTheKnowledge(q) && IntentRules.Classify(LeadText.Parse(q)).Intent != Intent.Meeting)];

    /// <summary>
    /// The knowledge for <see cref="ProductQuestionsIn"/>: an e-mail asking three things and for a call next week was sent
    /// the times alone.
    /// </summary>
    public Task<KnowledgeForReply> ForQuestionsAsync(string clientId, string clientName, IReadOnlyList<string> questions, string? language, CancellationToken ct) =>
        questions.Count == 0 ? Task.FromResult(KnowledgeForReply.None) : ForAsync(clientId, clientName, string.Join('\n', questions), language, NoEarlierText, ct);

    /// <summary>
    /// "how does it know our prices tho" is searched as what it asks, where the answers come from: its only content word,
    /// "prices", found the price answer.
    /// </summary>
    private static string? FactsSourceQuestion(string question, string? language) =>
        IntentRules.AsksWhereItsFactsComeFrom(LeadText.Parse(question))
            ? (language == "de" ? "Woher kommen die Antworten? Kann es unsere Produkte lernen? Wissensdatenbank, FAQ, Dokumente" : "Where do the answers come from? Can it learn about our products? Knowledge base, FAQ, documents")
            : null;

    /// <summary>
    /// What a message that names nothing the knowledge holds is taken to ask, if anything, the likeliest first: "how are you
    /// different from tidio or intercom?" (the names unknown) and a bot the lead had before ask what makes it different,
    /// else what the business does.
    /// </summary>
    private static IEnumerable<string> FallbackQuestions(LeadText lead, string clientName, string? language)
    {
        if (IntentRules.AsksHowItIsDifferent(lead) || IntentRules.HadABotBefore(lead))
        {
            yield return language == "de" ? "Was unterscheidet es von einem normalen Chatbot? Was macht es anders?" : "How is it different from a normal chatbot? What makes it different?";
        }

        if (FallbackQuestion(lead, clientName, language) is { } question)
        {
            yield return question;
        }
    }

    private static string? FallbackQuestion(LeadText lead, string clientName, string? language) =>
        IntentRules.AsksIfItBooks(lead) ? (language == "de" ? "Kann es Termine buchen? Kalender" : "Can it book appointments? Calendar")
        : (IntentRules.AsksAboutTheBusiness(lead) && !IntentRules.AsksWhatHappensIf(lead) && !IntentRules.AsksWhatWeNeed(lead) || IntentRules.AsksForTheBenefit(lead)) && !string.IsNullOrWhiteSpace(clientName) ? (language == "de" ? $"Was macht {clientName.Trim()}?" : $"What does {clientName.Trim()} do?")
        : IntentRules.AsksJustHow(lead) ? (language == "de" ? "Wie richten wir es ein? Wie läuft die Einrichtung?" : "How do we set it up? How does setup work?")
        : IntentRules.AsksHowSoonItStarts(lead) ? (language == "de" ? "Wie lange dauert die Einrichtung? Wie schnell können wir starten?" : "How long does setup take? How fast can we start?")
        // "ok, wie fang ich an?" shares no word with the set-up answer's questions and was promised a colleague's e-mail.
        : IntentRules.AsksHowToStart(lead) ? (language == "de" ? "Wie richten wir es ein? Wie schnell können wir starten?" : "How do we set it up? How fast can we get started?")
        : IntentRules.WorriesAboutTheEffort(lead) ? (language == "de" ? "Wie viel Aufwand ist die Einrichtung?" : "How much effort is it to set up?")
        : IntentRules.AsksForADiscount(lead) || IntentRules.AsksAboutPrice(lead) ? (language == "de" ? "Was kostet es? Preis" : "What does it cost? Pricing")
        : IntentRules.DescribesCustomersCalling(lead) ? (language == "de" ? "Kann es Anrufe annehmen? Telefonanrufe" : "Can it take phone calls? Phone or voice calls")
        : IntentRules.DescribesCustomersWritingLate(lead) ? (language == "de" ? "Antwortet es auch nachts und am Wochenende?" : "Does it answer at night and on weekends?")
        : IntentRules.ChannelItsCustomersWriteOn(lead) is { } channel ? (language == "de" ? $"Geht das mit {channel}? Kanäle" : $"Does it work with {channel}? Channels")
        : null;

    /// <summary>
    /// The content words of the product a question asks to be connected to: "does it work with Reapit?", "can it sync
    /// with zoho", "Lässt es sich an Pipedrive anbinden?", "Funktioniert das mit Shopware?", "Does it support Instagram?"
    /// (its "support" found the CRM answer's "Do you support HubSpot"); null when it asks none.
    /// </summary>
    internal static IReadOnlyList<string>? ToolAskedFor(string question)
    {
        var match = ConnectsTo().Match(question);
        var words = match.Success && !KindOfBusiness().IsMatch(match.Groups["tool"].Value) ? TextTerms.Words(match.Groups["tool"].Value) : [];
        return words.Count > 0 ? words : null;
    }

    /// <summary>
    /// The words of a product a question names after a preposition: a web address ("from realtor.com") or, in English, a
    /// capitalised name inside the sentence ("respond to Zillow leads"); not the client's own name, a weekday or a month,
    /// nor a short abbreviation ("in the EU", "with SMS"). Null when it names none.
    /// </summary>
    /// <param name="language">The reply's language: German capitalises every noun, so there only a web address counts.</param>
    internal static IReadOnlyList<string>? NamedProduct(string question, string clientName, string? language) =>
        ProductNamedIn(question, clientName, language) is { } name ? TextTerms.Words(name) : null;

    /// <summary>The product <paramref name="question"/> names as written ("Dentally", "realtor.com"), or null (see <see cref="NamedProduct"/>).</summary>
    public static string? ProductNamedIn(string question, string clientName, string? language)
    {
        var own = TextTerms.Words(clientName).ToHashSet(StringComparer.Ordinal);
        foreach (Match match in ProductAfterPreposition().Matches(question))
        {
            var name = match.Groups["name"].Value;
            var words = TextTerms.Words(name);
            if (words.Count > 0 && !words.Any(own.Contains) && !CommonName().IsMatch(name) && (name.Contains('.') || language != "de"))
            {
                return name;
            }
        }

        return null;
    }

    [GeneratedRegex(@"\b(?:from|to|with|into|on|via|through|off|von|über|ueber|aus|mit)\s+(?<name>\p{L}[\p{L}\d-]*\.(?:com|de|io|co|net|org|at|ch|uk)\b|(?-i:\p{Lu}\p{Ll}{3,}[\p{L}\d]*))", RegexOptions.CultureInvariant)]
    private static partial Regex ProductAfterPreposition();

    [GeneratedRegex(@"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|English|German|Spanish|French|Italian|Polish|Turkish|Arabic)$", RegexOptions.CultureInvariant)]
    private static partial Regex CommonName();

    /// <summary>A kind of business, not a product: "do you work with food businesses?" was left to the team (no passage names them).</summary>
    [GeneratedRegex(@"\b(?:business(?:es)?|compan(?:y|ies)|firms?|shops?|stores?|restaurants?|clinics?|practices?|agenc(?:y|ies)|salons?|gyms?|studios?|brands?|industr(?:y|ies)|sectors?|customers?|clients?|teams?|startups?|retailers?|dealers?|dealerships?|schools?|hotels?|cafes?|baker(?:y|ies)|landlords?|realtors?|contractors?|Firm\w*|Laden|Kunden|Hotels?|\w*(?:betrieb|unternehmen|praxen|praxis|geschäft|läden|kliniken|agentur|branche|händler|schulen|bäckerei|restaurant)\w*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KindOfBusiness();

    /// <summary>The tools a message that asks something says the lead uses, in sentences of their own ("…? we use vagaro").</summary>
    private static IEnumerable<(string Name, List<string> Words)> ToolsUsedBeside(string text) =>
        Common.Sentences.Of(text).Where(s => !s.EndsWith('?'))
            .Select(FollowUpQuestion.ToolUsed).OfType<string>()
            .Select(name => (Name: name, Words: TextTerms.Words(name))).Where(tool => tool.Words.Count > 0);

    /// <summary>
    /// Whether a question asks for facts the knowledge would hold: "Can we do a call on Friday?", "could you send me a
    /// brochure?" or "can I talk to a person?" beside a product question are the meeting's, the materials' and the hand-over's,
    /// not questions the team has to look up, nor is "Wirklich?" (checking what was just said); "Can it send appointment
    /// reminders?" names an appointment and is one.
    /// </summary>
    private static bool AsksTheKnowledge(string question)
    {
        var lead = LeadText.Parse(question);
        return TextTerms.Words(question).Count > 0 && (!IntentRules.NamesAMeeting(lead) || IntentRules.AsksWhatTheProductDoes(lead)) && !IntentRules.AsksForTimes(lead) && !IntentRules.AsksForAPerson(lead)
            && !IntentRules.AsksForMaterials(lead) && !IntentRules.AsksForTheNextStep(lead) && !IntentRules.AsksIfBot(lead) && !IntentRules.AsksWhoWeAre(lead)
            && !IntentRules.AsksHowItStands(lead) && !IntentRules.AsksToBeContactedLater(lead) && !IntentRules.ChecksWhatWasSaid(lead);
    }

    /// <summary>
    /// What to search for: each sentence that ends in a question mark (with the sentence before it when it names
    /// nothing), split where a second question is joined to it ("…DSGVO-konform und wo werden die Daten
    /// gespeichert?"); without a question mark, the clauses that open with a question word ("ah shame. what about whatsapp
    /// then, most customers text us anyway" searched "shame" and "customers" beside "whatsapp" and missed the channels
    /// answer); the whole text when it asks nothing. At most
    /// <see cref="MaxQueries"/>, the first ones.
    /// </summary>
    internal static IReadOnlyList<string> QuestionsIn(string text)
    {
        var questions = new List<string>();
        var start = 0;
        var previous = 0;
        for (var i = 0; i < text.Length; i++)
        {
            // A full stop inside a word ("z.B.", "gmail.com", "2.5") ends no sentence, nor does one after an abbreviation ("(e.g.
            // flag them to our on-call tech)?" was counted as a question of its own, and its first half as another).
            if (text[i] is '?' or '\n' || (text[i] is '!' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
                || (text[i] == '.' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])) && !EndsAnAbbreviation(text, i)))
            {
                if (text[i] == '?' && text[start..(i + 1)].Trim() is { Length: > 1 } question)
                {
                    // "Wir nutzen kein Cal.com sondern Doctolib. Geht das trotzdem?": a question that names nothing
                    // asks about the sentence before it; so does one that names only the product and a doing ("Die Leute
                    // fragen ständig … nach freien Plätzen. Kann euer Bot das übernehmen?" found the answer on what the bot
                    // may say through "Bot").
                    question = TextTerms.Words(question).All(GenericWords.Contains) ? text[previous..(i + 1)].Trim() : question;
                    // A list's bullet ("- Does it integrate with Fresha?") is no part of the question, nor is a part that
                    // names nothing ("ok and is there a setup fee?" counted "ok" as a second question and was sent two answers).
                    var parts = JoinedQuestions().Split(question).SelectMany(q => JoinedRequests().Split(q)).SelectMany(JoinedAsks).Select(q => q.Trim().TrimStart('-', '*', '•', '–').Trim()).Where(q => q.Length > 1).ToList();
                    questions.AddRange(parts.Count > 1 ? parts.Where(q => TextTerms.Words(q).Count > 0) : parts);
                }

                previous = start;
                start = i + 1;
            }
        }

        if (questions.Count == 0)
        {
            questions.AddRange(ClauseBreak().Split(text).Select(c => c.Trim()).Where(c => QuestionOpening().IsMatch(c) && TextTerms.Words(c).Count > 0));
        }

        if (questions.Count == 0)
        {
            // "wir sind ein Steuerbüro und möchten wissen, ob das System auch auf Deutsch antwortet." asks without asking.
            questions.AddRange(IndirectQuestion().Matches(text).Select(m => m.Groups["q"].Value.Trim()).Where(q => TextTerms.Words(q).Count > 0));
        }

        return questions.Count == 0 ? [text] : questions.Take(MaxQueries).ToList();
    }

    /// <summary>The words that name the product as any product ("the bot", "Ihr System"): one list for the cues below.</summary>
    private const string ProductNouns = "bot|chatbot|system|tool|software|assistant|assistent|app|programm";

    /// <summary>The product named as any product, and doing anything with it: a question of only these asks about what came before.</summary>
    private static readonly HashSet<string> GenericWords = TextTerms.Words(
        ProductNouns.Replace('|', ' ') + " bots ki ai ding handle handles übernehmen übernimmt machen macht erledigen erledigt abdecken schaffen manage cover covers tun do does work works",
        stem: true).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether the full stop at <paramref name="at"/> ends an abbreviation ("e.g.", "i.e.", "z.B.", "bzw.", "ca.").</summary>
    private static bool EndsAnAbbreviation(string text, int at)
    {
        var start = at;
        while (start > 0 && (char.IsLetter(text[start - 1]) || text[start - 1] == '.'))
        {
            start--;
        }

        return Abbreviations.Contains(text[start..at]);
    }

    private static readonly HashSet<string> Abbreviations = new(["e.g", "eg", "i.e", "ie", "z.B", "z.b", "zB", "d.h", "u.a", "bzw", "ca", "vs", "inkl", "ggf", "evtl", "approx"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The question without the size it is asked for ("Was kostet das für drei Standorte?", "how much for a team of 5"):
    /// such a scope shares no word with the answer and halved its share of the question's words, so the price answer fell
    /// under the threshold. Searched beside the whole question (an FAQ may be about locations); null when there is none or
    /// nothing would be left.
    /// </summary>
    internal static string? WithoutScope(string question)
    {
        var unscoped = Scope().Replace(question, string.Empty).Trim();
        return unscoped.Length == question.Trim().Length || TextTerms.Words(unscoped).Count == 0 ? null : unscoped;
    }

    /// <summary>
    /// The question before what narrows it ("Ist das DSGVO-konform, insbesondere wenn Mandanten Steuerunterlagen schicken?":
    /// the qualifier's words left the privacy answer under the threshold). Searched beside the whole question; null when
    /// it has no such qualifier.
    /// </summary>
    internal static string? BeforeQualifier(string question) =>
        Qualifier().Match(question) is { Success: true, Index: > 0 } match && question[..match.Index].Trim() is { } main && TextTerms.Words(main).Count > 0 ? main + "?" : null;

    [GeneratedRegex(@",\s*(?:especially|in particular|particularly|specifically|insbesondere|vor allem|besonders|speziell|gerade wenn|gerade bei)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Qualifier();

    /// <summary>
    /// What the lead asks to be sent or told, without the asking ("Could you send me pricing": its "send" found the web-form
    /// answer, which sends leads to the API). Searched beside the whole question; null when it asks for nothing so.
    /// </summary>
    internal static string? RequestedThing(string question) =>
        Requested().Match(question) is { Success: true } match && match.Groups["thing"].Value.Trim() is { Length: > 0 } thing && TextTerms.Words(thing).Count > 0 ? thing : null;

    [GeneratedRegex(@"^(?:(?:could|can|would|will)\s+(?:you|u)\s+|(?:please|pls|plz)\s+|(?:schicken|senden|geben|nennen|mailen)\s+sie\s+|(?:schickt|sendet|gebt|nennt)\s+)?(?:(?:please|pls|bitte)\s+)?(?:send|email|e-mail|mail|give|tell|share|forward|schicken|senden|geben|nennen|mailen|schickt|sendet|gebt|nennt)?\s*(?:me|us|mir|uns)\s+(?:(?:please|bitte|mal|kurz)\s+)?(?:about\s+|some\s+|your\s+|the\s+|die\s+|den\s+|das\s+|eure\s+|ihre\s+)?(?<thing>[^?]+)\??$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Requested();

    /// <summary>
    /// An overview asked for ("a short overview of what SalesFlow does", "einen kurzen Überblick") asks what the business
    /// does: "short overview" left the answer on it under the threshold. Searched beside the whole question.
    /// </summary>
    private static string? OverviewQuestion(LeadText question, string clientName, string? language) =>
        IntentRules.AsksForAnOverview(question) && !string.IsNullOrWhiteSpace(clientName)
            ? (language == "de" ? $"Was macht {clientName.Trim()}?" : $"What does {clientName.Trim()} do?")
            : null;

    /// <summary>
    /// Whether it suits the lead's kind of business, asked in the words an industries answer uses: "funktioniert das auch
    /// für Fitnessstudios?" names no industry a passage names, and the answer on what the product does ("Wie funktioniert
    /// das?") passed the threshold instead. Searched beside the whole question; null when it asks no such thing.
    /// </summary>
    private static string? IndustryQuestion(LeadText question, string? language) =>
        IntentRules.AsksIfItSuitsABusiness(question)
            ? (language == "de" ? "Passt das für unsere Branche? Für welche Unternehmen?" : "Is it suitable for our industry? Which businesses is it for?")
            : null;

    /// <summary>
    /// A worry the knowledge answers under another question, asked in that question's words, searched beside the whole
    /// message and its answer put first: whether the assistant may promise, invent or say something wrong ("what stops it
    /// from promising discounts we don't offer?" found the price answer, "Ich möchte nicht, dass der Bot unseren Kunden
    /// Unsinn erzählt" the AI-disclosure answer), or that the lead is not technical ("we've got no IT person" found the
    /// hand-over answer through "person", "i'm not techy at all tho" nothing). Null when the message voices neither.
    /// </summary>
    private static string? WorryQuestion(LeadText question, string? language) =>
        IntentRules.AsksWhatItMaySay(question) ? (language == "de" ? "Können wir steuern, was es sagt? Was, wenn es etwas Falsches sagt?" : "Can we control what it says? What if it says something wrong?")
        : IntentRules.SaysItIsNotTechnical(question) ? (language == "de" ? "Brauchen wir einen Entwickler oder Programmierer?" : "Do we need a developer or programmer?")
        : null;

    /// <summary>
    /// The topic of a question announced without being asked ("Bitte keine Werbung, ich habe nur eine Frage zum
    /// Datenschutz", "quick question about pricing"): the announcement's and the rest's words kept the privacy answer
    /// under the threshold. Searched beside the whole message; null when it names none.
    /// </summary>
    internal static string? TopicAskedAbout(string text) =>
        TopicOfAQuestion().Match(text) is { Success: true } match && TextTerms.Words(match.Groups["topic"].Value).Count > 0 ? match.Groups["topic"].Value.Trim() : null;

    [GeneratedRegex(@"\b(?:eine?\s+(?:kurze\s+)?frage|fragen|(?:a\s+)?(?:quick\s+)?question|questions)\s+(?:zu[mr]?|about|on|regarding|re|bezüglich|bezueglich|wegen)\s+(?<topic>[^.?!,;\n]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TopicOfAQuestion();

    /// <summary>
    /// The question with what the lead's customers book, move or cancel named as appointments ("Kann euer Ding auch
    /// Probetrainings buchen?", "can it schedule viewings for us?", "what if a bride wants to reschedule her fitting?": the
    /// trial's, the viewing's and the fitting's words are in no passage and the calendar answers stayed under the
    /// threshold). Searched beside the whole question; null when it books nothing else, or a meeting with us.
    /// </summary>
    internal static string? AsAppointments(string question)
    {
        var english = BookedInEnglish().Match(question);
        if (english.Success && !MeetingWords().IsMatch(english.Groups["thing"].Value))
        {
            return question[..english.Index] + english.Groups["verb"].Value + " appointments" + question[(english.Index + english.Length)..];
        }

        var german = BookedInGerman().Match(question);
        return german.Success && !MeetingWords().IsMatch(german.Groups["thing"].Value)
            ? question[..german.Index] + "Termine " + german.Groups["verb"].Value + question[(german.Index + german.Length)..]
            : null;
    }

    // The thing booked: up to two words after the verb that are not a preposition ("book into our calendar"), a pronoun,
    // a time ("can I cancel anytime?" asks about the terms; it was given the answer on cancelling a meeting) or the terms.
    [GeneratedRegex(@"\b(?<verb>book|schedule|reserve|reschedule|rebook|cancel)\s+(?<thing>(?:(?:a|an|the|our|their|my|your|his|her)\s+)?(?!(?:in|into|on|for|with|at|it|them|me|us|you|a|an|the|anytime|any|anything|whenever|now|later|easily|online|monthly|subscription|subscriptions|contract|contracts|plan|account|licence|license)\b)\p{L}[\p{L}-]*(?:\s+(?!(?:in|into|on|for|with|at|and|or|from|via|through|automatically)\b)\p{L}[\p{L}-]*)?)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BookedInEnglish();

    // Leads write nouns in lower case too ("kann es probetrainings buchen"): what stands before the verb and is no noun is left out.
    [GeneratedRegex(@"\b(?!(?:auch|mal|direkt|selbst|selber|automatisch|gleich|nicht|noch|online|dann|sofort|einfach|schon|gleichzeitig|bitte|wieder|jetzt|uns|euch|mir|dir|ihnen|man|wir|ihr)\b)(?<thing>\p{L}[\p{L}-]*)\s+(?<verb>buchen|reservieren|vereinbaren|einbuchen|eintragen|verschieben|absagen|stornieren)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BookedInGerman();

    /// <summary>What a lead books with us, or already names as appointments: asked as it is.</summary>
    [GeneratedRegex(@"\b(?:demo|demos|call|calls|meeting|meetings|appointments?|termin|termine|gespräch|gespraech|anruf|rückruf|slot|slots|time|times|zeit|zeiten|ihn|sie|es|das|die|der|den)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MeetingWords();

    /// <summary>
    /// The question with the product named as "it": "Can I stop the bot from replying on weekends?" found the languages
    /// answer ("Can your bot speak Polish?") above the opening-hours answer, which "Can I stop it from replying on weekends?"
    /// finds. Searched beside the whole question; null when it names the product no such way or nothing would be left.
    /// </summary>
    internal static string? AsTheProduct(string question)
    {
        var plain = TheProduct().Replace(question, "it");
        return plain == question || TextTerms.Words(plain).Count == 0 ? null : plain;
    }

    [GeneratedRegex(@"\b(?:the|your|this|ur|der|den|dem|das|euer|eurem|euren|ihr|ihrem|ihren|dein|deinem|deinen|dieser|diesen|diesem|dieses)\s+(?:" + ProductNouns + @"|assistenten|platform|plattform)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TheProduct();

    /// <summary>
    /// The question after an announcement ending in a colon ("Two questions before we go further: does your assistant work
    /// with WhatsApp", "Kurze Frage: …"): the announcement's words outweighed the question's and the channels answer was not
    /// found. Searched beside the whole question (the part before may name the topic: "Frage zu WhatsApp: geht das auch mit
    /// Gruppen?"); null when there is no colon or nothing would be left.
    /// </summary>
    internal static string? AfterPreamble(string question)
    {
        var colon = question.LastIndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && question[(colon + 2)..].Trim() is { } rest && TextTerms.Words(rest).Count > 0 ? rest : null;
    }

    /// <summary>
    /// The question after a clause that tells something, when it opens with a question word ("we're a small bakery, do you
    /// work with food businesses?": the bakery's words halved the industries answer's share and it fell under the
    /// threshold). Searched beside the whole question; null when there is no such clause.
    /// </summary>
    internal static string? AfterClause(string question)
    {
        var comma = question.LastIndexOf(", ", StringComparison.Ordinal);
        return comma > 0 && question[(comma + 2)..].Trim() is { } rest && QuestionOpening().IsMatch(rest) && TextTerms.Words(rest).Count > 0 ? rest : null;
    }

    /// <summary>
    /// What the lead says it looks for, without what it is for ("im looking for a crm for my cleaning business": the cleaning
    /// business's words left the CRM answer under the threshold). Searched beside the whole message; null when it names none.
    /// </summary>
    internal static string? SoughtThing(string text) =>
        Sought().Match(text) is { Success: true } match && TextTerms.Words(match.Groups["thing"].Value, stem: false) is { Count: > 0 } words && !words.All(GenericThings.Contains)
            ? match.Groups["thing"].Value.Trim()
            : null;

    /// <summary>What any product is ("wir suchen eine Software für unsere WhatsApp-Anfragen" found the calendar answer's "booking software").</summary>
    private static readonly HashSet<string> GenericThings = new(
        ["software", "tool", "tools", "solution", "solutions", "system", "systems", "app", "apps", "platform", "service", "services", "way", "option", "options", "provider", "programm", "losung", "losungen", "anbieter", "moglichkeit", "plattform", "dienst"],
        StringComparer.Ordinal);

    [GeneratedRegex(@"\b(?:looking for|searching for|in the market for|shopping around for|wir suchen|ich suche|suchen nach|sind auf der suche nach|bin auf der suche nach)\s+(?:a|an|some|a\s+good|a\s+new|eine[nm]?|ein|nach|einer?)?\s*(?<thing>\p{L}[\p{L}\d-]*(?:\s+(?!(?:for|to|that|which|so|and|because|für|fuer|um|damit|die|der|das|und|weil)\b)\p{L}[\p{L}\d-]*){0,2})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Sought();

    /// <summary>"for 3 locations", "with 12 agents", "for a team of five", "bei 5 Leuten", "für drei Standorte", "mit ca. 20 Mitarbeitern".</summary>
    [GeneratedRegex(@"\s*\b(?:for|with|across|bei|für|fuer|mit)\s+(?:a\s+team\s+of\s+|a\s+company\s+of\s+|teams\s+of\s+|einem\s+team\s+von\s+|about\s+|around\s+|roughly\s+|up\s+to\s+|like\s+|our\s+|all\s+|ca\.?\s+|etwa\s+|rund\s+|so\s+|unseren?\s+|allen\s+)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|fifty|hundred|a\s+few|several|multiple|zwei|drei|vier|fünf|fuenf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwoelf|fünfzehn|zwanzig|dreißig|fünfzig|hundert|mehrere[nm]?|ein\s+paar)\b(?:\s+\p{L}+)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Scope();

    [GeneratedRegex(@"[.,;:!\n]+\s*")]
    private static partial Regex ClauseBreak();

    /// <summary>A clause that asks, written without a question mark: "what about whatsapp then", "wie lange dauert das".</summary>
    // Up to two fillers before it: "ok and can it handle multiple locations, we have 3 salons" was met with "Got it".
    [GeneratedRegex(@"^(?:(?:and|so|ok|okay|oh|ah|hmm|und|also|ach|achso)[,]?\s+){0,2}(?:what|whats|wat|how|hows|where|wheres|when|which|who|whos|why|does|do|can|could|will|would|wie|was|wo|wann|welche[rsnm]?|wer|warum|gibt es|kann|können|koennen|funktioniert)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuestionOpening();

    /// <summary>A question asked as a wish to know: "möchten wissen, ob …", "I'd like to know whether …", "wondering how …".</summary>
    [GeneratedRegex(@"\b(?:wissen|erfahren|know|wondering|wonder)\b,?\s+(?<q>(?:ob|whether|if|wie|was|wann|wo|welche[rsnm]?|how|what|when|where|which)\b[^.!?\n]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IndirectQuestion();

    /// <summary>
    /// "and"/"und" between two things asked for ("Could you send me pricing and a short overview of what SalesFlow does?"
    /// was sent the price alone): where the second thing begins.
    /// </summary>
    [GeneratedRegex(@"(?<=\b(?:send|email|mail|tell|give|share|provide|schicken|senden|schick|mailen|geben)\b[^?\n]*?)\s+(?:and|und)\s+(?=(?:a|an|some|the|your|any|ein|eine|einen|einige|ihre|eure)\s+(?:short\s+|brief\s+|quick\s+|kurze[nrs]?\s+|grobe[nrs]?\s+)?\p{L}+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JoinedRequests();

    /// <summary>
    /// Two things asked of the product under one opening ("Kann Ihr System Anfragen vorqualifizieren und Probefahrten
    /// vereinbaren?" was left to the team, "can your system pre-qualify these enquiries and book test drives?" given the
    /// calendar answer alone): each is asked with the opening. The second must open with a doing (English) or both end in
    /// one (German, lower case), so "can it answer WhatsApp and SMS?" and "Kann es Anfragen und Termine verwalten?" stay whole.
    /// What stands before the opening ("Hi, quick question - can your system …") is left out of both.
    /// </summary>
    internal static IEnumerable<string> JoinedAsks(string question)
    {
        var asks = TwoAsksInEnglish().Match(question) is { Success: true } english ? english : TwoAsksInGerman().Match(question);
        return asks.Success
            ? [$"{asks.Groups["head"].Value}{asks.Groups["first"].Value}?", $"{asks.Groups["head"].Value}{asks.Groups["second"].Value}?"]
            : [question];
    }

    [GeneratedRegex(@"(?:^|[-–:,;]\s+)(?<head>\s*(?:(?:and|so|ok|okay|also)[,]?\s+)?(?:can|could|will|would|does|do)\s+(?:it|you|they|salesflow|(?:your|the|this)\s+\p{L}+)\s+(?:also\s+|even\s+)?)(?<first>\p{L}[^?\n]*?)\s+and\s+(?:also\s+|then\s+)?(?<second>(?:book|schedule|send|answer|reply|respond|qualify|pre-qualify|prequalify|follow|sync|update|track|remind|handle|collect|take|capture|score|route|forward|notify|alert|create|log|add|manage|filter|screen|translate|escalate|hand|pass|write|call|set|offer|confirm|cancel|reschedule|check|show|tell|ask|sort|tag|push|integrate|connect)\b[^?\n]*?)\s*\??\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TwoAsksInEnglish();

    // Case matters here (a German verb is written small, a noun large), so only the opening ignores it.
    [GeneratedRegex(@"(?:^|[-–:,;]\s+)(?<head>\s*(?i:(?:und|also|ok)[,]?\s+)?(?i:kann|können|koennen|könnte|könnten|würde|wird)\s+(?i:(?:euer|eure|ihr|das|der|die|dein|deine)\s+\p{L}+|es|das|sie|ihr|man|salesflow)\s+(?i:(?:auch|dann|damit)\s+)?)(?<first>\p{L}[^?\n]*?\s\p{Ll}\p{L}*(?:en|ern|eln))\s+und\s+(?i:(?:auch|dann)\s+)?(?<second>\p{L}[^?\n]*?\p{Ll}\p{L}*(?:en|ern|eln))\s*\??\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TwoAsksInGerman();

    /// <summary>How many customers or users we have: "how many clients do you have?", "Wie viele Kunden habt ihr schon?".</summary>
    [GeneratedRegex(@"\b(?:how\s+many|wie\s*viele)\s+(?:customers|clients|users|companies|businesses|kunden|firmen|nutzer|unternehmen|betriebe)\s+(?:do\s+you\s+have|have\s+you|does\s+it\s+have|are\s+using|use\s+(?:it|this|you|salesflow)|habt\s+ihr|haben\s+sie|hat\s+es|nutzen|arbeiten\s+mit)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CountOfOurs();

    /// <summary>"and"/"und"/"oder"/"or" (or a comma) followed by a question word: where a second question begins.</summary>
    [GeneratedRegex(@"(?:,\s*|\s+)(?:and|or|und|oder)\s+(?=(?:what|how|where|when|which|who|why|is|are|do|does|can|could|will|would|was|wie|wo|wann|welche[rsnm]?|wer|warum|ist|sind|gibt|kann|können|muss|brauche[n]?|geht|funktioniert|klappt|habt|hat|könnt|bietet|unterstützt)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JoinedQuestions();

    /// <summary>A verb of working together and the product it names (one to three words), in English or German (verb first
    /// or last: "an Pipedrive anbinden"), or "support" and what it names ("Does it support Instagram?", "Unterstützt ihr
    /// Salesforce?").</summary>
    [GeneratedRegex(@"\b(?:work|works|working|integrate|integrates|integration|connect|connects|connected|sync|syncs|plug|plugs|compatible|funktioniert|funktionieren|läuft|laeuft|geht|klappt|arbeitet|verbinden|anbinden|koppeln|integrieren|kompatibel|verknüpfen)\s+(?:\w+\s+){0,2}(?:with|to|into|mit|an|zu)\s+(?!(?:the|a|an|our|my|your|it|this|that|us|you|me|them|other|any|all|each|every|existing|unser\w*|mein\w*|ihr\w*|dein\w*|euer\w*|eure\w*|dem|der|den|das|die|einem|einer|jedem|anderen|allen|uns|mir|ihnen|dir|es)\b)(?<tool>\p{L}[\p{L}\d.-]*(?:\s+(?!(?:and|or|und|oder|too|also|auch|as|at|in|for|um|bei|so|then|dann|now|jetzt|already|schon|yet|noch|verbinden|anbinden|koppeln|integrieren|verknüpfen|synchronisieren)\b)\p{L}[\p{L}\d.-]*){0,2})|\b(?:mit|an)\s+(?!(?:the|a|an|our|my|your|it|this|that|us|you|me|them|other|any|all|each|every|existing|unser\w*|mein\w*|ihr\w*|dein\w*|euer\w*|eure\w*|dem|der|den|das|die|einem|einer|jedem|anderen|allen|uns|mir|ihnen|dir|es)\b)(?<tool>\p{L}[\p{L}\d.-]*(?:\s+(?!(?:and|or|und|oder|too|also|auch|as|at|in|for|um|bei|so|then|dann|now|jetzt|already|schon|yet|noch|verbinden|anbinden|koppeln|integrieren|verknüpfen|synchronisieren)\b)\p{L}[\p{L}\d.-]*){0,2})\s+(?:verbinden|anbinden|koppeln|integrieren|verknüpfen|synchronisieren)\b|\b(?:support|supports|unterstützt|unterstützen|unterstuetzt)\s+(?:(?:ihr|ihr\s+auch|sie|es|das|auch)\s+)?(?!(?:the|a|an|our|my|your|it|this|that|us|you|me|them|other|any|all|each|every|existing|unser\w*|mein\w*|ihr\w*|dein\w*|euer\w*|eure\w*|dem|der|den|das|die|einem|einer|jedem|anderen|allen|uns|mir|ihnen|dir|es)\b)(?<tool>\p{L}[\p{L}\d.-]*(?:\s+(?!(?:and|or|und|oder|too|also|auch|as|at|in|for|um|bei|so|then|dann|now|jetzt|already|schon|yet|noch|verbinden|anbinden|koppeln|integrieren|verknüpfen|synchronisieren)\b)\p{L}[\p{L}\d.-]*){0,2})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectsTo();
}
