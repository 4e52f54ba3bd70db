using System.Globalization;
using System.Text.RegularExpressions;

namespace SalesFlow.Core.Leads;

/// <summary>Facts a lead states about themselves in plain words.</summary>
public static partial class LeadFacts
{
    /// <summary>
    /// "My name is Anna Meyer", "ich heiße Jonas", "mein Name ist …". Only explicit phrases:
    /// "I'm …" is too often "I'm interested" to be read as a name.
    /// </summary>
    public static string? FindName(string text)
    {
        var match = NamePattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var first = match.Groups["first"].Value;
        var last = match.Groups["last"].Value;
        // A second word counts as a surname only when the lead capitalised it ("Anna Meyer", not "anna and").
        var name = last.Length > 0 && char.IsUpper(last[0]) ? $"{first} {last}" : first;
        return name.Length is >= 2 and <= 60 ? CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name.ToLowerInvariant()) : null;
    }

    [GeneratedRegex(@"\b(?:my name is|my name's|ich heiße|ich heisse|mein name ist|mein name:|name:)\s+(?<first>\p{L}[\p{L}'-]+)(?:\s+(?<last>\p{L}[\p{L}'-]+))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
