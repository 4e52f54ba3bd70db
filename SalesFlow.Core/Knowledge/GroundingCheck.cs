using System.Globalization;
using System.Text.RegularExpressions;

namespace SalesFlow.Core.Knowledge;

/// <summary>A claim in a reply that the passages do not back.</summary>
public sealed record UngroundedClaim(string Kind, string Text);

public sealed record GroundingVerdict(IReadOnlyList<UngroundedClaim> Claims)
{
    public bool IsGrounded => Claims.Count == 0;
}

/// <summary>
/// Compliance check for RAG replies: every price, amount, percentage and promise in a reply must
/// appear in the passages it was given. Numbers are compared by value ("€49", "49.00 EUR" and
/// "49 euros" are the same amount); promises by their key phrase. It flags, it does not rewrite:
/// the caller decides (replace the reply with "let me check", or send it to a human).
/// </summary>
public static partial class GroundingCheck
{
    // Promise phrases: commitments a sales reply must not invent.
    private static readonly string[] Promises =
    [
        "guarantee", "guaranteed", "money-back", "money back", "refund", "free of charge", "for free", "free trial", "no cost",
        "lifetime", "forever", "unlimited", "risk-free", "no risk", "promise", "always", "never", "cancel anytime", "cancel at any time",
        "same day", "same-day", "next day", "next-day", "24/7", "discount", "warranty",
    ];

    public static GroundingVerdict Check(string reply, IEnumerable<Passage> passages) => Check(reply, passages.Select(p => p.Text));

    public static GroundingVerdict Check(string reply, IEnumerable<string> passages)
    {
        var evidence = string.Join("\n", passages);
        var amounts = Amounts(evidence).Select(a => a.Value).ToHashSet();
        var percentages = Percentages(evidence).Select(a => a.Value).ToHashSet();
        var claims = new List<UngroundedClaim>();

        foreach (var (text, value) in Percentages(reply))
        {
            if (!percentages.Contains(value))
            {
                claims.Add(new("percentage", text));
            }
        }

        foreach (var (text, value) in Amounts(reply))
        {
            if (!amounts.Contains(value))
            {
                claims.Add(new("price", text));
            }
        }

        foreach (var (text, value) in Durations(reply))
        {
            if (!Durations(evidence).Any(d => d.Value == value))
            {
                claims.Add(new("promise", text));
            }
        }

        var lowerEvidence = evidence.ToLowerInvariant();
        foreach (var phrase in Promises)
        {
            if (Regex.IsMatch(reply, $@"(?<![\w-]){Regex.Escape(phrase)}(?![\w-])", RegexOptions.IgnoreCase) && !lowerEvidence.Contains(phrase, StringComparison.Ordinal))
            {
                claims.Add(new("promise", phrase));
            }
        }

        return new GroundingVerdict(claims);
    }

    private static IEnumerable<(string Text, decimal Value)> Amounts(string text) =>
        Money().Matches(text).Select(m => (m.Value.Trim(), Number(m.Groups["n1"].Success ? m.Groups["n1"].Value : m.Groups["n2"].Value)));

    private static IEnumerable<(string Text, decimal Value)> Percentages(string text) =>
        Percent().Matches(text).Select(m => (m.Value.Trim(), Number(m.Groups["n"].Value)));

    /// <summary>"within 3 days", "in 24 hours": delivery and response promises, compared as number + unit.</summary>
    private static IEnumerable<(string Text, string Value)> Durations(string text) =>
        Duration().Matches(text).Select(m => (m.Value.Trim(), Number(m.Groups["n"].Value).ToString(CultureInfo.InvariantCulture) + " " + m.Groups["u"].Value.ToLowerInvariant().TrimEnd('s')));

    /// <summary>Parses "1,299.00", "1.299,00", "49" and "49,90" to one value.</summary>
    private static decimal Number(string raw)
    {
        var s = raw.Replace(" ", "", StringComparison.Ordinal);
        var lastDot = s.LastIndexOf('.');
        var lastComma = s.LastIndexOf(',');
        var decimalAt = Math.Max(lastDot, lastComma);
        // A separator followed by exactly three digits is a thousands separator ("1,299"), otherwise a decimal mark.
        if (decimalAt >= 0 && s.Length - decimalAt - 1 == 3)
        {
            decimalAt = -1;
        }

        var integer = decimalAt >= 0 ? s[..decimalAt] : s;
        var fraction = decimalAt >= 0 ? s[(decimalAt + 1)..] : "";
        integer = integer.Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        return decimal.Parse(integer + (fraction.Length > 0 ? "." + fraction : ""), CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"(?:(?:[$€£¥]|\b(?:USD|EUR|GBP|CHF)\s?)\s?(?<n1>\d[\d.,]*\d|\d))|(?:(?<n2>\d[\d.,]*\d|\d)\s?(?:[$€£¥]|(?:USD|EUR|GBP|CHF|euros?|dollars?|pounds?)\b))", RegexOptions.IgnoreCase)]
    private static partial Regex Money();

    [GeneratedRegex(@"(?<n>\d+(?:[.,]\d+)?)\s?(?:%|percent\b|per cent\b|prozent\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Percent();

    [GeneratedRegex(@"\b(?:within|in|under)\s+(?<n>\d+)\s*(?<u>minutes?|hours?|days?|weeks?|business days?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Duration();
}
