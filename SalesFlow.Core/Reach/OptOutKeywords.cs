using System.Text;

namespace SalesFlow.Core.Reach;

/// <summary>
/// The carrier keywords that stop and restart automatic messages. Like the carriers (Twilio's Advanced Opt-Out, the
/// CTIA handbook) a keyword counts only as the whole message, in any case, with punctuation, whitespace and emoji
/// around or inside it ignored ("Stop!", "stop all", "OPT-OUT"): "stop calling me at work" is a sentence, which the
/// intent rules judge instead.
/// </summary>
public static class OptOutKeywords
{
    /// <summary>Twilio's default opt-out keywords plus the German ones.</summary>
    public static readonly IReadOnlyList<string> OptOut =
        ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "STOPP", "ABMELDEN", "ABBESTELLEN"];

    /// <summary>
    /// Twilio's default opt-in keywords (START, YES, UNSTOP) plus German ANMELDEN. "YES" is also an ordinary answer in a
    /// sales conversation, so callers take any of them as an opt-in only from a person who is opted out.
    /// </summary>
    public static readonly IReadOnlyList<string> OptIn = ["START", "UNSTOP", "YES", "ANMELDEN"];

    /// <summary>Longer messages are sentences, never a keyword (and are not folded letter by letter).</summary>
    private const int MaxKeywordMessageLength = 40;

    /// <summary>The opt-out keyword the message consists of, upper-case; null when it is not one.</summary>
    public static string? OptOutIn(string? text) => Match(text, OptOut);

    /// <summary>The opt-in keyword the message consists of, upper-case; null when it is not one.</summary>
    public static string? OptInIn(string? text) => Match(text, OptIn);

    private static string? Match(string? text, IReadOnlyList<string> keywords)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxKeywordMessageLength)
        {
            return null;
        }

        var letters = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetter(c))
            {
                letters.Append(char.ToUpperInvariant(c));
            }
        }

        var word = letters.ToString();
        return keywords.FirstOrDefault(k => k == word);
    }
}
