namespace SalesFlow.Core.Delivery;

/// <summary>An e-mail address of a client's leads that gets no further e-mail (it bounced, was dropped or reported as spam).</summary>
/// <param name="Address">Lower-cased, as compared.</param>
/// <param name="Reason">The vendor's event and reason, e.g. "bounce: 550 5.1.1 user unknown".</param>
public sealed record EmailSuppression(string ClientId, string Address, string Reason, DateTimeOffset CreatedAt)
{
    public static string Normalize(string address) => address.Trim().ToLowerInvariant();
}

/// <summary>
/// What vendors report about deliveries beyond an item's status: the per-client e-mail suppression list, and which vendor
/// events were applied already (vendors redeliver webhooks; an event is applied once).
/// </summary>
public interface IDeliveryFeedbackStore
{
    /// <summary>Adds the address to the client's list; an address already listed keeps its first reason.</summary>
    Task SuppressEmailAsync(EmailSuppression suppression, CancellationToken ct);

    /// <summary>The client's suppression of <paramref name="address"/> (compared case-insensitively), or null.</summary>
    Task<EmailSuppression?> FindEmailSuppressionAsync(string clientId, string address, CancellationToken ct);

    /// <summary>True when the vendor event id was recorded for the client (its event was applied).</summary>
    Task<bool> HasEventAsync(string clientId, string eventId, CancellationToken ct);

    /// <summary>Records a vendor event id (e.g. SendGrid's sg_event_id) for the client; false when it was recorded before.</summary>
    Task<bool> TryRecordEventAsync(string clientId, string eventId, DateTimeOffset now, CancellationToken ct);
}
