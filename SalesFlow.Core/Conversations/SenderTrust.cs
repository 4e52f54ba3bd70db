namespace SalesFlow.Core.Conversations;

/// <summary>
/// A stored message whose sender could not be shown to be who the message claims (a forged e-mail From header). It
/// stays in the conversation for a human, but nothing that acts on a lead's words reads it: no turn, no opt-out or
/// opt-in, no facts, no memory, no coaching.
/// </summary>
public static class SenderTrust
{
    /// <summary>Metadata key that marks such a message; its value says why.</summary>
    public const string UntrustedKey = "untrusted";

    /// <summary>The reason for an e-mail whose From domain neither DKIM nor SPF vouched for.</summary>
    public const string SenderNotAuthenticated = "sender_not_authenticated";

    public static bool IsUntrusted(this Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Metadata.ContainsKey(UntrustedKey);
    }
}
