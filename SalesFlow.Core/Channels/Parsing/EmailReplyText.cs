using System.Text.RegularExpressions;

namespace SalesFlow.Core.Channels.Parsing;

/// <summary>Cuts an e-mail reply down to what the sender wrote this time.</summary>
public static partial class EmailReplyText
{
    /// <summary>
    /// Removes quoted history and signatures: lines starting with <c>&gt;</c>; everything from an attribution line
    /// ("On ... wrote:", possibly wrapped over two lines; German "Am ... schrieb ...:"); from
    /// "-----Original Message-----" / "-----Ursprüngliche Nachricht-----"; from an Outlook header block
    /// ("From: ... Sent: ..." or "Von: ... Gesendet: ..."); from an Outlook "_____" separator; from a "-- " signature
    /// delimiter; and a trailing "Sent from my iPhone"-style line. Forwarded messages ("From: ... Date: ...") are kept:
    /// when a lead forwards something, the forwarded text is the message.
    /// </summary>
    public static string StripQuoted(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');

        var cut = lines.Length;
        for (var i = 0; i < lines.Length; i++)
        {
            if (StartsQuote(lines, i))
            {
                cut = i;
                break;
            }
        }

        var kept = lines.Take(cut).Where(line => !line.TrimStart().StartsWith('>')).Select(line => line.TrimEnd()).ToList();

        // Drop trailing blank lines, then a mobile client's tag line.
        TrimTrailingBlank(kept);
        if (kept.Count > 0 && MobileSignature().IsMatch(kept[^1].Trim()))
        {
            kept.RemoveAt(kept.Count - 1);
        }

        return string.Join('\n', kept).Trim();
    }

    private static bool StartsQuote(string[] lines, int i)
    {
        var line = lines[i].Trim().Trim('*').Trim();
        if (line.Length == 0)
        {
            return false;
        }

        // "-- " signature delimiter (many clients lose the trailing space).
        if (lines[i].TrimEnd() == "--")
        {
            return true;
        }

        if (OriginalMessage().IsMatch(line) || Underscores().IsMatch(line))
        {
            return true;
        }

        var next = i + 1 < lines.Length ? lines[i + 1].Trim() : string.Empty;

        // Gmail / Apple Mail / Thunderbird: "On Tue, 12 Mar 2024 at 10:15, Jane <jane@x.com> wrote:", sometimes wrapped.
        if (line.StartsWith("On ", StringComparison.Ordinal)
            && (EnglishAttribution().IsMatch(line) || (line.Length < 200 && EnglishAttribution().IsMatch(line + " " + next))))
        {
            return true;
        }

        // German: "Am 12.03.2024 um 10:15 schrieb Max Mustermann <max@x.de>:", sometimes wrapped.
        if (line.StartsWith("Am ", StringComparison.Ordinal)
            && (GermanAttribution().IsMatch(line) || (line.Length < 200 && GermanAttribution().IsMatch(line + " " + next))))
        {
            return true;
        }

        // Outlook: "From: X" then "Sent: Y" within the next lines, or both on one line (HTML flattened to text).
        if (OutlookFrom().IsMatch(line))
        {
            if (OutlookSentInline().IsMatch(line))
            {
                return true;
            }

            for (var j = i + 1; j < Math.Min(lines.Length, i + 4); j++)
            {
                if (OutlookSent().IsMatch(lines[j].Trim().Trim('*').Trim()))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void TrimTrailingBlank(List<string> lines)
    {
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1]))
        {
            lines.RemoveAt(lines.Count - 1);
        }
    }

    [GeneratedRegex(@"^On\s.{4,}\swrote:\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnglishAttribution();

    [GeneratedRegex(@"^Am\s.{4,}\sschrieb\b.*:\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex GermanAttribution();

    [GeneratedRegex(@"^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Originalnachricht)\s*-{2,}$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex(@"^_{20,}$", RegexOptions.CultureInvariant)]
    private static partial Regex Underscores();

    [GeneratedRegex(@"^\*?(From|Von):\*?\s", RegexOptions.CultureInvariant)]
    private static partial Regex OutlookFrom();

    [GeneratedRegex(@"\s\*?(Sent|Gesendet):\*?\s", RegexOptions.CultureInvariant)]
    private static partial Regex OutlookSentInline();

    [GeneratedRegex(@"^\*?(Sent|Gesendet):\*?\s", RegexOptions.CultureInvariant)]
    private static partial Regex OutlookSent();

    [GeneratedRegex(@"^(Sent from my \w+.*|Sent from Outlook for \w+.*|Get Outlook for \w+.*|Von meinem \w+ gesendet\.?)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex MobileSignature();
}
