using SalesFlow.Core.Conversations;

namespace SalesFlow.Core.Brain.Rules;

/// <summary>
/// Reply building blocks. Placeholders: <c>{, name}</c> becomes ", Anna" or nothing; <c>{hi}</c> becomes
/// "Hi Anna"/"Hallo Anna" or "Hi there"/"Hallo"; <c>{client}</c> is the business's name.
/// No template states a price, discount, feature or date: those come from people, not from rules.
/// </summary>
internal static class ReplyTemplates
{
    public sealed record Variants(string[] En, string[] De)
    {
        public string[] For(bool german) => german ? De : En;
    }

    public static readonly Dictionary<Intent, Variants> Openers = new()
    {
        [Intent.Greeting] = new(
            ["{hi}! Thanks for reaching out to {client}.", "{hi}, great to hear from you!", "{hi}! Nice to hear from you."],
            ["{hi}! Danke, dass Sie sich bei {client} melden.", "{hi}, schön, von Ihnen zu hören!", "{hi}! Freut mich, dass Sie schreiben."]),
        [Intent.Interest] = new(
            ["Great to hear{, name}!", "Love that{, name}, thanks for your interest in {client}.", "Happy to help with that{, name}."],
            ["Das freut mich{, name}!", "Schön zu hören{, name}, danke für Ihr Interesse an {client}.", "Gerne helfe ich Ihnen weiter{, name}."]),
        [Intent.Question] = new(
            [
                "Good question{, name}! I'd rather give you an accurate answer than a guess, so I'm checking the details with the team.",
                "Thanks for asking{, name}. I'll confirm the exact details with my colleagues so you get a reliable answer.",
                "Fair question{, name}. Let me get you a precise answer from the {client} team rather than guess.",
            ],
            [
                "Gute Frage{, name}! Ich möchte Ihnen eine verlässliche Antwort geben statt zu raten, daher kläre ich die Details mit dem Team.",
                "Danke für Ihre Frage{, name}. Ich stimme die genauen Details mit meinen Kollegen ab, damit Sie eine verlässliche Antwort bekommen.",
                "Berechtigte Frage{, name}. Ich hole Ihnen eine genaue Antwort vom {client}-Team ein, statt zu raten.",
            ]),
        [Intent.Pricing] = new(
            [
                "Happy to help with pricing{, name}! I'll share the exact pricing that fits your needs rather than a generic list.",
                "Thanks for asking about pricing{, name}. It depends on your setup, so I'd like to give you the exact figures that fit you.",
                "Glad you asked{, name}: I want to give you the exact pricing for your needs at {client}, not a ballpark.",
            ],
            [
                "Gerne{, name}! Ich nenne Ihnen die genauen Preise, die zu Ihrem Bedarf passen, statt einer allgemeinen Liste.",
                "Danke für Ihre Frage zu den Preisen{, name}. Das hängt von Ihrem Bedarf ab, daher möchte ich Ihnen ein passendes Angebot machen.",
                "Gute Frage{, name}: Ich möchte Ihnen genau das anbieten, was zu Ihrem Bedarf passt, keine Pauschale.",
            ]),
        [Intent.Meeting] = new(
            ["Great idea{, name}, let's book a short call.", "Happy to{, name}! A short call is the easiest way to go through everything.", "Sounds good{, name}, I'll set up a short call with you."],
            ["Sehr gerne{, name}, lassen Sie uns ein kurzes Gespräch vereinbaren.", "Gute Idee{, name}! Ein kurzer Termin ist der einfachste Weg, alles durchzugehen.", "Gerne{, name}, ich richte ein kurzes Gespräch mit Ihnen ein."]),
        [Intent.Purchase] = new(
            ["Fantastic{, name}, thank you for choosing {client}!", "That's great news{, name}!", "Wonderful{, name}, welcome aboard!"],
            ["Wunderbar{, name}, vielen Dank für Ihr Vertrauen in {client}!", "Das freut mich sehr{, name}!", "Großartig{, name}, willkommen an Bord!"]),
        [Intent.Support] = new(
            ["I'm sorry about the trouble{, name}! A colleague will look into it and get back to you shortly.", "Sorry to hear that{, name}. I've passed this on to a colleague who will look into it personally."],
            ["Das tut mir leid{, name}! Ein Kollege schaut sich das an und meldet sich zeitnah bei Ihnen.", "Entschuldigen Sie die Umstände{, name}. Ich habe das an einen Kollegen weitergegeben, der sich persönlich darum kümmert."]),
        [Intent.Human] = new(
            ["Of course{, name}! A colleague will take over and get back to you personally.", "Sure{, name}, I'm handing you over to a colleague from the {client} team who will reach out shortly."],
            ["Natürlich{, name}! Ein Kollege übernimmt und meldet sich persönlich bei Ihnen.", "Gerne{, name}, ich übergebe an einen Kollegen aus dem {client}-Team, der sich in Kürze meldet."]),
        [Intent.OptOut] = new(
            ["Understood{, name}. You won't receive any further messages from us. Sorry for the bother.", "Done{, name}: we've removed you and won't message you again. Have a good day."],
            ["Verstanden{, name}. Sie erhalten keine weiteren Nachrichten von uns. Entschuldigen Sie die Störung.", "Erledigt{, name}: Wir haben Sie ausgetragen und schreiben Ihnen nicht mehr. Alles Gute!"]),
        [Intent.Other] = new(
            ["Thanks{, name}!", "Got it{, name}, thanks.", "Thanks for letting me know{, name}."],
            ["Danke{, name}!", "Alles klar{, name}, danke.", "Danke für die Info{, name}."]),
    };

    /// <summary>For a lead describing a pain in its own work: acknowledged, and no feature promised.</summary>
    public static readonly Variants PainOpeners = new(
        ["Thanks for explaining{, name}, that helps me understand what you need.", "That sounds frustrating{, name}, and it's worth fixing.", "Thanks for the context{, name}, you're not the only team dealing with that."],
        ["Danke, dass Sie das so genau beschreiben{, name}, das hilft mir, Ihren Bedarf zu verstehen.", "Das klingt mühsam{, name}, und es lohnt sich, das zu lösen.", "Danke für den Einblick{, name}, damit sind Sie nicht allein."]);

    /// <summary>
    /// For a lead describing how its business works (its customers' questions, its volume, who it is): thanked for the
    /// picture, not cheered at ("Love that, thanks for your interest" answered "people ask us about refunds").
    /// </summary>
    /// <summary>For a lead asking what happens next ("ok klingt gut, wie geht's weiter"), before a meeting is set: SalesFlow leads on.</summary>
    public static readonly Variants NextStepOpeners = new(
        ["Glad it sounds good{, name}!", "Great that you'd like to move forward{, name}!"],
        ["Freut mich, dass es gut klingt{, name}!", "Schön, dass Sie weitermachen möchten{, name}!"]);

    /// <summary>The step after <see cref="NextStepOpeners"/>: a call, which a "yes" books (DialogueContext reads the offer).</summary>
    public static readonly Variants NextStepOffer = new(
        ["The next step is a short call where we look at your setup together. Shall I send you a few times for the call?"],
        ["Als Nächstes schlage ich ein kurzes Gespräch vor, in dem wir uns Ihr Setup gemeinsam ansehen. Soll ich Ihnen ein paar Termine schicken?"]);

    /// <summary>For a lead's disappointment ("schade" after hearing what is not there): understood, not thanked.</summary>
    public static readonly Variants RegretOpeners = new(
        ["I understand{, name}.", "Understood{, name}, and thanks for being open about it."],
        ["Verstehe{, name}.", "Verständlich{, name}, danke für die offenen Worte."]);

    public static readonly Variants ContextOpeners = new(
        ["Thanks{, name}, that helps me picture how it works for you.", "Good to know{, name}, thanks for the context.", "Thanks for the insight{, name}, that's useful to know."],
        ["Danke{, name}, so kann ich mir gut vorstellen, wie es bei Ihnen läuft.", "Gut zu wissen{, name}, danke für den Einblick.", "Danke für die Info{, name}, das hilft mir weiter."]);

    /// <summary>For a lead asking how to begin ("lol ok. how do i start"): glad, not yet "welcome aboard".</summary>
    public static readonly Variants StartOpeners = new(
        ["Great that you want to get started{, name}!", "Happy to get you started{, name}!"],
        ["Schön, dass Sie loslegen möchten{, name}!", "Gerne bringe ich Sie an den Start{, name}!"]);

    /// <summary>The next step after <see cref="StartOpeners"/>: a person sends what it takes.</summary>
    public static readonly Variants StartNextStep = new(
        ["A colleague will send you everything you need to get started. Which e-mail address should it go to?"],
        ["Ein Kollege schickt Ihnen alles, was Sie für den Start brauchen. An welche E-Mail-Adresse darf es gehen?"]);

    /// <summary>For a lead stating its budget ("Budget wären so 500 Euro im Monat"): it asked nothing, so no "good question".</summary>
    public static readonly Variants BudgetOpeners = new(
        ["Thanks for sharing your budget{, name}, that helps me suggest what fits.", "Good to know{, name}, thanks: that helps me put together what fits your budget."],
        ["Danke für die Info zum Budget{, name}, das hilft mir, Ihnen das Passende vorzuschlagen.", "Gut zu wissen{, name}, danke: Damit kann ich zusammenstellen, was zu Ihrem Budget passt."]);

    /// <summary>For a lead complaining that nobody answered it: sorry for the wait, and a colleague takes it (no order number asked for).</summary>
    public static readonly Variants WaitedOpeners = new(
        ["I'm sorry you had to wait{, name}! A colleague will get back to you personally very soon.", "Sorry for the wait{, name}, that shouldn't happen. I've passed this on to a colleague who will reply personally."],
        ["Entschuldigen Sie, dass Sie warten mussten{, name}! Ein Kollege meldet sich zeitnah persönlich bei Ihnen.", "Das tut mir leid{, name}, das sollte nicht passieren. Ich habe es an einen Kollegen weitergegeben, der sich persönlich meldet."]);

    /// <summary>What to ask a lead that waited: what it wanted, so the colleague can answer at once.</summary>
    public static readonly Variants WaitedQuestions = new(
        ["What was your question, so they can answer it right away?"],
        ["Worum ging es in Ihrer Anfrage, damit er direkt antworten kann?"]);

    /// <summary>What to ask after a described pain: its cost, its scale, or a look at how it is solved.</summary>
    public static readonly Variants PainQuestions = new(
        ["How much time does that cost your team each week?", "How big is the team that would use it?", "Would it help to see how it works for a case like yours?"],
        ["Wie viel Zeit kostet Sie das pro Woche?", "Wie groß ist das Team, das es nutzen würde?", "Wäre es hilfreich zu sehen, wie es in einem Fall wie Ihrem funktioniert?"]);

    /// <summary>For a lead asking to be sent material: a colleague sends it (no template invents its content).</summary>
    public static readonly Variants MaterialsOpeners = new(
        ["Gladly{, name}! A colleague will put it together and send it to you.", "Of course{, name}, a colleague will prepare it and send it over."],
        ["Gerne{, name}! Ein Kollege stellt es Ihnen zusammen und schickt es Ihnen.", "Natürlich{, name}, ein Kollege bereitet es vor und schickt es Ihnen."]);

    /// <summary>Where the material should go, when SalesFlow knows no address of the lead.</summary>
    public static readonly Variants MaterialsWhereQuestion = new(
        ["Which e-mail address should we send it to?"],
        ["An welche E-Mail-Adresse dürfen wir es senden?"]);

    /// <summary>A hand-over after "Is this a bot?": the question is answered truthfully before a colleague takes over.</summary>
    public static readonly Variants BotDisclosureAndHandOver = new(
        ["Good question{, name}: I'm an AI assistant. A colleague from the {client} team will take over and get back to you personally."],
        ["Gute Frage{, name}: Ich bin ein KI-Assistent. Ein Kollege aus dem {client}-Team übernimmt und meldet sich persönlich bei Ihnen."]);

    /// <summary>The truth for a lead only asking who writes, with the way to a person open.</summary>
    public static readonly Variants BotDisclosure = new(
        ["Good question{, name}: I'm the AI assistant of {client}. I can answer most questions right away, and a colleague takes over whenever you like, just say so."],
        ["Gute Frage{, name}: Ich bin der KI-Assistent von {client}. Die meisten Fragen beantworte ich sofort, und ein Kollege übernimmt, wann immer Sie möchten: Sagen Sie einfach Bescheid."]);

    /// <summary>Who is writing and what the number is used for, with the way out (after "who is this? how did you get my number").</summary>
    /// <summary>For "is this the right number for …?": yes, and who answers.</summary>
    public static readonly Variants RightPlace = new(
        ["Yes, you're in the right place{, name}: this is the AI assistant of {client}.", "{hi}! Yes, you've reached {client}; I'm its AI assistant."],
        ["Ja, da sind Sie richtig{, name}: Hier schreibt der KI-Assistent von {client}.", "{hi}! Ja, Sie sind hier richtig bei {client}; ich bin der KI-Assistent."]);

    /// <summary>The first contact's question for a lead that has said who it is: its need, not what brings it.</summary>
    public static readonly Variants QualifyingAfterIntroduction = new(
        ["What's the main challenge you'd like to solve?", "How big is the team that would use it?"],
        ["Was ist die größte Herausforderung, die Sie lösen möchten?", "Wie groß ist das Team, das es nutzen würde?"]);

    /// <summary>For "is this the pizza place?": who answers, with no claim about whom the lead meant to reach.</summary>
    /// <summary>For a question that has nothing to do with the business ("whats the weather like in london today").</summary>
    public static readonly Variants OffTopic = new(
        ["I'm afraid I can't help with that one{, name}: I'm here for everything about {client}."],
        ["Da kann ich leider nicht weiterhelfen{, name}, ich bin hier für alles rund um {client} da."]);

    /// <summary>For a message that is no enquiry: a vendor's pitch or a job application.</summary>
    public static readonly Variants NoEnquiry = new(
        ["Thanks for your message{, name}! I'm {client}'s assistant for customer enquiries, so I can't take this further here."],
        ["Danke für Ihre Nachricht{, name}! Ich bin der Assistent von {client} für Kundenanfragen und kann das hier leider nicht weiterverfolgen."]);

    /// <summary>
    /// Whether a reply of ours closed the conversation (<see cref="NoEnquiry"/>, <see cref="WrongNumber"/>): a vendor, a job
    /// seeker or a wrong number is not followed up ("Just checking in" to an SEO agency's pitch).
    /// </summary>
    public static bool ClosesTheConversation(string reply) =>
        ClosingPhrases.Any(phrase => reply.Contains(phrase, StringComparison.Ordinal));

    private static readonly string[] ClosingPhrases =
        ["so I can't take this further here", "kann das hier leider nicht weiterverfolgen", "you may have reached the wrong number", "in der Nummer geirrt",
            "we'll let you know when that changes", "wir melden uns, sobald sich das ändert"];

    /// <summary>
    /// To a lead asking to be told once the product can do what it lacks: the conversation rests until then (it is not
    /// followed up with "just checking in").
    /// </summary>
    public static readonly Variants WillLetYouKnow = new(
        ["Will do{, name}. The team can see what you need here, and we'll let you know when that changes. Thanks for your time!"],
        ["Mache ich{, name}. Das Team sieht hier, was Sie brauchen, und wir melden uns, sobald sich das ändert. Danke für Ihre Zeit!"]);

    public static readonly Variants WrongNumber = new(
        ["This is the AI assistant of {client}{, name}, so you may have reached the wrong number. If you did mean to write to {client}, I'm happy to help."],
        ["Hier schreibt der KI-Assistent von {client}{, name}, Sie haben sich also vielleicht in der Nummer geirrt. Falls Sie doch {client} erreichen wollten, helfe ich gerne weiter."]);

    /// <summary>Beside an acknowledged pain, the questions the knowledge holds nothing on.</summary>
    public static readonly Variants YourQuestionToTheTeam = new(
        ["As for your question, I'm checking that with the team and will get back to you."],
        ["Ihre Frage kläre ich gerade mit dem Team und melde mich dazu."]);

    public static readonly Variants YourQuestionsToTheTeam = new(
        ["As for your questions, I'm checking those with the team and will get back to you."],
        ["Ihre Fragen kläre ich gerade mit dem Team und melde mich dazu."]);

    /// <summary>After the answers an e-mail or message got: what the knowledge holds nothing on is checked (KnowledgeForReply.Unanswered).</summary>
    public static readonly Variants OtherQuestionToTheTeam = new(
        ["As for your other question, I'm checking that with the team and will get back to you."],
        ["Ihre andere Frage kläre ich gerade mit dem Team und melde mich dazu."]);

    /// <summary>The one question the knowledge holds nothing on, by the product it names ("Whether your system integrates with Dentally?").</summary>
    public static readonly Variants OtherProductToTheTeam = new(
        ["As for {product}, I'm checking that with the team and will get back to you."],
        ["Zu {product} kläre ich das gerade mit dem Team und melde mich dazu."]);

    public static readonly Variants OtherQuestionsToTheTeam = new(
        ["As for your other questions, I'm checking those with the team and will get back to you."],
        ["Ihre anderen Fragen kläre ich gerade mit dem Team und melde mich dazu."]);

    /// <summary>A requirement our answer named that the lead says it already has ({thing}): "azure hab ich schon".</summary>
    public static readonly Variants AlreadyInPlace = new(
        ["Great{, name}, then {thing} is already in place."],
        ["Prima{, name}, dann ist {thing} schon da."]);

    /// <summary>How we got the lead's number or address ({contact}) when the lead wrote first: "how did you get my number" had been told who we are again.</summary>
    public static readonly Variants WeGotItFromYou = new(
        ["You wrote to {client} from this {contact} yourself, so that's where I reply; {client} uses it only for this conversation. If you'd rather not hear from us, just reply STOP and we won't write again."],
        ["Sie haben {client} selbst von dieser {contact} aus geschrieben, deshalb antworte ich dorthin; {client} nutzt sie nur für dieses Gespräch, und wenn Sie keine Nachrichten mehr möchten, antworten Sie einfach STOP, dann schreiben wir nicht mehr."]);

    public static readonly Variants WhoWeAre = new(
        ["You're chatting with the AI assistant of {client}. {client} uses your contact details only for its conversation with you; if you'd rather not hear from us, just reply STOP and we won't write again."],
        ["Hier schreibt der KI-Assistent von {client}. {client} nutzt Ihre Kontaktdaten nur für das Gespräch mit Ihnen; wenn Sie keine Nachrichten mehr möchten, antworten Sie einfach STOP, dann schreiben wir nicht mehr."]);

    /// <summary>
    /// The timing objection's questions (English, German, English, German): a time named in answer to one asks for a
    /// check-back (<see cref="FollowUps.CheckBack"/>), also "in two weeks" to "Would a short call later this month be
    /// easier?" (it was thanked for, and the lead asked for its challenge); a yes to that one still wants the call.
    /// </summary>
    public static readonly string[] CheckBackQuestions =
    [
        "When would be a better time for me to check back?", "Wann wäre ein besserer Zeitpunkt, um mich noch einmal zu melden?",
        "Would a short call later this month be easier for you?", "Wäre ein kurzes Gespräch später im Monat für Sie einfacher?",
    ];

    /// <summary>The answer to "do you speak English?" / "Können wir auf Englisch schreiben?": either language, whichever it asked for.</summary>
    public static readonly Variants LanguageAnswer = new(
        ["Yes, of course{, name}: English or German, whichever you prefer."],
        ["Ja, natürlich{, name}: Deutsch oder Englisch, ganz wie Sie möchten."]);

    /// <summary>The answer to a lead asking for a language the rules brain does not write.</summary>
    public static readonly Variants OtherLanguageAnswer = new(
        ["Sorry{, name}, I can only write in English or German. Is English OK for you?"],
        ["Entschuldigung{, name}, ich kann nur auf Deutsch oder Englisch schreiben. Passt Deutsch für Sie?"]);

    /// <summary>The answer to a question announced but not asked yet ("ich habe eine Frage zu Ihrem Produkt").</summary>
    public static readonly Variants WhatWouldYouLikeToKnow = new(
        ["Sure{, name}! What would you like to know?"],
        ["Gerne{, name}! Was möchten Sie wissen?"]);

    /// <summary>Greeting openers for e-mail, where the salutation line already says hello.</summary>
    public static readonly Variants EmailGreetingOpeners = new(
        ["Thanks for reaching out to {client}.", "Great to hear from you.", "Thank you for your message."],
        ["Danke, dass Sie sich bei {client} melden.", "Schön, von Ihnen zu hören.", "Vielen Dank für Ihre Nachricht."]);

    public static readonly Variants PostPurchaseThanks = new(
        ["Thanks{, name}, great to have you with {client}!", "Thank you{, name}, glad you're on board!"],
        ["Danke{, name}, schön, dass Sie bei {client} dabei sind!", "Vielen Dank{, name}, wir freuen uns, dass Sie dabei sind!"]);

    public static readonly Variants StronglyNegative = new(
        ["I'm really sorry this has been so frustrating{, name}. A colleague will personally look into it and get back to you as soon as possible.", "I'm sorry{, name}, that's not the experience we want you to have. I've asked a colleague to take this over personally and contact you shortly."],
        ["Es tut mir wirklich leid, dass Sie sich ärgern mussten{, name}. Ein Kollege kümmert sich persönlich darum und meldet sich so schnell wie möglich bei Ihnen.", "Das tut mir leid{, name}, so soll es nicht sein. Ich habe einen Kollegen gebeten, das persönlich zu übernehmen und sich in Kürze bei Ihnen zu melden."]);

    /// <summary>The one question that moves the conversation on, per intent where the intent sets it.</summary>
    public static readonly Dictionary<Intent, Variants> IntentQuestions = new()
    {
        [Intent.Pricing] = new(
            ["How many people on your team would use it, and roughly how often?", "How big is your team, and what would you mainly use {client} for?", "Could you tell me your team size and expected usage?"],
            ["Wie viele Personen in Ihrem Team würden es nutzen, und wie intensiv?", "Wie groß ist Ihr Team, und wofür möchten Sie {client} hauptsächlich nutzen?", "Können Sie mir Ihre Teamgröße und die geplante Nutzung nennen?"]),
        [Intent.Meeting] = new(
            ["Which day and time suit you best?", "When works best for you this week?", "What time would suit you, and do you prefer phone or video?"],
            ["Welcher Tag und welche Uhrzeit passen Ihnen am besten?", "Wann passt es Ihnen diese Woche am besten?", "Welche Uhrzeit passt Ihnen, und lieber Telefon oder Video?"]),
        [Intent.Purchase] = new(
            ["Next, we'll send you the contract details to confirm. Which e-mail address should they go to?", "A colleague will send you everything you need to get started. Is there anything you'd like us to include?"],
            ["Als Nächstes senden wir Ihnen die Vertragsunterlagen zur Bestätigung. An welche E-Mail-Adresse dürfen wir sie schicken?", "Ein Kollege schickt Ihnen alles, was Sie für den Start brauchen. Sollen wir dabei noch etwas berücksichtigen?"]),
        [Intent.Support] = new(
            ["Could you share any details, like an order number or a screenshot, to speed things up?", "Is there anything else we should know to sort it out quickly?"],
            ["Können Sie mir noch Details schicken, zum Beispiel eine Bestellnummer oder einen Screenshot?", "Gibt es noch etwas, das wir wissen sollten, um es schnell zu lösen?"]),
        [Intent.Human] = new(
            ["Is there anything you'd like me to pass on in the meantime?"],
            ["Gibt es etwas, das ich vorab weitergeben soll?"]),
    };

    /// <summary>Whether a question template asks for the team size (skipped once the lead has said it).</summary>
    public static bool AsksTeamSize(string question) =>
        TeamSizeAsks.Any(ask => question.Contains(ask, StringComparison.OrdinalIgnoreCase));

    private static readonly string[] TeamSizeAsks =
        ["team size", "how big is", "how many people", "teamgröße", "wie groß ist", "wie viele personen"];

    /// <summary>Whether a question template asks what the lead needs or struggles with (skipped once the lead has said it).</summary>
    public static bool AsksForTheNeed(string question) =>
        NeedAsks.Any(ask => question.Contains(ask, StringComparison.OrdinalIgnoreCase));

    // Before NeedAsks, which it is part of: static fields are set in the order written.
    private static readonly string[] TodayAsks = ["handling this today", "Wie lösen Sie das heute", "Wie löst du das heute"];

    private static readonly string[] NeedAsks =
        ["challenge", "hoping to improve", "Herausforderung", "aktuell verbessern", .. TodayAsks];

    /// <summary>Whether a reply asked how the lead does it today (what it then says it uses answers that).</summary>
    public static bool AsksHowItIsDoneToday(string reply) =>
        TodayAsks.Any(ask => reply.Contains(ask, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// What to ask when every question of the turn's kind would ask for something the lead already said: at the price,
    /// an offer of exact pricing; elsewhere a look at how it works (the lead has told its need and size).
    /// </summary>
    public static readonly Variants PricingWhenAllIsKnown = new(
        ["Shall I put together the exact pricing for your setup?"],
        ["Soll ich Ihnen die genauen Preise für Ihr Setup zusammenstellen?"]);

    /// <inheritdoc cref="PricingWhenAllIsKnown"/>
    public static readonly Variants NextStepWhenAllIsKnown = new(
        ["Would it help to see how it works for a case like yours?", "Shall I show you how it would work for your team in a short call?"],
        ["Wäre es hilfreich zu sehen, wie es in einem Fall wie Ihrem funktioniert?", "Soll ich Ihnen in einem kurzen Gespräch zeigen, wie es für Ihr Team funktionieren würde?"]);

    /// <summary>Forward questions by stage, for greetings, interest, questions and everything else.</summary>
    public static readonly Dictionary<ConversationState, Variants> StateQuestions = new()
    {
        [ConversationState.InitialContact] = new(
            ["What brings you to {client} today?", "What can I help you with?", "What are you hoping to improve at the moment?"],
            ["Was führt Sie zu {client}?", "Wobei kann ich Ihnen helfen?", "Was möchten Sie aktuell verbessern?"]),
        [ConversationState.InterestQualification] = new(
            ["What's the main challenge you'd like to solve?", "How are you handling this today?", "How big is the team that would use it?"],
            ["Was ist die größte Herausforderung, die Sie lösen möchten?", "Wie lösen Sie das heute?", "Wie groß ist das Team, das es nutzen würde?"]),
        [ConversationState.ValueProposition] = new(
            ["What would make the biggest difference for you right now?", "Would it help to see how it works for a case like yours?"],
            ["Was würde für Sie gerade den größten Unterschied machen?", "Wäre es hilfreich zu sehen, wie es in einem Fall wie Ihrem funktioniert?"]),
        [ConversationState.ObjectionHandling] = new(
            ["Is there anything still holding you back that I can clarify?", "What would you need to feel confident about this?"],
            ["Gibt es noch etwas, das Sie zögern lässt und das ich klären kann?", "Was bräuchten Sie, um sich sicher zu fühlen?"]),
        [ConversationState.PriceNegotiation] = new(
            ["What team size and usage should I base the pricing on?", "Shall I put together the exact pricing for your setup?"],
            ["Für welche Teamgröße und Nutzung soll ich die Preise berechnen?", "Soll ich Ihnen die genauen Preise für Ihr Setup zusammenstellen?"]),
        [ConversationState.ClosingAttempt] = new(
            ["Shall we go ahead with the next step?", "Would you like me to prepare everything so you can get started?"],
            ["Sollen wir mit dem nächsten Schritt starten?", "Soll ich alles vorbereiten, damit Sie loslegen können?"]),
        [ConversationState.PostPurchase] = new(
            ["How is everything going so far?", "Is there anything we can help you with to get the most out of it?"],
            ["Wie läuft es bisher?", "Gibt es etwas, womit wir Ihnen beim Start helfen können?"]),
    };

    public enum ObjectionKind
    {
        General,
        Price,
        Timing,
        StatusQuo,
        Undecided,
        NotInterested,
        /// <summary>Being tied down: contract length, notice, lock-in.</summary>
        Commitment,
    }

    /// <summary>Acknowledge + reframe, then a question, per kind of objection.</summary>
    public static readonly Dictionary<ObjectionKind, (Variants Opener, Variants Question)> Objections = new()
    {
        [ObjectionKind.Price] = (
            new(["Totally understandable{, name}, budget matters. It's worth weighing what it would save you, not just what it costs.", "Fair point{, name}. Price only makes sense next to the value, so let's make sure it fits what you need."],
                ["Das verstehe ich{, name}, das Budget spielt natürlich eine Rolle. Entscheidend ist, was es Ihnen bringt, nicht nur der Preis.", "Berechtigter Punkt{, name}. Der Preis ergibt nur im Verhältnis zum Nutzen Sinn, deshalb sollte es genau zu Ihrem Bedarf passen."]),
            new(["What would it need to deliver for the investment to make sense for you?", "Which part matters most to you, so I can suggest the right fit?"],
                ["Was müsste es leisten, damit sich die Investition für Sie lohnt?", "Was ist Ihnen am wichtigsten, damit ich Ihnen das Passende vorschlagen kann?"])),
        [ObjectionKind.Timing] = (
            new(["No problem{, name}, I know timing matters.", "Completely understand{, name}, there's never a perfect moment."],
                ["Kein Problem{, name}, das Timing muss passen.", "Verstehe ich gut{, name}, den perfekten Zeitpunkt gibt es selten."]),
            new([CheckBackQuestions[0], CheckBackQuestions[2]], [CheckBackQuestions[1], CheckBackQuestions[3]])),
        [ObjectionKind.StatusQuo] = (
            new(["Good to hear you already have something in place{, name}. It can still be worth checking whether there's a gap to close.", "Makes sense{, name}, switching only pays off if it's clearly better for you."],
                ["Schön, dass Sie bereits eine Lösung haben{, name}. Es kann sich trotzdem lohnen zu prüfen, ob es noch Lücken gibt.", "Verständlich{, name}, ein Wechsel lohnt sich nur, wenn er Ihnen klar etwas bringt."]),
            new(["What would you improve about your current setup if you could?", "Is there anything your current solution doesn't do as well as you'd like?"],
                ["Was würden Sie an Ihrer aktuellen Lösung verbessern, wenn Sie könnten?", "Gibt es etwas, das Ihre aktuelle Lösung nicht so gut kann, wie Sie es sich wünschen?"])),
        [ObjectionKind.Undecided] = (
            new(["Of course{, name}, take the time you need. It's an important decision.", "Absolutely{, name}, it's good to think it through."],
                ["Natürlich{, name}, nehmen Sie sich die Zeit, die Sie brauchen.", "Selbstverständlich{, name}, das sollte gut überlegt sein."]),
            new(["Is there anything specific you're unsure about that I can clarify?", "What would help you decide: more details, or a short call with your team?"],
                ["Gibt es etwas Bestimmtes, das ich Ihnen noch erklären kann?", "Was würde Ihnen bei der Entscheidung helfen: mehr Details oder ein kurzes Gespräch mit Ihrem Team?"])),
        [ObjectionKind.NotInterested] = (
            new(["Thanks for being upfront{, name}, I appreciate it.", "Understood{, name}, thanks for letting me know."],
                ["Danke für Ihre offene Antwort{, name}.", "Verstanden{, name}, danke für die Rückmeldung."]),
            new(["Just so I understand: is it the timing, or is it not a fit at all?", "May I ask what would have made it relevant for you?"],
                ["Darf ich fragen, ob es am Zeitpunkt liegt oder ob es grundsätzlich nicht passt?", "Darf ich fragen, was es für Sie interessant gemacht hätte?"])),
        [ObjectionKind.Commitment] = (
            new(["Understandable{, name}, nobody likes being locked in. I'll get you the exact contract terms from the team rather than guess.", "Fair point{, name}, flexibility matters. I'll confirm the exact terms and notice period with the team."],
                ["Verständlich{, name}, niemand möchte sich unnötig binden. Ich hole Ihnen die genauen Vertragsbedingungen vom Team, statt zu raten.", "Berechtigter Punkt{, name}, Flexibilität ist wichtig. Ich kläre die genauen Bedingungen und Kündigungsfristen mit dem Team."]),
            new(["Apart from flexibility, is there anything else that matters to you?", "Would a smaller start help you try it without a long commitment?"],
                ["Gibt es außer der Flexibilität noch etwas, das Ihnen wichtig ist?", "Würde Ihnen ein kleiner Einstieg helfen, es ohne lange Bindung auszuprobieren?"])),
        [ObjectionKind.General] = (
            new(["I understand{, name}, that's a fair point.", "Thanks for sharing that{, name}, it helps me understand where you stand."],
                ["Ich verstehe{, name}, das ist ein berechtigter Punkt.", "Danke für die offene Einschätzung{, name}, das hilft mir weiter."]),
            new(["What would need to be true for this to be worth it for you?", "What's your biggest concern at the moment?"],
                ["Was müsste erfüllt sein, damit es für Sie passt?", "Was ist im Moment Ihre größte Sorge?"])),
    };

    public static readonly Variants EmailExtra = new(
        ["If it's easier, just reply to this e-mail and I'll take it from there."],
        ["Antworten Sie einfach auf diese E-Mail, dann kümmere ich mich um alles Weitere."]);
}
