using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.FollowUps;

namespace SalesFlow.Core.Outreach;

/// <summary>
/// A message SalesFlow starts (nobody just wrote): a first contact (<see cref="OutboxPurpose.FirstContact"/>) or step
/// <paramref name="Step"/> (0-based) of <paramref name="Steps"/> of a follow-up cadence (<see cref="OutboxPurpose.FollowUp"/>).
/// </summary>
/// <param name="Language">"en", "de", … (the lead's, else the client's).</param>
/// <param name="Interest">What the lead asked about on the form, if anything.</param>
/// <param name="FormMessage">The lead's own words on the form, if any.</param>
public sealed record OutreachRequest(
    string ClientId,
    string ClientName,
    string LeadId,
    string ConversationId,
    string? FirstName,
    string Language,
    ChannelKind Channel,
    string Purpose,
    int Step,
    int Steps,
    ConversationState State,
    bool Du,
    string? Interest = null,
    string? FormMessage = null);

/// <param name="Source">"rules" or "llm": who wrote it (the compliance audit records it).</param>
public sealed record OutreachText(string Text, string Source);

/// <summary>Writes first contacts and follow-up steps: the rules brain's texts, or a chat model falling back to them.</summary>
public interface IOutreachWriter
{
    Task<OutreachText> WriteAsync(OutreachRequest request, CancellationToken ct);
}

/// <summary>
/// The rules brain's outreach: vetted texts in English and German (other languages get English), for the lead's stage
/// and channel (e-mail signs off). Like every rules text they state no price, discount, feature or date.
/// </summary>
public sealed class RulesOutreachWriter : IOutreachWriter
{
    public const string Source = "rules";

    public Task<OutreachText> WriteAsync(OutreachRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(new OutreachText(Write(request), Source));
    }

    public static string Write(OutreachRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var german = IsGerman(request.Language);
        var client = string.IsNullOrWhiteSpace(request.ClientName) ? (german ? "uns" : "us") : request.ClientName.Trim();
        var text = request.Purpose == OutboxPurpose.FirstContact
            ? FirstContact(german, request.FirstName, client, request.Interest)
            : FollowUp(request, german, client);
        text = request.Channel == ChannelKind.Email
            ? text + (german ? $"\n\nViele Grüße\nIhr {client}-Team" : $"\n\nBest regards,\nThe {client} team")
            : text;
        // A German lead who writes du is followed up on du (the replies before were).
        return german && request.Du ? Brain.Rules.GermanAddress.ToDu(text) : text;
    }

    public static bool IsGerman(string? language) => language is not null && language.StartsWith("de", StringComparison.OrdinalIgnoreCase);

    private static string FirstContact(bool german, string? firstName, string client, string? interest)
    {
        var hi = german ? (firstName is null ? "Hallo" : "Hallo " + firstName) : (firstName is null ? "Hi" : "Hi " + firstName);
        return (german, string.IsNullOrWhiteSpace(interest)) switch
        {
            (false, true) => $"{hi}, thanks for getting in touch with {client}! How can we help you?",
            (false, false) => $"{hi}, thanks for your interest in {interest!.Trim()}! This is {client}. What would you like to know, or when would be a good time for a short chat?",
            (true, true) => $"{hi}, danke, dass Sie sich bei {client} melden! Wie können wir Ihnen helfen?",
            (true, false) => $"{hi}, danke für Ihr Interesse an {interest!.Trim()}! Hier ist {client}. Was möchten Sie wissen, oder wann passt Ihnen ein kurzes Gespräch?",
        };
    }

    /// <summary>A lead who was close to a decision gets a nudge about that decision first; otherwise the cadence's texts.</summary>
    private static string FollowUp(OutreachRequest request, bool german, string client)
    {
        var name = string.IsNullOrWhiteSpace(request.FirstName) ? "" : ", " + request.FirstName;
        if (request.Step == 0 && request.State is ConversationState.PriceNegotiation or ConversationState.ClosingAttempt)
        {
            return german
                ? $"Kurze Nachfrage{name}: Sind vor dem nächsten Schritt mit {client} noch Fragen offen? Ich helfe gern."
                : $"Just checking in{name}: is there anything left to clear up before the next step with {client}? Happy to help.";
        }

        return FollowUpTemplates.For(request.Step, german ? "de" : "en", request.FirstName, client);
    }
}
