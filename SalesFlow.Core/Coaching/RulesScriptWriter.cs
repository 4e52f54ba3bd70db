using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Qualification;
using static SalesFlow.Core.Brain.Rules.ReplyTemplates;

namespace SalesFlow.Core.Coaching;

/// <summary>
/// Writes a call or message script for a rep, in the lead's language (English or German): the opener and pace follow
/// the lead's DISC style, the discovery asks only for the BANT criteria still open, every open objection gets its
/// answer, and the ask serves the goal. Deterministic and offline: the same lead and goal give the same script.
/// </summary>
public static class RulesScriptWriter
{
    /// <summary>Below this a BANT criterion counts as open (the coach uses the same line).</summary>
    public const double OpenBelow = 0.3;

    public static SalesScript Write(ScriptRequest request)
    {
        var de = request.Language == "de";
        var style = request.Profile?.Disc.Primary;
        var gaps = Gaps(request.Profile);
        var name = request.LeadFirstName;
        var opener = Opener(style, name, request.ClientName, request.Channel, de);
        var discovery = gaps.Select(g => Question(g, de)).ToList();
        var raised = request.Objections.Distinct().ToList();
        var objections = raised.Select(o => Answer(ObjectionNames.FirstOrDefault(n => n.Value == o).Key, de)).ToList();
        var ask = Ask(request.Goal, style, de);
        var close = Close(request.Goal, de);

        IReadOnlyList<ScriptSection> sections = request.Channel == ScriptChannel.Call
            ? [new("opener", [opener, Pace(style, de)]), new("discovery", discovery), new("objections", objections), new("ask", [ask]), new("close", [close])]
            : [new("message", [Message(request, opener, discovery, objections, ask, de)])];
        return new SalesScript(request.Goal, request.Channel, de ? "de" : "en", style, gaps, raised, sections.Where(s => s.Lines.Count > 0).ToList());
    }

    /// <summary>The wire names of the kinds of objection.</summary>
    internal static readonly IReadOnlyDictionary<ObjectionKind, string> ObjectionNames = new Dictionary<ObjectionKind, string>
    {
        [ObjectionKind.General] = "general",
        [ObjectionKind.Price] = "price",
        [ObjectionKind.Timing] = "timing",
        [ObjectionKind.StatusQuo] = "status_quo",
        [ObjectionKind.Undecided] = "undecided",
        [ObjectionKind.NotInterested] = "not_interested",
        [ObjectionKind.Commitment] = "commitment",
    };

    /// <summary>The BANT criteria still open, in the order a conversation asks about them.</summary>
    public static IReadOnlyList<string> Gaps(LeadProfile? profile)
    {
        var bant = profile?.Bant ?? BantAssessment.Empty;
        return new (string Name, double Score)[] { ("need", bant.Need.Score), ("timeline", bant.Timeline.Score), ("authority", bant.Authority.Score), ("budget", bant.Budget.Score) }
            .Where(d => d.Score < OpenBelow).Select(d => d.Name).ToList();
    }

    /// <summary>
    /// A message is short: the opener, one question (the first open objection's answer, else the first BANT gap) and
    /// the ask, fitted to SMS and WhatsApp length.
    /// </summary>
    private static string Message(ScriptRequest request, string opener, List<string> discovery, List<string> objections, string ask, bool de)
    {
        var middle = objections.FirstOrDefault() ?? (request.Goal is ScriptGoal.Qualify ? discovery.FirstOrDefault() : null);
        var body = string.Join(' ', new[] { opener, middle, request.Goal is ScriptGoal.Qualify && middle is not null ? null : ask }.OfType<string>());
        if (request.Channel == ScriptChannel.Email)
        {
            body += "\n\n" + (de ? "Viele Grüße" : "Best regards");
        }

        return request.Channel == ScriptChannel.Email ? body : ReplyText.FitToLength(body, ReplyText.ShortFormLimit);
    }

    private static string Opener(string? style, string? name, string client, ScriptChannel channel, bool de)
    {
        var hello = de ? (name is null ? "Hallo" : $"Hallo {name}") : (name is null ? "Hi" : $"Hi {name}");
        var who = channel == ScriptChannel.Call
            ? (de ? $"{hello}, hier ist [Ihr Name] von {client}." : $"{hello}, this is [your name] from {client}.")
            : hello + ",";
        var line = (style, de) switch
        {
            ("D", false) => "I'll keep it short: I have one idea that could save your team time.",
            ("D", true) => "Ich fasse mich kurz: Ich habe eine Idee, die Ihrem Team Zeit sparen kann.",
            ("I", false) => "Great to be in touch again, I enjoyed our last exchange.",
            ("I", true) => "Schön, wieder von Ihnen zu hören, unser letzter Austausch hat mir gefallen.",
            ("S", false) => "I wanted to check in and make sure you have everything you need.",
            ("S", true) => "Ich wollte mich melden und sichergehen, dass Sie alles haben, was Sie brauchen.",
            ("C", false) => "I've put together the details you asked about so you can compare them properly.",
            ("C", true) => "Ich habe die Details zusammengestellt, damit Sie in Ruhe vergleichen können.",
            (_, false) => "Thanks for your interest, I'd like to understand what you're looking for.",
            (_, true) => "Danke für Ihr Interesse, ich möchte verstehen, was Sie suchen.",
        };
        return $"{who} {line}";
    }

    /// <summary>The pace and manner for the lead's style, from the one DISC guidance (<see cref="DiscAdvisor"/>).</summary>
    private static string Pace(string? style, bool de)
    {
        var advice = DiscAdvisor.For(style, de);
        return $"{(de ? "Tempo" : "Pace")}: {advice.Pace}. {advice.Style}";
    }

    private static string Question(string gap, bool de) => (gap, de) switch
    {
        ("need", false) => "What is the one thing you would most like to improve right now?",
        ("need", true) => "Was möchten Sie im Moment am dringendsten verbessern?",
        ("timeline", false) => "By when would you like to have a solution in place?",
        ("timeline", true) => "Bis wann möchten Sie eine Lösung im Einsatz haben?",
        ("authority", false) => "Who else is involved in deciding on this?",
        ("authority", true) => "Wer entscheidet außer Ihnen noch mit?",
        ("budget", false) => "Have you set a budget range for this yet?",
        ("budget", true) => "Haben Sie dafür schon einen Budgetrahmen festgelegt?",
        _ => "",
    };

    private static string Answer(ObjectionKind objection, bool de) => (objection, de) switch
    {
        (ObjectionKind.Price, false) => "On price: what are you comparing it with? Let's look at what the problem costs you today.",
        (ObjectionKind.Price, true) => "Zum Preis: Womit vergleichen Sie? Schauen wir, was Sie das Problem heute kostet.",
        (ObjectionKind.Timing, false) => "On timing: would a small first step now, or a fixed date later, work better for you?",
        (ObjectionKind.Timing, true) => "Zum Zeitpunkt: Passt ein kleiner erster Schritt jetzt oder ein fester Termin später besser?",
        (ObjectionKind.StatusQuo, false) => "You're happy with your current setup: what would you improve about it if you could?",
        (ObjectionKind.StatusQuo, true) => "Sie sind mit Ihrer Lösung zufrieden: Was würden Sie daran verbessern, wenn Sie könnten?",
        (ObjectionKind.Undecided, false) => "Who else would need to see this? I can send a short summary you can share internally.",
        (ObjectionKind.Undecided, true) => "Wer sollte das noch sehen? Ich kann eine kurze Zusammenfassung zum internen Weitergeben schicken.",
        (ObjectionKind.NotInterested, false) => "I respect that. May I ask what would have to change for this to become interesting?",
        (ObjectionKind.NotInterested, true) => "Das respektiere ich. Darf ich fragen, was sich ändern müsste, damit es interessant wird?",
        (ObjectionKind.Commitment, false) => "On commitment: here are the exact terms and notice period. Would a smaller start help you try it first?",
        (ObjectionKind.Commitment, true) => "Zur Bindung: Das sind die genauen Bedingungen und Kündigungsfristen. Hilft Ihnen ein kleiner Einstieg zum Ausprobieren?",
        (_, false) => "You mentioned a concern: what exactly worries you about it?",
        (_, true) => "Sie hatten Bedenken erwähnt: Was genau beschäftigt Sie dabei?",
    };

    private static string Ask(ScriptGoal goal, string? style, bool de) => (goal, de) switch
    {
        (ScriptGoal.Qualify, false) => "Could you tell me a bit more about your team and how you work today?",
        (ScriptGoal.Qualify, true) => "Erzählen Sie mir etwas mehr über Ihr Team und wie Sie heute arbeiten?",
        (ScriptGoal.BookMeeting, false) => style == "D" ? "Shall we take 20 minutes this week: Tuesday or Thursday?" : "Would a short call this week suit you to look at this together?",
        (ScriptGoal.BookMeeting, true) => style == "D" ? "Nehmen wir uns diese Woche 20 Minuten: Dienstag oder Donnerstag?" : "Passt Ihnen diese Woche ein kurzes Gespräch, um das gemeinsam anzuschauen?",
        (ScriptGoal.HandleObjection, false) => "If we can settle that, would you like to take the next step?",
        (ScriptGoal.HandleObjection, true) => "Wenn wir das klären können, möchten Sie den nächsten Schritt gehen?",
        (ScriptGoal.Close, false) => "Is there anything still open before you decide, or shall I send the order details?",
        (ScriptGoal.Close, true) => "Ist vor Ihrer Entscheidung noch etwas offen, oder soll ich die Bestelldetails schicken?",
        (ScriptGoal.FollowUp, false) => "Did you have a chance to look at what we discussed? Happy to answer any questions.",
        (ScriptGoal.FollowUp, true) => "Hatten Sie Gelegenheit, sich das Besprochene anzusehen? Ich beantworte gern Ihre Fragen.",
        (ScriptGoal.ReEngage, false) => "Is this still a topic for you, or should I check back at a better time?",
        (ScriptGoal.ReEngage, true) => "Ist das Thema für Sie noch aktuell, oder soll ich mich zu einem besseren Zeitpunkt melden?",
        _ => "",
    };

    private static string Close(ScriptGoal goal, bool de) => (goal, de) switch
    {
        (ScriptGoal.Close, false) => "Confirm the decision and what happens next, then send a written summary the same day.",
        (ScriptGoal.Close, true) => "Entscheidung und nächste Schritte bestätigen, noch am selben Tag eine schriftliche Zusammenfassung senden.",
        (_, false) => "Agree one concrete next step with a date, and confirm it in writing.",
        (_, true) => "Einen konkreten nächsten Schritt mit Datum vereinbaren und schriftlich bestätigen.",
    };
}
