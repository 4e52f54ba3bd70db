using SalesFlow.Core.Conversations;

namespace SalesFlow.Core.Leads;

/// <summary>
/// What the lead is told in chat about an address it typed: a lead that sent "sam@example.com" got "Thanks for letting
/// me know. Shall I put together the exact pricing?" and, unexplained, an e-mail with a code.
/// </summary>
public static class EmailTexts
{
    /// <summary>Words around the address that still make a message essentially the address ("my email is …", "here you go:").</summary>
    private const int MaxWordsBesideAddress = 5;

    /// <summary>
    /// The fixed reply for a message that is essentially an address whose confirmation e-mail went out, or a code that
    /// proved one; null otherwise (a message that says more gets the normal reply).
    /// </summary>
    public static DialogueReading? ReadingFor(EmailTurn email, string text, bool german, string? name)
    {
        ArgumentNullException.ThrowIfNull(email);
        var you = string.IsNullOrWhiteSpace(name) ? string.Empty : ", " + name.Trim();
        if (email.Verified is { } verified)
        {
            return new(null, german
                ? $"Danke{you}, Ihre Adresse {verified} ist bestätigt. Wobei kann ich Ihnen als Nächstes helfen?"
                : $"Thanks{you}, {verified} is confirmed. What can I help you with next?");
        }

        if (email.ConfirmationSentTo is not { } address || !IsEssentially(text, address))
        {
            return null;
        }

        return new(null, german
            ? $"Danke{you}! Ich habe Ihnen eine kurze Bestätigung an {address} geschickt. Senden Sie mir den Code daraus hier zurück (oder öffnen Sie den Link darin), dann nutzen wir diese Adresse."
            : $"Thanks{you}! I've sent a short confirmation to {address}. Send me the code from it here (or open its link) and we'll use that address.");
    }

    /// <summary>Whether a text of ours asks for the code of an address confirmation just sent (either language).</summary>
    public static bool AsksForTheCode(string text) =>
        text.Contains("Send me the code from it here", StringComparison.Ordinal) || text.Contains("den Code daraus hier zurück", StringComparison.Ordinal);

    private static bool IsEssentially(string text, string address)
    {
        var rest = text.Replace(address, " ", StringComparison.OrdinalIgnoreCase);
        return rest.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length <= MaxWordsBesideAddress;
    }
}
