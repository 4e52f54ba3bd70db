using Microsoft.Extensions.Logging.Abstractions;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Runners;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Hosting;

/// <summary>The timer handlers against a real SQLite store and queue.</summary>
public sealed class TimerHandlersTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly ManualClock _clock = new();
    private readonly SqliteOutboxStore _outbox;
    private readonly SqliteWorkQueue _queue;

    public TimerHandlersTests()
    {
        _outbox = new SqliteOutboxStore(_temp.Db);
        _queue = new SqliteWorkQueue(_temp.Db, _clock);
    }

    public void Dispose() => _temp.Dispose();

    private async Task<OutboxItem> AddPendingAsync(string id)
    {
        var now = _clock.GetUtcNow();
        var item = new OutboxItem
        {
            Id = id,
            ClientId = "demo",
            LeadId = "lead-" + id,
            ConversationId = "conv-" + id,
            Channel = ChannelKind.WhatsApp,
            Recipient = "+4917000000",
            Text = "Hello",
            IdempotencyKey = "key-" + id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await _outbox.AddAsync(item, CancellationToken.None);
        return item;
    }

    private OutboxSweepTimer Sweep() => new(new OutboxSweeper(_outbox, _queue, _clock, NullLogger<OutboxSweeper>.Instance));

    private async Task<List<WorkItem>> DrainAsync(string queue)
    {
        var items = new List<WorkItem>();
        while (await _queue.ClaimAsync(queue, TimeSpan.FromMinutes(5), CancellationToken.None) is { } item)
        {
            items.Add(item);
        }

        return items;
    }

    [Fact]
    public async Task OutboxSweepReEnqueuesDeliverForAnItemStillPendingAfterAMinuteOnlyOnce()
    {
        var stale = await AddPendingAsync("o1");
        _clock.Advance(TimeSpan.FromSeconds(61));
        await AddPendingAsync("o2-fresh");

        await Sweep().RunAsync(CancellationToken.None);
        await Sweep().RunAsync(CancellationToken.None);

        var work = Assert.Single(await DrainAsync(Queues.Deliver));
        Assert.Equal(new DeliverWork("demo", stale.Id), DeliverWork.Parse(work.Payload));
    }

    [Fact]
    public async Task OutboxSweepLeavesSentItemsAlone()
    {
        var item = await AddPendingAsync("o1");
        await _outbox.MarkAsync("demo", item.Id, OutboxStatus.Sent, "wamid.1", null, _clock.GetUtcNow(), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(5));

        await Sweep().RunAsync(CancellationToken.None);

        Assert.Empty(await DrainAsync(Queues.Deliver));
    }

    [Fact]
    public async Task OutboxSweepMergesWithADeliveryStillWaitingInTheQueue()
    {
        var item = await AddPendingAsync("o1");
        await _queue.EnqueueAsync(Queues.Deliver, DeliverWork.Serialize(new DeliverWork("demo", item.Id)), TimeSpan.FromMinutes(10), DeliverWork.CoalesceKey(item.Id), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(2));

        await Sweep().RunAsync(CancellationToken.None);

        Assert.Equal(1, await _queue.CountAsync(Queues.Deliver, CancellationToken.None));
    }

    [Fact]
    public async Task RetentionCleanupDeletesPoisonParkedMoreThanFourteenDaysAgoOnly()
    {
        await _queue.EnqueueAsync(Queues.Deliver, "old", TimeSpan.Zero, null, CancellationToken.None);
        await _queue.FailAsync((await _queue.ClaimAsync(Queues.Deliver, TimeSpan.FromMinutes(1), CancellationToken.None))!, "boom", TimeSpan.Zero, 1, CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(10));
        await _queue.EnqueueAsync(Queues.ProcessInbound, "recent", TimeSpan.Zero, null, CancellationToken.None);
        await _queue.FailAsync((await _queue.ClaimAsync(Queues.ProcessInbound, TimeSpan.FromMinutes(1), CancellationToken.None))!, "boom", TimeSpan.Zero, 1, CancellationToken.None);
        await _queue.EnqueueAsync(Queues.Deliver, "live", TimeSpan.Zero, null, CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(5));

        await new RetentionCleanupTimer(_queue, _clock, NullLogger<RetentionCleanupTimer>.Instance).RunAsync(CancellationToken.None);

        Assert.Equal(0, await _queue.CountAsync(Queues.Poison(Queues.Deliver), CancellationToken.None));
        Assert.Equal(1, await _queue.CountAsync(Queues.Poison(Queues.ProcessInbound), CancellationToken.None));
        Assert.Equal(1, await _queue.CountAsync(Queues.Deliver, CancellationToken.None));
    }
}
