namespace SalesFlow.Core.FollowUps;

/// <summary>
/// The rules brain's follow-up texts, one per cadence step, in English and German (the languages the rules brain
/// writes). Like the reply templates they state no price, discount, feature or date. <c>{, name}</c> becomes ", Anna"
/// or nothing; <c>{client}</c> is the business's name.
/// </summary>
public static class FollowUpTemplates
{
    private static readonly string[] En =
    [
        "Just checking in{, name}: did my last message help? Happy to answer anything else about {client}.",
        "Hi again{, name}! I wanted to follow up on our conversation. Is there anything I can clarify for you?",
        "Hello{, name}, I don't want you to miss out. If it helps, we can set up a short call with the {client} team.",
        "One last note from me{, name}: whenever the time is right, just reply here and we'll pick up where we left off.",
    ];

    private static readonly string[] De =
    [
        "Kurze Nachfrage{, name}: Hat Ihnen meine letzte Nachricht weitergeholfen? Ich beantworte gern weitere Fragen zu {client}.",
        "Hallo noch einmal{, name}! Ich wollte an unser Gespräch anknüpfen. Kann ich Ihnen noch etwas erklären?",
        "Guten Tag{, name}, wenn es hilft, vereinbaren wir gern ein kurzes Gespräch mit dem {client}-Team.",
        "Eine letzte Nachricht von mir{, name}: Wann immer es für Sie passt, antworten Sie einfach hier und wir machen weiter.",
    ];

    /// <summary>The text of step <paramref name="step"/> (0-based); steps past the fourth reuse the last text.</summary>
    public static string For(int step, string? language, string? firstName, string clientName)
    {
        var german = string.Equals(language, "de", StringComparison.OrdinalIgnoreCase);
        var texts = german ? De : En;
        var client = string.IsNullOrWhiteSpace(clientName) ? (german ? "uns" : "us") : clientName.Trim();
        return texts[Math.Clamp(step, 0, texts.Length - 1)]
            .Replace("{, name}", string.IsNullOrWhiteSpace(firstName) ? "" : ", " + firstName, StringComparison.Ordinal)
            .Replace("{client}", client, StringComparison.Ordinal);
    }
}
