namespace SalesFlow.Core.Brain.Rules;

/// <summary>Length guard for replies on short-form channels, and the letter form of an e-mail reply.</summary>
public static class ReplyText
{
    /// <summary>The limit on WhatsApp, SMS and the web channel.</summary>
    public const int ShortFormLimit = 280;

    /// <summary>
    /// An e-mail reply as a letter: a salutation (by first name when known), the body and the client's sign-off. The
    /// fixed replies (meeting times, a check-back) went out by e-mail as one bare line.
    /// </summary>
    public static string AsEmail(string body, string? name, string client, bool german)
    {
        var salutation = german
            ? (string.IsNullOrWhiteSpace(name) ? "Guten Tag," : $"Guten Tag {name.Trim()},")
            : (string.IsNullOrWhiteSpace(name) ? "Hello," : $"Hi {name.Trim()},");
        return $"{salutation}\n\n{body}\n\n{(german ? "Viele Grüße" : "Best regards,")}\n{client}";
    }

    /// <summary>
    /// Cuts <paramref name="text"/> to at most <paramref name="max"/> characters: at the last sentence end that keeps
    /// at least a third of the room, otherwise at the last word boundary with an ellipsis.
    /// </summary>
    public static string FitToLength(string text, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 2);
        text = text.Trim();
        if (text.Length <= max)
        {
            return text;
        }

        var sentenceEnd = -1;
        for (var i = 0; i < max; i++)
        {
            if (text[i] is '.' or '!' or '?' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                sentenceEnd = i + 1;
            }
        }

        if (sentenceEnd >= max / 3)
        {
            return text[..sentenceEnd].TrimEnd();
        }

        // Else at a clause's end (";" or ":") in its second half, as a full stop: "…Shop und Immobilien: Es antwortet aus
        // Ihren eigenen FAQs und … folgt Ihren…" was cut in mid-clause.
        var clauseEnd = -1;
        for (var i = max / 2; i < max - 1; i++)
        {
            if (text[i] is ';' or ':' && char.IsWhiteSpace(text[i + 1]))
            {
                clauseEnd = i;
            }
        }

        if (clauseEnd > 0)
        {
            return text[..clauseEnd].TrimEnd() + ".";
        }

        var space = text.LastIndexOf(' ', max - 2);
        var head = space > 0 ? text[..space] : text[..(max - 1)];
        return head.TrimEnd(',', ';', ':', '-', '–', ' ') + "…";
    }
}
