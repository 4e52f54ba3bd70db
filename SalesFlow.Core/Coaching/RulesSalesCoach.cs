using System.Text;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Conversations;
using static SalesFlow.Core.Brain.Rules.ReplyTemplates;

namespace SalesFlow.Core.Coaching;

/// <summary>
/// The offline coach: a playbook per sales stage and kind of objection, tuned by what the profile knows (the lead's DISC
/// style, the BANT criteria still open). In German when the rep asks in German, else English.
/// </summary>
public sealed class RulesSalesCoach : ISalesCoach
{
    public IAsyncEnumerable<ReplyChunk> AskAsync(CoachRequest request, CancellationToken ct) =>
        ReplyStreaming.WordByWord(Task.FromResult(Answer(request)), ct);

    public static string Answer(CoachRequest request)
    {
        var german = RulesInsightsExtractor.DetectLanguage(request.Question) == "de";
        var answer = new StringBuilder();
        answer.Append(german ? "Phase " : "Stage ").Append(request.State.ToWire()).Append(": ").Append(StagePlay(request.State, german));

        if (request.LastLeadText.Length > 0 && RulesInsightsExtractor.Analyze(request.LastLeadText).Intent == Intent.Objection)
        {
            answer.Append(' ').Append(ObjectionPlay(RulesReplyGenerator.ClassifyObjection(request.LastLeadText), german));
        }

        if (request.Profile?.Disc.Primary is { } style)
        {
            answer.Append(' ').Append(StylePlay(style, german));
        }

        if (request.Profile is { } profile)
        {
            var open = new (string En, string De, double Score)[]
            {
                ("budget", "Budget", profile.Bant.Budget.Score),
                ("who decides", "wer entscheidet", profile.Bant.Authority.Score),
                ("the need", "den Bedarf", profile.Bant.Need.Score),
                ("the timeline", "den Zeitrahmen", profile.Bant.Timeline.Score),
            }.Where(d => d.Score < 0.3).Select(d => german ? d.De : d.En).ToList();
            if (open.Count > 0)
            {
                answer.Append(' ').Append(german ? "Noch offen (BANT): " : "Still open (BANT): ").Append(string.Join(", ", open)).Append(german ? " – klären Sie das mit einer Frage nach der anderen." : " – clarify these one question at a time.");
            }
        }

        answer.Append(' ').Append(german
            ? "Keine Garantien, keine erfundenen Preise oder Rabatte, kein Zeitdruck."
            : "No guarantees, no invented prices or discounts, no pressure.");
        return answer.ToString();
    }

    private static string StagePlay(ConversationState state, bool german) => (state, german) switch
    {
        (ConversationState.InitialContact, false) => "Welcome them and find out what brought them here; ask one open question about their situation.",
        (ConversationState.InitialContact, true) => "Begrüßen Sie den Lead und finden Sie heraus, was ihn herführt; stellen Sie eine offene Frage zu seiner Situation.",
        (ConversationState.InterestQualification, false) => "Qualify before you pitch: learn the need, who decides, the budget range and the timing.",
        (ConversationState.InterestQualification, true) => "Erst qualifizieren, dann präsentieren: Bedarf, Entscheider, Budgetrahmen und Zeitplan erfragen.",
        (ConversationState.ValueProposition, false) => "Tie one concrete benefit to the need they described, then propose a small next step such as a 15-minute call.",
        (ConversationState.ValueProposition, true) => "Verknüpfen Sie einen konkreten Nutzen mit dem genannten Bedarf und schlagen Sie einen kleinen nächsten Schritt vor, etwa ein 15-Minuten-Gespräch.",
        (ConversationState.ObjectionHandling, false) => "Acknowledge the concern, isolate it (is it the only one?), answer it with a fact from your material, then ask to move on.",
        (ConversationState.ObjectionHandling, true) => "Einwand anerkennen, isolieren (ist das der einzige?), mit einem Fakt aus Ihren Unterlagen beantworten, dann weiterführen.",
        (ConversationState.PriceNegotiation, false) => "Explain the price through the value for them; offer options from your real price list rather than ad-hoc discounts.",
        (ConversationState.PriceNegotiation, true) => "Begründen Sie den Preis über den Nutzen; bieten Sie Optionen aus Ihrer echten Preisliste statt spontaner Rabatte.",
        (ConversationState.ClosingAttempt, false) => "Make the next step concrete and easy: propose two time slots or send the order link, and confirm what happens next.",
        (ConversationState.ClosingAttempt, true) => "Machen Sie den nächsten Schritt konkret und einfach: zwei Termine vorschlagen oder den Bestelllink senden und den Ablauf bestätigen.",
        (ConversationState.PostPurchase, false) => "Thank them, make sure onboarding works and ask for feedback; upsell only when they bring up a new need.",
        (ConversationState.PostPurchase, true) => "Bedanken Sie sich, sichern Sie das Onboarding und bitten Sie um Feedback; Zusatzangebote nur bei neuem Bedarf.",
        _ => string.Empty,
    };

    private static string ObjectionPlay(ObjectionKind kind, bool german) => (kind, german) switch
    {
        (ObjectionKind.Price, false) => "Their objection is price: ask what they compare it with and show the cost of the problem staying unsolved.",
        (ObjectionKind.Price, true) => "Der Einwand ist der Preis: Fragen Sie, womit verglichen wird, und zeigen Sie, was das ungelöste Problem kostet.",
        (ObjectionKind.Timing, false) => "Their objection is timing: agree a concrete later date, or show a small first step that fits now.",
        (ObjectionKind.Timing, true) => "Der Einwand ist der Zeitpunkt: Vereinbaren Sie einen konkreten späteren Termin oder zeigen Sie einen kleinen ersten Schritt, der jetzt passt.",
        (ObjectionKind.StatusQuo, false) => "They are happy with what they have: ask what they would improve and offer a side-by-side comparison.",
        (ObjectionKind.StatusQuo, true) => "Der Lead ist mit der aktuellen Lösung zufrieden: Fragen Sie, was er verbessern würde, und bieten Sie einen direkten Vergleich an.",
        (ObjectionKind.Undecided, false) => "They are undecided: find out who else decides and offer material they can share internally.",
        (ObjectionKind.Undecided, true) => "Der Lead ist unentschlossen: Finden Sie heraus, wer mitentscheidet, und bieten Sie Material zum internen Teilen an.",
        (ObjectionKind.NotInterested, false) => "They said they are not interested: respect it, ask one question about what would change that, and leave the door open.",
        (ObjectionKind.NotInterested, true) => "Der Lead hat kein Interesse: Respektieren Sie das, fragen Sie einmal nach, was das ändern würde, und lassen Sie die Tür offen.",
        (ObjectionKind.Commitment, false) => "They fear being locked in: give the exact contract terms and notice period, and offer a smaller start.",
        (ObjectionKind.Commitment, true) => "Der Lead scheut die Bindung: Nennen Sie die genauen Vertragsbedingungen und Kündigungsfristen und bieten Sie einen kleinen Einstieg an.",
        (_, false) => "They raised a concern: ask what exactly worries them before answering.",
        (_, true) => "Der Lead hat Bedenken: Fragen Sie nach, was genau ihn beschäftigt, bevor Sie antworten.",
    };

    private static string StylePlay(string style, bool german) =>
        (german ? "DISG-Stil " : "DISC style ") + style + ": " + Qualification.DiscAdvisor.For(style, german).Style;
}
