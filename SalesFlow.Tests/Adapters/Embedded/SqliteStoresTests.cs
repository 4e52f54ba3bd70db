using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters.Embedded;

public sealed class SqliteStoresTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly SqliteLeadStore _leads;
    private readonly SqliteConversationStore _conversations;
    private readonly SqliteOutboxStore _outbox;

    public SqliteStoresTests()
    {
        _leads = new SqliteLeadStore(_temp.Db);
        _conversations = new SqliteConversationStore(_temp.Db);
        _outbox = new SqliteOutboxStore(_temp.Db);
    }

    public void Dispose() => _temp.Dispose();

    private static Lead NewLead(string clientId) => new() { Id = Ids.New("lead"), ClientId = clientId, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };

    [Fact]
    public async Task ConcurrentGetOrCreateForOneIdentityYieldsOneLead()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            _leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, "+491701234567", () => NewLead("acme"), CancellationToken.None)));

        Assert.Single(results.Select(r => r.Lead.Id).Distinct());
        Assert.Single(results, r => r.Created);
    }

    [Fact]
    public async Task TheSameIdentityUnderAnotherClientIsAnotherLead()
    {
        var (a, _) = await _leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, "+491701234567", () => NewLead("acme"), default);
        var (b, _) = await _leads.GetOrCreateByIdentityAsync("globex", IdentityKind.Phone, "+491701234567", () => NewLead("globex"), default);

        Assert.NotEqual(a.Id, b.Id);
        Assert.Null(await _leads.GetAsync("globex", a.Id, default));
        Assert.Empty(await _leads.ListIdentitiesAsync("globex", a.Id, default));
    }

    [Fact]
    public async Task LinkIdentityKeepsTheFirstOwner()
    {
        var (a, _) = await _leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, "+491701111111", () => NewLead("acme"), default);
        var (b, _) = await _leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, "+491702222222", () => NewLead("acme"), default);

        Assert.Equal(a.Id, await _leads.LinkIdentityAsync("acme", IdentityKind.Email, "x@example.com", a.Id, default));
        Assert.Equal(a.Id, await _leads.LinkIdentityAsync("acme", IdentityKind.Email, "x@example.com", b.Id, default));
    }

    [Fact]
    public async Task ReplaceWithAStaleETagFails()
    {
        var (lead, _) = await _leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Email, "a@example.com", () => NewLead("acme"), default);
        var first = await _leads.ReplaceAsync(lead with { Name = "Anna" }, default);

        await Assert.ThrowsAsync<ConcurrencyException>(() => _leads.ReplaceAsync(lead with { Name = "Stale" }, default));
        Assert.Equal("Anna", (await _leads.GetAsync("acme", lead.Id, default))!.Name);
        Assert.NotEqual(lead.ETag, first.ETag);
    }

    [Fact]
    public async Task ConversationReplaceWithAStaleETagFails()
    {
        var conversation = await _conversations.GetOrCreateForLeadAsync("acme", "lead_1", ChannelKind.Sms, DateTimeOffset.UtcNow, default);
        var moved = await _conversations.ReplaceAsync(conversation.MoveTo(ConversationState.InterestQualification, "test", DateTimeOffset.UtcNow), default);

        await Assert.ThrowsAsync<ConcurrencyException>(() => _conversations.ReplaceAsync(conversation with { TurnCount = 9 }, default));
        var stored = await _conversations.GetAsync("acme", conversation.Id, default);
        Assert.Equal(ConversationState.InterestQualification, stored!.State);
        Assert.Single(stored.History);
        Assert.Equal(moved.ETag, stored.ETag);
    }

    [Fact]
    public async Task AnInboundMessageWithAKnownProviderIdIsADuplicate()
    {
        var conversation = await _conversations.GetOrCreateForLeadAsync("acme", "lead_1", ChannelKind.WhatsApp, DateTimeOffset.UtcNow, default);
        Message Msg(string id) => new() { Id = id, ClientId = "acme", LeadId = "lead_1", ConversationId = conversation.Id, Channel = ChannelKind.WhatsApp, Text = "hi", ProviderMessageId = "wamid.1", CreatedAt = DateTimeOffset.UtcNow };

        var (first, firstDuplicate) = await _conversations.AddInboundAsync(Msg("msg_a"), default);
        var (second, secondDuplicate) = await _conversations.AddInboundAsync(Msg("msg_b"), default);

        Assert.False(firstDuplicate);
        Assert.True(secondDuplicate);
        Assert.Equal(first.Id, second.Id);
        Assert.Single(await _conversations.ListMessagesAsync("acme", conversation.Id, 10, default));
    }

    [Fact]
    public async Task InboundAfterReturnsOnlyNewerMessagesInOrder()
    {
        var conversation = await _conversations.GetOrCreateForLeadAsync("acme", "lead_1", ChannelKind.Sms, DateTimeOffset.UtcNow, default);
        var seqs = new List<long>();
        foreach (var text in new[] { "one", "two", "three" })
        {
            var (m, _) = await _conversations.AddInboundAsync(new Message { Id = Ids.New("msg"), ClientId = "acme", LeadId = "lead_1", ConversationId = conversation.Id, Text = text, CreatedAt = DateTimeOffset.UtcNow }, default);
            seqs.Add(m.Seq);
        }

        var after = await _conversations.ListInboundAfterAsync("acme", conversation.Id, seqs[0], default);
        Assert.Equal(["two", "three"], after.Select(m => m.Text));
        Assert.Empty(await _conversations.ListInboundAfterAsync("other", conversation.Id, 0, default));
    }

    [Fact]
    public async Task OutboxAddIsIdempotentOnItsKey()
    {
        OutboxItem Item(string id, string text) => new() { Id = id, ClientId = "acme", LeadId = "l", ConversationId = "c", Recipient = "+491701234567", Text = text, IdempotencyKey = "reply:msg_1", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };

        var (first, created1) = await _outbox.AddAsync(Item("out_1", "first"), default);
        var (second, created2) = await _outbox.AddAsync(Item("out_2", "second"), default);

        Assert.True(created1);
        Assert.False(created2);
        Assert.Equal((first.Id, first.Text), (second.Id, second.Text));
        Assert.Equal("first", Assert.Single(await _outbox.ListAsync("acme", null, null, 10, default)).Text);
    }

    [Fact]
    public async Task ProviderStatusNeverMovesBackwards()
    {
        var item = new OutboxItem { Id = "out_1", ClientId = "acme", LeadId = "l", ConversationId = "c", Recipient = "+4917", Text = "t", IdempotencyKey = "k", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        await _outbox.AddAsync(item, default);
        await _outbox.MarkAsync("acme", "out_1", OutboxStatus.Sent, "wamid.X", null, DateTimeOffset.UtcNow, default);

        Assert.True(await _outbox.ApplyProviderStatusAsync("acme", "wamid.X", OutboxStatus.Read, null, DateTimeOffset.UtcNow, default));
        Assert.True(await _outbox.ApplyProviderStatusAsync("acme", "wamid.X", OutboxStatus.Delivered, null, DateTimeOffset.UtcNow, default));
        Assert.False(await _outbox.ApplyProviderStatusAsync("globex", "wamid.X", OutboxStatus.Failed, "x", DateTimeOffset.UtcNow, default));

        Assert.Equal(OutboxStatus.Read, (await _outbox.GetAsync("acme", "out_1", default))!.Status);
    }
}
