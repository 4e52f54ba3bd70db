using System.Text.RegularExpressions;
using SalesFlow.Core.Clients;

namespace SalesFlow.Core.Compliance;

/// <summary>
/// The client's own rules for one message (its <c>compliance</c> config): phrases it never wants sent, and the AI
/// disclosure when this message must carry it (the first message of a conversation).
/// </summary>
/// <param name="BannedPhrases">Matched case-insensitively as whole words.</param>
/// <param name="Disclosure">The sentence the message must start with; null when none is due.</param>
public sealed record CompliancePolicy(IReadOnlyList<string> BannedPhrases, string? Disclosure)
{
    public static CompliancePolicy None { get; } = new([], null);

    /// <summary>The client's secrets (webhook secrets, vendor tokens) and this process's: no message may contain one (<see cref="PromptLeak"/>).</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <param name="firstMessage">True for the first message SalesFlow sends in a conversation: the disclosure is due.</param>
    public static CompliancePolicy For(Client client, bool firstMessage) => For(client.Config, firstMessage) with { Secrets = SecretsOf(client) };

    /// <summary>Every secret the client has (channel secrets and the config's vendor tokens), as the running service holds them.</summary>
    public static IReadOnlyList<string> SecretsOf(Client client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var secrets = new List<string>();
        client.MapSecrets(secret =>
        {
            if (secret.Length >= PromptLeak.MinimumSecretLength && !secret.StartsWith(ClientConfig.Masked, StringComparison.Ordinal))
            {
                secrets.Add(secret);
            }

            return secret;
        });
        return secrets.Distinct(StringComparer.Ordinal).ToList();
    }

    public static CompliancePolicy For(ClientConfig? config, bool firstMessage)
    {
        var compliance = config?.Compliance;
        if (compliance is null)
        {
            return None;
        }

        var disclosure = firstMessage && !string.IsNullOrWhiteSpace(compliance.AiDisclosure) ? compliance.AiDisclosure.Trim() : null;
        return new CompliancePolicy(compliance.BannedPhrases?.Select(p => p.Trim()).ToList() ?? [], disclosure);
    }

    /// <summary>The first banned phrase the sentence contains, or null.</summary>
    public string? BannedPhraseIn(string sentence) =>
        BannedPhrases.FirstOrDefault(p => p.Length > 0 && Regex.IsMatch(sentence, WholePhrase(p), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)));

    /// <summary>True when the text already says what the disclosure says (the model or the lead's template wrote it).</summary>
    public bool IsDisclosedIn(string text) => Disclosure is null || text.Contains(Disclosure, StringComparison.OrdinalIgnoreCase);

    // A phrase matches as whole words ("free" not in "freedom"); its own characters are literal.
    private static string WholePhrase(string phrase) =>
        (char.IsLetterOrDigit(phrase[0]) ? @"(?<![\p{L}\p{N}])" : "") + Regex.Escape(phrase) + (char.IsLetterOrDigit(phrase[^1]) ? @"(?![\p{L}\p{N}])" : "");
}
