using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace SalesFlow.Core.Compliance;

/// <summary>
/// The secrets this process was configured with (the OpenAI key, storage keys, the demo client's secrets…): the output
/// guard (<see cref="PromptLeak"/>) blocks any message that contains one, whatever a model was tricked into writing.
/// </summary>
public sealed partial record ProcessSecrets(IReadOnlyList<string> Values)
{
    public static ProcessSecrets None { get; } = new([]);

    /// <summary>Every configuration value whose key names a secret (…ApiKey, …Secret, …Token, …Password, …ConnectionString, …Key).</summary>
    public static ProcessSecrets From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var values = configuration.AsEnumerable()
            .Where(kv => kv.Value is { Length: >= PromptLeak.MinimumSecretLength } && SecretKey().IsMatch(kv.Key))
            .Select(kv => kv.Value!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new ProcessSecrets(values);
    }

    [GeneratedRegex(@"(?:apikey|secret|token|password|pwd|accountkey|connectionstring|signingkey|:key)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretKey();
}
