using System.Globalization;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Leads;
using static SalesFlow.Core.Brain.Rules.ReplyTemplates;

namespace SalesFlow.Core.Brain.Rules;

/// <summary>
/// Template replies per conversation state and lead intent, in English or German (Sie-form, du-form to a lead who writes
/// du: <see cref="GermanAddress"/>). The variant is picked
/// from the turn number and a stable hash of the lead's text, so the same input always gives the same reply and
/// the same text on consecutive turns gets a different variant. Short-form channels are held to 280 characters;
/// e-mail gets a salutation, an extra line and a sign-off.
/// </summary>
public sealed class RulesReplyGenerator : IReplyGenerator
{
    /// <summary>Enough to leave every two- or three-variant template pair.</summary>
    private const uint MaxReseeds = 8;

    public Task<string> GenerateAsync(ReplyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Generate(request));
    }

    /// <summary>
    /// The synchronous core of <see cref="GenerateAsync"/>. Two different lead texts can still land on the same
    /// variants; when the result is word for word the reply SalesFlow sent last, the next seeds are tried, so a lead
    /// never reads the same answer twice in a row (replayed dialogues showed it looks like a looping bot).
    /// </summary>
    public static string Generate(ReplyRequest request)
    {
        var seed = StableHash(request.LeadText) + (uint)Math.Max(0, request.TurnNumber);
        var reply = Generate(request, seed);
        var lastReply = request.History?.LastOrDefault(m => !m.FromLead)?.Text.Trim();
        for (var shift = 1u; shift <= MaxReseeds && lastReply is not null && SameText(reply, lastReply); shift++)
        {
            reply = Generate(request, seed + shift);
        }

        return reply;
    }

    /// <summary>
    /// The same reply, or one that opens with the same sentence: "Good question, Emma! I'd rather give you an accurate
    /// answer than a guess…" twice in a row, with different questions after it, read as a loop too.
    /// </summary>
    private static bool SameText(string reply, string lastReply)
    {
        var trimmed = reply.Trim();
        if (string.Equals(trimmed, lastReply, StringComparison.Ordinal) || lastReply.EndsWith(trimmed, StringComparison.Ordinal)) // a stored reply may carry a prefix (AI disclosure)
        {
            return true;
        }

        // From the first sentence end after 20 characters: "Thanks, Tom!" alone is no loop.
        var end = trimmed.Length > 20 ? trimmed.IndexOfAny(['.', '!', '?'], 20) : -1;
        return end > 0 && lastReply.Contains(trimmed[..(end + 1)], StringComparison.Ordinal);
    }

    private static string Generate(ReplyRequest request, uint seed)
    {
        var german = ReplyLanguage(request) == "de";
        var voice = new Voice(german, german && GermanAddress.LeadUsesDu(request.LeadText, request.History));
        var name = CleanName(request.LeadName);
        var client = string.IsNullOrWhiteSpace(request.ClientName) ? (german ? "uns" : "us") : request.ClientName.Trim();
        var email = !request.Channel.IsShortForm();
        var (opener, question) = Choose(request, voice, seed, email);
        if (voice.Du && GermanAddress.HasSieForm(opener + " " + question))
        {
            // The client's knowledge, quoted in the Sie-form ("Sie zahlen Ihre eigenen Azure-Ressourcen"): one message
            // keeps one form of address, so this reply stays on Sie.
            voice = voice with { Du = false };
            (opener, question) = Choose(request, voice, seed, email);
        }

        if (email)
        {
            var body = Render(Join(opener, question), name: null, client, german);
            var extra = request.Analysis.Intent == Intent.OptOut ? string.Empty : "\n\n" + Render(Pick(EmailExtra, voice, seed), null, client, german);
            // A lead on du is greeted by its first name, not "Guten Tag Lisa Müller".
            var salutation = voice.Du ? name : CleanName(PersonName.SalutationOf(request.LeadFullName, german)) ?? name;
            return ReplyText.AsEmail(body + extra, salutation, client, german);
        }

        var reply = Render(Join(opener, question), name, client, german);
        if (reply.Length > ReplyText.ShortFormLimit && name is not null)
        {
            reply = Render(Join(opener, question), name: null, client, german); // a very long name goes first
        }

        if (reply.Length > ReplyText.ShortFormLimit)
        {
            var renderedQuestion = Render(question, null, client, german);
            var room = ReplyText.ShortFormLimit - renderedQuestion.Length - 1;
            var renderedOpener = Render(opener, null, client, german);
            reply = room >= 40 && renderedQuestion.Length > 0
                ? ReplyText.FitToLength(renderedOpener, room) + " " + renderedQuestion
                : ReplyText.FitToLength(reply, ReplyText.ShortFormLimit);
        }

        return reply;
    }

    private static (string Opener, string Question) Choose(ReplyRequest request, Voice voice, uint seed, bool email)
    {
        var german = voice.German;
        var lead = LeadText.Parse(request.LeadText); // once per reply: several replies depend on what the lead wrote
        var intent = ReplyIntent(request, lead);
        var state = request.State;
        // A lead that has said who it is ("we r an estate agents in manchester…") was asked "What can I help you with?" on
        // first contact, and again on the next turn: it is asked about its need.
        var stateQuestions = state == ConversationState.InitialContact && SaidWhoItIs(request, lead) ? QualifyingAfterIntroduction : StateQuestions[state];
        // The one question that moves on; never one the lead has already answered ("we are 8 salespeople", "we lose
        // track of leads") nor the one SalesFlow asked last time (a lead was asked "what would make the biggest
        // difference?" three turns in a row). The lead's messages are searched only when the question picked would ask
        // for such a fact.
        string Ask(Variants questions)
        {
            var picked = Pick(questions, voice, seed >> 3);
            if (!AlreadyAsked(request, picked))
            {
                return picked;
            }

            var open = Options(questions, voice).Where(q => !AlreadyAsked(request, q)).ToArray();
            if (open.Length == 0)
            {
                // The next step the stage calls for (at the price: the pricing offer, then a look at how it works); asking
                // again beats asking for what the lead already said.
                var pricing = intent == Intent.Pricing || state == ConversationState.PriceNegotiation;
                var first = Options(pricing ? PricingWhenAllIsKnown : NextStepWhenAllIsKnown, voice);
                open = first.Where(q => !AskedRecently(request, q)).ToArray();
                open = open.Length > 0 || !pricing ? open : Options(NextStepWhenAllIsKnown, voice).Where(q => !AskedRecently(request, q)).ToArray();
                open = open.Length > 0 ? open : first;
            }

            return open[(int)((seed >> 3) % (uint)open.Length)];
        }

        if (intent == Intent.OptOut)
        {
            return (Pick(Openers[Intent.OptOut], voice, seed), string.Empty);
        }

        if (request.Analysis.IsStronglyNegative)
        {
            return (Pick(ReplyTemplates.StronglyNegative, voice, seed), string.Empty);
        }

        // "who is this? how did you get my number": answered before anything is sold.
        if (intent is Intent.Question or Intent.Other or Intent.Greeting or Intent.Interest or Intent.Objection or Intent.Support && IntentRules.AsksWhoWeAre(lead))
        {
            // "how did you get my number" from a lead who wrote first: it gave us the number (it had been told who we are again).
            return IntentRules.AsksHowWeGotTheContact(lead) && request.History is [{ FromLead: true }, ..]
                ? (Pick(WeGotItFromYou, voice, seed).Replace("{contact}", ContactWord(request.Channel, voice.German), StringComparison.Ordinal), string.Empty)
                : (Pick(WhoWeAre, voice, seed), Ask(stateQuestions));
        }

        // "hi is this the right number for salesflow" was answered with the trial's FAQ ("You can try it right away").
        if (intent is Intent.Question or Intent.Other or Intent.Greeting or Intent.Interest && ChecksItReachedUs(request, lead))
        {
            return (Pick(RightPlace, voice, seed), Ask(stateQuestions));
        }

        // "is this the pizza place on 5th?" was promised a precise answer from the team.
        if (intent is Intent.Question or Intent.Other or Intent.Greeting or Intent.Interest && AsksForSomeoneElse(request, lead))
        {
            return (Pick(WrongNumber, voice, seed), string.Empty);
        }

        // "azure hab ich schon" after the price answer ("your own Azure resources") was called a fair point.
        if (intent is Intent.Objection or Intent.Other or Intent.Interest && lead.QuestionMarks == 0 && FollowUpQuestion.AlreadyHad(request.LeadText) is { } had
            && (request.History ?? []).LastOrDefault(m => !m.FromLead) is { } last && TextTerms.Coverage(TextTerms.Words(had), last.Text) >= 1)
        {
            // Spelt as our answer spelt it ("azure" → "Azure").
            var at = last.Text.IndexOf(had, StringComparison.OrdinalIgnoreCase);
            return (Pick(AlreadyInPlace, voice, seed).Replace("{thing}", at >= 0 ? last.Text.Substring(at, had.Length) : had, StringComparison.Ordinal), Ask(stateQuestions));
        }

        // "maybe, if you add it later let me know", after an answer that lacked it, was asked what would make it confident.
        if (intent is Intent.Question or Intent.Other or Intent.Interest or Intent.Objection && IntentRules.AsksToBeToldOnceItCan(lead))
        {
            return (Pick(WillLetYouKnow, voice, seed), string.Empty);
        }

        // "We are a digital marketing agency offering SEO … Would you be interested in growing your traffic?" and "are you
        // guys hiring?" were asked their team size; "whats the weather like in london today" was promised an answer from the team.
        if (intent is Intent.Question or Intent.Other or Intent.Greeting or Intent.Interest or Intent.Objection && IntentRules.IsNoEnquiry(lead))
        {
            return (Pick(NoEnquiry, voice, seed), string.Empty);
        }

        if (intent is Intent.Question or Intent.Other or Intent.Greeting && IntentRules.AsksSomethingOffTopic(lead))
        {
            return (Pick(OffTopic, voice, seed), Ask(stateQuestions));
        }

        // "Guten Abend, ich habe eine Frage zu Ihrem Produkt" was told the team would be asked, and asked for the team size.
        if (intent is Intent.Question or Intent.Other or Intent.Greeting or Intent.Interest or Intent.Support && IntentRules.AnnouncesAQuestion(lead))
        {
            return (Pick(WhatWouldYouLikeToKnow, voice, seed), string.Empty);
        }

        // "Bonjour, do you speak English? I run a small bakery" was thanked and asked what we could help with.
        if (intent is Intent.Question or Intent.Other or Intent.Greeting or Intent.Interest && IntentRules.AsksAboutTheLanguage(lead))
        {
            return (Pick(LanguageAnswer, voice, seed), Ask(stateQuestions));
        }

        if (intent is Intent.Question or Intent.Other or Intent.Greeting or Intent.Interest && IntentRules.AsksForAnotherLanguage(lead))
        {
            return (Pick(OtherLanguageAnswer, voice, seed), string.Empty);
        }

        // "ok klingt gut, wie geht's weiter" was cheered at and asked what would make the biggest difference: SalesFlow leads on.
        if (intent is Intent.Interest or Intent.Other or Intent.Question or Intent.Greeting && OffersTheNextStep(request, lead))
        {
            return (Pick(NextStepOpeners, voice, seed), Pick(NextStepOffer, voice, seed));
        }

        // "we want to go ahead" then "what do you need from me" was told what SalesFlow does: after a buying signal it asks
        // for the next step.
        if (intent is Intent.Question or Intent.Other && AsksWhatWeNeedToGoAhead(request, lead))
        {
            return (Pick(StartOpeners, voice, seed), email || KnowsAnEmailAddress(request) ? Ask(stateQuestions) : Pick(StartNextStep, voice, seed));
        }

        if (AsksTheCostOfCustomWork(intent, lead))
        {
            return (Pick(Openers[Intent.Question], voice, seed), Ask(stateQuestions));
        }

        // A question the client's knowledge base answers: say what it says (the only facts the rules brain states), then move on.
        // "Wie schnell könnten wir starten?" (a buying signal, read as one) is answered with what the knowledge says about starting.
        // A customer asking to cancel is a colleague's case, not a question the terms in the knowledge answer.
        var asksHowToStart = intent == Intent.Purchase && IntentRules.AsksHowToStart(lead);
        var cancels = intent == Intent.Support && IntentRules.AsksToCancel(lead);
        // An e-mail asking two or three things gets each answer ("Is your tool GDPR compliant, and can it book appointments…?"); what
        // the knowledge holds nothing on is said to be checked with the team ("…do you offer a discount for charities?" went
        // unmentioned), and no other passage stands in for its answer.
        var unanswered = request.UnansweredQuestions?.Count ?? 0;
        var answered = TurnKnowledge.QuestionsIn(request.LeadText).Count - unanswered;
        var answerCount = email ? Math.Clamp(answered, 1, 3) : 1;
        IReadOnlyList<string>? latest = null; // read once, and only for an answer from the knowledge
        IReadOnlyList<string> Latest() => latest ??= LatestReplies(request, lead);
        if (AnswersFromTheKnowledge(intent, lead) && !cancels
            && KnowledgeAnswer.Several(request.Knowledge, email ? 600 / answerCount : 200, Latest(), ReplyLanguage(request), answerCount, request.LeadText) is [_, ..] answers)
        {
            // "how does it handle after hours messages? also, is there a free trial?" in a chat got the first answer only:
            // both are given when each fits whole to a sentence's end in the message, and they are the message.
            if (!email && answered >= 2 && unanswered == 0 && BothAnswers(request, Latest()) is { } both)
            {
                return (Literal(both), string.Empty);
            }

            var follow = intent == Intent.Pricing ? IntentQuestions[Intent.Pricing] : stateQuestions;
            var term = FollowUpQuestion.TermOf(request.LeadText);
            var shownBefore = (request.History ?? []).Any(m => !m.FromLead && m.Text.Contains(answers[0][..Math.Min(answers[0].Length, 60)], StringComparison.Ordinal));
            var givenBefore = term is null && shownBefore;
            // An answer given before is said again by its sentence about the question, in words that hold whichever way the lead
            // put it: "so it cant answer the phone?" right after the channels answer said so, "Wo stehen die Server?" after the
            // privacy answer ("Yes, that's right" would confirm "so it can?" as well); "thats it? no monthly fee?" is confirmed.
            var said = Literal(
                // "what about facebook messenger?" right after the channels answer was sent all of it again: its sentence about it.
                term is not null && shownBefore ? FollowUpQuestion.Echo(term) + KnowledgeAnswer.SentenceAbout(answers[0], request.LeadText)
                : term is not null ? FollowUpQuestion.Echo(term) + string.Join(" ", answers)
                : givenBefore && IntentRules.ChecksWhatWasSaid(lead) && !IntentRules.RestatesToCheck(lead) ? (voice.German ? "Ja, genau. " : "Yes, that's right. ") + string.Join(" ", answers)
                : givenBefore && lead.QuestionMarks == 0 && FollowUpQuestion.ToolUsed(request.LeadText) is { } tool ? $"{(voice.German ? "Zu" : "As for")} {tool}: " + KnowledgeAnswer.SentenceAbout(answers[0], request.LeadText)
                : givenBefore ? (voice.German ? "Nochmal kurz: " : "Just to be clear: ") + KnowledgeAnswer.SentenceAbout(answers[0], request.LeadText)
                : string.Join(" ", answers));
            if (unanswered == 0)
            {
                return (said, Ask(follow));
            }

            // In a chat message the promise takes the follow-up question's place: both did not fit beside the answer.
            var promise = unanswered == 1 && TurnKnowledge.ProductNamedIn(request.UnansweredQuestions![0], request.ClientName ?? string.Empty, ReplyLanguage(request)) is { } product
                ? Pick(OtherProductToTheTeam, voice, seed).Replace("{product}", product, StringComparison.Ordinal)
                : Pick(unanswered == 1 ? OtherQuestionToTheTeam : OtherQuestionsToTheTeam, voice, seed);
            return email ? (said + " " + promise, Ask(follow)) : (said, promise);
        }

        // Also beside a stall ("I'll need to think about it. Can you send me something in writing?") and for a quote ("Können
        // Sie mir ein Angebot zukommen lassen?", which was asked for the team size it had just given): the request is answered.
        // "do you have any customer references in real estate? And does it support multiple users with different
        // permissions?" was promised the references, and the second question went unmentioned.
        if ((intent is Intent.Question or Intent.Interest or Intent.Other or Intent.Objection or Intent.Pricing) && IntentRules.AsksForMaterials(lead))
        {
            var opener = Pick(MaterialsOpeners, voice, seed);
            var others = OtherQuestionsBesideMaterials(request, lead);
            opener = others == 0 ? opener : opener + " " + Pick(others == 1 ? OtherQuestionToTheTeam : OtherQuestionsToTheTeam, voice, seed);
            return (opener, email || KnowsAnEmailAddress(request) ? Ask(stateQuestions) : Pick(MaterialsWhereQuestion, voice, seed));
        }

        switch (intent)
        {
            // "Is this an AI bot?" was answered "Of course! A colleague will take over": a lead that asks gets the truth.
            case Intent.Human when IntentRules.OnlyAsksIfBot(lead):
                return (Pick(BotDisclosure, voice, seed), Ask(stateQuestions));

            case Intent.Human when IntentRules.AsksIfBot(lead):
                return (Pick(BotDisclosureAndHandOver, voice, seed), Ask(IntentQuestions[intent]));

            case Intent.Pricing or Intent.Other or Intent.Interest when IntentRules.StatesTightBudget(lead):
                return (Pick(Objections[ObjectionKind.Price].Opener, voice, seed), Ask(IntentQuestions[Intent.Pricing]));

            // "ok what about zapier?", "what if a lead writes at night?": the model read them as small talk and the lead was
            // thanked for a question. The team checks it (ColleagueFollowUp.OpenQuestion tells them).
            case Intent.Other when IntentRules.AsksAnOpenQuestion(lead):
                return (Pick(Openers[Intent.Question], voice, seed), Ask(stateQuestions));

            case Intent.Pricing when lead.QuestionMarks == 0 && LeadSignalRules.StatesBudget(request.LeadText):
                return (Pick(BudgetOpeners, voice, seed), Ask(IntentQuestions[Intent.Pricing]));

            // "Hallo, ich habe gestern schon angefragt und keine Antwort bekommen" was asked for an order number or a screenshot.
            case Intent.Support when IntentRules.ComplainsOfNoAnswer(lead):
                return (Pick(WaitedOpeners, voice, seed), Ask(WaitedQuestions));

            case Intent.Human:
            case Intent.Support:
            case Intent.Pricing:
            case Intent.Meeting:
                return (Pick(Openers[intent], voice, seed), Ask(IntentQuestions[intent]));

            case Intent.Purchase when asksHowToStart && request.PreviousState != ConversationState.PostPurchase:
                return (Pick(StartOpeners, voice, seed), email || KnowsAnEmailAddress(request) ? Ask(stateQuestions) : Pick(StartNextStep, voice, seed));

            case Intent.Purchase when request.PreviousState == ConversationState.PostPurchase:
                return (Pick(PostPurchaseThanks, voice, seed), Ask(StateQuestions[ConversationState.PostPurchase]));

            case Intent.Purchase:
                return (Pick(Openers[intent], voice, seed), Ask(IntentQuestions[intent]));

            // An e-mail telling its pain and asking "Does your system integrate with ServiceTitan?" got the acknowledgement
            // alone: what the knowledge holds nothing on is said to be checked with the team.
            case Intent.Interest when AsksBesideThePain(request, lead) is var asked and > 0:
                return (Pick(PainOpeners, voice, seed) + " " + Pick(asked == 1 ? YourQuestionToTheTeam : YourQuestionsToTheTeam, voice, seed), Ask(PainQuestions));

            // "we lose track of leads in spreadsheets": a pain is acknowledged, not met with "Great to hear!".
            case Intent.Interest when IntentRules.DescribesPain(lead):
                return (Pick(PainOpeners, voice, seed), Ask(PainQuestions));

            // "Got your number from a friend. We run 3 coffee shops, could you help with catering orders?" was thanked for the
            // picture and its question left unanswered: the team checks it (ColleagueFollowUp.OpenQuestion tells them).
            case Intent.Interest when AsksBesideIntroducing(lead):
                return (Pick(Openers[Intent.Question], voice, seed), Ask(stateQuestions));

            // "sup. saw your post on linkedin" was told "that helps me picture how it works for you": it says hello.
            case Intent.Interest or Intent.Other or Intent.Greeting when IntentRules.SaysWhereItFoundUs(lead) && !SaidWhoItIs(request, lead) && !IntentRules.DescribesPain(lead):
                return (Pick(Openers[Intent.Greeting], voice, seed), Ask(StateQuestions[ConversationState.InitialContact]));

            case Intent.Interest or Intent.Other when IntentRules.DescribesCustomersQuestions(lead) || IntentRules.IntroducesItself(lead) || IntentRules.StatesTrafficVolume(lead, request.LeadText):
                return (Pick(ContextOpeners, voice, seed), Ask(stateQuestions));

            // "ok what would switching look like" (no question mark) was thanked for the insight: the team checks it.
            case Intent.Interest when AsksWithoutAQuestionMark(request, lead):
                return (Pick(Openers[Intent.Question], voice, seed), Ask(stateQuestions));

            // "Instagram is like 70% of our messages though" was met with "Love that, thanks for your interest": a plain
            // statement the model reads as interest is thanked for, not cheered at.
            case Intent.Interest when lead.QuestionMarks == 0 && request.Analysis.Sentiment != Sentiment.Positive && !IntentRules.SoundsKeen(lead):
                return (Pick(ContextOpeners, voice, seed), Ask(stateQuestions));

            case Intent.Other when IntentRules.ExpressesRegret(lead):
                return (Pick(RegretOpeners, voice, seed), Ask(stateQuestions));

            case Intent.Objection:
                var (objectionOpener, objectionQuestion) = Objections[ClassifyObjection(request.LeadText)];
                return (Pick(objectionOpener, voice, seed), Ask(objectionQuestion));

            default:
                var opener = intent == Intent.Greeting && email
                    ? Pick(EmailGreetingOpeners, voice, seed)
                    : Pick(Openers.TryGetValue(intent, out var variants) ? variants : Openers[Intent.Other], voice, seed);
                return (opener, Ask(stateQuestions));
        }
    }

    /// <summary>
    /// Whether the reply to this turn tells the lead the team will check its question: a question (or a direct question the
    /// model read as small talk) that no passage of the knowledge base answers and no earlier reading of <see cref="Choose"/>
    /// answers otherwise (who we are, an announced question, the language, materials, a tight budget). The engine marks such
    /// a reply for a person (<see cref="Conversations.ColleagueFollowUp.OpenQuestion"/>), whichever brain writes it.
    /// </summary>
    public static bool LeavesTheQuestionToTheTeam(ReplyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lead = LeadText.Parse(request.LeadText);
        var intent = ReplyIntent(request, lead);
        // Every turn asks this (ColleagueFollowUps): the knowledge's answer, which reads each passage's language, only when needed and once.
        bool? answers = null;
        bool Answers() => answers ??= KnowledgeAnswer.From(request.Knowledge, 600, LatestReplies(request, lead), ReplyLanguage(request), request.LeadText) is not null;
        if (AsksTheCostOfCustomWork(intent, lead))
        {
            return true;
        }

        if (request.UnansweredQuestions is { Count: > 0 } && AnswersFromTheKnowledge(intent, lead) && Answers())
        {
            return true; // one question answered, the other checked with the team
        }

        if (IntentRules.AsksForMaterials(lead) && OtherQuestionsBesideMaterials(request, lead) > 0 && !Answers())
        {
            return true; // the materials promised, the product question beside them checked with the team
        }

        if (intent is not (Intent.Question or Intent.Other or Intent.Interest) || (intent == Intent.Interest && !AsksBesideIntroducing(lead) && !AsksWithoutAQuestionMark(request, lead) && AsksBesideThePain(request, lead) == 0)
            || request.Analysis.IsStronglyNegative || Answers())
        {
            return false;
        }

        return (intent == Intent.Question || (IntentRules.AsksAnOpenQuestion(lead) && !IntentRules.StatesTightBudget(lead)))
            && !IntentRules.AsksWhoWeAre(lead) && !ChecksItReachedUs(request, lead) && !AsksForSomeoneElse(request, lead) && !IntentRules.AnnouncesAQuestion(lead) && !IntentRules.AsksAboutTheLanguage(lead)
            && !IntentRules.AsksForAnotherLanguage(lead) && !IntentRules.AsksForMaterials(lead) && !OffersTheNextStep(request, lead)
            && !IntentRules.IsNoEnquiry(lead) && !IntentRules.AsksSomethingOffTopic(lead) && !AsksWhatWeNeedToGoAhead(request, lead);
    }

    /// <summary>
    /// What the knowledge says to the <paramref name="asked"/> product questions beside a wish answered with fixed text
    /// (meeting times), to go before it: up to three answers in an e-mail, the questions nothing was found for said to be
    /// checked with the team; one in a chat message, when it fits whole in <paramref name="room"/> characters. When the
    /// knowledge holds nothing on any of them, that they are checked with the team (in a chat message if it fits). Null when
    /// nothing is said.
    /// </summary>
    public static string? AnswersBeside(KnowledgeForReply found, IReadOnlyList<string> asked, string language, bool email, int room)
    {
        var count = email ? Math.Clamp(asked.Count - found.Unanswered.Count, 1, 3) : 1;
        var answers = KnowledgeAnswer.Several(found.Passages, email ? 600 / count : room, [], language, count, string.Join(' ', asked));
        var german = language == "de";
        if (answers.Count == 0 || (!email && answers[0].EndsWith('…')))
        {
            // "Also, can your system send appointment reminders to customers?" beside a call wish found nothing and went unmentioned.
            var promise = LeftToTheTeamBeside(found, asked) ? (asked.Count == 1 ? YourQuestionToTheTeam : YourQuestionsToTheTeam).For(german)[0] : null;
            return found.Passages.Count == 0 && promise is not null && (email || promise.Length <= room) ? promise : null;
        }

        var said = string.Join(" ", answers);
        return email && found.Unanswered.Count > 0
            ? said + " " + (found.Unanswered.Count == 1 ? OtherQuestionToTheTeam : OtherQuestionsToTheTeam).For(german)[0]
            : said;
    }

    /// <summary>Whether product questions asked beside a wish answered with fixed text are left to the team, some or all of them.</summary>
    public static bool LeftToTheTeamBeside(KnowledgeForReply found, IReadOnlyList<string> asked) =>
        asked.Count > 0 && (found.Unanswered.Count > 0 || found.Passages.Count == 0);

    /// <summary>
    /// How many product questions a message asks beside its wish for materials (what the knowledge answers of them is
    /// answered before the materials are reached: the knowledge branch comes first).
    /// </summary>
    private static int OtherQuestionsBesideMaterials(ReplyRequest request, LeadText lead) =>
        IntentRules.AsksForMaterials(lead) ? TurnKnowledge.ProductQuestionsIn(request.LeadText).Count : 0;

    /// <summary>The client's text inside a template: its braces are no placeholders.</summary>
    private static string Literal(string text) => text.Replace("{", "(", StringComparison.Ordinal).Replace("}", ")", StringComparison.Ordinal);

    /// <summary>
    /// Whether a reading is answered from the knowledge when it holds an answer: a question of any kind, "Wie schnell
    /// könnten wir starten?" (a buying signal), "Wir haben keine IT" and "too much hassle for us" (worries the developer
    /// and set-up FAQs answer; they were met with "what would have to be true for it to fit?" and "budget matters"), and
    /// a bot the lead had before (what makes this one different), and "is this overkill for us?" (whom it suits).
    /// </summary>
    private static bool AnswersFromTheKnowledge(Intent intent, LeadText lead) =>
        intent is Intent.Question or Intent.Pricing or Intent.Interest or Intent.Greeting or Intent.Other or Intent.Support
        || (intent == Intent.Purchase && IntentRules.AsksHowToStart(lead))
        || (intent == Intent.Objection && (IntentRules.SaysItIsNotTechnical(lead) || IntentRules.WorriesAboutTheEffort(lead) || IntentRules.ChannelItsCustomersWriteOn(lead) is not null || IntentRules.HadABotBefore(lead)
            || IntentRules.AsksIfItSuitsABusiness(lead)));

    /// <summary>
    /// A question without a question mark that the model read as interest ("ok what would switching look like"), from a lead
    /// that neither sounds keen nor states its pain or business (those are answered as such).
    /// </summary>
    private static bool AsksWithoutAQuestionMark(ReplyRequest request, LeadText lead) =>
        lead.QuestionMarks == 0 && request.Analysis.Sentiment != Sentiment.Positive && !IntentRules.SoundsKeen(lead) && IntentRules.AsksAnOpenQuestion(lead)
        && !IntentRules.DescribesPain(lead) && !IntentRules.DescribesCustomersQuestions(lead) && !IntentRules.IntroducesItself(lead)
        && !IntentRules.StatesTrafficVolume(lead, request.LeadText);

    /// <summary>Whether the lead has introduced itself or its business, in this message or an earlier one.</summary>
    private static bool SaidWhoItIs(ReplyRequest request, LeadText lead) =>
        IntentRules.IntroducesItself(lead) || IntentRules.StatesTrafficVolume(lead, request.LeadText)
        || (request.History ?? []).Any(h => h.FromLead && IntentRules.IntroducesItself(LeadText.Parse(h.Text)));

    /// <summary>Whether the lead asks if it reached another business, naming none of the client's name.</summary>
    private static bool AsksForSomeoneElse(ReplyRequest request, LeadText lead) =>
        IntentRules.AsksForAnotherBusiness(lead) && !NamesTheClient(request, lead);

    private static bool NamesTheClient(ReplyRequest request, LeadText lead) =>
        LeadText.Parse(request.ClientName ?? string.Empty).Words.Any(w => w.Length >= 4 && lead.Words.Contains(w));

    /// <summary>
    /// A short check that the lead reached us ("is this the right number for salesflow", "Is this SalesFlow?", which was
    /// told what SalesFlow does); a longer message asks more.
    /// </summary>
    private static bool ChecksItReachedUs(ReplyRequest request, LeadText lead) =>
        (IntentRules.AsksIfRightPlace(lead) && lead.Words.Count <= 12) || (IntentRules.AsksWhomItReached(lead) && lead.Words.Count <= 5 && NamesTheClient(request, lead));

    /// <summary>Whether the reply proposes the next step for "what are the next steps?" (before a meeting is set).</summary>
    private static bool OffersTheNextStep(ReplyRequest request, LeadText lead) =>
        request.State < ConversationState.ClosingAttempt && IntentRules.AsksForTheNextStep(lead);

    /// <summary>"what do you need from me" after a buying signal (closing, not yet bought): it asks for the next step.</summary>
    private static bool AsksWhatWeNeedToGoAhead(ReplyRequest request, LeadText lead) =>
        request.State == ConversationState.ClosingAttempt && IntentRules.AsksWhatWeNeed(lead);

    /// <summary>How many product questions a lead describing its pain asks beside it (0 when it describes none).</summary>
    private static int AsksBesideThePain(ReplyRequest request, LeadText lead) =>
        IntentRules.DescribesPain(lead) ? TurnKnowledge.ProductQuestionsIn(request.LeadText).Count : 0;

    /// <summary>A lead introducing its business and asking a direct question beside it: the question is not left unanswered.</summary>
    private static bool AsksBesideIntroducing(LeadText lead) =>
        IntentRules.IntroducesItself(lead) && IntentRules.AsksAnOpenQuestion(lead) && !IntentRules.DescribesPain(lead) && !IntentRules.StatesTightBudget(lead);

    /// <summary>
    /// Two answers that fit a chat message whole, each cut at a sentence's end: half the room each, or the first taking
    /// more when the second is short ("does it do follow ups? and can it book meetings?" lost the second, a 60-character
    /// answer, beside a first answer of 160).
    /// </summary>
    private static string? BothAnswers(ReplyRequest request, IReadOnlyList<string> latest)
    {
        foreach (var firstRoom in new[] { (ReplyText.ShortFormLimit / 2) - 1, ReplyText.ShortFormLimit - 80 })
        {
            if (KnowledgeAnswer.Several(request.Knowledge, firstRoom, latest, ReplyLanguage(request), 2, request.LeadText) is [var first, _] && !first.EndsWith('…')
                && KnowledgeAnswer.Several(request.Knowledge, ReplyText.ShortFormLimit - first.Length - 1, latest, ReplyLanguage(request), 2, request.LeadText) is [_, var second] && !second.EndsWith('…'))
            {
                return first + " " + second;
            }
        }

        return null;
    }

    /// <summary>"What would it cost to build that integration?": work built for the lead has no list price; the team quotes it.</summary>
    private static bool AsksTheCostOfCustomWork(Intent intent, LeadText lead) =>
        intent is Intent.Pricing or Intent.Question && IntentRules.AsksTheCostOfCustomWork(lead);

    /// <summary>
    /// The intent the reply answers: a greeting that asks a question of its own is answered as the question ("hello, do
    /// you guys do websites?", read as a greeting, was greeted back and its question ignored), one that introduces the
    /// lead's business is met as the introduction; a pain told without asking
    /// anything is met as one ("we get tons of DMs asking about botox pricing … my front desk cant keep up", read as a
    /// question about prices, was told the team would check), and so is a statement the model was unsure was a question
    /// or one that says what the lead uses.
    /// </summary>
    private static Intent ReplyIntent(ReplyRequest request, LeadText lead) => request.Analysis.Intent switch
    {
        Intent.Greeting when lead.QuestionMarks > 0 && IntentRules.AsksAnOpenQuestion(lead) => Intent.Question,
        // "Evening. Run a driving school in Bristol, 4 instructors. Students message us constantly asking about availability"
        // was greeted back and asked what it needed.
        Intent.Greeting when IntentRules.IntroducesItself(lead) || IntentRules.DescribesCustomersQuestions(lead) || IntentRules.DescribesPain(lead) => Intent.Interest,
        Intent.Question or Intent.Pricing when lead.QuestionMarks == 0 && IntentRules.DescribesPain(lead) && !IntentRules.AsksAnOpenQuestion(lead) => Intent.Interest,
        // "mostly get leads off checkatrade and facebook" (the model: a question at 0.50) was told the team would check.
        Intent.Question when request.Analysis.Confidence < UnsureQuestion && !IntentRules.HasQuestionForm(lead) => Intent.Interest,
        // "we use a spreadsheet tbh", the answer to how the lead handles it today (the model: a question at 0.76), was told the
        // team would check; the tool set against an answer just given (FollowUpQuestion.ToolInUse) stays a question.
        Intent.Question when !IntentRules.HasQuestionForm(lead) && IntentRules.SaysWhatItUses(lead) && FollowUpQuestion.ToolInUse(request.LeadText) is null => Intent.Interest,
        // "what about zapier" after a question answered (the model: small talk at 0.98) was thanked and asked what would help.
        Intent.Other when FollowUpQuestion.TermOf(request.LeadText) is not null && (request.History ?? []).Any(m => m.FromLead) => Intent.Question,
        // "Wir nutzen Eversports für die Buchungen", the answer to how it is done today (the model: an objection at 0.97), was
        // thanked for its candour and asked for its concerns; "we're happy with X" (an objection to the rules too) stays one.
        Intent.Objection when lead.QuestionMarks == 0 && IntentRules.SaysWhatItUses(lead) && AskedHowItIsDoneToday(request) && IntentRules.Classify(lead).Intent != Intent.Objection => Intent.Interest,
        var intent => intent,
    };

    private static bool AskedHowItIsDoneToday(ReplyRequest request) =>
        (request.History ?? []).LastOrDefault(m => !m.FromLead) is { } reply && ReplyTemplates.AsksHowItIsDoneToday(reply.Text);

    /// <summary>Below this confidence a question reading of a message without a question's form is taken for a statement.</summary>
    private const double UnsureQuestion = 0.6;

    private static string ContactWord(ChannelKind channel, bool german) => (channel == ChannelKind.Email, german) switch
    {
        (true, true) => "Adresse",
        (true, false) => "address",
        (false, true) => "Nummer",
        _ => "number",
    };

    /// <summary>German for a German lead, English for everyone else (the rules brain writes these two).</summary>
    private static string ReplyLanguage(ReplyRequest request) =>
        string.Equals(request.Analysis.Language, "de", StringComparison.OrdinalIgnoreCase) ? "de" : "en";

    private static bool KnowsAnEmailAddress(ReplyRequest request) =>
        request.Insights?.Facts.Email is not null || (request.KeyFacts ?? []).Any(f => f.StartsWith("email:", StringComparison.Ordinal));

    private static bool AlreadyAsked(ReplyRequest request, string question) =>
        AskedRecently(request, question)
        || (ReplyTemplates.AsksTeamSize(question) && (LeadSaid(request, LeadSignalRules.StatesTeamSize) || AskedTeamSizeBefore(request)))
        || (ReplyTemplates.AsksForTheNeed(question) && LeadSaid(request, LeadSignalRules.StatesNeed));

    /// <summary>How many of SalesFlow's latest messages a question is not repeated from.</summary>
    private const int RecentReplies = 2;

    /// <remarks>
    /// None for a follow-up ("and spanish?") or a check of what was said ("thats it? no monthly fee?", "so no instagram?"): the answer just
    /// given may be the one that applies to it as well.
    /// </remarks>
    private static IReadOnlyList<string> LatestReplies(ReplyRequest request, LeadText lead) =>
        FollowUpQuestion.TermOf(request.LeadText) is not null || IntentRules.ChecksWhatWasSaid(lead) || IntentRules.RestatesToCheck(lead)
            ? []
            : [.. (request.History ?? []).Where(m => !m.FromLead).TakeLast(RecentReplies).Select(m => m.Text)];

    /// <summary>Whether one of SalesFlow's latest messages asked this question.</summary>
    private static bool AskedRecently(ReplyRequest request, string question)
    {
        var rendered = question.Replace("{client}", request.ClientName?.Trim(), StringComparison.Ordinal);
        return (request.History ?? []).Where(m => !m.FromLead).TakeLast(RecentReplies).Any(m => m.Text.Contains(rendered, StringComparison.Ordinal));
    }

    /// <summary>
    /// Whether SalesFlow asked the team size before in any wording: "Could you tell me your team size?" and, a turn later,
    /// "How many people on your team would use it?" is the same question twice; a roofer who let it pass in the first
    /// reply was asked it again three turns on.
    /// </summary>
    private static bool AskedTeamSizeBefore(ReplyRequest request) =>
        (request.History ?? []).Any(m => !m.FromLead && ReplyTemplates.AsksTeamSize(m.Text));

    private static bool LeadSaid(ReplyRequest request, Func<string, bool> fact) =>
        fact(request.LeadText) || (request.History ?? []).Any(h => h.FromLead && fact(h.Text));

    internal static ObjectionKind ClassifyObjection(string text)
    {
        var t = text.ToLower(CultureInfo.InvariantCulture);
        bool Any(params string[] words) => words.Any(w => t.Contains(w, StringComparison.Ordinal));

        if (Any("not interested", "no interest", "kein interesse", "nicht interessiert"))
        {
            return ObjectionKind.NotInterested;
        }

        if (Any("locked in", "lock in", "lock-in", "contract length", "long is the contract", "notice period", "cancel anytime", "cancel at any time",
                "laufzeit", "vertragsbindung", "kündigungsfrist", "monatlich kündbar", "jederzeit kündbar"))
        {
            return ObjectionKind.Commitment;
        }

        // "nah thats too much hassle for us rn" was told "budget matters": effort is no price.
        if (Any("hassle", "too much effort", "too much work", "too much trouble", "aufwand", "aufwendig", "aufwändig", "umständlich")
            && !Any("expensive", "price", "cost", "budget", "afford", "money", "teuer", "preis", "kosten", "geld"))
        {
            return ObjectionKind.General;
        }

        if (Any("expensive", "price", "cost", "budget", "afford", "cheaper", "money", "too much", "overpriced", "pricey", "out of our range", "steep",
                "a bit much", "bit much for", "a lot for", "teuer", "preis", "kosten", "günstiger", "leisten", "geld", "zu viel", "zu hoch", "überteuert", "menge holz", "viel holz",
                "kohle", "happig", "bisschen viel", "etwas viel", "ziemlich viel", "recht viel", "schön viel", "viel für"))
        {
            return ObjectionKind.Price;
        }

        // "schon" and "aktuell" alone are intensifiers and time words: "das ist schon ne Menge Holz" (a price concern) was
        // told "good that you already have a solution", "aktuell keine Zeit" would have been too.
        if (Any("already", "happy with", "satisfied", "current provider", "current solution", "current system", "current tool", "currently use",
                "competitor", "provider", "bereits", "haben schon", "nutzen schon", "schon ein", "verwenden schon", "arbeiten schon", "zufrieden",
                "anbieter", "konkurrenz", "aktuelle lösung", "aktuellen lösung", "aktuell nutzen", "aktuell verwenden", "jetzig"))
        {
            return ObjectionKind.StatusQuo;
        }

        // "we're not ready till Q2 probably" was asked for its biggest concern, "nah not rn" what would need to be true.
        if (Any("time", "busy", "later", "next year", "right now", "priority", "swamped", "slammed", "snowed under", "hectic", "bandwidth", "capacity",
                "not ready", "next quarter", "next month", "few months", " q1", " q2", " q3", " q4", "not rn", "not yet", "spring", "summer", "autumn",
                "zeit", "später", "nächstes jahr", "moment", "gerade", "stressig", "land unter", "ausgelastet", "kapazität",
                "nicht so weit", "nicht bereit", "quartal", "nächsten monat", "paar monaten", "noch nicht", "frühjahr", "frühling", "sommer", "herbst"))
        {
            return ObjectionKind.Timing;
        }

        // "ok lemme talk to my husband first" was asked for its biggest concern: every deferral the intent rules know is one.
        return IntentRules.DefersDecision(LeadText.Parse(text)) || Any("think", "sure", "decide", "partner", "boss", "get back", "let you know", "überleg", "sicher", "abklär", "entscheid", "chef", "melde mich", "melden uns", "bescheid", "discuss", "run it by", "team", "besprech", "intern", "abstimm")
            ? ObjectionKind.Undecided
            : ObjectionKind.General;
    }

    /// <summary>How the reply speaks: German or English, and in German du or Sie.</summary>
    private readonly record struct Voice(bool German, bool Du);

    private static string Pick(Variants variants, Voice voice, uint seed)
    {
        var options = variants.For(voice.German);
        var picked = options[(int)(seed % (uint)options.Length)];
        return voice.Du ? GermanAddress.ToDu(picked) : picked;
    }

    private static string[] Options(Variants variants, Voice voice) =>
        voice.Du ? [.. variants.For(true).Select(GermanAddress.ToDu)] : variants.For(voice.German);

    private static string Join(string opener, string question) =>
        question.Length == 0 ? opener : opener + " " + question;

    private static string Render(string template, string? name, string client, bool german)
    {
        var hi = german
            ? (name is null ? "Hallo" : $"Hallo {name}")
            : (name is null ? "Hi there" : $"Hi {name}");
        return template
            .Replace("{hi}", hi, StringComparison.Ordinal)
            .Replace("{, name}", name is null ? string.Empty : ", " + name, StringComparison.Ordinal)
            .Replace("{client}", client, StringComparison.Ordinal);
    }

    private static string? CleanName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var trimmed = string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return trimmed.Replace("{", string.Empty, StringComparison.Ordinal).Replace("}", string.Empty, StringComparison.Ordinal);
    }

    /// <summary>FNV-1a over the text: stable across processes, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static uint StableHash(string? text)
    {
        var hash = 2166136261u;
        foreach (var c in text ?? string.Empty)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
