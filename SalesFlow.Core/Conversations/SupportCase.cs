namespace SalesFlow.Core.Conversations;

/// <summary>
/// A lead reporting a problem ("Ich bin schon Kunde und seit gestern kommen keine WhatsApp Nachrichten mehr an"): the
/// reply says a colleague will look into it, and nobody was told. The reply's copy in the conversation carries
/// <see cref="MetadataKey"/>, and the next best actions hand the case to a person (Recommendations). Not an escalation:
/// the brain's support reading also takes in prompt injections and other oddities, and an escalated lead gets no more
/// automatic answers.
/// </summary>
public static class SupportCase
{
    public const string MetadataKey = "supportCase";

    /// <summary>The metadata of a reply to a support case.</summary>
    public static IReadOnlyDictionary<string, string> Metadata { get; } = new Dictionary<string, string> { [MetadataKey] = "true" };

    /// <summary>When SalesFlow last answered a support case among <paramref name="messages"/>; null when it did not.</summary>
    public static DateTimeOffset? LatestIn(IEnumerable<Message> messages) =>
        messages.Where(m => m.Direction == MessageDirection.Outbound && m.Metadata.ContainsKey(MetadataKey)).Select(m => (DateTimeOffset?)m.CreatedAt).Max();
}
