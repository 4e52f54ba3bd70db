using SalesFlow.Core.Common;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Tests.Adapters;

/// <summary>Keyset paging of the lists people page through, on every adapter: newest first, every item exactly once.</summary>
public abstract partial class StoreContractTests
{
    /// <summary>Every page from the first to the last, following each page's next position.</summary>
    private static async Task<List<IReadOnlyList<T>>> WalkAsync<T>(Func<PagePosition?, Task<Page<T>>> read, Func<int, Task>? afterPage = null)
    {
        var pages = new List<IReadOnlyList<T>>();
        PagePosition? after = null;
        do
        {
            var page = await read(after);
            pages.Add(page.Items);
            after = page.Next;
            if (afterPage is not null)
            {
                await afterPage(pages.Count);
            }
        }
        while (after is not null && pages.Count < 100);

        return pages;
    }

    [Fact]
    public async Task TheOutboxPagesNewestFirstThroughEqualTimesEachItemOnceWhileItemsArrive()
    {
        var t0 = Now.AddHours(-1);
        var expected = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            // Five items per millisecond, so page boundaries fall inside a group of equal times.
            var id = $"out_{i % 5}_{i:D2}";
            await _s.Outbox.AddAsync(Item(Acme, i % 2 == 0 ? "lead_a" : "lead_b", id, "k" + id) with { CreatedAt = t0.AddMilliseconds(i / 5), Status = OutboxStatus.Sent }, default);
            expected.Add(id);
        }

        await _s.Outbox.AddAsync(Item(Globex, "lead_a", "out_globex", "k-globex") with { CreatedAt = t0 }, default);
        var newestFirst = expected.OrderByDescending(id => int.Parse(id[^2..], System.Globalization.CultureInfo.InvariantCulture) / 5).ThenByDescending(id => id, StringComparer.Ordinal).ToList();

        var pages = await WalkAsync(after => _s.Outbox.ListPageAsync(Acme, null, null, after, 4, default), async page =>
        {
            if (page == 1)
            {
                await _s.Outbox.AddAsync(Item(Acme, "lead_a", "out_late", "k-late"), default); // newer than every page: not in this walk
            }
        });

        Assert.Equal([4, 4, 4, 4, 4, 3], pages.Select(p => p.Count));
        Assert.Equal(newestFirst, pages.SelectMany(p => p).Select(i => i.Id));

        var leadA = await WalkAsync(after => _s.Outbox.ListPageAsync(Acme, "lead_a", OutboxStatus.Sent, after, 5, default));
        Assert.Equal(newestFirst.Where(id => int.Parse(id[^2..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0), leadA.SelectMany(p => p).Select(i => i.Id));

        var first = await _s.Outbox.ListPageAsync(Acme, null, null, null, 30, default);
        Assert.Equal(("out_late", (PagePosition?)null), (first.Items[0].Id, first.Next));
        Assert.Equal(["out_globex"], (await _s.Outbox.ListPageAsync(Globex, null, null, null, 30, default)).Items.Select(i => i.Id));
    }

    [Fact]
    public async Task AConversationsMessagesPageNewestFirstEachOnceWhileMessagesArrive()
    {
        var (_, conversation) = await LeadWithConversationAsync(Acme, "+491701234567");
        for (var i = 1; i <= 11; i++)
        {
            await (i % 2 == 1 ? _s.Conversations.AddInboundAsync(Inbound(conversation, $"m{i}"), default) : _s.Conversations.AddOutboundAsync(Outbound(conversation, $"m{i}"), default));
        }

        var pages = await WalkAsync(after => _s.Conversations.ListMessagesPageAsync(Acme, conversation.Id, after, 3, default), async page =>
        {
            if (page == 2)
            {
                await _s.Conversations.AddInboundAsync(Inbound(conversation, "m12"), default);
            }
        });

        Assert.Equal([3, 3, 3, 2], pages.Select(p => p.Count));
        Assert.Equal(Enumerable.Range(1, 11).Reverse().Select(i => $"m{i}"), pages.SelectMany(p => p).Select(m => m.Text));
        Assert.Equal("m12", (await _s.Conversations.ListMessagesPageAsync(Acme, conversation.Id, null, 3, default)).Items[0].Text);
        Assert.Empty((await _s.Conversations.ListMessagesPageAsync(Globex, conversation.Id, null, 3, default)).Items);
    }

    [Fact]
    public async Task TheComplianceAuditPagesNewestFirstThroughEqualTimesEachEntryOnce()
    {
        var at = Now.AddMinutes(-5);
        var expected = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            var entry = Audit(Acme, "lead_1", $"out_{i}", i == 4 ? ComplianceVerdict.Blocked : ComplianceVerdict.Pass, at.AddMilliseconds(i / 3));
            await _s.ComplianceAudit.AddAsync(entry, default);
            expected.Add(entry.Id);
        }

        await _s.ComplianceAudit.AddAsync(Audit(Globex, "lead_1", "out_g", ComplianceVerdict.Pass, at), default);
        var newestFirst = expected.Select((id, i) => (id, ms: i / 3)).OrderByDescending(e => e.ms).ThenByDescending(e => e.id, StringComparer.Ordinal).Select(e => e.id).ToList();

        var pages = await WalkAsync(after => _s.ComplianceAudit.ListPageAsync(Acme, null, null, after, 2, default));

        Assert.Equal([2, 2, 2, 2, 1], pages.Select(p => p.Count));
        Assert.Equal(newestFirst, pages.SelectMany(p => p).Select(e => e.Id));
        Assert.Equal(["out_4"], (await _s.ComplianceAudit.ListPageAsync(Acme, "lead_1", ComplianceVerdict.Blocked, null, 2, default)).Items.Select(e => e.OutboxId));
        Assert.Single((await _s.ComplianceAudit.ListPageAsync(Globex, "lead_1", null, null, 20, default)).Items);
    }
}
