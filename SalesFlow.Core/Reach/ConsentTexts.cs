namespace SalesFlow.Core.Reach;

/// <summary>
/// The opt-in confirmation SalesFlow writes itself, in English and German: a fixed text like a carrier's, naming the
/// sender and how to stop again (CTIA: a confirmation identifies the program and the opt-out keyword).
/// </summary>
public static class ConsentTexts
{
    public static string OptIn(string? language, string? firstName, string clientName)
    {
        var german = string.Equals(language, "de", StringComparison.OrdinalIgnoreCase);
        var name = string.IsNullOrWhiteSpace(firstName) ? "" : ", " + firstName.Trim();
        var client = string.IsNullOrWhiteSpace(clientName) ? (german ? "uns" : "us") : clientName.Trim();
        return german
            ? $"Willkommen zurück{name}! Sie erhalten wieder Nachrichten von {client}. Mit STOPP melden Sie sich jederzeit ab."
            : $"Welcome back{name}! You will get messages from {client} again. Reply STOP at any time to unsubscribe.";
    }
}
