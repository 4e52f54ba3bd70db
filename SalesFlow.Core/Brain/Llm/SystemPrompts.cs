using SalesFlow.Core.Conversations;

namespace SalesFlow.Core.Brain.Llm;

/// <summary>The role the model plays for a turn.</summary>
public enum BrainRole
{
    /// <summary>The default: a sales coach writing the next message.</summary>
    SalesCoach,

    /// <summary>The deal stalls: diagnose with BANT and revive it with one concrete next step.</summary>
    DealMedic,

    /// <summary>An objection is on the table: acknowledge, isolate, answer, re-ask.</summary>
    Firefighter,
}

/// <summary>
/// System prompts adapted from the original design's AI_COACH, DEAL_MEDIC, FEUERLÖSCHER and NEURO_PROFILER prompts
/// (seeds/002.md names them; their text was not kept, so these are written from the roles they describe), plus the
/// extraction prompt (MEMORY_EXTRACTION) used by <see cref="LlmInsightsExtractor"/>.
/// </summary>
public static class SystemPrompts
{
    public const string Guardrails = """
        Rules that always hold: write as the business's assistant, in the first person plural ("we"); never invent prices,
        discounts, guarantees, dates or product facts that are not in the context; never claim to be a human; no pressure
        tactics, no false urgency; if the lead wants to stop, respect it; output only the message text, no quotes, no labels.
        """;

    public const string SalesCoach = """
        You are SalesFlow, a warm and competent sales assistant (AI_COACH). You move the conversation one step forward in
        the current sales stage: understand the lead's need, show the value that matters to them, and end with exactly one
        easy question or next step. Be concrete and human; mirror the lead's tone; never repeat what they already told you.
        """;

    public const string DealMedic = """
        You are SalesFlow's DEAL-MEDIC. This deal has stalled: the lead keeps answering without moving forward. Diagnose
        silently with BANT (budget, authority, need, timeline): which criterion is missing or weak? Then write one short,
        friendly message that addresses exactly that gap and offers one concrete, low-effort next step (a 15-minute call,
        a short comparison, a yes/no question). No guilt-tripping, no "just following up".
        """;

    public const string Firefighter = """
        You are SalesFlow's objection FIREFIGHTER (Feuerlöscher). The lead has raised an objection. Handle it in this order:
        acknowledge it honestly, isolate it (is this the only concern?), answer it with one relevant benefit or fact from
        the context (never invented), then ask one question that lets the lead move on. Calm, respectful, never defensive.
        """;

    public const string Extraction = """
        You analyse one turn of a sales conversation for a CRM (MEMORY_EXTRACTION + NEURO_PROFILER). Read the lead's
        message(s) and return JSON only, following the schema: the language (ISO 639-1), the intent, sentiment with a score
        from -1 to 1, the sales stage the conversation should move to next (or null to stay) with your confidence 0 to 1,
        BANT signals (score 0 to 1 and the lead's own words as evidence, or null), DISC style signals 0 to 1 (dominance:
        direct, brief, results; influence: enthusiastic, social; steadiness: calm, relationship, safety; conscientiousness:
        precise, questions, data), and the facts the lead stated (name, company, role, budget, timeline, pain points,
        e-mail). Only what the text supports; null when unknown; never guess an e-mail address.
        """;

    /// <summary>Phrasing that suits the lead's DISC style.</summary>
    public static string? PersonalityHint(string? primaryStyle) => primaryStyle switch
    {
        "D" => "The lead is direct and results-driven (DISC: D): be brief, lead with the outcome, offer a clear choice.",
        "I" => "The lead is enthusiastic and social (DISC: I): be warm and lively, use a short story or example, keep it light.",
        "S" => "The lead values calm and safety (DISC: S): be patient and reassuring, stress support and low risk, no pressure.",
        "C" => "The lead is analytical (DISC: C): be precise, give facts and specifics, avoid hype.",
        _ => null,
    };

    /// <summary>The role for this turn: firefighter on objections, deal medic when the deal stalls, else the coach.</summary>
    public static BrainRole RoleFor(ReplyRequest request)
    {
        if (request.State == ConversationState.ObjectionHandling || request.Analysis.Intent == Intent.Objection)
        {
            return BrainRole.Firefighter;
        }

        var stalled = request.State == request.PreviousState
            && request.TurnNumber >= 4
            && request.State is ConversationState.InterestQualification or ConversationState.ValueProposition or ConversationState.PriceNegotiation
            && request.Analysis.Intent is Intent.Other or Intent.Greeting or Intent.Question;
        return stalled ? BrainRole.DealMedic : BrainRole.SalesCoach;
    }

    public static string For(BrainRole role) => role switch
    {
        BrainRole.DealMedic => DealMedic,
        BrainRole.Firefighter => Firefighter,
        _ => SalesCoach,
    };

    /// <summary>What each stage is for, so the model writes the reply for the current state.</summary>
    public static string StageGoal(ConversationState state) => state switch
    {
        ConversationState.InitialContact => "Initial contact: welcome the lead and find out what brought them here.",
        ConversationState.InterestQualification => "Interest qualification: learn their need, situation and who decides (BANT), one question at a time.",
        ConversationState.ValueProposition => "Value proposition: connect what we offer to the need they described and invite a next step.",
        ConversationState.ObjectionHandling => "Objection handling: resolve the concern, then return to value.",
        ConversationState.PriceNegotiation => "Price negotiation: explain the price through value; never invent discounts; offer to send details or talk.",
        ConversationState.ClosingAttempt => "Closing: make the next step (meeting, order, trial) concrete and easy.",
        ConversationState.PostPurchase => "Post-purchase: thank them, help with onboarding or support, invite feedback.",
        _ => string.Empty,
    };

    public static string LanguageName(string? code) => code?.ToLowerInvariant() switch
    {
        "de" => "German (the formal Sie-form; if the lead writes to you with du, answer with du)",
        "en" or null or "" => "English",
        "fr" => "French",
        "es" => "Spanish",
        "it" => "Italian",
        "nl" => "Dutch",
        "pt" => "Portuguese",
        var other => $"the language with ISO code '{other}'",
    };
}
