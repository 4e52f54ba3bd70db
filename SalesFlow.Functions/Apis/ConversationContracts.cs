namespace SalesFlow.Functions.Apis;

/// <summary>POST /api/conversations: the conversation the lead's message started (or continued) and SalesFlow's reply.</summary>
/// <param name="Reply">Null when SalesFlow stays silent; <paramref name="Silence"/> says why.</param>
/// <param name="Silence">Why there is no reply (<see cref="ReplySilence"/>); null when there is one.</param>
public sealed record StartedConversationDto(string ConversationId, string LeadId, string State, string? Reply, string? Silence);

/// <summary>POST /api/conversations/{id}/messages: the transition the message made and the reply (or why there is none).</summary>
public sealed record ConversationTurnDto(string State, string PreviousState, string Intent, string? Reply, string? Silence);

/// <summary>
/// Why a turn sent no reply: "opted_out" (the lead said STOP), "handed_over" (a person has the lead: it asked for one,
/// was escalated or a rep took it over), "pending" (messages still arriving in a burst: the reply follows when it
/// closes). Issue 14: no message from an active lead goes unanswered, and when one is not answered the API says why.
/// </summary>
public static class ReplySilence
{
    public static string? Of(Core.Conversations.LeadTurn turn) =>
        turn.Reply is not null ? null : turn.Lead?.OptedOut == true ? "opted_out" : turn.Lead?.Escalated == true ? "handed_over" : "pending";
}

/// <summary>POST /api/conversations/{id}/messages/{messageId}/trust: the message as stored now.</summary>
public sealed record TrustedMessageDto(string ConversationId, MessageDto Message);

/// <summary>HubSpot's webhook answered: how many events set a lead's outcome, how many changed nothing.</summary>
public sealed record HubSpotWebhookResultDto(int Applied, int Ignored);

/// <summary>Twilio's status callback answered: whether it moved an outbox item (false: unknown or already further).</summary>
public sealed record TwilioStatusResultDto(bool Applied);

/// <summary>SendGrid's Event Webhook answered: what became of the batch's events.</summary>
public sealed record SendGridEventsResultDto(int Applied, int Duplicates, int Unmatched, int Ignored, int Suppressed);

/// <summary>POST /api/intelligence/analyze: the deterministic reading of a text (rules and the local learnt model).</summary>
public sealed record MessageAnalysisDto(string Language, string Intent, string Sentiment, double SentimentScore, double Confidence);
