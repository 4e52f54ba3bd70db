using System.ComponentModel.DataAnnotations;

namespace SalesFlow.Core.Delivery;

/// <summary>How deliveries retry, how long a claim protects a vendor call, and the send rate limits (section "Delivery").</summary>
public sealed class DeliveryOptions : IValidatableObject
{
    public const string Section = "Delivery";

    /// <summary>Vendor calls per item before a retryable failure parks it as failed (replayable through the outbox API).</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Backoff before the second attempt; it doubles per attempt (with jitter) up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts, a vendor's Retry-After included (a Retry-After of hours must not hold a reply that long).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one vendor call may take before it counts as unanswered (in doubt); keep it under <see cref="SendingLease"/>.</summary>
    public TimeSpan VendorCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a claim covers its vendor call. A claim older than this whose run never recorded the vendor's answer is
    /// in doubt: longer than any vendor call can take (the HTTP clients time out well before), short enough to surface soon.
    /// </summary>
    public TimeSpan SendingLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Messages per second from one client's sender on one channel (WhatsApp Cloud API allows about 80 per number).</summary>
    [Range(1, 10_000)]
    public int PerSenderPerSecond { get; set; } = 80;

    /// <summary>Least time between two messages to the same recipient on one channel (WhatsApp: about one per 6 s to a user).</summary>
    public TimeSpan PerRecipientInterval { get; set; } = TimeSpan.FromSeconds(6);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryBaseDelay < TimeSpan.FromMilliseconds(100) || RetryBaseDelay > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("Delivery:RetryBaseDelay must be between 00:00:00.1 and 01:00:00.", [nameof(RetryBaseDelay)]);
        }

        if (RetryMaxDelay < RetryBaseDelay || RetryMaxDelay > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("Delivery:RetryMaxDelay must be at least RetryBaseDelay and at most 1.00:00:00.", [nameof(RetryMaxDelay)]);
        }

        if (SendingLease < TimeSpan.FromSeconds(10) || SendingLease > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("Delivery:SendingLease must be between 00:00:10 and 01:00:00.", [nameof(SendingLease)]);
        }

        if (VendorCallTimeout < TimeSpan.FromMilliseconds(100) || VendorCallTimeout > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("Delivery:VendorCallTimeout must be between 00:00:00.1 and 00:05:00.", [nameof(VendorCallTimeout)]);
        }

        if (PerRecipientInterval < TimeSpan.Zero || PerRecipientInterval > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("Delivery:PerRecipientInterval must be between 00:00:00 (no limit) and 01:00:00.", [nameof(PerRecipientInterval)]);
        }
    }
}
