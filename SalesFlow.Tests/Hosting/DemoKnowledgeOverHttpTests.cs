using SalesFlow.Core.Knowledge;
using SalesFlow.Functions.Runners;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Hosting;

/// <summary>
/// The demo client sells SalesFlow and starts with a knowledge base about it: a first try answers product questions from
/// knowledge ("does it integrate with Salesforce?" was "I'm checking the details with the team"), in the lead's
/// language, and a question about something it does not know still retrieves nothing.
/// </summary>
public sealed class DemoKnowledgeOverHttpTests : IAsyncLifetime
{
    private InProcessApp _app = null!;

    public async Task InitializeAsync() => _app = await InProcessApp.StandaloneAsync(new() { ["DemoClient:Knowledge"] = "true" });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static IReadOnlyList<FaqInput> DemoFaqs() => FaqCsv.Parse(File.ReadAllText(DemoClientSeeder.KnowledgeFile));

    [Fact]
    public async Task TheDemoClientStartsWithItsKnowledgeBaseOfEnglishAndGermanFaqs()
    {
        var bases = await _app.Http.GetJsonAsync("/api/knowledge/bases");

        var demo = Assert.Single(bases.GetProperty("items").EnumerateArray());
        Assert.Equal("SalesFlow", demo.Str("name"));
        var stats = await _app.Http.GetJsonAsync($"/api/knowledge/bases/{demo.Str("id")}/stats");
        Assert.Equal(DemoFaqs().Count, stats.GetProperty("faqs").GetInt32());
    }

    [Theory]
    [InlineData("+447400123471", "Hi, does it integrate with Salesforce?", "Salesforce and other CRMs are not connected yet")]
    [InlineData("+4915112345671", "Unterstützt ihr auch Salesforce?", "Salesforce und andere CRMs sind noch nicht angebunden")]
    [InlineData("+4915112345672", "Ist das DSGVO-konform? Wo stehen die Server?", "in Ihrem eigenen Azure-Abonnement")]
    [InlineData("+4915112345673", "Vielen Dank. Ist das System DSGVO-konform und wo werden die Daten gespeichert?", "in Ihrem eigenen Azure-Abonnement")]
    [InlineData("+447400123472", "and does it work at night when we're closed?", "day and night")]
    [InlineData("+447400123473", "What model do you use?", "An AI key is optional")]
    [InlineData("+4915112345674", "Brauch ich dafür einen Programmierer?", "Programmieren ist nicht nötig")]
    [InlineData("+447400123474", "does it do voice calls?", "it does not take phone calls")]
    [InlineData("+4915112345676", "Was kostet das bei Ihnen und geht das auch mit Instagram?", "keine Lizenzgebühr")]
    [InlineData("+447400123477", "hmm. whats the setup cost", "there is no licence fee")]
    [InlineData("+447400123476", "would it work with our booking software? we use Dentally", "real free slots from your Cal.com calendar")]
    [InlineData("+447400123475", "ok and what if it says something stupid to a customer", "every reply passes a compliance filter")]
    [InlineData("+4915112345677", "Was kostet das für drei Standorte?", "keine Lizenzgebühr")]
    [InlineData("+447400123478", "how much would it be for a team of 5", "there is no licence fee")]
    [InlineData("+4915112345678", "hey, was kostet das ding?", "keine Lizenzgebühr")]
    [InlineData("+447400123480", "hey whats this about", "SalesFlow answers your leads")]
    [InlineData("+447400123482", "interesting. is it expensive?", "there is no licence fee")]
    [InlineData("+4915112345680", "Wie schnell antwortet das System denn?", "in Sekunden")]
    [InlineData("+4915112345679", "ok, und was passiert wenn jemand nachts schreibt?", "Tag und Nacht")]
    [InlineData("+447400123483", "how does it handle after hours messages? also, is there a free trial?", "day and night")]
    [InlineData("+447400123484", "how does it handle after hours messages? also, is there a free trial?", "You can try it right away")]
    [InlineData("+447400123485", "i'm not techy at all tho", "No programming")]
    [InlineData("+447400123486", "so who hosts it then? we dont have an azure account", "You host it yourself")]
    [InlineData("+4915112345688", "Wer hostet das eigentlich? Wir haben kein Azure.", "Sie betreiben es selbst")]
    [InlineData("+4915112345689", "hm ok, klingt trotzdem kompliziert für mich", "Programmieren ist nicht nötig")]
    [InlineData("+447400123487", "nah thats too much hassle for us rn", "one command (azd up)")]
    [InlineData("+447400123488", "hmm. so what CAN it do exactly", "SalesFlow answers your leads")]
    [InlineData("+447400123489", "And what if a customer asks something it doesn't know?", "It does not guess")]
    [InlineData("+447400123490", "sounds interesting. whats the catch?", "there is no licence fee")]
    [InlineData("+4915112345692", "schade. und was kostet der spaß?", "keine Lizenzgebühr")]
    [InlineData("+4915112345693", "Klingt gut. Wo ist der Haken?", "keine Lizenzgebühr")]
    [InlineData("+4915112345691", "Was passiert, wenn ein Kunde etwas fragt, was das System nicht weiß?", "Es rät nicht")]
    [InlineData("+4915112345686", "Wir haben keine IT, ehrlich gesagt.", "Programmieren ist nicht nötig")]
    [InlineData("+4915112345681", "Hey, geht das auch mit WhatsApp?", "WhatsApp (Cloud API oder Twilio)")]
    [InlineData("+447400123492", "how does it know our prices tho", "Upload your FAQs and documents")]
    [InlineData("+4915112345920", "Und was wenn jemand absagen will?", "Ein Kontakt kann seinen Termin im selben Chat verschieben oder absagen")]
    [InlineData("+447400123720", "hi, how quick does it reply to customers?", "It answers every lead within seconds")]
    [InlineData("+447400123721", "does it answer calls tho or just texts", "WhatsApp (Cloud API or Twilio)")]
    [InlineData("+447400123722", "and if we don't like it can we just stop?", "There is no contract and no minimum term")]
    [InlineData("+4915112345695", "Woher kennt der Bot unsere Preise?", "Laden Sie Ihre FAQs und Dokumente")]
    [InlineData("+447400123493", "ok cool. how long to set up", "one command (azd up)")]
    [InlineData("+4915112345696", "Die meisten Kunden rufen bei uns an, WhatsApp kommt aber immer mehr", "Telefonanrufe nimmt es nicht an")]
    [InlineData("+447400123494", "most of our customers just call us tbh, but whatsapp is picking up", "it does not take phone calls")]
    [InlineData("+447400123495", "whats in it for me then", "SalesFlow answers your leads")]
    [InlineData("+4915112345697", "Und wer richtet das ein? Ich hab keine Ahnung von Azure", "Mit einem Befehl (azd up)")]
    [InlineData("+447400123497", "does it work with email", "e-mail through SendGrid")]
    [InlineData("+4915112345698", "die meisten fragen kommen über insta, geht das auch?", "Instagram und Messenger noch nicht")]
    [InlineData("+447400123510", "do you integrate with google calendar", "which can sync Google Calendar or Outlook")]
    [InlineData("+447400123511", "what happens if the customer writes in french", "It replies in English or German")]
    [InlineData("+447400123512", "What would the Azure running costs roughly be for our volume?", "there is no licence fee")]
    [InlineData("+447400123513", "Is there an API?", "Yes: a REST API")]
    [InlineData("+447400123514", "What's the setup like for someone who isn't technical?", "No programming")]
    [InlineData("+447400123515", "how long does it take to reply?", "within seconds")]
    [InlineData("+447400123538", "what if someone asks about grants, can it explain the SEAI grant?", "Upload your FAQs and documents")]
    [InlineData("+4915112345736", "Und wenn ein Mandant eine Frage zur Steuererklärung hat?", "Laden Sie Ihre FAQs und Dokumente")]
    [InlineData("+4915112345737", "Hm, Azure sagt mir gar nix. Ist das kompliziert?", "Programmieren ist nicht nötig")]
    [InlineData("+447400123539", "is it complicated?", "No programming")]
    [InlineData("+447400123540", "What would pricing look like for 4 sites?", "there is no licence fee")]
    [InlineData("+4915112345738", "die kundinnen schreiben oft spät abends wegen terminen", "Tag und Nacht")]
    [InlineData("+447400123542", "our customers text us late at night all the time", "day and night")]
    [InlineData("+4915112345739", "und muss ich da was installieren?", "Mit einem Befehl (azd up)")]
    [InlineData("+447400123543", "do I need to install anything?", "one command (azd up)")]
    [InlineData("+4915112345740", "Wie wird sichergestellt, dass keine medizinischen Ratschläge gegeben werden?", "Compliance-Filter")]
    [InlineData("+447400123544", "how do you make sure it doesn't give medical advice?", "compliance filter")]
    [InlineData("+447400123546", "hello, im looking for a crm for my cleaning business", "SalesFlow keeps HubSpot in sync")]
    [InlineData("+4915112345741", "Hallo! Kurze Frage: funktioniert das auch für Fitnessstudios?", "Jedes Unternehmen, dessen Interessenten schreiben")]
    [InlineData("+447400123547", "would this work for a dog groomer?", "Any business whose leads write in")]
    [InlineData("+447400123723", "Do the brides know they're talking to a bot?", "AI disclosure")]
    [InlineData("+4915112345921", "Merken die Kunden, dass sie mit einer KI schreiben?", "KI-Hinweis")]
    [InlineData("+447400123724", "can your assistant avoid giving anything that could be construed as legal advice?", "compliance filter")]
    [InlineData("+4915112345922", "Kann euer Ding auch Probetrainings buchen?", "Cal.com-Kalender")]
    [InlineData("+447400123725", "hi we run 3 dental clinics, what's the main benefit?", "answers your leads")]
    [InlineData("+4915112345923", "Können mehrere Mitarbeiter gleichzeitig damit arbeiten?", "Web-Konsole im Browser")]
    [InlineData("+447400123726", "can my customers talk to a real person if they want?", "hands over, alerts your team")]
    [InlineData("+4915112345924", "Kann der Kunde auch mit einem Menschen sprechen?", "übergibt SalesFlow")]
    [InlineData("+447400123548", "Hi, do you offer a discount for charities?", "there is no licence fee")]
    [InlineData("+4915112345742", "Gibt es Rabatt für Vereine?", "keine Lizenzgebühr")]
    [InlineData("+12145550178", "does it text customers back automatically when they submit a form on our site?", "POST /api/leads")]
    [InlineData("+4915112345743", "Meldet sich das System auch, wenn jemand unser Kontaktformular ausfüllt?", "POST /api/leads")]
    [InlineData("+4915112345712", "Hallo! Kann man das auch für einen Friseursalon nutzen?", "Jedes Unternehmen, dessen Interessenten schreiben")]
    [InlineData("+4915112345713", "Gibt es eine App dafür?", "Web-Konsole im Browser")]
    [InlineData("+4915112345714", "Brauche ich dafür einen eigenen Server?", "Sie betreiben es selbst")]
    [InlineData("+447400123516", "does it work for restaurants?", "Any business whose leads write in")]
    [InlineData("+447400123519", "how quickly can we get going?", "one command (azd up)")]
    [InlineData("+447400123520", "who can see the conversations?", "Only your team sees the conversations")]
    [InlineData("+447400123521", "does it work with hubspot?", "SalesFlow keeps HubSpot in sync")]
    [InlineData("+4915112345718", "Funktioniert das mit Pipedrive?", "SalesFlow hält HubSpot synchron")]
    [InlineData("+447400123522", "does it work with reapit?", "I'll confirm the exact details with my colleagues")]
    [InlineData("+447400123523", "we're a gym. members ask about classes and memberships on insta all day", "Instagram and Messenger are not connected yet")]
    [InlineData("+4915112345719", "Die meisten Anfragen kommen bei uns über Instagram rein", "Instagram und Messenger noch nicht")]
    [InlineData("+447400123524", "ah ok so what is it then", "SalesFlow answers your leads")]
    [InlineData("+447400123525", "ok. and if someone asks for a callback?", "SalesFlow hands over, alerts your team")]
    [InlineData("+447400123526", "do I need a whatsapp business account for this?", "WhatsApp (Cloud API or Twilio)")]
    [InlineData("+447400123527", "can your bot speak polish? half our customers are polish", "It replies in English or German")]
    [InlineData("+447400123528", "what happens to our data if we stop using it?", "your own Azure subscription")]
    [InlineData("+447400123529", "hi im looking at a few options for our clinic, how are you different from tidio or intercom?", "It works like a sales rep")]
    [InlineData("+447400123530", "is it hard to switch from tidio?", "one command (azd up)")]
    [InlineData("+447400123531", "what channels does it support?", "WhatsApp (Cloud API or Twilio)")]
    [InlineData("+447400123532", "Does it support Instagram?", "Instagram and Messenger are not connected yet")]
    [InlineData("+4915112345717", "Wer kann die Gespräche eigentlich sehen?", "in Ihrem eigenen Azure-Abonnement")]
    [InlineData("+4915112345716", "Wie bald können wir loslegen?", "Mit einem Befehl (azd up)")]
    [InlineData("+4915112345710", "Wie sicher ist das System? Wir haben sensible Kundendaten.", "in Ihrem eigenen Azure-Abonnement")]
    [InlineData("+4915112345675", "Hey! Wir sind ein Yogastudio in Köln. Kannst du mir sagen wie das bei euch funktioniert?", "SalesFlow beantwortet Ihre Anfragen")]
    [InlineData("+447400123807", "can it tell when something is urgent?", "It reads urgency")]
    [InlineData("+4915112345930", "kann der bot auch erkennen, wenn es dringend ist?", "Es liest Dringlichkeit")]
    [InlineData("+447400123808", "Hi, we're a car dealership. Can your system pre-qualify these enquiries?", "Each lead gets a HOT, WARM or COLD temperature")]
    [InlineData("+447400123809", "can I cancel anytime?", "There is no contract and no minimum term")]
    [InlineData("+447400123853", "Can I stop the bot from replying on weekends?", "day and night, weekends included")]
    [InlineData("+447400123856", "Can your system follow up automatically and stop once someone replies?", "it stops as soon as the lead writes back")]
    [InlineData("+447400123859", "Thanks. How long until we could be up and running?", "one command (azd up)")]
    [InlineData("+4917612345103", "ok, wie fang ich an?", "Mit einem Befehl (azd up)")]
    [InlineData("+447400123941", "sounds like just another chatbot", "It works like a sales rep")]
    [InlineData("+447400123942", "what stops it from promising discounts we don't offer?", "Product facts come from your knowledge base")]
    [InlineData("+447400123943", "is my data used to train your AI?", "not sent to us")]
    [InlineData("+4915112345942", "Kann der Bot auch einen groben Preis nennen, z.B. anhand der Zimmeranzahl?", "Laden Sie Ihre FAQs und Dokumente")]
    [InlineData("+4915112345943", "Gut. Was müssten wir technisch vorbereiten?", "Mit einem Befehl (azd up)")]
    [InlineData("+4915112346022", "Ist das nicht dasselbe wie ChatGPT?", "Es arbeitet wie ein Vertriebler")]
    [InlineData("+447400123945", "isn't this the same as chatgpt?", "It works like a sales rep")]
    [InlineData("+4915112346031", "Kann man das auch auf Englisch nutzen?", "Es antwortet auf Deutsch oder Englisch")]
    [InlineData("+4915112346041", "Ich möchte nicht, dass der Bot unseren Kunden Unsinn erzählt", "Produktfakten kommen aus Ihrer Wissensdatenbank")]
    [InlineData("+4915112346042", "Bitte keine Werbung, ich habe nur eine Frage zum Datenschutz", "in Ihrem eigenen Azure-Abonnement")]
    [InlineData("+4915112346043", "Was, wenn der Bot Preise erfindet?", "Produktfakten kommen aus Ihrer Wissensdatenbank")]
    [InlineData("+447400124002", "we've got no IT person", "No programming")]
    [InlineData("+4915112346051", "Kann ich einen Lead manuell übernehmen?", "übergibt SalesFlow")]
    [InlineData("+4915112346032", "Bekomme ich eine Benachrichtigung, wenn ein Lead heiß ist?", "wird er heiß, erfährt es Ihr Team")]
    public async Task AProductQuestionIsAnsweredFromTheDemoKnowledgeInTheLeadsLanguage(string from, string question, string answer)
    {
        var reply = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from, name = "Probe", message = question });

        Assert.Contains(answer, reply.Str("reply"), StringComparison.Ordinal);
    }

    /// <summary>With a model whose embeddings endpoint refuses, the demo knowledge cannot be indexed: the app starts all the same.</summary>
    [Fact]
    public async Task AnEmbeddingsEndpointThatRefusesDoesNotStopTheStart()
    {
        await using var app = await InProcessApp.StandaloneAsync(new()
        {
            ["DemoClient:Knowledge"] = "true",
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = "http://127.0.0.1:9/v1/",
            ["AI:ApiKey"] = "sk-test-refused",
            ["AI:MaxRetries"] = "0",
        });

        var reply = await app.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = "+447400123474", name = "Probe", message = "Hi, does it integrate with Salesforce?" });

        Assert.False(string.IsNullOrWhiteSpace(reply.Str("reply")));
    }

    /// <summary>"who else uses this?" was answered with the AI-key FAQ, whose question asks what model "you use".</summary>
    [Theory]
    [InlineData("+447400123473", "do your solar panels come with a warranty?")]
    [InlineData("+447400123479", "who else uses this?")]
    [InlineData("+4915112346021", "Wie viele Kunden habt ihr schon?")]
    [InlineData("+447400123944", "how many customers do you have?")]
    public async Task AQuestionTheDemoKnowledgeDoesNotAnswerIsNotAnsweredFromIt(string from, string question)
    {
        var reply = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from, name = "Probe", message = question });

        var answers = DemoFaqs().Select(f => f.Answer![..40]);
        Assert.All(answers, answer => Assert.DoesNotContain(answer, reply.Str("reply"), StringComparison.Ordinal));
    }

    /// <summary>"is your tool GDPR compliant? Also do you offer a discount for charities?" was answered on GDPR, and the discount went unmentioned.</summary>
    [Theory]
    [InlineData("tom@brightroofing.example", "Hi, is your tool GDPR compliant? Also do you offer a discount for charities?\n\nThanks, Tom", "your own Azure subscription", "As for your other question, I'm checking that with the team")]
    [InlineData("maria@dublinsmiles.example", "Hello,\n\nwe run four dental clinics in Dublin. Two questions before we go further: does your assistant work with WhatsApp, and can it integrate with Dentally?\n\nKind regards,\nMaria", "WhatsApp (Cloud API or Twilio)", "As for Dentally, I'm checking that with the team")]
    public async Task AnEMailIsAnsweredWhatTheKnowledgeSaysAndToldTheRestIsCheckedWithTheTeam(string from, string message, string answer, string promise)
    {
        var reply = (await _app.Http.PostJsonAsync("/api/conversations", new { channel = "email", from, name = "Probe", message })).Str("reply");

        Assert.Contains(answer, reply, StringComparison.Ordinal);
        Assert.Contains(promise, reply, StringComparison.Ordinal);
    }

    /// <summary>
    /// "and spanish?" after the languages answer was met with "Got it, thanks", "und mit Pipedrive?" after the CRM answer
    /// likewise; "we use square appointments tho" after the calendar answer was offered meeting times; "so it cant answer
    /// the phone?" after the channels answer was told the team would check.
    /// </summary>
    [Theory]
    [InlineData("+447400123491", "does it speak other languages? we have a lot of polish patients", "and spanish?", "Spanish? It replies in English or German")]
    [InlineData("+4915112345694", "Läuft das mit HubSpot?", "und mit Pipedrive?", "Pipedrive? SalesFlow hält HubSpot synchron")]
    [InlineData("+4915112345699", "die meisten fragen kommen über insta, geht das auch?", "schade. und per mail?", "Per mail? WhatsApp (Cloud API oder Twilio)")]
    [InlineData("+447400123498", "how much is it?", "and hubspot?", "Hubspot? SalesFlow keeps HubSpot in sync")]
    [InlineData("+447400123499", "what would this cost us", "thats it? no monthly fee?", "Yes, that's right. SalesFlow is open source")]
    [InlineData("+4915112345700", "Was kostet das?", "Wirklich? Keine monatlichen Kosten?", "Ja, genau. SalesFlow ist Open Source")]
    [InlineData("+447400123517", "can it book appointments?", "we use square appointments tho", "Square appointments? It offers real free slots from your Cal.com calendar")]
    [InlineData("+447400123518", "does it connect to a crm?", "we're on zoho tho", "Zoho? SalesFlow keeps HubSpot in sync")]
    [InlineData("+4915112345715", "Kann es Termine buchen?", "wir nutzen aber Outlook", "Outlook? Es bietet echte freie Zeiten")]
    [InlineData("+447400123536", "what channels do you support?", "so it cant answer the phone?", "Just to be clear: Instagram and Messenger are not connected yet, and it does not take phone calls.")]
    [InlineData("+447400123541", "Hi, quick one - does it work on iMessage?", "what about facebook messenger?", "Facebook messenger? Instagram and Messenger are not connected yet")]
    [InlineData("+447400123545", "wat does it cost per mnth", "thats cheap lol. whats the catch", "Just to be clear: SalesFlow is open source")]
    [InlineData("+4915112345722", "Was kostet das?", "also ist es kostenlos?", "Nochmal kurz: SalesFlow ist Open Source")]
    [InlineData("+4915112345733", "Und wie ist das mit der DSGVO?", "Wo stehen die Server?", "Nochmal kurz: SalesFlow läuft in Ihrem eigenen Azure-Abonnement")]
    [InlineData("+4915112345734", "Und wie ist das mit der DSGVO?", "Was passiert wenn das System eine Frage nicht beantworten kann?", "Es rät nicht")]
    [InlineData("+447400123863", "hi! we run a small candle shop, most of our customer messages come via instagram and whatsapp", "Instagram is actually our main one tbh", "Just to be clear: Instagram and Messenger are not connected yet")]
    [InlineData("+4917612345107", "Moin! Die Leute schreiben mir den ganzen Tag auf Insta und WhatsApp wegen Terminen", "nee insta ist eigentlich das wichtigste", "Nochmal kurz: Instagram und Messenger noch nicht")]
    public async Task AFollowUpAboutSomethingElseIsAnsweredWithWhatTheKnowledgeSaysOnTheQuestionBefore(string from, string question, string followUp, string answer)
    {
        var first = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from, name = "Probe", message = question });

        var reply = await _app.Http.PostJsonAsync($"/api/conversations/{first.Str("conversationId")}/messages", new { message = followUp });

        Assert.StartsWith(answer, reply.Str("reply"), StringComparison.Ordinal);
    }

    /// <summary>
    /// A physio group's e-mail asked three things and for a call next week, and was sent the times alone (in Berlin's time,
    /// though it wrote from Bristol); an HVAC company's, asking whether it sends appointment reminders (which the knowledge
    /// holds nothing on), likewise.
    /// </summary>
    [Theory]
    [InlineData("priya@northstar.example", "Priya Shah", "Hi there,\n\nI run Northstar Physio, three clinics around Bristol.\n\n1) Is it GDPR compliant?\n2) Does it work with Cliniko?\n\nAlso, would it be possible to have a quick call next week?\n\nThanks,\nPriya", "your own Azure subscription|As for your other question, I'm checking that with the team", "(Times in Europe/London)")]
    [InlineData("mark@jensenhvac.example", "Mark Jensen", "Hi there,\n\nWe're an HVAC company in Denver with about 25 techs.\n\nI'd like to set up a call to learn more. Also, can your system send appointment reminders to customers?\n\nThanks,\nMark", "As for your question, I'm checking that with the team", "(Times in ")]
    public async Task AnEMailAskingForACallAndAboutTheProductGetsWhatTheKnowledgeSaysBeforeTheTimes(string from, string name, string message, string said, string times)
    {
        var reply = (await _app.Http.PostJsonAsync("/api/conversations", new { channel = "email", from, name, message })).Str("reply");

        Assert.Contains(times, reply, StringComparison.Ordinal);
        Assert.All(said.Split('|'), part => Assert.InRange(reply.IndexOf(part, StringComparison.Ordinal), 0, reply.IndexOf(times, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AChatMessageAskingAboutTheProductAndForATimeGetsTheAnswerWithTheMeeting()
    {
        var reply = (await _app.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = "+447400123496", name = "Probe", message = "is it GDPR compliant? and can we do a call tomorrow?" })).Str("reply");

        // A short answer (one sentence of ~135 characters): beside any day's times it fits the 280 of a chat message.
        Assert.StartsWith("It runs in your own Azure subscription", reply, StringComparison.Ordinal);
        Assert.Contains("(Times in Europe/London)", reply, StringComparison.Ordinal);
    }

    /// <summary>
    /// The times follow the lead's du; the client's answer beside them keeps its own words ("Sie können deine …" otherwise).
    /// By e-mail: in a chat message the answer goes beside the times only when both fit, which depends on the day's slots.
    /// </summary>
    [Fact]
    public async Task ADuLeadAskingForADemoAndAboutTheProductGetsTheClientsAnswerAsWrittenAndTheTimesOnDu()
    {
        var reply = (await _app.Http.PostJsonAsync("/api/conversations", new { channel = "email", from = "jana@tattoo-leipzig.example", name = "Jana", message = "Hey, kannst du mir einen Termin für eine Vorführung geben? Und ist das DSGVO-konform?" })).Str("reply");

        Assert.Contains("in Ihrem eigenen Azure-Abonnement", reply, StringComparison.Ordinal);
        Assert.Contains("Passt dir", reply, StringComparison.Ordinal);
    }
}
