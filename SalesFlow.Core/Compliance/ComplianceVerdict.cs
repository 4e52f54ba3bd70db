using SalesFlow.Core.Channels;

namespace SalesFlow.Core.Compliance;

/// <summary>What the filter did with a reply.</summary>
public enum ComplianceVerdict
{
    /// <summary>Sent as written.</summary>
    Pass,

    /// <summary>Offending sentences removed (or the text trimmed to the channel's length); the rest is sent.</summary>
    Rewritten,

    /// <summary>Nothing safe was left, or a protected sentence would have changed: the rules brain's vetted reply is sent instead.</summary>
    Blocked,
}

public static class ComplianceVerdictNames
{
    public static string ToWire(this ComplianceVerdict verdict) => verdict.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, out ComplianceVerdict verdict) => Common.WireNames.TryParse(value, out verdict);
}

/// <summary>The rule ids the audit log records.</summary>
public static class ComplianceRules
{
    /// <summary>Guarantees and absolute promises ("guaranteed", "100 %", "risk-free", "garantiert").</summary>
    public const string Guarantee = "guarantee";

    /// <summary>A price, discount or percentage that neither the client's knowledge nor the lead wrote.</summary>
    public const string InventedFigure = "invented_figure";

    /// <summary>False urgency and pressure ("only today", "last chance", "nur heute").</summary>
    public const string Pressure = "pressure";

    /// <summary>An e-mail address or phone number that is neither the lead's nor in the client's knowledge.</summary>
    public const string ThirdPartyContact = "third_party_contact";

    /// <summary>Legal, tax, medical or financial advice presented as fact ("legally you don't need consent", "cures").</summary>
    public const string AdviceClaim = "advice_claim";

    /// <summary>Insults, discriminating remarks and unfounded claims about competitors.</summary>
    public const string Disparaging = "disparaging";

    /// <summary>Fake scarcity ("only 2 spots left", "nur noch 3 Lizenzen").</summary>
    public const string Scarcity = "scarcity";

    /// <summary>Longer than the channel allows.</summary>
    public const string Length = "length";

    /// <summary>Opt-out or hand-over wording would have been altered: such text is sent verbatim or not at all.</summary>
    public const string ProtectedWording = "protected_wording";

    /// <summary>A phrase the client banned (config <c>compliance.bannedPhrases</c>).</summary>
    public const string BannedPhrase = "banned_phrase";

    /// <summary>Our instructions repeated (the prompt canary, an internal role name, a run of words from a system prompt): the reply is blocked.</summary>
    public const string PromptLeak = "prompt_leak";

    /// <summary>A key, token or password (by its shape or as configured for the client or this process): the reply is blocked.</summary>
    public const string Secret = "secret";

    /// <summary>The client's AI disclosure (config <c>compliance.aiDisclosure</c>) was added to the first message.</summary>
    public const string AiDisclosure = "ai_disclosure";
}

/// <summary>A reply on its way to the outbox, with what the filter needs to judge it.</summary>
/// <param name="Text">The reply as the brain wrote it.</param>
/// <param name="Purpose">The outbox purpose (reply, opt-out confirmation, hand-over).</param>
/// <param name="LeadText">What the lead wrote this turn (figures and addresses the lead gave may be repeated).</param>
/// <param name="Knowledge">The client's knowledge passages the reply was written from.</param>
/// <param name="LeadContacts">The lead's own e-mail addresses and phone numbers.</param>
/// <param name="FallbackText">The rules brain's vetted reply, sent when the verdict is <see cref="ComplianceVerdict.Blocked"/>.</param>
/// <param name="Policy">The client's own rules: banned phrases and, on a conversation's first message, the AI disclosure.</param>
public sealed record ComplianceInput(
    string Text,
    ChannelKind Channel,
    string Purpose,
    string LeadText,
    IReadOnlyList<string> Knowledge,
    IReadOnlyList<string> LeadContacts,
    string FallbackText,
    CompliancePolicy Policy);

/// <summary>One sentence a rule objected to.</summary>
public sealed record ComplianceFinding(string RuleId, string Sentence);

/// <summary>The verdict and the text to send.</summary>
public sealed record ComplianceResult(ComplianceVerdict Verdict, string Text, IReadOnlyList<string> RuleIds, IReadOnlyList<ComplianceFinding> Findings);

/// <summary>Judges every reply before it is stored for delivery (the liability shield).</summary>
public interface IComplianceFilter
{
    ComplianceResult Check(ComplianceInput input);
}
