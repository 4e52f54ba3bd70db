namespace SalesFlow.Core.Conversations;

/// <summary>
/// A stored message whose sender could not be shown to be who the message claims (a forged e-mail From header). It
/// stays in the conversation for a human, but nothing that acts on a lead's words reads it: no turn, no opt-out or
/// opt-in, no facts, no memory, no coaching, until a human vouches for it (<see cref="Intake.IntakeService.TrustAsync"/>).
/// </summary>
public static class SenderTrust
{
    /// <summary>Metadata key that marks such a message; its value says why.</summary>
    public const string UntrustedKey = "untrusted";

    /// <summary>The reason for an e-mail whose From domain neither DKIM nor SPF vouched for.</summary>
    public const string SenderNotAuthenticated = "sender_not_authenticated";

    /// <summary>Metadata key of a held-back message a human vouched for: who (e.g. <c>api</c>, the client's API key).</summary>
    public const string TrustedByKey = "trusted_by";

    /// <summary>Metadata key of a held-back message a human vouched for: when (ISO 8601, UTC).</summary>
    public const string TrustedAtKey = "trusted_at";

    /// <summary>Who vouches through the management API: the client's key, which names no person.</summary>
    public const string TrustedByApi = "api";

    /// <summary>A message that was held back as untrusted until a human vouched for it.</summary>
    public static bool WasTrustedByHuman(this Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return !message.IsUntrusted() && message.Metadata.ContainsKey(TrustedAtKey);
    }

    public static bool IsUntrusted(this Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Metadata.ContainsKey(UntrustedKey);
    }
}
