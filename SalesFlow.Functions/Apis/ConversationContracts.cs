namespace SalesFlow.Functions.Apis;

/// <summary>POST /api/conversations: the conversation the lead's message started (or continued) and SalesFlow's reply.</summary>
/// <param name="Reply">Null when SalesFlow stays silent (an opted-out lead, a human took over, a burst still open).</param>
public sealed record StartedConversationDto(string ConversationId, string LeadId, string State, string? Reply);

/// <summary>POST /api/conversations/{id}/messages: the transition the message made and the reply.</summary>
public sealed record ConversationTurnDto(string State, string PreviousState, string Intent, string? Reply);

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
