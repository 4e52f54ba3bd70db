using SalesFlow.Core.Alerts;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Privacy;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters;

/// <summary>The daily summary's activity report and the outbox's staff items, run against both adapters.</summary>
public abstract class ActivityReportContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset From = new(2026, 12, 3, 23, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddDays(1);

    private Stores _s = null!;

    protected sealed record Stores(IActivityReport Report, IClientStore Clients, ILeadStore Leads, IOutboxStore Outbox, ILeadEraser Eraser);

    protected abstract Task<Stores> CreateAsync();

    protected virtual Task DisposeStoresAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _s = await CreateAsync();

    public Task DisposeAsync() => DisposeStoresAsync();

    [Fact]
    public async Task Counts_one_clients_leads_events_and_sent_replies_inside_the_range_only()
    {
        foreach (var at in new[] { From, From.AddHours(5), To.AddMilliseconds(-1), From.AddMilliseconds(-1), To })
        {
            await LeadAsync("acme", at);
        }

        await LeadAsync("globex", From.AddHours(1));

        await _s.Report.RecordAsync("acme", ActivityKind.BecameHot, "lead.became_hot/acme/lead_1/4", From.AddHours(1), default);
        await _s.Report.RecordAsync("acme", ActivityKind.BecameHot, "lead.became_hot/acme/lead_1/4", From.AddHours(2), default); // the same event again
        await _s.Report.RecordAsync("acme", ActivityKind.BecameHot, "lead.became_hot/acme/lead_2/7", From.AddHours(3), default);
        await _s.Report.RecordAsync("acme", ActivityKind.BecameHot, "lead.became_hot/acme/lead_3/1", To, default); // the next day
        await _s.Report.RecordAsync("acme", ActivityKind.Escalated, "lead.escalated/acme/lead_1/9", From.AddHours(4), default);
        await _s.Report.RecordAsync("acme", ActivityKind.OptedOut, "lead.opted_out/acme/lead_4/2", From.AddHours(4), default);
        await _s.Report.RecordAsync("acme", ActivityKind.OptedOut, "lead.opted_out/acme/lead_5/2", From.AddHours(5), default);
        await _s.Report.RecordAsync("globex", ActivityKind.Escalated, "lead.escalated/globex/lead_9/1", From.AddHours(4), default);

        await ItemAsync("acme", OutboxPurpose.Reply, OutboxStatus.Sent, From.AddHours(1));
        await ItemAsync("acme", OutboxPurpose.Reply, OutboxStatus.Delivered, From.AddHours(2));
        await ItemAsync("acme", OutboxPurpose.Reply, OutboxStatus.Read, From.AddHours(3));
        await ItemAsync("acme", OutboxPurpose.Reply, OutboxStatus.Pending, From.AddHours(3));
        await ItemAsync("acme", OutboxPurpose.Reply, OutboxStatus.Failed, From.AddHours(3));
        await ItemAsync("acme", OutboxPurpose.FollowUp, OutboxStatus.Sent, From.AddHours(3));
        await ItemAsync("acme", OutboxPurpose.Reply, OutboxStatus.Sent, To);
        await ItemAsync("globex", OutboxPurpose.Reply, OutboxStatus.Sent, From.AddHours(3));

        Assert.Equal(new ActivityCounts(NewLeads: 3, HotLeads: 2, Escalations: 1, OptOuts: 2, RepliesSent: 3), await _s.Report.CountAsync("acme", From, To, default));
        Assert.Equal(new ActivityCounts(1, 0, 1, 0, 1), await _s.Report.CountAsync("globex", From, To, default));
        Assert.Equal(new ActivityCounts(0, 0, 0, 0, 0), await _s.Report.CountAsync("initech", From, To, default));
    }

    [Fact]
    public async Task Lists_every_clients_id()
    {
        foreach (var id in new[] { "globex", "acme" })
        {
            Assert.True(await _s.Clients.TryCreateAsync(new Client(id, id, "hash-" + id, new ClientChannelSecrets("a", "b", "c", "d")), default));
        }

        Assert.Equal(["acme", "globex"], await _s.Report.ListClientIdsAsync(default));
    }

    [Fact]
    public async Task A_leads_listing_leaves_out_staff_alerts_about_it_which_the_client_listing_shows_with_their_html()
    {
        var lead = await LeadAsync("acme", From);
        var reply = await ItemAsync("acme", OutboxPurpose.Reply, OutboxStatus.Pending, From, lead.Id);
        var alert = await ItemAsync("acme", OutboxPurpose.Alert, OutboxStatus.Pending, From.AddMinutes(1), lead.Id, "<p>Hot &amp; ready</p>");
        var summary = await ItemAsync("acme", OutboxPurpose.DailySummary, OutboxStatus.Pending, From.AddMinutes(2), OutboxItem.NoLead, "<p>Summary</p>");

        Assert.Equal([reply.Id], (await _s.Outbox.ListAsync("acme", lead.Id, null, 50, default)).Select(i => i.Id));
        Assert.Equal([reply.Id], (await _s.Outbox.ListPageAsync("acme", lead.Id, null, null, 50, default)).Items.Select(i => i.Id));
        Assert.Equal([summary.Id, alert.Id, reply.Id], (await _s.Outbox.ListPageAsync("acme", null, null, null, 50, default)).Items.Select(i => i.Id));
        Assert.Equal("<p>Hot &amp; ready</p>", (await _s.Outbox.GetAsync("acme", alert.Id, default))!.HtmlBody);
        Assert.Null((await _s.Outbox.GetAsync("acme", reply.Id, default))!.HtmlBody);
    }

    [Fact]
    public async Task Erasing_a_lead_removes_the_alerts_about_it_and_leaves_the_summary()
    {
        var lead = await LeadAsync("acme", From);
        var alert = await ItemAsync("acme", OutboxPurpose.Alert, OutboxStatus.Sent, From, lead.Id, "<p>Anna</p>");
        var summary = await ItemAsync("acme", OutboxPurpose.DailySummary, OutboxStatus.Sent, From, OutboxItem.NoLead, "<p>Summary</p>");

        Assert.NotNull(await _s.Eraser.EraseAsync("acme", lead.Id, default));

        Assert.Null(await _s.Outbox.GetAsync("acme", alert.Id, default));
        Assert.NotNull(await _s.Outbox.GetAsync("acme", summary.Id, default));
    }

    private async Task<Lead> LeadAsync(string clientId, DateTimeOffset createdAt)
    {
        var phone = "+49170" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (lead, _) = await _s.Leads.GetOrCreateByIdentityAsync(clientId, IdentityKind.Phone, phone, () => new Lead { Id = Ids.New("lead"), ClientId = clientId, CreatedAt = createdAt, UpdatedAt = createdAt }, default);
        return lead;
    }

    private async Task<OutboxItem> ItemAsync(string clientId, string purpose, string status, DateTimeOffset createdAt, string leadId = "lead_x", string? html = null)
    {
        var id = Ids.New("out");
        var (item, _) = await _s.Outbox.AddAsync(
            new OutboxItem
            {
                Id = id,
                ClientId = clientId,
                LeadId = leadId,
                ConversationId = OutboxItem.NoLead,
                Channel = ChannelKind.Email,
                Recipient = "sales@acme.example",
                Text = "text",
                HtmlBody = html,
                IdempotencyKey = "key/" + id,
                Purpose = purpose,
                CreatedAt = createdAt,
                UpdatedAt = createdAt,
            },
            default);
        if (status != OutboxStatus.Pending)
        {
            Assert.True(await _s.Outbox.MarkAsync(clientId, id, status, null, null, createdAt, default));
        }

        return item;
    }
}

public sealed class ActivityReportContractTestsAgainstSqlite : ActivityReportContractTests
{
    private readonly TempDatabase _temp = new();

    protected override Task<Stores> CreateAsync() => Task.FromResult(new Stores(
        new SqliteActivityReport(_temp.Db),
        new SqliteClientStore(_temp.Db, TimeProvider.System),
        new SqliteLeadStore(_temp.Db),
        new SqliteOutboxStore(_temp.Db),
        new SqliteLeadEraser(_temp.Db, new SqliteMemoryIndex(_temp.Db))));

    protected override Task DisposeStoresAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(CosmosStandInCollection.Name)]
public sealed class ActivityReportContractTestsAgainstCosmosStandIn(CosmosStandInFixture standIn) : ActivityReportContractTests
{
    private CosmosStores? _stores;

    protected override async Task<Stores> CreateAsync()
    {
        _stores = await standIn.CreateStoresAsync();
        return new Stores(new CosmosActivityReport(_stores.Containers), _stores.Clients, _stores.Leads, _stores.Outbox, _stores.Eraser);
    }

    protected override Task DisposeStoresAsync() => CosmosStandInFixture.DropAsync(_stores);
}
