using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Tests.Adapters;

/// <summary>The delivery claim (exactly-once effect), vendor reports by our id, resend, and the e-mail suppression list, in every adapter.</summary>
public abstract partial class StoreContractTests
{
    private async Task<OutboxItem> PendingItemAsync(string clientId = Acme)
    {
        var id = Ids.New("out");
        return (await _s.Outbox.AddAsync(Item(clientId, "lead_claims", id, "key-" + id), default)).Item;
    }

    [Fact]
    public async Task OfTwentyConcurrentClaimsOfOnePendingItemExactlyOneWins()
    {
        var item = await PendingItemAsync();
        var now = NowMs;

        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => _s.Outbox.TryClaimAsync(Acme, item.Id, now, CancellationToken.None))));

        var won = Assert.Single(claims, c => c is not null)!;
        Assert.Equal((OutboxStatus.Sending, 1, now), (won.Status, won.Attempts, won.ClaimedAt));
        var stored = (await _s.Outbox.GetAsync(Acme, item.Id, default))!;
        Assert.Equal((OutboxStatus.Sending, 1), (stored.Status, stored.Attempts));
        Assert.Null(await _s.Outbox.TryClaimAsync(Acme, item.Id, NowMs, default));
        Assert.Null(await _s.Outbox.TryClaimAsync(Globex, item.Id, NowMs, default));
    }

    [Fact]
    public async Task AClaimIsReleasedOnlyUnderItsOwnClaimTimeAndARetryCountsItsAttempts()
    {
        var item = await PendingItemAsync();
        var first = (await _s.Outbox.TryClaimAsync(Acme, item.Id, NowMs, default))!;
        var retryAt = NowMs.AddSeconds(30);

        Assert.False(await _s.Outbox.ReleaseClaimAsync(Acme, item.Id, first.ClaimedAt!.Value.AddSeconds(-1), OutboxStatus.Pending, "stale claim", retryAt, NowMs, default));
        Assert.False(await _s.Outbox.ReleaseClaimAsync(Globex, item.Id, first.ClaimedAt!.Value, OutboxStatus.Pending, "other client", retryAt, NowMs, default));
        Assert.True(await _s.Outbox.ReleaseClaimAsync(Acme, item.Id, first.ClaimedAt!.Value, OutboxStatus.Pending, "attempt 1 failed: 429", retryAt, NowMs, default));

        var pending = (await _s.Outbox.GetAsync(Acme, item.Id, default))!;
        Assert.Equal((OutboxStatus.Pending, 1, retryAt, "attempt 1 failed: 429"), (pending.Status, pending.Attempts, pending.NextAttemptAt, pending.Error));
        var second = (await _s.Outbox.TryClaimAsync(Acme, item.Id, NowMs.AddSeconds(31), default))!;
        Assert.Equal(2, second.Attempts);

        Assert.True(await _s.Outbox.ApplyStatusAsync(Acme, item.Id, "prov-" + item.Id, OutboxStatus.Sent, null, NowMs, default));
        Assert.False(await _s.Outbox.ReleaseClaimAsync(Acme, item.Id, second.ClaimedAt!.Value, OutboxStatus.InDoubt, "too late", null, NowMs, default));
        var sent = (await _s.Outbox.GetAsync(Acme, item.Id, default))!;
        Assert.Equal((OutboxStatus.Sent, "prov-" + item.Id, (string?)null), (sent.Status, sent.ProviderMessageId, sent.Error));
    }

    [Fact]
    public async Task AVendorCallIsRecordedOnlyUnderItsOwnClaimAndANewClaimStartsWithoutOne()
    {
        var item = await PendingItemAsync();
        var first = (await _s.Outbox.TryClaimAsync(Acme, item.Id, NowMs, default))!;
        Assert.Null(first.VendorCallStartedAt);

        Assert.False(await _s.Outbox.MarkVendorCallStartedAsync(Acme, item.Id, first.ClaimedAt!.Value.AddSeconds(-1), NowMs, default));
        Assert.False(await _s.Outbox.MarkVendorCallStartedAsync(Globex, item.Id, first.ClaimedAt!.Value, NowMs, default));
        var started = first.ClaimedAt!.Value.AddSeconds(1);
        Assert.True(await _s.Outbox.MarkVendorCallStartedAsync(Acme, item.Id, first.ClaimedAt!.Value, started, default));
        Assert.Equal(started, (await _s.Outbox.GetAsync(Acme, item.Id, default))!.VendorCallStartedAt);

        Assert.True(await _s.Outbox.ReleaseClaimAsync(Acme, item.Id, first.ClaimedAt!.Value, OutboxStatus.Pending, "attempt 1 failed: 429", null, NowMs, default));
        var second = (await _s.Outbox.TryClaimAsync(Acme, item.Id, NowMs.AddSeconds(31), default))!;
        Assert.Null(second.VendorCallStartedAt);
        Assert.Null((await _s.Outbox.GetAsync(Acme, item.Id, default))!.VendorCallStartedAt);
        Assert.False(await _s.Outbox.MarkVendorCallStartedAsync(Acme, item.Id, first.ClaimedAt!.Value, NowMs, default)); // the old claim's run
    }

    [Fact]
    public async Task AStatusByOurIdRecordsTheProviderIdMovesOnlyForwardsAndLaterReportsFindTheItemByThatId()
    {
        var item = await PendingItemAsync();
        var claim = (await _s.Outbox.TryClaimAsync(Acme, item.Id, NowMs, default))!;
        Assert.True(await _s.Outbox.ReleaseClaimAsync(Acme, item.Id, claim.ClaimedAt!.Value, OutboxStatus.InDoubt, "in doubt", null, NowMs, default));

        // A vendor report that echoes our id settles the in-doubt item; the run's own late "sent" does not move it back.
        Assert.True(await _s.Outbox.ApplyStatusAsync(Acme, item.Id, "wamid.settled", OutboxStatus.Delivered, null, NowMs, default));
        Assert.True(await _s.Outbox.ApplyStatusAsync(Acme, item.Id, "wamid.other", OutboxStatus.Sent, null, NowMs, default));
        Assert.True(await _s.Outbox.ApplyProviderStatusAsync(Acme, "wamid.settled", OutboxStatus.Read, null, NowMs, default));

        var read = (await _s.Outbox.GetAsync(Acme, item.Id, default))!;
        Assert.Equal((OutboxStatus.Read, "wamid.settled"), (read.Status, read.ProviderMessageId));
        Assert.False(await _s.Outbox.ApplyStatusAsync(Globex, item.Id, "x", OutboxStatus.Failed, "other client", NowMs, default));
        Assert.False(await _s.Outbox.ApplyStatusAsync(Acme, "out_missing", "x", OutboxStatus.Sent, null, NowMs, default));
    }

    [Fact]
    public async Task OnlyAFailedOrInDoubtItemIsResentAndThenItsAttemptsStartAgain()
    {
        var item = await PendingItemAsync();
        Assert.Null(await _s.Outbox.ResendAsync(Acme, item.Id, "resend", NowMs, default));
        var claim = (await _s.Outbox.TryClaimAsync(Acme, item.Id, NowMs, default))!;
        Assert.Null(await _s.Outbox.ResendAsync(Acme, item.Id, "resend", NowMs, default));
        await _s.Outbox.ReleaseClaimAsync(Acme, item.Id, claim.ClaimedAt!.Value, OutboxStatus.InDoubt, "in doubt", null, NowMs, default);

        Assert.Null(await _s.Outbox.ResendAsync(Globex, item.Id, "resend", NowMs, default));
        var resent = (await _s.Outbox.ResendAsync(Acme, item.Id, "resent by request", NowMs, default))!;

        Assert.Equal((OutboxStatus.Pending, 0, (DateTimeOffset?)null, "resent by request"), (resent.Status, resent.Attempts, resent.ClaimedAt, resent.Error));
        Assert.Equal(1, (await _s.Outbox.TryClaimAsync(Acme, item.Id, NowMs, default))!.Attempts);
    }

    [Fact]
    public async Task AClaimedItemIsNoStalePendingItemForTheSweep()
    {
        var item = await PendingItemAsync();
        var claimed = await _s.Outbox.TryClaimAsync(Acme, item.Id, NowMs, default);
        Assert.NotNull(claimed);

        var stale = await _s.Outbox.ListStalePendingAsync(NowMs.AddHours(1), 100, default);

        Assert.DoesNotContain(stale, i => i.Id == item.Id);
    }

    [Fact]
    public async Task AnEmailSuppressionIsPerClientBlindToLetterCaseAndKeepsItsFirstReason()
    {
        var feedback = _s.DeliveryFeedback!;
        var now = NowMs;
        await feedback.SuppressEmailAsync(new EmailSuppression(Acme, "Anna.Meyer@Example.com", "sendgrid bounce: 550 user unknown", now), default);
        await feedback.SuppressEmailAsync(new EmailSuppression(Acme, "anna.meyer@example.com", "sendgrid spamreport", now.AddMinutes(1)), default);

        var found = await feedback.FindEmailSuppressionAsync(Acme, "ANNA.MEYER@example.com", default);

        Assert.Equal(new EmailSuppression(Acme, "anna.meyer@example.com", "sendgrid bounce: 550 user unknown", now), found);
        Assert.Null(await feedback.FindEmailSuppressionAsync(Globex, "anna.meyer@example.com", default));
        Assert.Null(await feedback.FindEmailSuppressionAsync(Acme, "other@example.com", default));
    }

    [Fact]
    public async Task AVendorEventIsRecordedOncePerClient()
    {
        var feedback = _s.DeliveryFeedback!;
        Assert.False(await feedback.HasEventAsync(Acme, "sg-event-1", default));

        Assert.True(await feedback.TryRecordEventAsync(Acme, "sg-event-1", NowMs, default));
        Assert.False(await feedback.TryRecordEventAsync(Acme, "sg-event-1", NowMs, default));
        Assert.True(await feedback.TryRecordEventAsync(Globex, "sg-event-1", NowMs, default));

        Assert.True(await feedback.HasEventAsync(Acme, "sg-event-1", default));
        Assert.False(await feedback.HasEventAsync(Acme, "sg-event-2", default));
    }
}
