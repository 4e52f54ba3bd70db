using Moq;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Queue;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Adapters;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Delivery;

/// <summary>
/// <see cref="DeliveryService"/> on a real store (each subclass says which) with an in-test sender behind our own
/// <see cref="IChannelSender"/> port, a recording work queue and a fake clock: exactly-once effect under duplicate and
/// crashed runs, retries, permanent failures, rate limits, suppression.
/// </summary>
public abstract class DeliveryGuaranteesTests : IAsyncLifetime
{
    protected const string Client = "acme";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingQueue _queue = new();
    private readonly ScriptedSender _sender = new();
    private ILeadStore _leads = null!;
    private CrashableOutbox _outbox = null!;
    private IDeliveryFeedbackStore _feedback = null!;

    protected abstract Task<(IOutboxStore Outbox, ILeadStore Leads, IDeliveryFeedbackStore Feedback)> CreateStoresAsync();

    protected virtual Task DisposeStoresAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var (outbox, leads, feedback) = await CreateStoresAsync();
        (_outbox, _leads, _feedback) = (new CrashableOutbox(outbox), leads, feedback);
    }

    public Task DisposeAsync() => DisposeStoresAsync();

    /// <summary>Nobody opted out here: the opt-out ledger has tests of its own (OptOutAcrossChannelsTests).</summary>
    private static readonly SalesFlow.Core.Reach.IOptOutLedger NoOptOuts = new Mock<SalesFlow.Core.Reach.IOptOutLedger>().Object;

    private DeliveryService Service(DeliveryOptions? options = null)
    {
        // No recipient limit unless a test sets one: the claim, not the limiter, must be what stops a second send.
        var o = Options.Create(options ?? new DeliveryOptions { PerRecipientInterval = TimeSpan.Zero });
        return new DeliveryService(_outbox, _leads, NoOptOuts, _sender, _feedback, _queue, new DeliveryRateLimiter(o, _clock), o, _clock, NullLogger<DeliveryService>.Instance);
    }

    private async Task<OutboxItem> PendingAsync(string recipient = "+491701234567", ChannelKind channel = ChannelKind.WhatsApp)
    {
        var (lead, _) = await _leads.GetOrCreateByIdentityAsync(Client, IdentityKind.Phone, "+49170" + Random.Shared.Next(1000000, 9999999), () => StoreContractTests.NewLead(Client), default);
        var id = Ids.New("out");
        var now = _clock.GetUtcNow();
        return (await _outbox.AddAsync(new OutboxItem
        {
            Id = id,
            ClientId = Client,
            LeadId = lead.Id,
            ConversationId = "conv_1",
            Channel = channel,
            Recipient = recipient,
            Text = "Hello from SalesFlow",
            IdempotencyKey = "key-" + id,
            CreatedAt = now,
            UpdatedAt = now,
        }, default)).Item;
    }

    private async Task<OutboxItem> StoredAsync(OutboxItem item) => (await _outbox.GetAsync(Client, item.Id, default))!;

    [Fact]
    public async Task EightConcurrentRunsOfOneDeliveryCallTheVendorOnce()
    {
        var item = await PendingAsync();
        _sender.Gate = new TaskCompletionSource();
        var service = Service();

        var runs = Enumerable.Range(0, 8).Select(_ => Task.Run(() => service.DeliverAsync(Client, item.Id, CancellationToken.None))).ToList();
        await _sender.Entered.Task; // one run is in the vendor call; the others find the claim
        _sender.Gate.SetResult();
        await Task.WhenAll(runs);

        Assert.Equal(1, _sender.Calls);
        var sent = await StoredAsync(item);
        Assert.Equal((OutboxStatus.Sent, 1, _sender.ProviderIdOf(item)), (sent.Status, sent.Attempts, sent.ProviderMessageId));
    }

    [Fact]
    public async Task ARunThatFindsAnotherRunsFreshClaimLooksAgainWhenItsLeaseEndsAndDoesNotSend()
    {
        var item = await PendingAsync();
        _sender.Gate = new TaskCompletionSource();
        var service = Service();
        var first = Task.Run(() => service.DeliverAsync(Client, item.Id, CancellationToken.None));
        await _sender.Entered.Task;

        await service.DeliverAsync(Client, item.Id, default); // the duplicate queue message

        var again = Assert.Single(_queue.Enqueued);
        Assert.Equal(DeliverWork.Serialize(new DeliverWork(Client, item.Id)), again.Payload);
        Assert.True(again.Delay > new DeliveryOptions().SendingLease - TimeSpan.FromSeconds(1), $"looked again after {again.Delay}");
        _sender.Gate.SetResult();
        await first;
        await service.DeliverAsync(Client, item.Id, default); // the look after the lease finds it sent
        Assert.Equal(1, _sender.Calls);
        Assert.Equal(OutboxStatus.Sent, (await StoredAsync(item)).Status);
    }

    [Fact]
    public async Task ACrashAfterTheVendorAcceptedIsNeverResentButMarkedInDoubtUntilAReportNamesTheItem()
    {
        var item = await PendingAsync();
        var service = Service();
        _outbox.CrashOnApplyStatus = true; // the vendor has the message; the process dies before recording it

        await Assert.ThrowsAsync<IOException>(() => service.DeliverAsync(Client, item.Id, default));
        _outbox.CrashOnApplyStatus = false;
        Assert.Equal(OutboxStatus.Sending, (await StoredAsync(item)).Status);

        await service.DeliverAsync(Client, item.Id, default); // the queue's redelivery, within the lease
        _clock.Advance(new DeliveryOptions().SendingLease + TimeSpan.FromSeconds(1));
        await service.DeliverAsync(Client, item.Id, default); // after the lease
        await service.DeliverAsync(Client, item.Id, default); // and once more: nothing changes

        Assert.Equal(1, _sender.Calls);
        var doubt = await StoredAsync(item);
        Assert.Equal(OutboxStatus.InDoubt, doubt.Status);
        Assert.Contains("not resent automatically to avoid a duplicate", doubt.Error, StringComparison.Ordinal);

        // The vendor's status report echoes our id (WhatsApp biz_opaque_callback_data, Twilio callback URL, SendGrid custom_args).
        Assert.True(await _outbox.ApplyStatusAsync(Client, item.Id, _sender.ProviderIdOf(item), OutboxStatus.Delivered, null, _clock.GetUtcNow(), default));
        Assert.Equal((OutboxStatus.Delivered, _sender.ProviderIdOf(item)), ((await StoredAsync(item)).Status, (await StoredAsync(item)).ProviderMessageId));
    }

    [Fact]
    public async Task ACrashBeforeTheVendorCallIsSentOnceWhenTheClaimRunsOut()
    {
        var item = await PendingAsync();
        var service = Service();
        _outbox.CrashBeforeVendorCall = true; // claimed, then the process dies before its request leaves

        await Assert.ThrowsAsync<IOException>(() => service.DeliverAsync(Client, item.Id, default));
        _outbox.CrashBeforeVendorCall = false;
        var claimed = await StoredAsync(item);
        Assert.Equal((OutboxStatus.Sending, (DateTimeOffset?)null), (claimed.Status, claimed.VendorCallStartedAt));

        await service.DeliverAsync(Client, item.Id, default); // the queue's redelivery, within the lease: waits
        Assert.Equal(0, _sender.Calls);
        _clock.Advance(new DeliveryOptions().SendingLease + TimeSpan.FromSeconds(1));
        await service.DeliverAsync(Client, item.Id, default); // after the lease: nothing left the process, so it is sent
        await service.DeliverAsync(Client, item.Id, default); // and once more: nothing changes

        Assert.Equal(1, _sender.Calls);
        var sent = await StoredAsync(item);
        Assert.Equal((OutboxStatus.Sent, 2, _sender.ProviderIdOf(item)), (sent.Status, sent.Attempts, sent.ProviderMessageId));
        Assert.NotNull(sent.VendorCallStartedAt);
    }

    [Fact]
    public async Task AnUnexpectedSenderErrorKeepsTheClaimSoTheItemIsNotResent()
    {
        var item = await PendingAsync();
        var service = Service();
        _sender.Failures.Enqueue(new InvalidOperationException("the SDK broke after writing the request"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => service.DeliverAsync(Client, item.Id, default));
        _clock.Advance(TimeSpan.FromMinutes(3));
        await service.DeliverAsync(Client, item.Id, default);

        Assert.Equal(1, _sender.Calls);
        Assert.Equal(OutboxStatus.InDoubt, (await StoredAsync(item)).Status);
    }

    [Fact]
    public async Task ARetryableFailureGoesBackToPendingAndIsRetriedNoSoonerThanTheVendorsRetryAfter()
    {
        var item = await PendingAsync();
        var service = Service();
        _sender.Failures.Enqueue(new DeliveryException("rate limited", permanent: false, vendorCode: "429", retryAfter: TimeSpan.FromSeconds(90)));
        var failedAt = _clock.GetUtcNow();

        await service.DeliverAsync(Client, item.Id, default);

        var pending = await StoredAsync(item);
        Assert.Equal((OutboxStatus.Pending, 1), (pending.Status, pending.Attempts));
        Assert.True(pending.NextAttemptAt >= failedAt.AddSeconds(90), $"next attempt at {pending.NextAttemptAt}");
        Assert.Contains("429", pending.Error, StringComparison.Ordinal);
        var retry = Assert.Single(_queue.Enqueued);
        Assert.True(retry.Delay >= TimeSpan.FromSeconds(90), $"retried after {retry.Delay}");

        _clock.Advance(TimeSpan.FromSeconds(60));
        await service.DeliverAsync(Client, item.Id, default); // early (a sweep, a duplicate): the backoff still runs
        Assert.Equal(1, _sender.Calls);
        Assert.Equal(2, _queue.Enqueued.Count);

        _clock.Advance(pending.NextAttemptAt!.Value - _clock.GetUtcNow());
        await service.DeliverAsync(Client, item.Id, default);

        Assert.Equal(2, _sender.Calls);
        var sent = await StoredAsync(item);
        Assert.Equal((OutboxStatus.Sent, 2), (sent.Status, sent.Attempts));
    }

    [Fact]
    public async Task APermanentRefusalFailsTheItemWithTheVendorsCodeAndIsNotRetried()
    {
        var item = await PendingAsync();
        var service = Service();
        _sender.Failures.Enqueue(new DeliveryException("Recipient is not a valid WhatsApp user", permanent: true, vendorCode: "131026"));

        await service.DeliverAsync(Client, item.Id, default);
        _clock.Advance(TimeSpan.FromHours(1));
        await service.DeliverAsync(Client, item.Id, default);

        Assert.Equal(1, _sender.Calls);
        Assert.Empty(_queue.Enqueued);
        var failed = await StoredAsync(item);
        Assert.Equal((OutboxStatus.Failed, "131026: Recipient is not a valid WhatsApp user"), (failed.Status, failed.Error));
    }

    [Fact]
    public async Task RetryableFailuresStopAfterMaxAttemptsAndParkTheItemAsFailed()
    {
        var item = await PendingAsync();
        var service = Service(new DeliveryOptions { MaxAttempts = 3, PerRecipientInterval = TimeSpan.Zero });
        _sender.Failures.Enqueue(new DeliveryException("Service Unavailable", permanent: false, vendorCode: "503"));
        _sender.Failures.Enqueue(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));
        _sender.Failures.Enqueue(new DeliveryException("Too Many Requests", permanent: false, vendorCode: "429"));

        for (var run = 0; run < 5; run++)
        {
            await service.DeliverAsync(Client, item.Id, default);
            _clock.Advance(TimeSpan.FromMinutes(15));
        }

        Assert.Equal(3, _sender.Calls);
        var failed = await StoredAsync(item);
        Assert.Equal((OutboxStatus.Failed, 3), (failed.Status, failed.Attempts));
        Assert.StartsWith("gave up after 3 attempts; last: 429", failed.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("timeout")]
    [InlineData("client-timeout")]
    [InlineData("unanswered")]
    public async Task ARequestThatWentOutWithoutAnAnswerIsInDoubtAndNeverResent(string failure)
    {
        var item = await PendingAsync();
        var service = Service(new DeliveryOptions { MaxAttempts = 3, PerRecipientInterval = TimeSpan.Zero });
        _sender.Failures.Enqueue(failure switch
        {
            "timeout" => new TimeoutException("vendor did not answer"),
            "client-timeout" => new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout"),
            _ => DeliveryException.Unanswered("Graph did not answer in time; it may have the message.", new TimeoutException()),
        });

        for (var run = 0; run < 3; run++)
        {
            await service.DeliverAsync(Client, item.Id, default);
            _clock.Advance(TimeSpan.FromMinutes(15));
        }

        Assert.Equal(1, _sender.Calls);
        Assert.Empty(_queue.Enqueued);
        var stored = await StoredAsync(item);
        Assert.Equal(OutboxStatus.InDoubt, stored.Status);
        Assert.StartsWith("in doubt: the request went out but no answer came", stored.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecondMessageToTheSameRecipientWaitsForThePerRecipientIntervalWhileOthersGoOut()
    {
        var options = new DeliveryOptions { PerRecipientInterval = TimeSpan.FromSeconds(6) };
        var service = Service(options);
        var first = await PendingAsync("+491700000001");
        var second = await PendingAsync("+491700000001");
        var otherLead = await PendingAsync("+491700000002");

        await service.DeliverAsync(Client, first.Id, default);
        await service.DeliverAsync(Client, second.Id, default);
        await service.DeliverAsync(Client, otherLead.Id, default);

        Assert.Equal((OutboxStatus.Sent, OutboxStatus.Pending, OutboxStatus.Sent), ((await StoredAsync(first)).Status, (await StoredAsync(second)).Status, (await StoredAsync(otherLead)).Status));
        var wait = Assert.Single(_queue.Enqueued);
        Assert.InRange(wait.Delay, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(6));
        Assert.Equal(0, (await StoredAsync(second)).Attempts); // waiting for a permit is no attempt

        _clock.Advance(wait.Delay - TimeSpan.FromMilliseconds(100));
        await service.DeliverAsync(Client, second.Id, default);
        Assert.Equal(OutboxStatus.Pending, (await StoredAsync(second)).Status);

        _clock.Advance(TimeSpan.FromMilliseconds(100));
        await service.DeliverAsync(Client, second.Id, default);
        Assert.Equal(OutboxStatus.Sent, (await StoredAsync(second)).Status);
        Assert.Equal(3, _sender.Calls);
    }

    [Fact]
    public async Task AnEmailToASuppressedAddressIsNotSentAndSaysWhy()
    {
        var item = await PendingAsync("Bounced@Example.com", ChannelKind.Email);
        await _feedback.SuppressEmailAsync(new EmailSuppression(Client, "bounced@example.com", "sendgrid bounce: 550 5.1.1 user unknown", _clock.GetUtcNow()), default);

        await Service().DeliverAsync(Client, item.Id, default);

        Assert.Equal(0, _sender.Calls);
        var suppressed = await StoredAsync(item);
        Assert.Equal(OutboxStatus.Suppressed, suppressed.Status);
        Assert.Contains("suppression list", suppressed.Error, StringComparison.Ordinal);
        Assert.Contains("550 5.1.1", suppressed.Error, StringComparison.Ordinal);
    }

    private sealed record Enqueue(string Queue, string Payload, TimeSpan Delay, string? CoalesceKey);

    private sealed class RecordingQueue : IWorkQueue
    {
        public ConcurrentQueue<Enqueue> Enqueued { get; } = new();

        public Task EnqueueAsync(string queue, string payload, TimeSpan delay, string? coalesceKey, CancellationToken ct)
        {
            Enqueued.Enqueue(new Enqueue(queue, payload, delay, coalesceKey));
            return Task.CompletedTask;
        }
    }

    /// <summary>The vendor: accepts unless a failure is queued; can hold a call open until the test opens the gate.</summary>
    private sealed class ScriptedSender : IChannelSender
    {
        private int _calls;

        public int Calls => _calls;

        public ConcurrentQueue<Exception> Failures { get; } = new();

        public TaskCompletionSource? Gate { get; set; }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string ProviderIdOf(OutboxItem item) => "vendor-" + item.Id;

        public async Task<string> SendAsync(OutboxItem item, CancellationToken ct)
        {
            Interlocked.Increment(ref _calls);
            Entered.TrySetResult();
            if (Gate is { } gate)
            {
                await gate.Task.WaitAsync(ct);
            }

            return Failures.TryDequeue(out var failure) ? throw failure : ProviderIdOf(item);
        }
    }

    /// <summary>The real store, whose recording of the vendor's answer can be made to fail like a process that dies.</summary>
    private sealed class CrashableOutbox(IOutboxStore inner) : IOutboxStore
    {
        public bool CrashOnApplyStatus { get; set; }

        public Task<bool> ApplyStatusAsync(string clientId, string id, string? providerMessageId, string status, string? error, DateTimeOffset now, CancellationToken ct) =>
            CrashOnApplyStatus ? throw new IOException("process killed") : inner.ApplyStatusAsync(clientId, id, providerMessageId, status, error, now, ct);

        public Task<(OutboxItem Item, bool Created)> AddAsync(OutboxItem item, CancellationToken ct) => inner.AddAsync(item, ct);

        public Task<OutboxItem?> GetAsync(string clientId, string id, CancellationToken ct) => inner.GetAsync(clientId, id, ct);

        public Task<IReadOnlyList<OutboxItem>> ListAsync(string clientId, string? leadId, string? status, int limit, CancellationToken ct) => inner.ListAsync(clientId, leadId, status, limit, ct);

        public Task<Page<OutboxItem>> ListPageAsync(string clientId, string? leadId, string? status, PagePosition? after, int limit, CancellationToken ct) => inner.ListPageAsync(clientId, leadId, status, after, limit, ct);

        public Task<bool> MarkAsync(string clientId, string id, string status, string? providerMessageId, string? error, DateTimeOffset now, CancellationToken ct) => inner.MarkAsync(clientId, id, status, providerMessageId, error, now, ct);

        public Task<IReadOnlyList<OutboxItem>> ListStalePendingAsync(DateTimeOffset olderThan, int limit, CancellationToken ct) => inner.ListStalePendingAsync(olderThan, limit, ct);

        public Task MarkRedispatchedAsync(string clientId, string id, DateTimeOffset now, CancellationToken ct) => inner.MarkRedispatchedAsync(clientId, id, now, ct);

        public Task<bool> ApplyProviderStatusAsync(string clientId, string providerMessageId, string status, string? error, DateTimeOffset now, CancellationToken ct) => inner.ApplyProviderStatusAsync(clientId, providerMessageId, status, error, now, ct);

        public Task<OutboxItem?> TryClaimAsync(string clientId, string id, DateTimeOffset now, CancellationToken ct) => inner.TryClaimAsync(clientId, id, now, ct);

        /// <summary>The process dies after its claim, before the vendor call (the call's start is never recorded).</summary>
        public bool CrashBeforeVendorCall { get; set; }

        public Task<bool> MarkVendorCallStartedAsync(string clientId, string id, DateTimeOffset claimedAt, DateTimeOffset now, CancellationToken ct) =>
            CrashBeforeVendorCall ? throw new IOException("process killed") : inner.MarkVendorCallStartedAsync(clientId, id, claimedAt, now, ct);

        public Task<bool> ReleaseClaimAsync(string clientId, string id, DateTimeOffset claimedAt, string status, string? error, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken ct) =>
            inner.ReleaseClaimAsync(clientId, id, claimedAt, status, error, nextAttemptAt, now, ct);

        public Task<OutboxItem?> ResendAsync(string clientId, string id, string note, DateTimeOffset now, CancellationToken ct) => inner.ResendAsync(clientId, id, note, now, ct);
    }
}

public sealed class DeliveryGuaranteesAgainstSqliteTests : DeliveryGuaranteesTests
{
    private readonly TempDatabase _temp = new();

    protected override Task<(IOutboxStore Outbox, ILeadStore Leads, IDeliveryFeedbackStore Feedback)> CreateStoresAsync() =>
        Task.FromResult<(IOutboxStore, ILeadStore, IDeliveryFeedbackStore)>((new SqliteOutboxStore(_temp.Db), new SqliteLeadStore(_temp.Db), new SqliteDeliveryFeedbackStore(_temp.Db)));

    protected override Task DisposeStoresAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(CosmosStandInCollection.Name)]
public sealed class DeliveryGuaranteesAgainstCosmosStandInTests(CosmosStandInFixture standIn) : DeliveryGuaranteesTests
{
    private Infrastructure.Azure.Cosmos.CosmosStores? _stores;

    protected override async Task<(IOutboxStore Outbox, ILeadStore Leads, IDeliveryFeedbackStore Feedback)> CreateStoresAsync()
    {
        _stores = await standIn.CreateStoresAsync();
        return (_stores.Outbox, _stores.Leads, _stores.DeliveryFeedback);
    }

    protected override async Task DisposeStoresAsync()
    {
        await CosmosStandInFixture.DropAsync(_stores);
    }
}
