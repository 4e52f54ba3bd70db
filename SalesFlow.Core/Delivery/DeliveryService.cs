using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Queue;

namespace SalesFlow.Core.Delivery;

/// <summary>
/// Sends one outbox item with exactly-once effect:
/// <list type="bullet">
/// <item>the item is claimed (pending → sending, one conditional write) before the vendor call, so of two runs of the
/// same delivery only one calls the vendor; the vendor's message id is stored after;</item>
/// <item>a run that finds a claim younger than the lease looks again when it ends; an older claim whose run died before
/// its vendor call (none recorded) is sent again, since nothing left the process; one whose run started the call but
/// never recorded the vendor's answer is marked in doubt, never resent blindly. A vendor report that echoes the outbox
/// id still settles it (sent, delivered, …); an operator can resend it;</item>
/// <item>a retryable vendor failure (429, 5xx, timeout) puts the item back to pending with its attempt count and
/// schedules the delivery again by a delayed enqueue (exponential backoff with jitter, never before the vendor's
/// Retry-After), the same in both hosts; after <see cref="DeliveryOptions.MaxAttempts"/> it is failed with the reason;
/// a permanent refusal fails it at once with the vendor's code;</item>
/// <item>a delivery over a rate limit is enqueued again for when a permit is free rather than holding a worker.</item>
/// </list>
/// </summary>
public sealed class DeliveryService(
    IOutboxStore outbox,
    ILeadStore leads,
    Reach.IOptOutLedger optOuts,
    IChannelSender sender,
    IDeliveryFeedbackStore feedback,
    IWorkQueue queue,
    DeliveryRateLimiter limiter,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryService> logger)
{
    private DeliveryOptions Options => options.Value;

    public async Task DeliverAsync(string clientId, string outboxId, CancellationToken ct)
    {
        var item = await outbox.GetAsync(clientId, outboxId, ct);
        if (item is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (item.Status == OutboxStatus.Sending)
        {
            await ResolveClaimAsync(item, now, ct);
            return;
        }

        if (item.Status != OutboxStatus.Pending)
        {
            return; // sent, delivered, read, failed, in doubt, suppressed: nothing to do, whoever asks
        }

        if (item.NextAttemptAt is { } due && due > now)
        {
            // Early (a sweep, a duplicate message): the backoff still runs.
            await EnqueueAgainAsync(item, due - now, ct);
            return;
        }

        var (acquired, wait) = limiter.TryAcquire(item);
        if (!acquired)
        {
            Count(item, "rate_limited");
            logger.LogInformation("Outbox item {OutboxId} waits {Wait} for the {Channel} rate limit", item.Id, wait, item.Channel.ToWire());
            await EnqueueAgainAsync(item, wait, ct);
            return;
        }

        var claimed = await outbox.TryClaimAsync(clientId, outboxId, now, ct);
        if (claimed?.ClaimedAt is not { } claimedAt)
        {
            Count(item, "claimed_elsewhere");
            logger.LogInformation("Outbox item {OutboxId} was claimed by another run; not sent here", item.Id);
            return;
        }

        if (await SuppressionReasonAsync(claimed, ct) is { } reason)
        {
            await outbox.ReleaseClaimAsync(clientId, outboxId, claimedAt, OutboxStatus.Suppressed, reason, null, clock.GetUtcNow(), ct);
            Count(claimed, "suppressed");
            logger.LogInformation("Outbox item {OutboxId} suppressed: {Reason}", claimed.Id, reason);
            return;
        }

        await SendClaimedAsync(claimed, claimedAt, ct);
    }

    private async Task SendClaimedAsync(OutboxItem claimed, DateTimeOffset claimedAt, CancellationToken ct)
    {
        var channel = claimed.Channel.ToWire();
        var started = clock.GetTimestamp();
        if (claimed.Purpose == OutboxPurpose.FirstContact)
        {
            // Speed to lead: from the form accepted (or the end of the quiet hours it waited for) to the vendor call.
            SalesFlowMetrics.SpeedToLead.Record((clock.GetUtcNow() - claimed.CreatedAt).TotalMilliseconds, new KeyValuePair<string, object?>("channel", channel));
        }

        if (!await outbox.MarkVendorCallStartedAsync(claimed.ClientId, claimed.Id, claimedAt, clock.GetUtcNow(), ct))
        {
            Count(claimed, "claimed_elsewhere"); // this run outlived its lease and another run settled the item
            logger.LogWarning("Outbox item {OutboxId}: the claim of {ClaimedAt} ran out before its vendor call; not sent here", claimed.Id, claimedAt);
            return;
        }

        string providerId;
        try
        {
            providerId = await sender.SendAsync(claimed, ct);
        }
        catch (DeliveryException e) when (e.Permanent)
        {
            RecordVendorCall(channel, "permanent", started);
            var error = e.VendorCode is null ? e.Message : $"{e.VendorCode}: {e.Message}";
            await outbox.ReleaseClaimAsync(claimed.ClientId, claimed.Id, claimedAt, OutboxStatus.Failed, error, null, clock.GetUtcNow(), ct);
            Count(claimed, "failed");
            logger.LogWarning("Outbox item {OutboxId} refused by the vendor on {Channel}: {Error}", claimed.Id, channel, error);
            return;
        }
        catch (Exception e) when (IsUnanswered(e, ct))
        {
            RecordVendorCall(channel, "unanswered", started);
            var error = $"in doubt: the request went out but no answer came ({e.Message}); not resent automatically to avoid a duplicate. " +
                $"A vendor report that names it settles it; resend it through POST /api/outbox/{claimed.Id}/resend if it never arrived.";
            await outbox.ReleaseClaimAsync(claimed.ClientId, claimed.Id, claimedAt, OutboxStatus.InDoubt, error, null, clock.GetUtcNow(), ct);
            Count(claimed, "in_doubt");
            logger.LogWarning("Outbox item {OutboxId} is in doubt after attempt {Attempt} on {Channel}: {Error}", claimed.Id, claimed.Attempts, channel, e.Message);
            return;
        }
        catch (Exception e) when (IsRetryable(e))
        {
            RecordVendorCall(channel, "transient", started);
            await RetryOrGiveUpAsync(claimed, claimedAt, e, ct);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Neither a refusal nor a known transient failure: the vendor may have the message. The claim stays; the queue
            // runs the delivery again, which waits out the lease and marks the item in doubt unless a report settles it.
            RecordVendorCall(channel, "error", started);
            throw;
        }

        RecordVendorCall(channel, "accepted", started);

        // Forwards only: a fast vendor report that named the item may already have moved it past sent.
        await outbox.ApplyStatusAsync(claimed.ClientId, claimed.Id, providerId, OutboxStatus.Sent, null, clock.GetUtcNow(), ct);
        Count(claimed, "sent");
        SalesFlowMetrics.MessagesSent.Add(1, new KeyValuePair<string, object?>("channel", channel));
        logger.LogInformation("Outbox item {OutboxId} sent on {Channel} as {ProviderMessageId} (attempt {Attempt})", claimed.Id, channel, providerId, claimed.Attempts);
    }

    private async Task RetryOrGiveUpAsync(OutboxItem claimed, DateTimeOffset claimedAt, Exception failure, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var vendor = failure as DeliveryException;
        var reason = vendor?.VendorCode is { } code ? $"{code}: {failure.Message}" : $"{failure.GetType().Name}: {failure.Message}";
        if (claimed.Attempts >= Options.MaxAttempts)
        {
            var error = $"gave up after {claimed.Attempts} attempts; last: {reason}";
            await outbox.ReleaseClaimAsync(claimed.ClientId, claimed.Id, claimedAt, OutboxStatus.Failed, error, null, now, ct);
            Count(claimed, "gave_up");
            logger.LogWarning("Outbox item {OutboxId} failed: {Error}", claimed.Id, error);
            return;
        }

        var delay = RetryDelay(claimed.Attempts, vendor?.RetryAfter);
        if (!await outbox.ReleaseClaimAsync(claimed.ClientId, claimed.Id, claimedAt, OutboxStatus.Pending, $"attempt {claimed.Attempts} failed: {reason}", now + delay, now, ct))
        {
            return; // a vendor report settled it meanwhile
        }

        // After the release: a crash in between leaves a pending item whose queue message is retried (and the sweep).
        await EnqueueAgainAsync(claimed, delay, ct);
        Count(claimed, "retry_scheduled");
        SalesFlowMetrics.DeliveryRetries.Add(1, new KeyValuePair<string, object?>("channel", claimed.Channel.ToWire()));
        logger.LogWarning("Outbox item {OutboxId} attempt {Attempt} failed ({Reason}); next attempt in {Delay}", claimed.Id, claimed.Attempts, reason, delay);
    }

    /// <summary>
    /// Exponential backoff with equal jitter (half fixed, half random, so retries of a burst spread out), and never
    /// sooner than the vendor's Retry-After, but never longer than <see cref="DeliveryOptions.RetryMaxDelay"/>: a
    /// Retry-After of hours (or a date far off) would otherwise hold the lead's reply that long.
    /// </summary>
    internal TimeSpan RetryDelay(int attempt, TimeSpan? retryAfter)
    {
        var exponential = Options.RetryBaseDelay.Ticks * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, Options.RetryMaxDelay.Ticks);
        var jittered = TimeSpan.FromTicks((long)((capped / 2) + (Random.Shared.NextDouble() * capped / 2)));
        var floor = retryAfter is { } vendorAsks && vendorAsks > jittered ? vendorAsks : jittered;
        return floor < Options.RetryMaxDelay ? floor : Options.RetryMaxDelay;
    }

    /// <summary>
    /// A sending item found by another run: wait for its lease; past it, send again if the claiming run never started its
    /// vendor call, else in doubt (never resent blindly).
    /// </summary>
    private async Task ResolveClaimAsync(OutboxItem item, DateTimeOffset now, CancellationToken ct)
    {
        var claimedAt = item.ClaimedAt ?? item.UpdatedAt;
        var leaseEnds = claimedAt + Options.SendingLease;
        if (now < leaseEnds)
        {
            // The claiming run may still be in its vendor call; if it died, this look after the lease settles the item.
            await EnqueueAgainAsync(item, leaseEnds - now + TimeSpan.FromSeconds(1), ct);
            return;
        }

        if (item.VendorCallStartedAt is null)
        {
            var note = $"the delivery run that claimed it at {claimedAt:O} (attempt {item.Attempts}) stopped before its vendor call; sent again";
            if (await outbox.ReleaseClaimAsync(item.ClientId, item.Id, claimedAt, OutboxStatus.Pending, note, null, now, ct))
            {
                Count(item, "reclaimed");
                logger.LogWarning("Outbox item {OutboxId}: {Note}", item.Id, note);
                await DeliverAsync(item.ClientId, item.Id, ct); // pending now: this run claims and sends it
            }

            return;
        }

        var error = $"in doubt: the delivery run that claimed it at {claimedAt:O} (attempt {item.Attempts}) never recorded the vendor's answer; " +
            $"not resent automatically to avoid a duplicate. Check the vendor's log; resend it through POST /api/outbox/{item.Id}/resend if it never arrived.";
        if (await outbox.ReleaseClaimAsync(item.ClientId, item.Id, claimedAt, OutboxStatus.InDoubt, error, null, now, ct))
        {
            Count(item, "in_doubt");
            logger.LogWarning("Outbox item {OutboxId} is in doubt: its claim of {ClaimedAt} ran out without a recorded vendor answer; not resent", item.Id, claimedAt);
        }
    }

    private async Task<string?> SuppressionReasonAsync(OutboxItem item, CancellationToken ct)
    {
        if (OutboxPurpose.IsToStaff(item.Purpose))
        {
            // To the client's own people: the lead's opt-out or erasure is about the lead's address, not theirs.
            return await EmailSuppressionAsync(item, ct);
        }

        var lead = await leads.GetAsync(item.ClientId, item.LeadId, ct);
        if (lead is null)
        {
            return "lead erased";
        }

        // A message that answers none (follow-up, first contact) also asks the ledger: the address may have opted out
        // as another lead, or before an erasure. A reply's turn has already read the ledger into the lead's flag.
        var confirmation = item.Purpose is OutboxPurpose.OptOutConfirmation or OutboxPurpose.OptInConfirmation;
        var unprompted = item.Purpose is not (OutboxPurpose.Reply or OutboxPurpose.Handover or OutboxPurpose.EmailVerification) && !confirmation;
        if ((!confirmation && lead.OptedOut) || (unprompted && await optOuts.IsOptedOutAsync(item.ClientId, item.Recipient, ct)))
        {
            return "lead opted out";
        }

        return await EmailSuppressionAsync(item, ct);
    }

    private async Task<string?> EmailSuppressionAsync(OutboxItem item, CancellationToken ct) =>
        item.Channel == ChannelKind.Email && await feedback.FindEmailSuppressionAsync(item.ClientId, item.Recipient, ct) is { } suppression
            ? $"address on the e-mail suppression list since {suppression.CreatedAt:O} ({suppression.Reason})"
            : null;

    private Task EnqueueAgainAsync(OutboxItem item, TimeSpan delay, CancellationToken ct) =>
        queue.EnqueueAsync(Queues.Deliver, DeliverWork.Serialize(new DeliverWork(item.ClientId, item.Id)), delay, DeliverWork.CoalesceKey(item.Id), ct);

    /// <summary>A vendor failure that may pass and where a retry cannot send twice: the vendor refused for now (429, 5xx) or was never reached.</summary>
    private static bool IsRetryable(Exception e) => e switch
    {
        DeliveryException vendor => !vendor.Permanent && !vendor.OutcomeUnknown,
        HttpRequestException http => http.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError,
        _ => false,
    };

    /// <summary>The request may have reached the vendor but no answer came (a timeout): resending could send twice.</summary>
    private static bool IsUnanswered(Exception e, CancellationToken ct) => e switch
    {
        DeliveryException vendor => vendor.OutcomeUnknown,
        TimeoutException => true,
        OperationCanceledException => !ct.IsCancellationRequested, // an HTTP client's timeout, not our shutdown
        HttpRequestException http => http.HttpRequestError is not (HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError),
        _ => false,
    };

    private void RecordVendorCall(string channel, string outcome, long started) =>
        SalesFlowMetrics.VendorCallDuration.Record(
            clock.GetElapsedTime(started).TotalMilliseconds,
            new KeyValuePair<string, object?>("channel", channel),
            new KeyValuePair<string, object?>("outcome", outcome));

    private static void Count(OutboxItem item, string outcome) =>
        SalesFlowMetrics.DeliveryOutcomes.Add(
            1,
            new KeyValuePair<string, object?>("channel", item.Channel.ToWire()),
            new KeyValuePair<string, object?>("outcome", outcome));
}
