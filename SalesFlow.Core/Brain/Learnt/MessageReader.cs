using System.Diagnostics;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Observability;

namespace SalesFlow.Core.Brain.Learnt;

/// <summary>
/// The one place that reads a lead's message offline: the rules and the learnt model together (issue 14). The rules keep
/// the final word where they are certain — an opt-out, an explicit hand-over, a threat or insult (strong negativity
/// escalates), a bare short answer that only the dialogue context can interpret — and only they can read an opt-out;
/// elsewhere the model decides when it is at least as sure as <see cref="BlendThresholds"/>, the rules otherwise. A few
/// kinds of message the model misread in dialogues are settled by cues whatever it says (<see cref="ChooseIntent"/>): a
/// pain in the lead's own work is a need, a deferred decision a stall, a question about the business a question, a bare
/// team size no objection.
/// </summary>
public sealed class MessageReader(IUtteranceClassifier model)
{
    /// <summary>A hand-over read by the rules below this confidence came from a weak cue (a bare "bot").</summary>
    private const double CertainHandOver = 0.6;

    /// <summary>
    /// A hand-over silences the bot until a rep releases the lead, so the model alone needs to be very sure of one
    /// ("Den zweiten bitte", picking an offered slot, read 0.79 human). Set by hand for safety, not tuned on any split.
    /// </summary>
    private const double ModelHandOver = 0.9;

    /// <summary>A model can move a reading into the negative band, never into the strongly negative one that escalates.</summary>
    private const double ModelNegativeFloor = -0.55;

    /// <summary>The confidence of a need read from a described pain, or a stall from a deferral: a clear cue, not a certain one.</summary>
    private const double ClearCue = 0.6;

    public MessageAnalysis Read(string text)
    {
        var started = Stopwatch.GetTimestamp();
        var rules = RulesInsightsExtractor.Analyze(text);
        // A bare short answer keeps the rules' reading (Combine's first check), so the model (a sentence embedding,
        // ~4 ms) is not run for it.
        var shortAnswer = DialogueContext.Read(text) != ShortAnswer.None;
        var read = shortAnswer ? rules : Blend(rules, model.Classify(text, rules), text, model.Thresholds);
        SalesFlowMetrics.BrainReadDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("reader", shortAnswer ? "rules" : "learnt"));
        return read;
    }

    /// <summary>The combined reading from both halves (also what the trainer's cross-validation scores).</summary>
    public static MessageAnalysis Combine(MessageAnalysis rules, LearntReading learnt, string text, BlendThresholds thresholds) =>
        DialogueContext.Read(text) != ShortAnswer.None ? rules : Blend(rules, learnt, text, thresholds);

    /// <summary>The combination for a message that is not a bare short answer.</summary>
    private static MessageAnalysis Blend(MessageAnalysis rules, LearntReading learnt, string text, BlendThresholds thresholds)
    {
        var (intent, confidence) = ChooseIntent(rules, learnt, text, thresholds);
        var (sentiment, score) = rules.IsStronglyNegative || learnt.SentimentProbability < thresholds.Sentiment || learnt.Sentiment == rules.Sentiment
            ? (rules.Sentiment, rules.SentimentScore)
            : (learnt.Sentiment, ScoreIn(learnt));

        return rules with { Intent = intent, Confidence = confidence, Sentiment = sentiment, SentimentScore = score };
    }

    private static (Intent Intent, double Confidence) ChooseIntent(MessageAnalysis rules, LearntReading learnt, string text, BlendThresholds thresholds)
    {
        var lead = LeadText.Parse(text);
        // "We are a digital marketing agency offering SEO … Would you be interested in growing your traffic?" (the model: interest)
        // and "suchen Sie Mitarbeiter im Vertrieb? Ich würde mich gerne bewerben" (a hand-over, to the rules too: its "Mitarbeiter") are no enquiry.
        if (rules.Intent != Intent.OptOut && learnt.Intent != Intent.OptOut && IntentRules.IsNoEnquiry(lead))
        {
            return (Intent.Other, Math.Max(rules.Confidence, ClearCue));
        }

        if (RulesAreCertain(rules))
        {
            return (rules.Intent, rules.Confidence);
        }

        if (IntentRules.AsksJustHow(lead))
        {
            return (Intent.Question, Math.Max(rules.Confidence, ClearCue));
        }

        if (IsPainStatement(rules, learnt, lead))
        {
            return (Intent.Interest, Math.Max(rules.Confidence, ClearCue));
        }

        if (PutsTheDecisionOff(rules, learnt, lead))
        {
            return (Intent.Objection, Math.Max(rules.Confidence, ClearCue));
        }

        // "we're on zoho tho", "we use square appointments tho": whether the answer just given holds for the lead's own tool
        // (read as an objection and as a meeting wish: "a fair point", and times offered).
        if (FollowUpQuestion.ToolInUse(text) is not null)
        {
            return (Intent.Question, Math.Max(rules.Confidence, ClearCue));
        }

        // "clients book via insta and whatsapp": how the lead's business works, not a meeting with us.
        if ((rules.Intent == Intent.Meeting || learnt.Intent == Intent.Meeting) && IntentRules.DescribesItsWorkWithCustomers(lead))
        {
            return (Intent.Interest, Math.Max(rules.Confidence, ClearCue));
        }

        if (StallsForTime(rules, learnt, lead))
        {
            return (Intent.Objection, Math.Max(rules.Confidence, ClearCue));
        }

        if (AsksAboutTheBusiness(rules, learnt, lead))
        {
            return (Intent.Question, rules.Confidence);
        }

        // "Wir haben 3 Standorte und ca. 2000 Anfragen pro Monat": the size of the lead's business, not a price question;
        // "Wir bekommen ca. 400 Anfragen im Monat über mobile.de und WhatsApp", asking nothing, was told "Gute Frage!".
        if ((rules.Intent == Intent.Pricing || learnt.Intent == Intent.Pricing || (learnt.Intent == Intent.Question && lead.QuestionMarks == 0))
            && IntentRules.StatesTrafficVolume(lead, text))
        {
            return (Intent.Interest, Math.Max(rules.Confidence, ClearCue));
        }

        // "Unsere Preise stehen alle auf mobile.de": the lead's own prices, not a question about ours.
        if ((rules.Intent == Intent.Pricing || learnt.Intent == Intent.Pricing) && IntentRules.TellsOfItsOwnPrices(lead))
        {
            return (Intent.Interest, Math.Max(rules.Confidence, ClearCue));
        }

        // "Schade. Und Angebote schreiben?" asks whether the product writes the lead's quotes (it was given our price).
        if ((rules.Intent == Intent.Pricing || learnt.Intent == Intent.Pricing) && IntentRules.AsksIfItWritesQuotes(lead))
        {
            return (Intent.Question, Math.Max(rules.Confidence, ClearCue));
        }

        // "Hello, I would like to cancel" was read as a greeting: a customer asking to cancel is a support case.
        if (rules.Intent is not (Intent.Support or Intent.Meeting or Intent.Human) && learnt.Intent is not (Intent.Support or Intent.Meeting or Intent.Human)
            && IntentRules.AsksToCancel(lead) && !IntentRules.AsksAboutTheTerms(lead))
        {
            return (Intent.Support, Math.Max(rules.Confidence, ClearCue));
        }

        // "Das ist günstiger als gedacht 😄 Wie geht es weiter?" was answered as a price objection.
        if ((rules.Intent == Intent.Objection || learnt.Intent == Intent.Objection) && IntentRules.IsPleasantlySurprised(lead))
        {
            return (Intent.Interest, Math.Max(rules.Confidence, ClearCue));
        }

        // "hmm thats a bit much for a 3 chair practice" after the price was read as small talk (the model at 0.66) and thanked
        // for: pushback on the price the rules read stays an objection under a milder reading of the model.
        if (rules.Intent == Intent.Objection && learnt.Intent is Intent.Other or Intent.Greeting or Intent.Interest
            && RulesReplyGenerator.ClassifyObjection(text) == ReplyTemplates.ObjectionKind.Price)
        {
            return (Intent.Objection, rules.Confidence);
        }

        // "Was, wenn der Bot Preise erfindet?" (both halves: a price question) and "Wer haftet, wenn der Bot Mist erzählt?"
        // (interest, and was told "Das freut mich!") ask how what the assistant says is kept in bounds.
        if (rules.Intent is Intent.Pricing or Intent.Interest or Intent.Other or Intent.Greeting or Intent.Question
            && learnt.Intent is Intent.Pricing or Intent.Interest or Intent.Other or Intent.Greeting or Intent.Question && IntentRules.AsksWhatItMaySay(lead))
        {
            return (Intent.Question, Math.Max(rules.Confidence, ClearCue));
        }

        // "Wie viel Aufwand ist die Einrichtung für uns?" was read as a price question (0.98): it asks the effort.
        if ((rules.Intent == Intent.Pricing || learnt.Intent == Intent.Pricing) && IntentRules.AsksHowMuchEffort(lead))
        {
            return (Intent.Question, Math.Max(rules.Confidence, ClearCue));
        }

        // "Und wie sieht es mit dem Datenschutz aus, wir sind eine Arztpraxis" was read as an objection (0.73).
        if (rules.Intent is Intent.Other or Intent.Question && learnt.Intent is Intent.Objection or Intent.Other or Intent.Support && IntentRules.AsksHowItStands(lead))
        {
            return (Intent.Question, Math.Max(rules.Confidence, ClearCue));
        }

        // "nice. can it also send invoices?" was read as an order by both halves: a question what the product can do.
        if ((rules.Intent == Intent.Purchase || learnt.Intent == Intent.Purchase) && rules.Intent is not (Intent.Pricing or Intent.Meeting)
            && IntentRules.AsksWhatItCanDo(lead))
        {
            return (Intent.Question, Math.Max(rules.Confidence, ClearCue));
        }

        // "lol ok. how do i start" after the price was read as an objection (the model at 0.26): asking how to begin is the
        // buying signal "Wie legen wir los?" is to both halves.
        if (rules.Intent is Intent.Other or Intent.Question or Intent.Interest && learnt.Intent is Intent.Objection or Intent.Other or Intent.Question or Intent.Interest
            && IntentRules.AsksHowToStart(lead))
        {
            return (Intent.Purchase, Math.Max(rules.Confidence, ClearCue));
        }

        // "We signed up last week, loving it so far!" was read as an objection (0.83) and asked for its biggest concern: a
        // customer praising what it bought raises nothing.
        if (learnt.Intent == Intent.Objection && rules.Intent is Intent.Other or Intent.Greeting or Intent.Interest or Intent.Purchase
            && IntentRules.PraisesWhatItBought(lead))
        {
            return (rules.Intent, rules.Confidence);
        }

        // "we'd probably resell it to our clients too" (a marketing agency) was read as an objection (0.81): reselling is interest.
        if (learnt.Intent == Intent.Objection && rules.Intent is Intent.Other or Intent.Interest or Intent.Greeting && IntentRules.WantsToResell(lead))
        {
            return (Intent.Interest, Math.Max(rules.Confidence, ClearCue));
        }

        // "mostly people asking about class times and refunds on whatsapp": the lead's customers' questions are its business,
        // not a support case or a price question of its own; also after a greeting ("hey, hab nen kleinen Onlineshop für
        // Kaffee. Kunden fragen per Mail ständig nach Lieferzeiten", the model: a support case at 0.91, handed to a colleague).
        if (rules.Intent is Intent.Support or Intent.Pricing or Intent.Question or Intent.Other or Intent.Interest or Intent.Greeting
            && learnt.Intent is Intent.Support or Intent.Pricing or Intent.Question or Intent.Other or Intent.Interest && IntentRules.DescribesCustomersQuestions(lead))
        {
            return (Intent.Interest, Math.Max(rules.Confidence, ClearCue));
        }

        // "is there a contract or can I cancel anytime?" asks about the terms; both halves read its "cancel" as a fault.
        if ((rules.Intent == Intent.Support || learnt.Intent == Intent.Support) && IntentRules.AsksAboutTheTerms(lead))
        {
            return (Intent.Question, Math.Max(rules.Confidence, ClearCue));
        }

        // "sure, what times do you have?": a meeting wish, whatever small-talk or question reading either half gives it.
        if (rules.Intent is Intent.Question or Intent.Other or Intent.Greeting or Intent.Interest
            && learnt.Intent is Intent.Question or Intent.Other or Intent.Greeting or Intent.Interest && IntentRules.AsksForTimes(lead))
        {
            return (Intent.Meeting, Math.Max(rules.Confidence, ClearCue));
        }

        // A call that took place ("wir hatten letzte Woche telefoniert") is no wish for one, nor a question what the product
        // does with appointments ("does it send appointment reminders?"): the model learnt call and appointment words as
        // meeting wishes (0.89–0.99); the rules weigh them down (RefersToAPastMeeting, AsksWhatTheProductDoes).
        // "We have 5 people in sales", "Wir sind ca. 12 Leute im Vertrieb": an answer to the team-size question, which the
        // model read as an objection (0.62–0.78); with no cue of their own the rules' plain reading stands. A booking or
        // an order for a number of people ("a table for 4 people") keeps the model's reading. A lead introducing its
        // business ("I'm the ops manager at a 40-person logistics company…") is no support case without a fault, and asking
        // nothing ("Wir sind eine Sprachschule in München und suchen was für unsere Anfragen") no question, and raising nothing
        // ("wir sind ein kleines Fitnessstudio in München, ca 300 Mitglieder", 0.88) no objection.
        // "sounds like just another chatbot", "my nephew built us a bot already", "I don't want a robot talking to my clients":
        // a bare "bot" gives the rules a weak hand-over (below CertainHandOver), and each lead was handed over without asking
        // for anyone. On such a cue only a lead asking for a person, or whether it writes with a bot, is handed over; the
        // rest is the model's reading, or doubt about bots (an objection) where the model reads a hand-over too.
        if (rules.Intent == Intent.Human && !IntentRules.AsksForAPerson(lead) && !IntentRules.AsksIfBot(lead))
        {
            return learnt.Intent is Intent.Human or Intent.OptOut ? (Intent.Objection, ClearCue) : (learnt.Intent, Math.Round(learnt.IntentProbability, 2));
        }

        // "Mit einem Bot will ich nicht reden" (the model: a support case at 0.60) refuses the bot: a person asked for in words.
        if (rules.Intent == Intent.Human && IntentRules.AsksForAPerson(lead) && learnt.Intent is Intent.Support or Intent.Other or Intent.Objection or Intent.Question)
        {
            return (Intent.Human, rules.Confidence);
        }

        var keepRules = learnt.IntentProbability < thresholds.Intent || learnt.Intent == Intent.OptOut
            || (learnt.Intent == Intent.Meeting && rules.Intent != Intent.Meeting && (IntentRules.RefersToAPastMeeting(lead) || IntentRules.AsksWhatTheProductDoes(lead) || IntentRules.AsksWhatHappensThen(lead)))
            // "ok what if a customer wants to change their booking?" asks what the product does then (the model: a support case).
            || (learnt.Intent is Intent.Support or Intent.Meeting && rules.Intent == Intent.Question && IntentRules.AsksAboutACustomersCase(lead))
            || (learnt.Intent == Intent.Human && !ModelMayHandOver(learnt, lead))
            || (learnt.Intent is Intent.Support or Intent.Objection && rules.Intent is Intent.Greeting or Intent.Interest or Intent.Other && IntentRules.IntroducesItself(lead))
            // "wir sind ein Sanitärbetrieb aus Augsburg … Kann Ihr System Anfragen vorqualifizieren? Und was passiert bei
            // einem Notfall, etwa einem Rohrbruch?" (the model: a support case at 0.63) was told a colleague would look at it.
            || (learnt.Intent == Intent.Support && rules.Intent == Intent.Question && IntentRules.IntroducesItself(lead))
            || (learnt.Intent == Intent.Question && rules.Intent is Intent.Greeting or Intent.Interest && lead.QuestionMarks == 0 && IntentRules.IntroducesItself(lead))
            || (rules.Intent == Intent.Other && (learnt.Intent is Intent.Objection or Intent.Support or Intent.Question) && LeadSignalRules.StatesTeamSize(text));
        return keepRules ? (rules.Intent, rules.Confidence) : (learnt.Intent, Math.Round(learnt.IntentProbability, 2));
    }

    /// <summary>
    /// A lead describing a pain in its own work (<see cref="IntentRules.DescribesPain"/>, which leaves out faults in the
    /// product) states a need, whatever weaker reading the model gives it — the rules' "issue"/"problem" cues read a
    /// support case; a price, meeting, purchase or hand-over reading of either half still counts.
    /// </summary>
    private static bool IsPainStatement(MessageAnalysis rules, LearntReading learnt, LeadText lead) =>
        (rules.Intent is Intent.Other or Intent.Greeting or Intent.Interest or Intent.Question or Intent.Support
            || (rules.Intent == Intent.Human && !IntentRules.AsksForAPerson(lead) && !IntentRules.AsksIfBot(lead))) // "…but the bot is dumb": the lead's own tool
        && (learnt.Intent is Intent.Objection or Intent.Support or Intent.Question or Intent.Other or Intent.Greeting or Intent.Interest)
        && IntentRules.DescribesPain(lead);

    /// <summary>
    /// A lead putting the decision off (<see cref="IntentRules.DefersDecision"/>) stalls, however warmly: a stall is met
    /// as an objection ("take the time you need; what would help you decide?"). A price, meeting or purchase reading of
    /// either half still counts ("can we book a call with my team?"); the model's support case or hand-over does not ("Ok,
    /// ich bespreche das mit meinem Geschäftsführer und melde mich.", 0.73; "I need to speak to my partner first"), a fault
    /// or a hand-over the rules read does.
    /// </summary>
    private static bool PutsTheDecisionOff(MessageAnalysis rules, LearntReading learnt, LeadText lead) =>
        (rules.Intent is Intent.Other or Intent.Greeting or Intent.Interest or Intent.Question or Intent.Objection)
        && (learnt.Intent is Intent.Other or Intent.Greeting or Intent.Interest or Intent.Question or Intent.Objection or Intent.Support or Intent.Human)
        && IntentRules.DefersDecision(lead);

    /// <summary>
    /// A lead with no time now (<see cref="IntentRules.StallsForTime"/>) stalls, however interested: "interested but
    /// swamped right now" was cheered at, "super busy at the moment" offered slots. Naming a meeting keeps the reading
    /// ("super busy, can we do a call next week?"), and so do a price or purchase reading.
    /// </summary>
    private static bool StallsForTime(MessageAnalysis rules, LearntReading learnt, LeadText lead) =>
        (rules.Intent is Intent.Other or Intent.Greeting or Intent.Interest or Intent.Question or Intent.Objection)
        && (learnt.Intent is Intent.Other or Intent.Greeting or Intent.Interest or Intent.Question or Intent.Objection or Intent.Meeting)
        && IntentRules.StallsForTime(lead) && !IntentRules.NamesAMeeting(lead);

    /// <summary>
    /// A question about the business itself — what it does, how it would solve the lead's problem — stays a question when
    /// the model reads small talk or a support case: "how does your thing fix that?" was apologised to as a fault (the
    /// rules' "fix" cue agreed); so was "Und wer hat Zugriff auf die Nachrichten?". A question that names a fault in the
    /// product is left to the others.
    /// </summary>
    private static bool AsksAboutTheBusiness(MessageAnalysis rules, LearntReading learnt, LeadText lead) =>
        ((rules.Intent is Intent.Question or Intent.Support && learnt.Intent is Intent.Other or Intent.Support or Intent.Greeting)
            || (rules.Intent == Intent.Other && learnt.Intent == Intent.Interest)) // "eh maybe. what does it even do" was cheered at
        && (IntentRules.AsksAboutTheBusiness(lead) || IntentRules.AsksWhoSeesTheData(lead)) && !IntentRules.ReportsAFault(lead);

    /// <summary>
    /// An opt-out, an explicit hand-over, or a threat or insult (a lawyer, "scam"): the rules' reading stands. The model
    /// alone never opts a lead out (that silences the lead for good) — only the rules' explicit cues do.
    /// </summary>
    private static bool RulesAreCertain(MessageAnalysis rules) =>
        rules.Intent == Intent.OptOut || (rules.Intent == Intent.Human && rules.Confidence >= CertainHandOver) || rules.IsStronglyNegative;

    /// <summary>
    /// The model alone hands a lead over only when very sure, only for a message with a word of asking for or reaching
    /// someone, and never for a lead describing its own sales staff: it learnt "your sales people" and "a real person" as
    /// hand-overs and read "wir haben 8 Verkäufer" (1.00) and "we're a 15 person agency" (0.97) as ones.
    /// </summary>
    private static bool ModelMayHandOver(LearntReading learnt, LeadText lead) =>
        learnt.IntentProbability >= ModelHandOver && IntentRules.AsksForSomeone(lead) && !IntentRules.DescribesOwnStaff(lead) && !IntentRules.AsksWhatOthersCanDo(lead);

    /// <summary>P(positive) − P(negative), kept inside the band of the model's label so label and score agree.</summary>
    private static double ScoreIn(LearntReading learnt)
    {
        var score = learnt.PositiveProbability - learnt.NegativeProbability;
        return Math.Round(learnt.Sentiment switch
        {
            Sentiment.Positive => Math.Clamp(score, SentimentLexicon.PositiveThreshold, 1),
            Sentiment.Negative => Math.Clamp(score, ModelNegativeFloor, SentimentLexicon.NegativeThreshold),
            _ => Math.Clamp(score, SentimentLexicon.NegativeThreshold + 0.01, SentimentLexicon.PositiveThreshold - 0.01),
        }, 3);
    }
}
