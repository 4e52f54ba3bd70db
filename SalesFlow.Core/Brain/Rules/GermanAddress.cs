using System.Text.RegularExpressions;
using SalesFlow.Core.Conversations;

namespace SalesFlow.Core.Brain.Rules;

/// <summary>
/// Du or Sie. The rules brain writes German in the Sie-form and mirrors a lead who writes with du, as a rep would and as
/// the LLM's prompt asks ("Hey! Kannst du mir sagen, wie das bei euch funktioniert?" was answered "Danke für Ihre Frage").
/// The lead's latest message that shows either form decides; none shows Sie. Only our own templates are turned into
/// the du-form (<see cref="ToDu"/>); the client's knowledge is quoted as written.
/// </summary>
internal static partial class GermanAddress
{
    /// <summary>Whether <paramref name="text"/> alone shows a form of address: then the history need not be read.</summary>
    public static bool ShowsAForm(string text) => Formal().IsMatch(text) || Informal().IsMatch(text);

    /// <summary>Whether the lead addresses us with du (or ihr) in its latest message that shows a form of address.</summary>
    public static bool LeadUsesDu(string leadText, IReadOnlyList<HistoryMessage>? history)
    {
        foreach (var text in (history ?? []).Where(m => m.FromLead).Select(m => m.Text).Append(leadText).Reverse())
        {
            if (Formal().IsMatch(text))
            {
                return false;
            }

            if (Informal().IsMatch(text))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// One of our Sie-form templates in the du-form. The phrases with a verb come first (the verb changes with the
    /// pronoun: "dass Sie schreiben" → "dass du schreibst"), then the pronouns and possessives alone.
    /// <c>GermanAddressTests</c> turns every German template and fails on any Sie-form left.
    /// </summary>
    public static string ToDu(string text)
    {
        foreach (var (formal, informal) in Phrases)
        {
            text = text.Replace(formal, informal, StringComparison.Ordinal);
        }

        return Pronoun().Replace(text, m =>
        {
            var informal = m.Value switch
            {
                "Ihnen" => "dir",
                "Ihr" => "dein",
                "Ihre" => "deine",
                "Ihren" => "deinen",
                "Ihrem" => "deinem",
                "Ihrer" => "deiner",
                "Ihres" => "deines",
                _ => m.Value,
            };
            // At a line's or sentence's start it keeps its capital ("Viele Grüße\nDein Acme-Team").
            var opens = m.Index == 0 || text[m.Index - 1] == '\n' || (m.Index >= 2 && text[m.Index - 1] == ' ' && text[m.Index - 2] is '.' or '!' or '?' or ':');
            return opens ? string.Concat(informal[..1].ToUpperInvariant(), informal.AsSpan(1)) : informal;
        });
    }

    private static readonly (string Formal, string Informal)[] Phrases =
    [
        ("dass Sie sich bei {client} melden", "dass du dich bei {client} meldest"),
        ("dass Sie schreiben", "dass du schreibst"),
        ("damit Sie eine verlässliche Antwort bekommen", "damit du eine verlässliche Antwort bekommst"),
        ("lassen Sie uns", "lass uns"),
        ("dass Sie warten mussten", "dass du warten musstest"),
        ("Entschuldigen Sie", "Entschuldige"),
        ("Sie erhalten keine", "Du erhältst keine"),
        ("haben Sie ausgetragen", "haben dich ausgetragen"),
        ("dass Sie das so genau beschreiben", "dass du das so genau beschreibst"),
        ("sind Sie nicht allein", "bist du nicht allein"),
        ("dass Sie weitermachen möchten", "dass du weitermachen möchtest"),
        ("dass Sie loslegen möchten", "dass du loslegen möchtest"),
        ("bringe ich Sie", "bringe ich dich"),
        ("was Sie für den Start brauchen", "was du für den Start brauchst"),
        ("kostet Sie das", "kostet dich das"),
        ("wann immer Sie möchten", "wann immer du möchtest"),
        ("Sagen Sie einfach", "Sag einfach"),
        ("da sind Sie richtig", "da bist du richtig"),
        ("Ja, Sie sind hier richtig", "Ja, du bist hier richtig"),
        ("wenn Sie keine Nachrichten mehr möchten, antworten Sie einfach", "wenn du keine Nachrichten mehr möchtest, antworte einfach"),
        ("Sie haben {client} selbst", "Du hast {client} selbst"),
        ("was Sie brauchen", "was du brauchst"),
        ("ganz wie Sie möchten", "ganz wie du möchtest"),
        ("dass Sie bei {client} dabei sind", "dass du bei {client} dabei bist"),
        ("dass Sie dabei sind", "dass du dabei bist"),
        ("dass Sie sich ärgern mussten", "dass du dich ärgern musstest"),
        ("Können Sie mir", "Kannst du mir"),
        ("lösen Sie das", "löst du das"),
        ("führt Sie zu", "führt dich zu"),
        ("die Sie lösen möchten", "die du lösen möchtest"),
        ("das Sie zögern lässt", "das dich zögern lässt"),
        ("bräuchten Sie, um sich", "bräuchtest du, um dich"),
        ("bräuchten Sie", "bräuchtest du"),
        ("damit Sie loslegen können", "damit du loslegen kannst"),
        ("dass Sie bereits eine Lösung haben", "dass du bereits eine Lösung hast"),
        ("würden Sie", "würdest du"),
        ("wenn Sie könnten", "wenn du könntest"),
        ("wie Sie es sich wünschen", "wie du es dir wünschst"),
        ("nehmen Sie sich die Zeit, die Sie brauchen", "nimm dir die Zeit, die du brauchst"),
        ("Antworten Sie einfach", "Antworte einfach"),
        ("Sie haben sich also vielleicht in der Nummer geirrt. Falls Sie doch {client} erreichen wollten", "du hast dich also vielleicht in der Nummer geirrt. Falls du doch {client} erreichen wolltest"),
        // The fixed replies: meeting times, short answers, check-backs, consent and e-mail confirmations.
        ("Melden Sie sich gern, wenn Sie einen neuen möchten", "Melde dich gern, wenn du einen neuen möchtest"),
        ("Soll Sie jemand", "Soll dich jemand"),
        ("ruft Sie an", "ruft dich an"),
        ("Sie haben bereits einen Termin", "Du hast bereits einen Termin"),
        ("Bitte versuchen Sie es", "Bitte versuch es"),
        ("schreiben Sie mir einfach", "schreib mir einfach"),
        ("schreiben Sie einfach", "schreib einfach"),
        ("Erzählen Sie mir", "Erzähl mir"),
        ("Sie erhalten wieder", "Du erhältst wieder"),
        ("melden Sie sich jederzeit ab", "meldest du dich jederzeit ab"),
        ("Senden Sie mir", "Sende mir"),
        ("öffnen Sie den Link", "öffne den Link"),
        ("antworten Sie einfach", "antworte einfach"),
        ("Möchten Sie", "Möchtest du"),
        ("möchten Sie", "möchtest du"),
        ("für Sie", "für dich"),
    ];

    /// <summary>Whether a text of ours (or the client's) speaks in the Sie-form.</summary>
    public static bool HasSieForm(string text) => SieForm().IsMatch(text);

    [GeneratedRegex(@"\b(?:Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Pronoun();

    [GeneratedRegex(@"\b(?:Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b", RegexOptions.CultureInvariant)]
    private static partial Regex SieForm();

    /// <summary>Sie-form, capitalised inside a sentence ("Können Sie", "Ihr Produkt", "Ihnen"): at a sentence's start "Sie" could be "they".</summary>
    [GeneratedRegex(@"(?<=[\p{L}\d,]\s+)(?:Sie|Ihnen|Ihre[nmrs]?)\b|\bIhnen\b", RegexOptions.CultureInvariant)]
    private static partial Regex Formal();

    /// <summary>du-form, and ihr to the business ("habt ihr", "könnt ihr", "bei euch").</summary>
    [GeneratedRegex(@"\b(?:du|dir|dich|dein|deine[nmrs]?|euch|euer|eure[nmrs]?|habt|seid|könnt|koennt|kannst|hast|bist|weißt|weisst|willst|machst|hilfst|bietest|bietet ihr|gibts bei euch)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Informal();
}
