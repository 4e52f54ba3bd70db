using System.Diagnostics;
using SalesFlow.Core.Queue;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters;

/// <summary>One work queue adapter under contract test, seen through the ports it implements.</summary>
public sealed record WorkQueueSet(IWorkQueue Producer, IWorkQueueConsumer Consumer, IPoisonQueueAdmin Poison);

/// <summary>
/// The work queue ports' contract: the same assertions run against every adapter (subclasses say
/// which), in real time with short delays, so a Storage queue's server-side clock and the embedded
/// queue's clock are held to the same behaviour. Each test uses queue names of its own.
/// <para>
/// Not in the contract, and tested with the adapter instead:
/// <list type="bullet">
/// <item>Coalescing (<c>coalesceKey</c>) is an embedded-only feature; a Storage queue ignores the key
/// (SqliteWorkQueueTests, StorageQueueWorkQueueAgainstAzuriteTests).</item>
/// <item>What a parked item keeps: the embedded queue keeps the last error and the count of failed
/// tries; a Storage poison message keeps neither.</item>
/// <item>Completing or failing with a lease that lapsed and went to another runner (Storage pop receipts).</item>
/// </list>
/// </para>
/// </summary>
public abstract class WorkQueueContractTests : IAsyncLifetime
{
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ShortLease = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ShortDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Storage visibility is kept in whole seconds by a clock of its own: allow a little slack.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(500);

    private readonly string _q = NewQueueName();
    private WorkQueueSet _s = null!;

    protected abstract Task<WorkQueueSet> CreateQueueAsync();

    protected virtual Task DisposeQueueAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _s = await CreateQueueAsync();

    public Task DisposeAsync() => DisposeQueueAsync();

    /// <summary>A fresh queue name nobody else uses (valid for Storage: lower-case letters and digits).</summary>
    private static string NewQueueName() => "c" + Guid.NewGuid().ToString("N")[..20];

    private Task<WorkItem?> ClaimAsync(TimeSpan? lease = null) => _s.Consumer.ClaimAsync(_q, lease ?? LongLease, default);

    private Task<WorkItem?> EventuallyClaimAsync() =>
        Eventually.ReturnsAsync(() => _s.Consumer.ClaimAsync(_q, LongLease, default), i => i is not null, Patience);

    private async Task ParkAsync(string queue, string payload)
    {
        await _s.Producer.EnqueueAsync(queue, payload, TimeSpan.Zero, null, default);
        var item = await _s.Consumer.ClaimAsync(queue, LongLease, default);
        await _s.Consumer.FailAsync(item!, "boom", TimeSpan.Zero, maxDequeueCount: 1, default);
    }

    [Fact]
    public async Task EnqueuedWorkIsClaimedWithItsPayloadExactlyAsEnqueued()
    {
        const string payload = """{"leadId":"lead_1","text":"Grüße aus Köln — ¿qué tal? 你好 👋🏽","quote":"\"x\"\\n","n":1.5}""";
        await _s.Producer.EnqueueAsync(_q, payload, TimeSpan.Zero, null, default);

        var item = await ClaimAsync();

        Assert.NotNull(item);
        Assert.Equal(payload, item.Payload);
        Assert.Equal(_q, item.Queue);
        Assert.Equal(1, item.DequeueCount);
        Assert.Null(await ClaimAsync()); // one item, one claim
    }

    [Fact]
    public async Task NothingIsClaimedFromAQueueNobodyUsedYet()
    {
        Assert.Null(await ClaimAsync());
        Assert.Equal(0, await _s.Consumer.CountAsync(_q, default));
    }

    [Fact]
    public async Task DelayedWorkIsInvisibleUntilItsDelayPasses()
    {
        var watch = Stopwatch.StartNew();
        await _s.Producer.EnqueueAsync(_q, "p", ShortDelay, null, default);

        Assert.Null(await ClaimAsync());
        var item = await EventuallyClaimAsync();

        Assert.Equal("p", item!.Payload);
        Assert.True(watch.Elapsed >= ShortDelay - Slack, $"claimed after {watch.Elapsed}");
    }

    [Fact]
    public async Task AClaimedItemIsInvisibleUntilItsLeaseLapsesThenComesBackWithAHigherDequeueCount()
    {
        await _s.Producer.EnqueueAsync(_q, "p", TimeSpan.Zero, null, default);
        var watch = Stopwatch.StartNew();
        var first = await ClaimAsync(ShortLease);

        Assert.Null(await ClaimAsync(ShortLease));
        var again = await EventuallyClaimAsync();

        Assert.Equal(1, first!.DequeueCount);
        Assert.Equal("p", again!.Payload);
        Assert.Equal(2, again.DequeueCount);
        Assert.True(watch.Elapsed >= ShortLease - Slack, $"claimed again after {watch.Elapsed}");
    }

    [Fact]
    public async Task CompletedWorkIsGoneForGood()
    {
        await _s.Producer.EnqueueAsync(_q, "p", TimeSpan.Zero, null, default);
        var item = await ClaimAsync(ShortLease);

        await _s.Consumer.CompleteAsync(item!, default);

        Assert.Equal(0, await _s.Consumer.CountAsync(_q, default));
        await Task.Delay(ShortLease + Slack + Slack); // past the lease: a completed item must not come back
        Assert.Null(await ClaimAsync());
        Assert.Equal(0, await _s.Consumer.CountAsync(_q, default));
    }

    [Fact]
    public async Task FailedWorkBelowItsMaximumComesBackAfterItsRetryDelay()
    {
        await _s.Producer.EnqueueAsync(_q, "p", TimeSpan.Zero, null, default);
        var item = await ClaimAsync();
        var watch = Stopwatch.StartNew();

        await _s.Consumer.FailAsync(item!, "boom", ShortDelay, maxDequeueCount: 5, default);

        Assert.Null(await ClaimAsync());
        var retry = await EventuallyClaimAsync();
        Assert.Equal("p", retry!.Payload);
        Assert.Equal(2, retry.DequeueCount);
        Assert.True(watch.Elapsed >= ShortDelay - Slack, $"retried after {watch.Elapsed}");
        Assert.Empty(await _s.Poison.ListAsync(_q, 10, default));
    }

    [Fact]
    public async Task WorkFailedAtItsMaximumIsParkedInThePoisonQueue()
    {
        const string payload = """{"leadId":"lead_1","text":"Grüße 👋"}""";
        await _s.Producer.EnqueueAsync(_q, payload, TimeSpan.Zero, null, default);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var item = await ClaimAsync();
            Assert.Equal(attempt, item!.DequeueCount);
            await _s.Consumer.FailAsync(item, "boom", TimeSpan.Zero, maxDequeueCount: 3, default);
        }

        Assert.Null(await ClaimAsync());
        Assert.Equal(0, await _s.Consumer.CountAsync(_q, default));
        Assert.Equal(1, await _s.Consumer.CountAsync(Queues.Poison(_q), default));
        var parked = Assert.Single(await _s.Poison.ListAsync(_q, 10, default));
        Assert.Equal(payload, parked.Payload);
        Assert.Equal(_q, parked.Queue); // the work queue it failed in, not the poison queue
    }

    [Fact]
    public async Task PoisonListingIsPerQueueOldestFirstHonoursItsMaximumAndChangesNothing()
    {
        var other = NewQueueName();
        await ParkAsync(_q, """{"n":1}""");
        await ParkAsync(_q, """{"n":2}""");
        await ParkAsync(other, """{"n":3}""");

        var parked = await _s.Poison.ListAsync(_q, 10, default);

        Assert.Equal(["""{"n":1}""", """{"n":2}"""], parked.Select(p => p.Payload));
        Assert.All(parked, p => Assert.Equal(_q, p.Queue));
        Assert.Equal("""{"n":1}""", Assert.Single(await _s.Poison.ListAsync(_q, 1, default)).Payload);
        Assert.Equal(2, (await _s.Poison.ListAsync(_q, 10, default)).Count); // listing changes nothing
        Assert.Equal(2, await _s.Consumer.CountAsync(Queues.Poison(_q), default));
        Assert.Equal(["""{"n":3}"""], (await _s.Poison.ListAsync(other, 10, default)).Select(p => p.Payload));
    }

    [Fact]
    public async Task ReplayMovesParkedWorkBackToItsQueueClaimableAgainWithItsTriesReset()
    {
        var other = NewQueueName();
        await ParkAsync(_q, "p1");
        await ParkAsync(_q, "p2");
        await ParkAsync(other, "p3");
        var signalled = new List<string>();
        _s.Consumer.Enqueued += signalled.Add;

        Assert.Equal(2, await _s.Poison.ReplayAsync(_q, default));

        Assert.Contains(_q, signalled);
        Assert.Empty(await _s.Poison.ListAsync(_q, 10, default));
        Assert.Equal(0, await _s.Consumer.CountAsync(Queues.Poison(_q), default));
        Assert.Single(await _s.Poison.ListAsync(other, 10, default)); // another queue's poison stays put
        Assert.Equal(2, await _s.Consumer.CountAsync(_q, default));
        var first = await ClaimAsync();
        var second = await ClaimAsync();
        Assert.Equal(["p1", "p2"], new[] { first!.Payload, second!.Payload }.Order());
        Assert.All(new[] { first, second }, i => Assert.Equal(1, i.DequeueCount));
        Assert.Equal(0, await _s.Poison.ReplayAsync(_q, default));
    }

    [Fact]
    public async Task A_client_s_poison_view_lists_and_replays_only_the_items_whose_payload_names_it()
    {
        await ParkAsync(_q, """{"clientId":"acme","n":1}""");
        await ParkAsync(_q, """{"clientId":"globex","n":2}""");
        await ParkAsync(_q, "not json");
        await ParkAsync(_q, """{"clientId":"acme","n":3}""");

        var acme = await _s.Poison.ListForClientAsync(_q, "acme", 10, default);
        Assert.Equal(["""{"clientId":"acme","n":1}""", """{"clientId":"acme","n":3}"""], acme.Select(p => p.Payload));
        Assert.Single(await _s.Poison.ListForClientAsync(_q, "acme", 1, default));
        var globex = Assert.Single(await _s.Poison.ListForClientAsync(_q, "globex", 10, default));

        Assert.False(await _s.Poison.ReplayForClientAsync(_q, "acme", globex.Id, default)); // not acme's
        Assert.False(await _s.Poison.ReplayForClientAsync(_q, "acme", "no-such-id", default));
        Assert.Equal(4, await _s.Consumer.CountAsync(Queues.Poison(_q), default));

        Assert.True(await _s.Poison.ReplayForClientAsync(_q, "acme", acme[0].Id, default));

        Assert.Equal(["""{"clientId":"acme","n":3}"""], (await _s.Poison.ListForClientAsync(_q, "acme", 10, default)).Select(p => p.Payload));
        Assert.Single(await _s.Poison.ListForClientAsync(_q, "globex", 10, default));
        var replayed = await EventuallyClaimAsync();
        Assert.Equal(("""{"clientId":"acme","n":1}""", 1), (replayed!.Payload, replayed.DequeueCount));
        Assert.False(await _s.Poison.ReplayForClientAsync(_q, "acme", acme[0].Id, default)); // gone from the poison queue
    }

    [Fact]
    public async Task EnqueueRaisesEnqueuedWithTheQueueName()
    {
        var signalled = new List<string>();
        _s.Consumer.Enqueued += signalled.Add;

        await _s.Producer.EnqueueAsync(_q, "p", TimeSpan.Zero, null, default);
        await _s.Producer.EnqueueAsync(_q, "p", ShortDelay, null, default);

        Assert.Equal([_q, _q], signalled);
    }

    /// <summary>
    /// What the contract guarantees of <see cref="IWorkQueueConsumer.CountAsync"/>: it counts every item
    /// enqueued and not yet completed or parked, whether it is due, delayed or leased (a Storage queue
    /// only knows an approximate count of visible and invisible messages, so "visible only" cannot be
    /// promised), and an empty queue counts 0. Nothing here depends on which items are visible.
    /// </summary>
    [Fact]
    public async Task CountIncludesDueDelayedAndLeasedItemsUntilTheyAreCompletedOrParked()
    {
        await _s.Producer.EnqueueAsync(_q, "due", TimeSpan.Zero, null, default);
        await _s.Producer.EnqueueAsync(_q, "failing", TimeSpan.Zero, null, default);
        await _s.Producer.EnqueueAsync(_q, "later", TimeSpan.FromMinutes(5), null, default);
        Assert.Equal(3, await _s.Consumer.CountAsync(_q, default));

        var first = await ClaimAsync();
        var second = await ClaimAsync();
        Assert.Null(await ClaimAsync());
        Assert.Equal(3, await _s.Consumer.CountAsync(_q, default)); // leased items still count

        var (done, failing) = first!.Payload == "due" ? (first, second!) : (second!, first);
        await _s.Consumer.CompleteAsync(done, default);
        Assert.Equal(2, await _s.Consumer.CountAsync(_q, default));
        await _s.Consumer.FailAsync(failing, "boom", TimeSpan.Zero, maxDequeueCount: 1, default);
        Assert.Equal(1, await _s.Consumer.CountAsync(_q, default)); // the delayed one
        Assert.Equal(1, await _s.Consumer.CountAsync(Queues.Poison(_q), default));
    }
}
