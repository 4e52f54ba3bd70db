using System.Diagnostics.Metrics;
using Moq;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Learnt;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Observability;
using SalesFlow.Infrastructure.Brain;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Brain;

/// <summary>The learnt intent/sentiment models shipped in SalesFlow.Infrastructure and their combination with the rules.</summary>
public sealed class LearntBrainTests
{
    [Fact]
    public void TheShippedModelsWereTrainedOnTheCurrentDataFiles()
    {
        var manifest = MlNetUtteranceClassifier.Manifest();

        // Fails when data/brain changed without `dotnet run --project tools/SalesFlow.Eval -c Release -- brain-train`.
        Assert.Equal(BrainModelManifest.HashOf(Path.Combine(TestBrain.RepositoryRoot(), "data/brain/intents.tsv")), manifest.IntentsSha256);
        Assert.Equal(BrainModelManifest.HashOf(Path.Combine(TestBrain.RepositoryRoot(), "data/brain/sentiment.tsv")), manifest.SentimentSha256);
        Assert.Equal(BrainModelManifest.HashOf(Path.Combine(TestBrain.RepositoryRoot(), "SalesFlow.Tests/Fixtures/Brain/lead_utterances.tsv")), manifest.RulesTuningSetSha256);
        Assert.Equal(BrainModelManifest.HashOf(Path.Combine(TestBrain.RepositoryRoot(), "SalesFlow.Infrastructure/Brain/Models", GermanGloss.ResourceName)), manifest.GlossarySha256);
    }

    [Theory]
    [InlineData("hi there", Intent.Greeting)]
    [InlineData("Guten Morgen", Intent.Greeting)]
    [InlineData("I'd love to learn more about your product", Intent.Interest)]
    [InlineData("Das klingt interessant, erzählen Sie mehr", Intent.Interest)]
    [InlineData("Does it integrate with Salesforce?", Intent.Question)]
    [InlineData("Unterstützt ihr Tool auch HubSpot?", Intent.Question)]
    [InlineData("What does it cost per month?", Intent.Pricing)]
    [InlineData("Wie viel kostet das?", Intent.Pricing)]
    [InlineData("we already use another tool and are happy with it", Intent.Objection)]
    [InlineData("Kein Interesse, danke", Intent.Objection)]
    [InlineData("I'd like to make an appointment", Intent.Meeting)]
    [InlineData("Können wir einen Termin vereinbaren?", Intent.Meeting)]
    [InlineData("I want to buy the premium plan", Intent.Purchase)]
    [InlineData("Wir nehmen das Paket", Intent.Purchase)]
    [InlineData("my login does not work", Intent.Support)]
    [InlineData("Mein Konto ist gesperrt", Intent.Support)]
    [InlineData("I want to talk to a human", Intent.Human)]
    [InlineData("Ich möchte mit einem Mitarbeiter sprechen", Intent.Human)]
    [InlineData("please stop messaging me", Intent.OptOut)]
    [InlineData("Abmelden", Intent.OptOut)]
    [InlineData("How's the weather in Berlin?", Intent.Other)]
    public void TheModelReadsClearUtterancesOfEveryIntentInEnglishAndGerman(string text, Intent expected)
    {
        var reading = TestBrain.Classifier.Classify(text, RulesInsightsExtractor.Analyze(text));

        Assert.Equal(expected, reading.Intent);
        Assert.InRange(reading.IntentProbability, 0.5, 1);
    }

    [Theory]
    [InlineData("This is amazing, thank you so much!", Sentiment.Positive)]
    [InlineData("Das ist eine absolute Katastrophe", Sentiment.Negative)]
    [InlineData("Mein Konto ist gesperrt", Sentiment.Negative)]
    [InlineData("Können wir einen Termin vereinbaren?", Sentiment.Neutral)]
    public void TheModelReadsClearSentiment(string text, Sentiment expected) =>
        Assert.Equal(expected, TestBrain.Classifier.Classify(text, RulesInsightsExtractor.Analyze(text)).Sentiment);

    [Theory]
    [InlineData("STOP", Intent.OptOut)]
    [InlineData("Abmelden", Intent.OptOut)]
    [InlineData("I want to talk to a human", Intent.Human)]
    public void TheCombinedReadingKeepsTheRulesOptOutAndHandOver(string text, Intent expected) =>
        Assert.Equal(expected, TestBrain.Reader.Read(text).Intent);

    /// <summary>Asking what the business does is a question for it, not off-topic small talk.</summary>
    [Theory]
    [InlineData("what do you guys actually do?")]
    [InlineData("ok and who uses it?")]
    [InlineData("Was macht ihr eigentlich genau?")]
    [InlineData("how does your thing fix that?")]
    [InlineData("Und wie löst ihr das?")]
    [InlineData("how would that work with your tool?")]
    public void AQuestionAboutTheBusinessIsAQuestion(string text) =>
        Assert.Equal(Intent.Question, TestBrain.Reader.Read(text).Intent);

    [Theory]
    [InlineData("Wie geht es jetzt weiter?")]
    [InlineData("Und wie geht es dann weiter?")]
    public void AskingForTheNextStepIsNoGreeting(string text) =>
        Assert.NotEqual(Intent.Greeting, TestBrain.Reader.Read(text).Intent);

    /// <summary>
    /// "Also can it tell the difference between a real lead and spam?" opted the lead out for good (the rules' bare "spam"),
    /// and "If a lead texts us at 2am, does your system reply right away?" was offered demo slots, and so was "What happens
    /// with emergencies like a burst pipe at 2am?" (told 2am was not free).
    /// </summary>
    [Theory]
    [InlineData("Hey - quick question. If a lead texts us at 2am, does your system reply right away or wait until morning? Also can it tell the difference between a real lead and spam?")]
    [InlineData("can it filter out spam?")]
    [InlineData("does it stop spam enquiries?")]
    [InlineData("Kann es Spam erkennen?")]
    [InlineData("Was passiert, wenn ein Kunde um 23 Uhr schreibt?")]
    [InlineData("Hi, we're a plumbing company. What happens with emergencies like a burst pipe at 2am?")]
    public void AQuestionAboutSpamOrALeadsHourIsAQuestion(string text)
    {
        var reading = TestBrain.Reader.Read(text);

        Assert.DoesNotContain(reading.Intent, new[] { Intent.OptOut, Intent.Meeting, Intent.Human });
        Assert.False(reading.IsStronglyNegative);
    }

    /// <summary>
    /// Questions what the lead's customers can do: "can leads unsubscribe easily?" and "Können Kunden sich abmelden?" opted
    /// the lead out for good, "can my customers talk to a real person if they want?" handed it over, and "what if an angry
    /// customer threatens to sue?" and "can it detect scam messages?" were strongly negative (handed over).
    /// </summary>
    [Theory]
    [InlineData("can leads unsubscribe easily?")]
    [InlineData("Können Kunden sich abmelden?")]
    [InlineData("how do customers opt out?")]
    [InlineData("can my customers talk to a real person if they want?")]
    [InlineData("Kann der Kunde auch mit einem Menschen sprechen?")]
    [InlineData("what if an angry customer threatens to sue?")]
    [InlineData("can it detect scam messages?")]
    [InlineData("what if someone texts STOP by mistake?")]
    [InlineData("what if a customer wants a refund?")]
    [InlineData("Können Kunden über den Bot kündigen?")]
    [InlineData("wie kann ich einen Kontakt löschen?")]
    [InlineData("can it handle customers who complain a lot?")]
    [InlineData("what if the system crashes?")]
    [InlineData("Was, wenn ein Kunde schreibt: bitte nicht mehr kontaktieren?")]
    [InlineData("is it annoying for customers?")]
    public void AQuestionWhatTheLeadsCustomersCanDoIsAQuestion(string text)
    {
        var reading = TestBrain.Reader.Read(text);

        Assert.Equal(Intent.Question, reading.Intent);
        Assert.False(reading.IsStronglyNegative);
    }

    /// <summary>
    /// "we hate missing leads, can it help?" and "our customers are furious when nobody answers, can this fix it?" were
    /// strongly negative and handed over: the lead's pain and its customers' anger, brought to the product, are no anger at us.
    /// </summary>
    [Theory]
    [InlineData("we hate missing leads, can it help?")]
    [InlineData("our customers are furious when nobody answers, can this fix it?")]
    [InlineData("does it escalate angry customers to us?")]
    [InlineData("I'm not happy with how slow we reply to leads, can this help?")]
    public void PainBroughtToTheProductIsNotStronglyNegative(string text) =>
        Assert.False(TestBrain.Reader.Read(text).IsStronglyNegative);

    [Theory]
    [InlineData("I'm furious, my lawyer will hear about this")]
    [InlineData("your bot is stupid")]
    [InlineData("I'm angry, your customer service is useless")]
    [InlineData("I'm furious, can you fix this now?")]
    public void AngerAtUsIsStillStronglyNegative(string text) =>
        Assert.True(TestBrain.Reader.Read(text).IsStronglyNegative);

    [Theory]
    [InlineData("can you unsubscribe me?", Intent.OptOut)]
    [InlineData("Kann ich mich abmelden?", Intent.OptOut)]
    [InlineData("can I talk to a real person?", Intent.Human)]
    [InlineData("why do you keep texting my customers? stop", Intent.OptOut)]
    [InlineData("STOP", Intent.OptOut)]
    [InlineData("I want a refund", Intent.Support)]
    [InlineData("löschen Sie meinen Kontakt", Intent.OptOut)]
    [InlineData("Bitte löschen Sie meine Daten", Intent.OptOut)]
    [InlineData("the app crashed and I lost all my leads", Intent.Support)]
    [InlineData("please remove me from your list", Intent.OptOut)]
    [InlineData("bitte nicht mehr kontaktieren", Intent.OptOut)]
    [InlineData("please delete my data", Intent.OptOut)]
    [InlineData("Bitte keine Werbung!", Intent.OptOut)]
    [InlineData("human please", Intent.Human)]
    [InlineData("get me a human now", Intent.Human)]
    public void TheLeadAskingForItselfStillOptsOutOrGetsAPerson(string text, Intent expected) =>
        Assert.Equal(expected, TestBrain.Reader.Read(text).Intent);

    /// <summary>
    /// "stop me if I'm wrong, but this is for WhatsApp only?" (its leading "stop") and "Bitte keine Werbung, ich habe nur
    /// eine Frage zum Datenschutz" opted the lead out for good, the question unanswered.
    /// </summary>
    [Theory]
    [InlineData("stop me if I'm wrong, but this is for WhatsApp only?")]
    [InlineData("Bitte keine Werbung, ich habe nur eine Frage zum Datenschutz")]
    public void AQuestionBesideAnOptOutWordIsNoOptOut(string text) =>
        Assert.NotEqual(Intent.OptOut, TestBrain.Reader.Read(text).Intent);

    /// <summary>"Can I delete all my data if I leave?" opted the lead out for good: a deletion asked about as one for later.</summary>
    [Theory]
    [InlineData("Can I delete all my data if I leave?")]
    [InlineData("Kann ich meine Daten jederzeit löschen lassen?")]
    [InlineData("can we remove our data at any time?")]
    public void ADeletionAskedAboutForLaterIsNoOptOut(string text) =>
        Assert.Equal(Intent.Question, TestBrain.Reader.Read(text).Intent);

    /// <summary>"what if a lead says remove me?" opted the lead out for good: the lead's customer's words, quoted.</summary>
    [Fact]
    public void ACustomersOptOutAskedAboutIsNoOptOut() =>
        Assert.NotEqual(Intent.OptOut, TestBrain.Reader.Read("what if a lead says remove me?").Intent);

    [Theory]
    [InlineData("this is spam")]
    [InlineData("stop spamming me")]
    [InlineData("Das ist Spam, hören Sie auf")]
    public void CallingUsSpamStillOptsOut(string text) =>
        Assert.Equal(Intent.OptOut, TestBrain.Reader.Read(text).Intent);

    [Theory]
    [InlineData("can we talk at 3pm?")]
    [InlineData("if you're free at 3pm tomorrow, can we talk?")]
    public void ALeadsOwnTimeIsStillAMeetingWish(string text) =>
        Assert.Equal(Intent.Meeting, TestBrain.Reader.Read(text).Intent);

    /// <summary>A lead describing its own sales staff while qualifying was read as asking for ours and handed over.</summary>
    [Theory]
    [InlineData("Wir sind ein Autohaus mit 8 Verkäufern")]
    [InlineData("Wir haben 8 Verkäufer")]
    [InlineData("We are a car dealer with 8 salespeople")]
    [InlineData("we have a sales team of 12")]
    [InlineData("We need a CRM for 10 salespeople")]
    [InlineData("Wir brauchen das für 5 Vertriebler")]
    [InlineData("we're a 15 person agency")]
    [InlineData("can it qualify leads before passing them to my sales guys?")]
    [InlineData("Kann es die Anfragen vorsortieren, bevor sie an meine Verkäufer gehen?")]
    public void ALeadDescribingItsOwnSalesStaffIsNotHandedOver(string text) =>
        Assert.NotEqual(Intent.Human, TestBrain.Reader.Read(text).Intent);

    [Theory]
    [InlineData("can I talk to your sales people")]
    [InlineData("I want a sales rep")]
    [InlineData("Kann ich mit dem Vertrieb sprechen?")]
    [InlineData("Können Sie mich an einen Kollegen aus dem Vertrieb weiterleiten?")]
    public void ALeadAskingForOurSalesPeopleIsHandedOver(string text) =>
        Assert.Equal(Intent.Human, TestBrain.Reader.Read(text).Intent);

    /// <summary>A lead describing a pain in its own work states a need: the model read these as objections, support cases
    /// and questions, and the lead got "I'll check that with the team" or an apology for a fault.</summary>
    [Theory]
    [InlineData("we lose track of leads in spreadsheets, it's a mess")]
    [InlineData("Our reps spend hours every day copying WhatsApp chats into the CRM")]
    [InlineData("Hallo, wir nutzen aktuell Excel für unsere Leads und verlieren ständig den Überblick")]
    [InlineData("Die Anfragen gehen bei uns oft unter")]
    [InlineData("honestly our biggest issue is that people message us on whatsapp at night and nobody answers till morning")]
    [InlineData("Bei uns kommen viele Probetraining-Anfragen per WhatsApp rein und wir schaffen es nicht alle zu beantworten")]
    [InlineData("Wir haben das Problem, dass Interessenten abends schreiben und erst am nächsten Tag eine Antwort bekommen")]
    [InlineData("hubspot doesn't do whatsapp well tbh")]
    [InlineData("Hello, I run a roofing company in Austin. We get a lot of leads from Google ads but my guys are on roofs all day and can't answer.")]
    [InlineData("Unsere Kunden schreiben uns oft abends und am Wochenende, da ist keiner da")]
    [InlineData("Customers text us in the evening and on weekends when nobody is around")]
    [InlineData("We get orders by WhatsApp and it's chaos")]
    [InlineData("the lads are on roofs all day and cant reply fast enough to enquiries")]
    [InlineData("we get loads of enquiries from facebook ads but nobody has time to answer them")]
    [InlineData("Viele Mandanten fragen per WhatsApp nach Terminen und Unterlagen, das frisst viel Zeit")]
    [InlineData("honestly we miss a ton of calls when we're out on jobs")]
    [InlineData("alright. we tried a chatbot last year n it was rubbish, customers hated it")]
    [InlineData("it just gave canned answers and couldnt understand half the questions")]
    [InlineData("Die meisten wollen einen Besichtigungstermin, aber viele sind gar nicht ernsthaft interessiert")]
    [InlineData("half of them are tyre kickers tbh")]
    [InlineData("I'm not happy with how slow we reply to leads, can this help?")]
    [InlineData("we're too slow to reply to enquiries")]
    [InlineData("we had a human answering before but she quit")]
    [InlineData("our receptionist quit last month and now nobody answers")]
    [InlineData("I have a problem: too many leads and not enough staff")]
    [InlineData("Issue is nobody answers after 6pm")]
    public void ALeadDescribingAPainInItsOwnWorkStatesANeed(string text) =>
        Assert.Equal(Intent.Interest, TestBrain.Reader.Read(text).Intent);

    [Theory]
    [InlineData("your app doesn't work, I keep losing track of my messages")]
    [InlineData("Die App funktioniert nicht, wir verlieren Anfragen")]
    [InlineData("your system is so slow we miss leads")]
    [InlineData("I wrote to you twice and nobody answers")]
    [InlineData("I called three times and you can't answer a simple question")]
    [InlineData("your app doesn't do exports properly")]
    [InlineData("your replies are too slow")]
    public void AFaultInTheProductIsNoPainToSellAgainst(string text) =>
        Assert.NotEqual(Intent.Interest, TestBrain.Reader.Read(text).Intent);

    [Fact]
    public void AskingHowAFaultWillBeFixedStaysASupportCase() =>
        Assert.Equal(Intent.Support, TestBrain.Reader.Read("how can you fix my broken login?").Intent);

    /// <summary>"hey who is this? how did you get my number" was read as an opt-out: the lead asked a question and was never answered.</summary>
    [Theory]
    [InlineData("hey who is this? how did you get my number")]
    [InlineData("Woher haben Sie meine Nummer?")]
    [InlineData("where did you get my contact details")]
    public void ALeadAskingHowWeGotItsNumberHasNotOptedOut(string text) =>
        Assert.NotEqual(Intent.OptOut, TestBrain.Reader.Read(text).Intent);

    [Theory]
    [InlineData("How did you get my number? Remove it now.")]
    [InlineData("Woher haben Sie meine Nummer? Sofort löschen!")]
    public void ALeadAskingHowWeGotItsNumberAndToRemoveItOptsOut(string text) =>
        Assert.Equal(Intent.OptOut, TestBrain.Reader.Read(text).Intent);

    /// <summary>"can it hand over to a real person when needed?" was handed over, and the conversation ended.</summary>
    [Theory]
    [InlineData("can it hand over to a real person when needed?")]
    [InlineData("Does your bot escalate to a human if it gets stuck?")]
    [InlineData("Kann das System an einen echten Mitarbeiter übergeben?")]
    public void AQuestionWhetherTheProductHandsOverIsAQuestion(string text) =>
        Assert.Equal(Intent.Question, TestBrain.Reader.Read(text).Intent);

    [Theory]
    [InlineData("Can you transfer me to a human?")]
    [InlineData("I want to talk to a real person")]
    public void AskingForAPersonStillHandsOver(string text) =>
        Assert.Equal(Intent.Human, TestBrain.Reader.Read(text).Intent);

    /// <summary>"wir hatten letzte Woche telefoniert" (a call that took place) was offered demo slots.</summary>
    [Theory]
    [InlineData("Hallo, wir hatten letzte Woche telefoniert, ich wollte mich nochmal melden")]
    [InlineData("Hi, we spoke on the phone last week about the CRM")]
    [InlineData("following up on our call from Tuesday")]
    public void ACallThatTookPlaceIsNoMeetingWish(string text) =>
        Assert.NotEqual(Intent.Meeting, TestBrain.Reader.Read(text).Intent);

    /// <summary>"Kannst du mir kurz erklären was ihr genau macht?" was thanked and asked what the lead wants to improve.</summary>
    [Theory]
    [InlineData("Moin! Wir sind ein kleiner Handwerksbetrieb, 6 Leute. Kannst du mir kurz erklären was ihr genau macht?")]
    [InlineData("yo wat u guys do exactly??")]
    public void AskingWhatTheBusinessDoesIsAQuestion(string text) =>
        Assert.Equal(Intent.Question, TestBrain.Reader.Read(text).Intent);

    /// <summary>
    /// "Ist das DSGVO-konform, …? Kann man einstellen, dass der Bot keine steuerlichen Auskünfte gibt?" (a tax adviser's two
    /// questions) was read as asking whether it is a bot: its "ist das" and its "Bot" were two sentences apart.
    /// </summary>
    [Theory]
    [InlineData("Ist das DSGVO-konform, insbesondere wenn Mandanten Steuerunterlagen schicken? Kann man einstellen, dass der Bot keine steuerlichen Auskünfte gibt?", false)]
    [InlineData("is this gdpr compliant? and can the bot hand over to us?", false)]
    [InlineData("Is this an AI bot?", true)]
    [InlineData("hi, is this a real person?", true)]
    [InlineData("Ist das eine KI?", true)]
    [InlineData("Bist du ein Bot?", true)]
    public void AskingWhetherItIsABotNeedsTheBotInTheQuestion(string text, bool asks)
    {
        Assert.Equal(asks, IntentRules.AsksIfBot(LeadText.Parse(text)));
        Assert.Equal(asks, TestBrain.Reader.Read(text).Intent == Intent.Human);
    }

    /// <summary>
    /// "Und wer hat Zugriff auf die Nachrichten?" was apologised to as a fault (the model: support, 0.55), "how do i know
    /// yours wont do the same" (after a bad chatbot) likewise (0.99), "how do i know this wont be the same" handed over
    /// (0.85), and a bare "how" was welcomed as a greeting (0.92).
    /// </summary>
    [Theory]
    [InlineData("Ok. Und wer hat Zugriff auf die Nachrichten?")]
    [InlineData("and who can see the messages on your side?")]
    [InlineData("how do i know yours wont do the same")]
    [InlineData("how do i know this wont be the same")]
    [InlineData("Woher weiß ich, dass das nicht genauso wird?")]
    [InlineData("ok and can it handle multiple locations, we have 3 salons")]
    [InlineData("Schade. Und Angebote schreiben?")]
    [InlineData("can it draft quotes for our customers?")]
    [InlineData("how")]
    [InlineData("Wie denn?")]
    public void AskingWhoSeesTheDataIsAQuestion(string text) =>
        Assert.Equal(Intent.Question, TestBrain.Reader.Read(text).Intent);

    /// <summary>
    /// "We get ~300 inbound quote requests a week" (the lead's own customers asking it for quotes) was answered about our
    /// pricing; so was a bakery saying what it collects "before we quote".
    /// </summary>
    [Theory]
    [InlineData("I'm the ops manager at a 40-person logistics company. We get ~300 inbound quote requests a week over email and WhatsApp")]
    [InlineData("Wir bekommen jede Woche rund 200 Angebotsanfragen per Mail")]
    [InlineData("we need to collect the date, size and flavor before we quote")]
    [InlineData("Unsere Preise stehen alle auf mobile.de")]
    [InlineData("our prices are all on the website anyway")]
    public void TheLeadsOwnQuoteRequestsAreNoPriceQuestion(string text) =>
        Assert.DoesNotContain(TestBrain.Reader.Read(text).Intent, new[] { Intent.Pricing, Intent.Support });

    /// <summary>
    /// A plumbing business introducing itself and asking what the product does with its enquiries and "bei einem Notfall,
    /// etwa einem Rohrbruch" (its customers' emergency) was a support case to the model and told a colleague would look at it.
    /// </summary>
    [Fact]
    public void ABusinessIntroducingItselfWithQuestionsIsNoSupportCase() =>
        Assert.Equal(Intent.Question, TestBrain.Reader.Read(
            "wir sind ein Sanitärbetrieb aus Augsburg mit 12 Mitarbeitern. Über unsere Webseite und WhatsApp kommen täglich Anfragen rein (Badsanierung, Notdienst, Wartung), die wir oft erst abends beantworten können. "
            + "Kann Ihr System Anfragen vorqualifizieren, also z.B. nach Fotos vom Bad und der Postleitzahl fragen? Und was passiert bei einem Notfall, etwa einem Rohrbruch?").Intent);

    [Fact]
    public void ACustomerIntroducingAFaultIsStillASupportCase() =>
        Assert.Equal(Intent.Support, TestBrain.Reader.Read("I'm a customer and since yesterday our messages don't arrive").Intent);

    [Theory]
    [InlineData("can you send me a quote for 10 users?")]
    [InlineData("Können Sie mir ein Angebot schreiben?")]
    public void AskingUsForAQuoteIsAPriceQuestion(string text) =>
        Assert.Equal(Intent.Pricing, TestBrain.Reader.Read(text).Intent);

    /// <summary>"is there a contract or can I cancel anytime?" was apologised to as a fault ("sorry about the trouble").</summary>
    [Theory]
    [InlineData("is there a contract or can I cancel anytime?")]
    [InlineData("Wie lange ist die Vertragslaufzeit?")]
    [InlineData("Ist das jederzeit kündbar?")]
    public void AQuestionAboutTheTermsIsAQuestion(string text) =>
        Assert.Equal(Intent.Question, TestBrain.Reader.Read(text).Intent);

    [Theory]
    [InlineData("how do I cancel my contract? the app doesn't work")]
    [InlineData("Wie kann ich meinen Vertrag kündigen?")]
    public void ACustomerCancellingItsOwnContractIsNoTermsQuestion(string text) =>
        Assert.NotEqual(Intent.Question, TestBrain.Reader.Read(text).Intent);

    /// <summary>"sure, what times do you have?" after our offer of a call was thanked and asked again.</summary>
    [Theory]
    [InlineData("sure, what times do you have?")]
    [InlineData("Ja gerne, welche Termine hätten Sie?")]
    public void AskingWhichTimesWeHaveIsAMeetingWish(string text) =>
        Assert.Equal(Intent.Meeting, TestBrain.Reader.Read(text).Intent);

    /// <summary>"inbound demo requests come via email and we're slow to respond" was offered demo slots.</summary>
    [Theory]
    [InlineData("we're a saas startup, 8 people, inbound demo requests come via email and we're slow to respond")]
    [InlineData("Wir bekommen viele Terminanfragen per WhatsApp und kommen nicht hinterher")]
    public void TheLeadsOwnDemoRequestsAreNoMeetingWish(string text) =>
        Assert.NotEqual(Intent.Meeting, TestBrain.Reader.Read(text).Intent);

    [Fact]
    public void ADemoRequestWithUsIsStillAMeetingWish() =>
        Assert.Equal(Intent.Meeting, TestBrain.Reader.Read("can we book a demo? we get lots of demo requests ourselves").Intent);

    /// <summary>"Probetrainings werden über WhatsApp angefragt und oft vergessen wir zu antworten" was asked what brought the lead to us.</summary>
    [Theory]
    [InlineData("Hallo, ich leite ein Fitnessstudio mit 800 Mitgliedern. Probetrainings werden über WhatsApp angefragt und oft vergessen wir zu antworten")]
    [InlineData("we run a gym and we often forget to reply to trial requests on whatsapp")]
    public void ForgettingToAnswerIsAPain(string text) =>
        Assert.Equal(Intent.Interest, TestBrain.Reader.Read(text).Intent);

    /// <summary>"we get like 50 whatsapp msgs a day asking about shipping" was apologised to as a fault; "ca. 2000 Anfragen pro Monat" got the pricing opener.</summary>
    [Theory]
    [InlineData("we get like 50 whatsapp msgs a day asking about shipping")]
    [InlineData("Wir haben 3 Standorte und ca. 2000 Anfragen pro Monat")]
    [InlineData("around 400 inbound leads per month, mostly from Meta ads")]
    public void TheLeadsOwnTrafficIsNeitherAFaultNorAPriceQuestion(string text) =>
        Assert.DoesNotContain(TestBrain.Reader.Read(text).Intent, new[] { Intent.Support, Intent.Pricing });

    [Fact]
    public void AVolumeWithAPriceQuestionIsAPriceQuestion() =>
        Assert.Equal(Intent.Pricing, TestBrain.Reader.Read("we get 2000 requests per month, how much would that cost?").Intent);

    /// <summary>"does it send appointment reminders?" (a dentist asking about the product) was offered demo slots.</summary>
    [Theory]
    [InlineData("does it send appointment reminders?")]
    [InlineData("can it book appointments for my patients?")]
    [InlineData("Kann das System Termine für unsere Kunden vereinbaren?")]
    [InlineData("Verschickt es auch Terminerinnerungen per SMS?")]
    public void AQuestionWhatTheProductDoesWithAppointmentsIsAQuestion(string text) =>
        Assert.Equal(Intent.Question, TestBrain.Reader.Read(text).Intent);

    [Theory]
    [InlineData("can it be on thursday at 3?")]
    [InlineData("could we book a call for Friday?")]
    [InlineData("Können wir einen Termin vereinbaren?")]
    [InlineData("We're an HVAC company in Denver with about 25 techs. I'd like to set up a call to learn more. Also, can your system send appointment reminders to customers?")]
    [InlineData("Ich würde gern ein Gespräch vereinbaren. Verschickt es auch Terminerinnerungen per SMS?")]
    public void AQuestionAboutOurMeetingIsStillAMeetingWish(string text) =>
        Assert.Equal(Intent.Meeting, TestBrain.Reader.Read(text).Intent);

    /// <summary>"sorry wrong number" was asked what brought it to us; a wrong number is no lead and hears no more.</summary>
    [Theory]
    [InlineData("sorry wrong number")]
    [InlineData("I think you have the wrong person")]
    [InlineData("Sie haben sich verwählt")]
    [InlineData("Falsche Nummer, sorry")]
    public void AWrongNumberOptsOut(string text) =>
        Assert.Equal(Intent.OptOut, TestBrain.Reader.Read(text).Intent);

    [Fact]
    public void AWrongNumberWithTheRightOneIsNoOptOut() =>
        Assert.NotEqual(Intent.OptOut, TestBrain.Reader.Read("oops I gave you the wrong number, use +44 7911 123456 instead").Intent);

    [Fact]
    public void APriceQuestionAfterAPastCallIsAPriceQuestion() =>
        Assert.Equal(Intent.Pricing, TestBrain.Reader.Read("Wie besprochen im Telefonat von gestern: was kostet das für 5 Nutzer?").Intent);

    [Theory]
    [InlineData("Can we have another call next week?")]
    [InlineData("Thanks for the call! Can we book a follow-up demo for the team on Friday?")]
    public void ANewMeetingAfterAPastOneIsStillAMeetingWish(string text) =>
        Assert.Equal(Intent.Meeting, TestBrain.Reader.Read(text).Intent);

    /// <summary>"hey, interested but swamped right now" was cheered at; "super busy at the moment" was offered slots.</summary>
    [Theory]
    [InlineData("hey, interested but swamped right now")]
    [InlineData("super busy at the moment")]
    [InlineData("Klingt spannend, aber gerade ist bei uns Land unter")]
    public void ALeadWithNoTimeNowIsStalling(string text) =>
        Assert.Equal(Intent.Objection, TestBrain.Reader.Read(text).Intent);

    [Fact]
    public void ABusyLeadAskingForACallStillWantsAMeeting() =>
        Assert.Equal(Intent.Meeting, TestBrain.Reader.Read("super busy this week, can we do a call next Tuesday?").Intent);

    /// <summary>"Können mehrere Mitarbeiter gleichzeitig auf die Chats zugreifen?" was read as a pain ("chats" is one typo from "chaos").</summary>
    [Fact]
    public void AQuestionAboutChatsIsNoPain() =>
        Assert.Equal(Intent.Question, TestBrain.Reader.Read("Können mehrere Mitarbeiter gleichzeitig auf die Chats zugreifen?").Intent);

    /// <summary>"Und was passiert mit unseren Daten, wenn wir kündigen?" was a support case.</summary>
    [Theory]
    [InlineData("Und was passiert mit unseren Daten, wenn wir kündigen?")]
    [InlineData("What happens to our data if we cancel?")]
    public void AWhatIfQuestionIsAQuestion(string text) =>
        Assert.Equal(Intent.Question, TestBrain.Reader.Read(text).Intent);

    /// <summary>"we're a salon with 4 stylists, clients book via insta and whatsapp" was offered demo slots; so was an estate agent's "Die meisten wollen einen Besichtigungstermin", a bridal boutique whose brides "message us … to book fittings", a roofer "slow to call back" (its own calls to its leads), and a practice that has "nur ein Telefon".</summary>
    [Theory]
    [InlineData("we're a salon with 4 stylists, clients book via insta and whatsapp")]
    [InlineData("Wir sind eine Zahnarztpraxis, die Patienten buchen per Telefon")]
    [InlineData("Die meisten wollen einen Besichtigungstermin, aber viele sind gar nicht ernsthaft interessiert")]
    [InlineData("most of them want a viewing asap but half never show up")]
    [InlineData("Vor allem Tischreservierungen und Fragen zu Öffnungszeiten")]
    [InlineData("Hello! I own a small bridal boutique in Manchester. Brides message us on Instagram and WhatsApp to book fittings. Would your tool help?")]
    [InlineData("Die Schüler schreiben uns meistens über WhatsApp, um Fahrstunden zu buchen")]
    [InlineData("Hallo, wir sind ein kleines Hotel. Können Gäste darüber Zimmer anfragen?")]
    [InlineData("Hello! We're a roofing company in Ohio, about 12 crews. Most leads come from our website form and Facebook ads. We lose a lot because we're slow to call back.")]
    [InlineData("yeah mostly we call them back when we can, sometimes next day")]
    [InlineData("Unsere Patienten melden sich wegen Rezepten und Terminen")]
    [InlineData("Nein, wir haben nur ein Telefon und eine Website.")]
    [InlineData("Nein, nur Telefon")]
    public void TheLeadsCustomersBookingIsNoMeetingWish(string text) =>
        Assert.NotEqual(Intent.Meeting, TestBrain.Reader.Read(text).Intent);

    [Theory]
    [InlineData("Can we book a demo? Our clients book via WhatsApp")]
    [InlineData("I'd like to book a call, our customers book online")]
    [InlineData("Can we set up a demo? People text us to book tables")]
    [InlineData("we're slow to call back on leads, could you call me tomorrow?")]
    [InlineData("I'd appreciate a call back this week")]
    [InlineData("we only have a phone, can we do a call on Friday?")]
    public void AskingToBookBesideCustomersBookingIsStillAMeetingWish(string text) =>
        Assert.Equal(Intent.Meeting, TestBrain.Reader.Read(text).Intent);

    /// <summary>A lead putting the decision off stalls, however warmly (the model read these as interest, 1.00).</summary>
    [Theory]
    [InlineData("Sounds good but I need to discuss it with my team first")]
    [InlineData("Klingt gut, aber wir müssen das erst intern besprechen")]
    [InlineData("ok, let me run it by my boss")]
    [InlineData("Ich muss das noch mit meinem Chef abstimmen")]
    [InlineData("Ok, ich bespreche das mit meinem Geschäftsführer und melde mich.")]
    [InlineData("I need to speak to my partner first")]
    public void ALeadPuttingTheDecisionOffIsStalling(string text) =>
        Assert.Equal(Intent.Objection, TestBrain.Reader.Read(text).Intent);

    /// <summary>
    /// A bare "bot" gave the rules a weak hand-over: "sounds like just another chatbot", "my nephew built us a bot already"
    /// and "I don't want a robot talking to my clients" were handed over without asking for anyone.
    /// </summary>
    [Theory]
    [InlineData("sounds like just another chatbot")]
    [InlineData("my nephew built us a bot already")]
    [InlineData("I don't want a robot talking to my clients, they're high-end")]
    [InlineData("Ich will keinen Bot")]
    [InlineData("Is there a human in the loop?")]
    public void DoubtAboutBotsIsNoHandOver(string text) =>
        Assert.NotEqual(Intent.Human, TestBrain.Reader.Read(text).Intent);

    [Theory]
    [InlineData("is this a bot?")]
    [InlineData("I want a real person")]
    [InlineData("Mit einem Bot will ich nicht reden")]
    [InlineData("I don't want to talk to a bot")]
    public void AskingForAPersonOrWhetherItIsABotStillHandsOver(string text) =>
        Assert.Equal(Intent.Human, TestBrain.Reader.Read(text).Intent);

    /// <summary>
    /// "Was, wenn der Bot Preise erfindet?" was a price question, "Wer haftet, wenn der Bot Mist erzählt?" interest; so was
    /// "Kann der Bot auch einen groben Preis nennen …?" (the lead's prices to its customers, not ours).
    /// </summary>
    [Theory]
    [InlineData("Was, wenn der Bot Preise erfindet?")]
    [InlineData("Wer haftet, wenn der Bot Mist erzählt?")]
    [InlineData("what stops it from promising discounts we don't offer?")]
    [InlineData("Kann der Bot auch einen groben Preis nennen, z.B. anhand der Zimmeranzahl?")]
    [InlineData("can it give a rough price to customers based on room count?")]
    [InlineData("Ich möchte nicht, dass der Bot unseren Kunden Unsinn erzählt")]
    public void AskingWhatTheAssistantMaySayOrQuotesIsAQuestion(string text) =>
        Assert.Equal(Intent.Question, TestBrain.Reader.Read(text).Intent);

    /// <summary>"hey, hab nen kleinen Onlineshop für Kaffee. Kunden fragen per Mail ständig nach Lieferzeiten …" was a support case handed to a colleague.</summary>
    [Fact]
    public void ALeadsCustomersQuestionsAfterAGreetingAreItsBusiness() =>
        Assert.Equal(Intent.Interest, TestBrain.Reader.Read("hey, hab nen kleinen Onlineshop für Kaffee. Kunden fragen per Mail ständig nach Lieferzeiten und ob was auf Lager ist").Intent);

    /// <summary>"We run a gym, members message about cancelling memberships a lot" was a support case handed to a colleague.</summary>
    [Fact]
    public void WhatTheLeadsCustomersMessageAboutIsNoSupportCase() =>
        Assert.NotEqual(Intent.Support, TestBrain.Reader.Read("We run a gym, members message about cancelling memberships a lot").Intent);

    /// <summary>"hmm thats a bit much for a 3 chair practice" after the price was read as small talk (0.66) and thanked for.</summary>
    [Theory]
    [InlineData("hmm thats a bit much for a 3 chair practice")]
    [InlineData("thats a bit much for us")]
    [InlineData("puh, bisschen viel für uns")]
    public void PushbackOnThePriceIsAnObjection(string text) =>
        Assert.Equal(Intent.Objection, TestBrain.Reader.Read(text).Intent);

    [Theory]
    [InlineData("Can we book a call with my team next week?", Intent.Meeting)]
    [InlineData("What does it cost? I need to discuss the budget with my boss", Intent.Pricing)]
    public void AMeetingOrPriceQuestionBesideADeferralKeepsItsReading(string text, Intent expected) =>
        Assert.Equal(expected, TestBrain.Reader.Read(text).Intent);

    /// <summary>"ok lets try it" after the pricing talk was read as other and asked for the team size.</summary>
    [Theory]
    [InlineData("ok lets try it")]
    [InlineData("Ok, dann probieren wir es")]
    [InlineData("Na gut, dann lass mal testen")]
    [InlineData("alright, let's give it a shot")]
    public void ALeadDecidingToTryItIsBuying(string text) =>
        Assert.Equal(Intent.Purchase, TestBrain.Reader.Read(text).Intent);

    /// <summary>An answer to the team-size question is information, not an objection (read 0.62–0.78 objection).</summary>
    [Theory]
    [InlineData("Wir sind ca. 12 Leute im Vertrieb")]
    [InlineData("We have 5 people in sales")]
    [InlineData("We're about 20 people, mostly field sales")]
    [InlineData("Wir haben 6 Fahrlehrer")]
    public void ALeadGivingItsTeamSizeIsNeitherObjectingNorAsking(string text) =>
        Assert.DoesNotContain(TestBrain.Reader.Read(text).Intent, new[] { Intent.Objection, Intent.Question, Intent.Support });

    /// <summary>Dialogues of 2026-12-05: the lead's customers' questions and its volume are its business.</summary>
    [Theory]
    [InlineData("mostly people asking about class times and refunds on whatsapp")]
    [InlineData("our customers ask about refunds and delivery times")]
    [InlineData("Unsere Kunden fragen meistens nach Öffnungszeiten und Preisen")]
    [InlineData("Wir bekommen ca. 400 Anfragen im Monat über mobile.de und WhatsApp")]
    public void ALeadDescribingItsCustomersQuestionsShowsInterest(string text) =>
        Assert.Equal(Intent.Interest, TestBrain.Reader.Read(text).Intent);

    /// <summary>"nice. can it also send invoices?" was thanked "That's great news!" and asked where to send the contract.</summary>
    [Theory]
    [InlineData("nice. can it also send invoices?", Intent.Question)]
    [InlineData("can it send me the invoice please?", Intent.Purchase)]
    public void AQuestionWhatTheProductCanDoIsNoOrder(string text, Intent expected) =>
        Assert.Equal(expected, TestBrain.Reader.Read(text).Intent);

    [Theory]
    [InlineData("lol ok. how do i start")]
    [InlineData("how do we get started?")]
    [InlineData("ok und wie fang ich an?")]
    [InlineData("how fast can we be live")]
    [InlineData("Was müsste ich denn tun, um das zu starten?")]
    [InlineData("what would we need to do to get started?")]
    public void AskingHowToBeginIsABuyingSignal(string text) =>
        Assert.Equal(Intent.Purchase, TestBrain.Reader.Read(text).Intent);

    /// <summary>It was read as an objection (0.83) and asked for its biggest concern.</summary>
    [Fact]
    public void AHappyNewCustomerIsNoObjection() =>
        Assert.NotEqual(Intent.Objection, TestBrain.Reader.Read("We signed up last week, loving it so far!").Intent);

    /// <summary>Dialogues of 2026-12-05: a pain met as an objection, a business introduced read as a question.</summary>
    [Theory]
    [InlineData("we lose jobs because we take too long to reply to quote requests")]
    [InlineData("Hallo! Wir sind eine Sprachschule in München und suchen was für unsere Anfragen über WhatsApp")]
    public void ALeadDescribingItsBusinessOrItsPainShowsInterest(string text) =>
        Assert.Equal(Intent.Interest, TestBrain.Reader.Read(text).Intent);

    /// <summary>Dialogues of 2026-12-05: a cancellation read as a greeting, a pleasant surprise as a price objection, a question without its mark as an objection, and the eighth session's (see the reading guards).</summary>
    [Theory]
    [InlineData("Hello, I would like to cancel", Intent.Support)]
    [InlineData("Das ist günstiger als gedacht 😄 Wie geht es weiter?", Intent.Interest)]
    [InlineData("Und wie sieht es mit dem Datenschutz aus, wir sind eine Arztpraxis", Intent.Question)]
    [InlineData("Can I cancel anytime?", Intent.Question)]
    [InlineData("please cancel the meeting", Intent.Meeting)]
    [InlineData("Okay, klingt spannend. Ich überleg's mir.", Intent.Objection)]
    [InlineData("Ok cool, ich schau mir das mal an und melde mich", Intent.Objection)]
    [InlineData("Super, dann melde ich mich an", Intent.Purchase)]
    [InlineData("wir sind ein kleines Fitnessstudio in München, ca 300 Mitglieder", Intent.Other)]
    [InlineData("we currently use intercom but its expensive and the bot is dumb", Intent.Interest)]
    [InlineData("hallo, ich hab eure seite gesehen. was unterscheidet euch von chatgpt?", Intent.Question)]
    [InlineData("your bot is dumb, let me talk to a human", Intent.Human)]
    [InlineData("Wie viel Aufwand ist die Einrichtung für uns?", Intent.Question)]
    [InlineData("eh maybe. what does it even do", Intent.Question)]
    [InlineData("Niemand hat unsere Anfrage beantwortet, ich warte seit einer Woche", Intent.Support)]
    [InlineData("Hallo, klingt interessant, aber ich muss erst mit meinem Chef sprechen", Intent.Objection)]
    [InlineData("Moin! Wir sind ein Handwerksbetrieb (Elektro), 12 Leute. Bekommen viele Anfragen über WhatsApp, kommen aber kaum hinterher.", Intent.Interest)]
    [InlineData("mostly they come by email and we miss some", Intent.Interest)]
    [InlineData("Kann ich mit Ihrem Chef sprechen?", Intent.Human)]
    [InlineData("Hi, ich bin Markus von einer Immobilienfirma. Wir bekommen über Immoscout viele Anfragen, die keiner rechtzeitig beantwortet", Intent.Interest)]
    [InlineData("how much time does the setup take?", Intent.Question)]
    [InlineData("Wie viel kostet die Einrichtung?", Intent.Pricing)]
    [InlineData("Ja genau, vor allem Fragen zu Kurszeiten und Preisen", Intent.Interest)]
    [InlineData("mostly questions about opening hours and prices", Intent.Interest)]
    [InlineData("I have a few questions about pricing", Intent.Pricing)]
    [InlineData("cool. we're a plumbing company, 8 vans. phones ring off the hook but half the time nobody picks up", Intent.Interest)]
    [InlineData("hmm ok. we'd probably resell it to our clients too, we do marketing for other shops", Intent.Interest)]
    [InlineData("I'm a customer and my invoice is wrong", Intent.Support)]
    [InlineData("this is the third time i'm asking, nobody replied to my email about my invoice. ridiculous", Intent.Support)]
    [InlineData("please email the contract and the invoice", Intent.Purchase)]
    [InlineData("hi! we run a small candle shop, most of our customer messages come via instagram", Intent.Greeting)]
    [InlineData("Wed works for me", Intent.Meeting)]
    [InlineData("Wir bekommen viele Anfragen über mobile.de und WhatsApp, die oft erst am nächsten Tag beantwortet werden.", Intent.Interest)]
    [InlineData("they were robotic and couldnt answer anything real", Intent.Interest)]
    [InlineData("Moin, kurze Frage: könnt ihr auch Termine in unseren Google Kalender eintragen?", Intent.Question)]
    [InlineData("auch Termine in meinen Kalender eintragen? ich nutz google kalender", Intent.Question)]
    [InlineData("Können Sie mir eine Einladung in meinen Kalender schicken?", Intent.Meeting)]
    [InlineData("yes exactly, mostly botox pricing questions and booking", Intent.Interest)]
    [InlineData("ok cool. can i see it working somewhere?", Intent.Meeting)]
    [InlineData("I'd love to see it in action", Intent.Meeting)]
    [InlineData("Können Sie mir zeigen, wie das funktioniert?", Intent.Meeting)]
    [InlineData("Gibt es gerade eine Aktion?", Intent.Pricing)]
    [InlineData("we get a ton of calls and texts after hours and miss most of em", Intent.Interest)]
    [InlineData("our admin team of 2 answers everything manually and it's a lot", Intent.Interest)]
    [InlineData("we do everything by hand and it takes hours every day", Intent.Interest)]
    [InlineData("hmm it's a lot", Intent.Objection)]
    [InlineData("Hi, ich hab ein kleines Tattoo-Studio in Leipzig. Leute schreiben mir ständig auf Insta und WhatsApp wegen Terminen", Intent.Interest)]
    [InlineData("customers keep messaging us for appointments", Intent.Interest)]
    [InlineData("Können wir einen Termin ausmachen? Meine Kunden fragen mich oft danach", Intent.Meeting)]
    [InlineData("kannst du mir das mal zeigen?", Intent.Meeting)]
    [InlineData("hm ok, klingt trotzdem kompliziert für mich", Intent.Objection)]
    [InlineData("nah thats too much hassle for us rn", Intent.Objection)]
    [InlineData("Klingt nach viel Aufwand ehrlich gesagt", Intent.Objection)]
    [InlineData("hmm. so what CAN it do exactly", Intent.Question)]
    [InlineData("Our problem is people call after 5pm and nobody answers, we lose those jobs", Intent.Interest)]
    [InlineData("Kunden rufen abends an und keiner geht ran", Intent.Interest)]
    [InlineData("Can you call me after 5pm?", Intent.Meeting)]
    [InlineData("honestly we lose a ton of leads cuz we're out detailing and can't text back", Intent.Interest)]
    [InlineData("ok cool. how long to set up", Intent.Question)]
    [InlineData("how does it know our prices tho", Intent.Question)]
    [InlineData("Woher kennt der Bot unsere Preise?", Intent.Question)]
    [InlineData("how much does it cost tho", Intent.Pricing)]
    [InlineData("Die meisten Kunden rufen bei uns an, WhatsApp kommt aber immer mehr", Intent.Interest)]
    [InlineData("most of our customers just call us tbh, but whatsapp is picking up", Intent.Interest)]
    [InlineData("ok schade. Und was bringt mir das dann genau?", Intent.Question)]
    [InlineData("Can it answer questions about our treatments and prices from our own info?", Intent.Question)]
    [InlineData("we got like 200 leads a month from google ads and half never hear back", Intent.Interest)]
    [InlineData("bin fitnesstrainer und hab keinen bock mehr auf die ganzen whatsapps", Intent.Interest)]
    [InlineData("I'm so sick of answering the same questions on whatsapp all day", Intent.Interest)]
    [InlineData("can it screen candidates too or just sales stuff?", Intent.Question)]
    [InlineData("can I talk to your sales staff?", Intent.Human)]
    [InlineData("can it send invoices", Intent.Question)]
    [InlineData("can you send me the contract?", Intent.Purchase)]
    [InlineData("we use square appointments tho", Intent.Question)]
    [InlineData("we're on zoho tho", Intent.Question)]
    [InlineData("we already use calendly", Intent.Objection)]
    [InlineData("Hi, ich bin Lena von einer Tanzschule in Köln. Wir kriegen viele Anfragen über Insta und WhatsApp für Probestunden", Intent.Greeting)]
    [InlineData("can it send them a quote automatically?", Intent.Question)]
    [InlineData("wer sieht die Gespräche?", Intent.Question)]
    [InlineData("Hätten Sie Zeit für ein Gespräch", Intent.Meeting)]
    [InlineData("Haben Sie Zeit für ein Gespräch", Intent.Meeting)]
    [InlineData("we get like 50 leads a week from angi and our website, half of them we never get back to", Intent.Interest)]
    [InlineData("this is the 3rd time ive messaged, nobody has got back to me. what a joke", Intent.Support)]
    [InlineData("ok what if a customer wants to change their booking?", Intent.Question)]
    [InlineData("Ich warte immer noch auf eine Antwort, niemand hat sich gemeldet", Intent.Support)]
    [InlineData("Hallo, ich habe gestern schon angefragt und keine Antwort bekommen", Intent.Support)]
    [InlineData("hi, I messaged last week and never heard back", Intent.Support)]
    [InlineData("Danke, ich muss das mit meinem Geschäftspartner besprechen", Intent.Objection)]
    [InlineData("ok english is fine. I have a dental clinic in Valencia, many tourists write us on whatsapp", Intent.Other)]
    [InlineData("I have a question about the pricing", Intent.Pricing)]
    [InlineData("alright mate 👋", Intent.Greeting)]
    [InlineData("hiya", Intent.Greeting)]
    [InlineData("Hi there! We are a digital marketing agency offering SEO and link building services. Would you be interested in growing your traffic?", Intent.Other)]
    [InlineData("hi are you guys hiring? I'm a sales rep with 5 years experience", Intent.Other)]
    [InlineData("Guten Tag, suchen Sie Mitarbeiter im Vertrieb? Ich würde mich gerne bewerben", Intent.Other)]
    [InlineData("we text our leads but half never reply", Intent.Interest)]
    [InlineData("Guten Abend, wir sind ein Immobilienbüro in München mit 4 Maklern. Interessenten fragen per WhatsApp nach Exposés und Besichtigungsterminen.", Intent.Interest)]
    public void WhatTheLeadAskedForIsRead(string text, Intent expected) =>
        Assert.Equal(expected, TestBrain.Reader.Read(text).Intent);

    /// <summary>"Hi there, I got a missed call from this number?" was offered demo slots.</summary>
    [Theory]
    [InlineData("Hi there, I got a missed call from this number?")]
    [InlineData("Hallo, ich hatte einen verpassten Anruf von dieser Nummer")]
    public void AMissedCallIsNoWishForACall(string text) =>
        Assert.NotEqual(Intent.Meeting, TestBrain.Reader.Read(text).Intent);

    [Fact]
    public void MissedCallsAsThePainOfTheLeadLeaveItsWishForACall() =>
        Assert.Equal(Intent.Meeting, TestBrain.Reader.Read("we have missed calls every day, can we book a call on Friday?").Intent);

    [Theory]
    [InlineData("I'm a customer and I want a refund")]
    [InlineData("my customers write that your widget is broken")]
    public void AFaultOrARefundOfTheLeadsOwnStaysASupportCase(string text) =>
        Assert.Equal(Intent.Support, TestBrain.Reader.Read(text).Intent);

    /// <summary>"Anzeige" is an advertisement far more often than a criminal complaint in what leads write (the glossary
    /// once glossed it "complaint", and a lead answering an ad was apologised to and handed to a colleague).</summary>
    [Theory]
    [InlineData("Ich habe Ihre Anzeige auf Facebook gesehen")]
    [InlineData("Guten Morgen, ich habe Ihre Anzeige gesehen. Was macht Ihr Produkt genau?")]
    public void ALeadAnsweringAnAdIsNeitherASupportCaseNorNegative(string text)
    {
        var read = TestBrain.Reader.Read(text);

        Assert.NotEqual(Intent.Support, read.Intent);
        Assert.NotEqual(Sentiment.Negative, read.Sentiment);
    }

    [Theory]
    [InlineData("My lawyer will hear about this")]
    [InlineData("Ich schalte meinen Anwalt ein")]
    public void ALegalThreatKeepsTheRulesReadingAndStaysStronglyNegative(string text)
    {
        var rules = RulesInsightsExtractor.Analyze(text);

        var read = TestBrain.Reader.Read(text);

        Assert.Equal(rules, read);
        Assert.True(read.IsStronglyNegative);
    }

    private static readonly BlendThresholds Blend = new(0.4, 0.5);

    private static MessageAnalysis Rules(Intent intent, Sentiment sentiment = Sentiment.Neutral, double score = 0, double confidence = 0.9) =>
        new("en", intent, sentiment, score, confidence);

    private static LearntReading Model(Intent intent, double p, Sentiment sentiment = Sentiment.Neutral, double sp = 0, double positive = 0, double negative = 0) =>
        new(intent, p, sentiment, sp, positive, negative);

    [Fact]
    public void ASureModelOverrulesTheRulesOutsideTheirCertainCases()
    {
        var read = MessageReader.Combine(Rules(Intent.Other, confidence: 0.3), Model(Intent.Meeting, 0.8), "could we find a slot to chat next week", Blend);

        Assert.Equal(Intent.Meeting, read.Intent);
        Assert.Equal(0.8, read.Confidence);
    }

    [Fact]
    public void AnUnsureModelLeavesTheRulesReading()
    {
        var rules = Rules(Intent.Question, confidence: 0.5);

        Assert.Equal(rules, MessageReader.Combine(rules, Model(Intent.Interest, 0.39), "what else do you do", Blend));
    }

    [Fact]
    public void TheModelNeitherOverrulesAnOptOutNorOptsALeadOutOnItsOwn()
    {
        Assert.Equal(Intent.OptOut, MessageReader.Combine(Rules(Intent.OptOut), Model(Intent.Meeting, 0.99), "stop", Blend).Intent);
        Assert.Equal(Intent.Objection, MessageReader.Combine(Rules(Intent.Objection, confidence: 0.5), Model(Intent.OptOut, 0.99), "not now", Blend).Intent);
    }

    [Fact]
    public void AnExplicitHandOverStandsButAWeakBotMentionDoesNot()
    {
        Assert.Equal(Intent.Human, MessageReader.Combine(Rules(Intent.Human, confidence: 0.95), Model(Intent.Question, 0.99), "a human please", Blend).Intent);
        Assert.Equal(Intent.Question, MessageReader.Combine(Rules(Intent.Human, confidence: 0.52), Model(Intent.Question, 0.99), "how is your bot different", Blend).Intent);
    }

    [Fact]
    public void TheModelAloneHandsOverOnlyWhenVerySure()
    {
        Assert.Equal(Intent.Other, MessageReader.Combine(Rules(Intent.Other, confidence: 0.3), Model(Intent.Human, 0.79), "Den zweiten bitte", Blend).Intent);
        Assert.Equal(Intent.Human, MessageReader.Combine(Rules(Intent.Other, confidence: 0.3), Model(Intent.Human, 0.98), "ich möchte mit Ihrem Außendienst sprechen", Blend).Intent);
    }

    [Fact]
    public void AShortAnswerIsLeftToTheDialogueContext()
    {
        var rules = Rules(Intent.Other, confidence: 0.3);

        Assert.Equal(rules, MessageReader.Combine(rules, Model(Intent.Interest, 0.99, Sentiment.Positive, 0.99, 0.99, 0), "passt", Blend));
    }

    [Fact]
    public void ABareShortAnswerIsReadWithoutRunningTheModel()
    {
        var model = new Mock<IUtteranceClassifier>(MockBehavior.Strict);
        model.SetupGet(m => m.Thresholds).Returns(Blend);

        var read = new MessageReader(model.Object).Read("passt");

        var rules = RulesInsightsExtractor.Analyze("passt");
        Assert.Equal((rules.Intent, rules.Sentiment, rules.Confidence), (read.Intent, read.Sentiment, read.Confidence));
        model.Verify(m => m.Classify(It.IsAny<string>(), It.IsAny<MessageAnalysis>()), Times.Never);
    }

    [Fact]
    public void EveryReadingIsTimedByWhatReadIt()
    {
        var model = new Mock<IUtteranceClassifier>();
        model.SetupGet(m => m.Thresholds).Returns(Blend);
        model.Setup(m => m.Classify(It.IsAny<string>(), It.IsAny<MessageAnalysis>())).Returns(Model(Intent.Pricing, 0.9));
        var reader = new MessageReader(model.Object);
        var mine = new AsyncLocal<bool> { Value = true };
        var recorded = new List<string?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SalesFlowMetrics.MeterName && instrument.Name == "salesflow.brain.read.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (mine.Value && value >= 0)
            {
                recorded.Add(tags.ToArray().Single(t => t.Key == "reader").Value as string);
            }
        });
        listener.Start();

        reader.Read("What would five seats cost per month?");
        reader.Read("passt");

        Assert.Equal(["learnt", "rules"], recorded);
    }

    [Fact]
    public void AModelsNegativeReadingNeverReachesTheEscalatingRange()
    {
        var read = MessageReader.Combine(Rules(Intent.Support, Sentiment.Neutral, 0), Model(Intent.Support, 0.9, Sentiment.Negative, 0.99, 0, 0.99), "it keeps logging me out", Blend);

        Assert.Equal(Sentiment.Negative, read.Sentiment);
        Assert.False(read.IsStronglyNegative);
        Assert.InRange(read.SentimentScore, -0.55, -0.2);
    }
}
