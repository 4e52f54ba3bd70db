using System.Text;
using System.Text.RegularExpressions;
using SalesFlow.Core.Ai;
using SalesFlow.Core.Brain.Llm;
using SalesFlow.Core.Coaching;
using SalesFlow.Core.Conversations;

namespace SalesFlow.Core.Compliance;

/// <summary>
/// The output guard against prompt injection: finds our system prompts and secrets in what a model wrote, before
/// anything is streamed, stored or sent. Leaked instructions are found by the canary (<see cref="PromptFence.Canary"/>),
/// the internal role names, any run of <see cref="NgramLength"/> words shared with a system prompt, talk about one's own
/// instructions and a retelling of a prompt sentence in other words (<see cref="PromptParaphrase"/>); secrets by the
/// shapes vendors give their keys and by exact match of the secrets configured for the client and this process (also
/// when spelled out with spaces, dashes or invisible characters between the letters). Text is compared after NFKC
/// normalisation without format characters, so look-alike and zero-width tricks do not hide a leak.
/// </summary>
public static partial class PromptLeak
{
    /// <summary>Words in a row shared with a system prompt that count as repeating it (short enough for a partial leak, long enough not to hit ordinary sales sentences).</summary>
    public const int NgramLength = 6;

    /// <summary>Configured secrets shorter than this are not matched exactly (they would match ordinary words); the shapes still are.</summary>
    public const int MinimumSecretLength = 8;

    private static readonly HashSet<string> PromptNgrams = Ngrams(ProtectedTexts());

    /// <summary>Every instruction text SalesFlow sends to a model as its own.</summary>
    public static IEnumerable<string> ProtectedTexts()
    {
        yield return SystemPrompts.Guardrails;
        yield return SystemPrompts.SalesCoach;
        yield return SystemPrompts.DealMedic;
        yield return SystemPrompts.Firefighter;
        yield return SystemPrompts.Extraction;
        yield return LlmSalesCoach.SystemPrompt;
        yield return LlmOutreachWriter.SystemPrompt;
        yield return Memory.LlmSummarizer.SystemPrompt;
        yield return PromptFence.DataRule;
        foreach (var state in Enum.GetValues<ConversationState>())
        {
            yield return SystemPrompts.StageGoal(state);
        }
    }

    /// <summary>What the text leaks: <see cref="ComplianceRules.PromptLeak"/> and/or <see cref="ComplianceRules.Secret"/>, each with the evidence (a secret only by its shape, never its value).</summary>
    public static IReadOnlyList<ComplianceFinding> Find(string text, IReadOnlyCollection<string> secrets) => Find(text, secrets, paraphrases: true);

    /// <summary>
    /// <see cref="Find"/> without the content-word overlap of <see cref="PromptParaphrase"/> (meta-talk still counts): for
    /// text that may rightly talk about selling in our prompts' words, the coach's advice to a rep (the playbook itself
    /// says "acknowledge the concern, isolate it…") and a reading's JSON, whose field names are the extraction prompt's.
    /// </summary>
    public static IReadOnlyList<ComplianceFinding> FindLiteral(string text, IReadOnlyCollection<string> secrets) => Find(text, secrets, paraphrases: false);

    private static List<ComplianceFinding> Find(string text, IReadOnlyCollection<string> secrets, bool paraphrases)
    {
        var findings = new List<ComplianceFinding>();
        var normal = Normalise(text);
        var compact = Compact(normal);
        if (compact.Contains(Compact(PromptFence.Canary), StringComparison.Ordinal))
        {
            findings.Add(new ComplianceFinding(ComplianceRules.PromptLeak, "canary"));
        }
        else if (RoleName().Match(normal) is { Success: true } role)
        {
            findings.Add(new ComplianceFinding(ComplianceRules.PromptLeak, role.Value));
        }
        else if (SharedNgram(normal) is { } shared)
        {
            findings.Add(new ComplianceFinding(ComplianceRules.PromptLeak, shared));
        }
        else if ((paraphrases ? PromptParaphrase.Find(normal) : PromptParaphrase.MetaTalkIn(normal)) is { } retold)
        {
            findings.Add(new ComplianceFinding(ComplianceRules.PromptLeak, retold));
        }

        if (SecretShape().Match(normal) is { Success: true } shape)
        {
            findings.Add(new ComplianceFinding(ComplianceRules.Secret, "shape " + shape.Value[..Math.Min(4, shape.Value.Length)] + "…"));
        }
        else if (secrets.Where(s => s.Length >= MinimumSecretLength).Any(s => normal.Contains(s, StringComparison.Ordinal) || (Compact(s) is { Length: >= 12 } spelled && compact.Contains(spelled, StringComparison.Ordinal))))
        {
            findings.Add(new ComplianceFinding(ComplianceRules.Secret, "configured secret"));
        }

        return findings;
    }

    /// <summary>True when <see cref="Find"/> finds nothing.</summary>
    public static bool IsClean(string text, IReadOnlyCollection<string> secrets) => Find(text, secrets).Count == 0;

    /// <summary>True when <see cref="FindLiteral"/> finds nothing.</summary>
    public static bool IsLiterallyClean(string text, IReadOnlyCollection<string> secrets) => FindLiteral(text, secrets).Count == 0;

    /// <summary>NFKC without format characters: full-width and look-alike compatibility letters become plain ones, zero-width characters go.</summary>
    public static string Normalise(string text) => PromptFence.RemoveInvisible(text).Normalize(NormalizationForm.FormKC);

    /// <summary>Letters and digits only, lower case: "s k-p r o j" and "skproj" compare equal.</summary>
    private static string Compact(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }

    private static string? SharedNgram(string text)
    {
        var words = Words(text);
        for (var i = 0; i + NgramLength <= words.Count; i++)
        {
            var gram = string.Join(' ', words.Skip(i).Take(NgramLength));
            if (PromptNgrams.Contains(gram))
            {
                return gram;
            }
        }

        return null;
    }

    private static HashSet<string> Ngrams(IEnumerable<string> texts)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            var words = Words(Normalise(text));
            for (var i = 0; i + NgramLength <= words.Count; i++)
            {
                set.Add(string.Join(' ', words.Skip(i).Take(NgramLength)));
            }
        }

        return set;
    }

    /// <summary>Lower-case runs of letters and digits: the words both this guard and <see cref="PromptParaphrase"/> compare.</summary>
    internal static List<string> Words(string text) => WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).ToList();

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    // The internal names of our prompts: no sales message has a reason to write them.
    [GeneratedRegex(@"\bAI_COACH\b|\bDEAL[-_]MEDIC\b|\bMEMORY_EXTRACTION\b|\bNEURO_PROFILER\b", RegexOptions.CultureInvariant)]
    private static partial Regex RoleName();

    // Key shapes: OpenAI/Anthropic/Stripe (sk-…), SendGrid (SG.x.y), Meta (EAA…), HubSpot (pat-…), Cal.com (cal_live_…),
    // webhook secrets (whsec_…), GitHub, Slack, AWS access keys, private keys, bearer tokens, Azure storage keys.
    [GeneratedRegex(@"\bsk-(?:proj-|live-|test-|ant-|svcacct-)?[A-Za-z0-9_\-]{16,}|\bSG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}|\bEAA[A-Za-z0-9]{30,}|\bpat-(?:na|eu)\d-[0-9a-f\-]{30,}|\bcal_(?:live|test)_[A-Za-z0-9]{16,}|\bwhsec_[A-Za-z0-9+/=]{16,}|\b(?:ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}|\bxox[abps]-[A-Za-z0-9\-]{10,}|\bAKIA[0-9A-Z]{16}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----|\bBearer\s+[A-Za-z0-9._\-]{20,}|AccountKey=[A-Za-z0-9+/=]{20,}|\b[0-9a-f]{32,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex SecretShape();
}
