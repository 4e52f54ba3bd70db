using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Memory;
using SalesFlow.Core.Privacy;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Tests.Adapters;

/// <summary>One adapter set under contract test, and a way to look for a lead id in every place it stores.</summary>
public sealed record StoreSet(
    IClientStore Clients,
    ILeadStore Leads,
    IConversationStore Conversations,
    IOutboxStore Outbox,
    ILeadEraser Eraser,
    ILeadProfileStore Profiles,
    IComplianceAuditLog ComplianceAudit,
    IUsageStore Usage,
    IMemoryStore Memory,
    IMemoryIndex MemoryIndex,
    Func<string, Task<IReadOnlyList<string>>> FindEverythingMentioning,
    IUnansweredInbound? Unanswered = null,
    IDeliveryFeedbackStore? DeliveryFeedback = null);

/// <summary>
/// The store ports' contract: the same assertions run against every adapter (subclasses say which).
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    private const string Acme = "acme";
    private const string Globex = "globex";

    private StoreSet _s = null!;

    protected abstract Task<StoreSet> CreateStoresAsync();

    protected virtual Task DisposeStoresAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _s = await CreateStoresAsync();

    public Task DisposeAsync() => DisposeStoresAsync();

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    internal static Lead NewLead(string clientId) => new() { Id = Ids.New("lead"), ClientId = clientId, CreatedAt = Now, UpdatedAt = Now };

    private static Client NewClient(string id, string keyHash) =>
        new(id, $"Client {id}", keyHash, new ClientChannelSecrets("app-secret", "verify", "twilio", "email"), "49", "Europe/Berlin");

    internal static Message Inbound(Conversation c, string text, string? providerId = null, string? id = null) => new()
    {
        Id = id ?? Ids.New("msg"),
        ClientId = c.ClientId,
        LeadId = c.LeadId,
        ConversationId = c.Id,
        Direction = MessageDirection.Inbound,
        Channel = ChannelKind.WhatsApp,
        Text = text,
        ProviderMessageId = providerId,
        Metadata = new Dictionary<string, string> { ["from"] = "+491701234567" },
        CreatedAt = Now,
    };

    private static Message Outbound(Conversation c, string text) => Inbound(c, text) with { Direction = MessageDirection.Outbound };

    private static OutboxItem Item(string clientId, string leadId, string id, string key, string text = "hello") => new()
    {
        Id = id,
        ClientId = clientId,
        LeadId = leadId,
        ConversationId = "conv_x",
        Channel = ChannelKind.WhatsApp,
        Recipient = "+491701234567",
        Text = text,
        IdempotencyKey = key,
        CreatedAt = Now,
        UpdatedAt = Now,
    };

    private async Task<(Lead Lead, Conversation Conversation)> LeadWithConversationAsync(string clientId, string phone)
    {
        var (lead, _) = await _s.Leads.GetOrCreateByIdentityAsync(clientId, IdentityKind.Phone, phone, () => NewLead(clientId), default);
        var conversation = await _s.Conversations.GetOrCreateForLeadAsync(clientId, lead.Id, ChannelKind.WhatsApp, Now, default);
        return (lead, conversation);
    }

    [Fact]
    public async Task ClientsAreCreatedReadAndFoundByKeyHashAndAnIdIsTakenOnce()
    {
        var acme = NewClient(Acme, Ids.Sha256Hex("key-acme"));

        Assert.True(await _s.Clients.TryCreateAsync(acme, default));
        Assert.False(await _s.Clients.TryCreateAsync(acme with { Name = "Other", ApiKeyHash = Ids.Sha256Hex("key-other") }, default));

        Assert.Equal(acme, (await _s.Clients.GetAsync(Acme, default))! with { ETag = null });
        Assert.Equal(acme, (await _s.Clients.FindByApiKeyHashAsync(Ids.Sha256Hex("key-acme"), default))! with { ETag = null });
        Assert.Null(await _s.Clients.FindByApiKeyHashAsync(Ids.Sha256Hex("key-other"), default));
        Assert.Null(await _s.Clients.GetAsync(Globex, default));

        // The losing duplicate did not take the other key hash: a new client can use it.
        Assert.True(await _s.Clients.TryCreateAsync(NewClient(Globex, Ids.Sha256Hex("key-other")), default));
        Assert.Equal(Globex, (await _s.Clients.FindByApiKeyHashAsync(Ids.Sha256Hex("key-other"), default))!.Id);
    }

    [Fact]
    public async Task TwentyConcurrentGetOrCreatesForOneIdentityYieldOneLead()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            _s.Leads.GetOrCreateByIdentityAsync(Acme, IdentityKind.Phone, "+491701234567", () => NewLead(Acme), CancellationToken.None))));

        var id = Assert.Single(results.Select(r => r.Lead.Id).Distinct());
        Assert.Single(results, r => r.Created);
        Assert.NotNull(await _s.Leads.GetAsync(Acme, id, default));
        var identity = Assert.Single(await _s.Leads.ListIdentitiesAsync(Acme, id, default));
        Assert.Equal((Acme, IdentityKind.Phone, "+491701234567", id), (identity.ClientId, identity.Kind, identity.Value, identity.LeadId));
    }

    [Fact]
    public async Task LinkingAnIdentityKeepsTheFirstOwner()
    {
        var (a, _) = await _s.Leads.GetOrCreateByIdentityAsync(Acme, IdentityKind.Phone, "+491701111111", () => NewLead(Acme), default);
        var (b, _) = await _s.Leads.GetOrCreateByIdentityAsync(Acme, IdentityKind.Phone, "+491702222222", () => NewLead(Acme), default);

        Assert.Equal(a.Id, await _s.Leads.LinkIdentityAsync(Acme, IdentityKind.Email, "x/y?z#@example.com", a.Id, default));
        Assert.Equal(a.Id, await _s.Leads.LinkIdentityAsync(Acme, IdentityKind.Email, "x/y?z#@example.com", b.Id, default));

        var (found, created) = await _s.Leads.GetOrCreateByIdentityAsync(Acme, IdentityKind.Email, "x/y?z#@example.com", () => NewLead(Acme), default);
        Assert.False(created);
        Assert.Equal(a.Id, found.Id);
        Assert.Equal(["+491701111111", "x/y?z#@example.com"], (await _s.Leads.ListIdentitiesAsync(Acme, a.Id, default)).Select(i => i.Value).Order(StringComparer.Ordinal));
        Assert.Single(await _s.Leads.ListIdentitiesAsync(Acme, b.Id, default));
    }

    [Fact]
    public async Task ALeadReplaceWithAStaleETagThrowsAndChangesNothing()
    {
        var (lead, _) = await _s.Leads.GetOrCreateByIdentityAsync(Acme, IdentityKind.Email, "a@example.com", () => NewLead(Acme) with { Name = "Anna" }, default);
        var first = await _s.Leads.ReplaceAsync(lead with { Name = "Anna Meyer", OptedOut = true }, default);

        await Assert.ThrowsAsync<ConcurrencyException>(() => _s.Leads.ReplaceAsync(lead with { Name = "Stale" }, default));

        var stored = (await _s.Leads.GetAsync(Acme, lead.Id, default))!;
        Assert.Equal(("Anna Meyer", true, first.ETag), (stored.Name, stored.OptedOut, stored.ETag));
        Assert.NotEqual(lead.ETag, first.ETag);
        var second = await _s.Leads.ReplaceAsync(stored.Escalate("wants a human", Now), default);
        Assert.True((await _s.Leads.GetAsync(Acme, lead.Id, default))!.Escalated);
        Assert.NotEqual(first.ETag, second.ETag);
    }

    [Fact]
    public async Task ALeadKeepsTheTimeZoneItStatedFromCreationAndReplace()
    {
        var (created, _) = await _s.Leads.GetOrCreateByIdentityAsync(Acme, IdentityKind.Phone, "+491709876543", () => NewLead(Acme) with { TimeZone = "Europe/Vienna" }, default);
        Assert.Equal("Europe/Vienna", (await _s.Leads.GetAsync(Acme, created.Id, default))!.TimeZone);

        await _s.Leads.ReplaceAsync(created with { TimeZone = "America/Chicago" }, default);

        Assert.Equal("America/Chicago", (await _s.Leads.GetAsync(Acme, created.Id, default))!.TimeZone);
    }

    [Fact]
    public async Task AConversationIsOnePerLeadAndAStaleReplaceThrows()
    {
        var (lead, conversation) = await LeadWithConversationAsync(Acme, "+491701234567");
        var again = await _s.Conversations.GetOrCreateForLeadAsync(Acme, lead.Id, ChannelKind.Sms, Now, default);
        Assert.Equal(conversation.Id, again.Id);
        Assert.Equal(conversation.Id, (await _s.Conversations.FindForLeadAsync(Acme, lead.Id, default))!.Id);

        var moved = await _s.Conversations.ReplaceAsync(conversation.MoveTo(ConversationState.InterestQualification, "asked for price", Now) with { AnsweredThroughSeq = 3, TurnCount = 1 }, default);
        await Assert.ThrowsAsync<ConcurrencyException>(() => _s.Conversations.ReplaceAsync(conversation with { TurnCount = 9 }, default));

        var stored = (await _s.Conversations.GetAsync(Acme, conversation.Id, default))!;
        Assert.Equal((ConversationState.InterestQualification, 3L, 1, moved.ETag), (stored.State, stored.AnsweredThroughSeq, stored.TurnCount, stored.ETag));
        var change = Assert.Single(stored.History);
        Assert.Equal((ConversationState.InitialContact, ConversationState.InterestQualification, "asked for price"), (change.From, change.To, change.Reason));
        Assert.Equal(ChannelKind.WhatsApp, stored.LastChannel);
    }

    [Fact]
    public async Task ConcurrentFirstContactsCreateOneConversation()
    {
        var (lead, _) = await _s.Leads.GetOrCreateByIdentityAsync(Acme, IdentityKind.Phone, "+491709999999", () => NewLead(Acme), default);
        var conversations = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() =>
            _s.Conversations.GetOrCreateForLeadAsync(Acme, lead.Id, ChannelKind.Sms, Now, CancellationToken.None))));

        var id = Assert.Single(conversations.Select(c => c.Id).Distinct());
        Assert.NotNull(await _s.Conversations.GetAsync(Acme, id, default));
    }

    [Fact]
    public async Task AnInboundMessageWithAKnownProviderIdIsADuplicateAndReturnsTheStoredOne()
    {
        var (_, conversation) = await LeadWithConversationAsync(Acme, "+491701234567");

        var (first, firstDuplicate) = await _s.Conversations.AddInboundAsync(Inbound(conversation, "hi", "wamid.HBgL/1+=="), default);
        var (second, secondDuplicate) = await _s.Conversations.AddInboundAsync(Inbound(conversation, "hi again", "wamid.HBgL/1+=="), default);
        var (sms, smsDuplicate) = await _s.Conversations.AddInboundAsync(Inbound(conversation, "same id, other channel", "wamid.HBgL/1+==") with { Channel = ChannelKind.Sms }, default);

        Assert.False(firstDuplicate);
        Assert.True(secondDuplicate);
        Assert.False(smsDuplicate);
        Assert.Equal((first.Id, first.Text, first.Seq), (second.Id, second.Text, second.Seq));
        Assert.Equal("+491701234567", second.Metadata["from"]);
        Assert.NotEqual(first.Id, sms.Id);
        Assert.Equal(["hi", "same id, other channel"], (await _s.Conversations.ListMessagesAsync(Acme, conversation.Id, 10, default)).Select(m => m.Text));
    }

    [Fact]
    public async Task InboundMessagesGetIncreasingSeqsAndInboundAfterReturnsOnlyNewerOnesInOrder()
    {
        var (_, conversation) = await LeadWithConversationAsync(Acme, "+491701234567");
        var seqs = new List<long>();
        foreach (var text in new[] { "one", "two", "three" })
        {
            var (m, _) = await _s.Conversations.AddInboundAsync(Inbound(conversation, text), default);
            seqs.Add(m.Seq);
            await _s.Conversations.AddOutboundAsync(Outbound(conversation, "re: " + text), default);
        }

        Assert.True(seqs[0] > 0 && seqs[0] < seqs[1] && seqs[1] < seqs[2]);
        Assert.Equal(["two", "three"], (await _s.Conversations.ListInboundAfterAsync(Acme, conversation.Id, seqs[0], default)).Select(m => m.Text));
        Assert.Equal(["one", "two", "three"], (await _s.Conversations.ListInboundAfterAsync(Acme, conversation.Id, 0, default)).Select(m => m.Text));
        Assert.Empty(await _s.Conversations.ListInboundAfterAsync(Acme, conversation.Id, seqs[2], default));
    }

    [Fact]
    public async Task ConcurrentInboundMessagesGetDistinctSeqs()
    {
        var (_, conversation) = await LeadWithConversationAsync(Acme, "+491701234567");
        var stored = await Task.WhenAll(Enumerable.Range(0, 15).Select(i => Task.Run(() =>
            _s.Conversations.AddInboundAsync(Inbound(conversation, $"burst {i}"), CancellationToken.None))));

        Assert.Equal(15, stored.Select(s => s.Message.Seq).Distinct().Count());
        var listed = await _s.Conversations.ListInboundAfterAsync(Acme, conversation.Id, 0, default);
        Assert.Equal(stored.Select(s => s.Message.Seq).Order(), listed.Select(m => m.Seq));
    }

    [Fact]
    public async Task ListMessagesReturnsTheNewestNInChronologicalOrder()
    {
        var (_, conversation) = await LeadWithConversationAsync(Acme, "+491701234567");
        for (var i = 1; i <= 6; i++)
        {
            if (i % 2 == 1)
            {
                await _s.Conversations.AddInboundAsync(Inbound(conversation, $"m{i}"), default);
            }
            else
            {
                var reply = Outbound(conversation, $"m{i}");
                await _s.Conversations.AddOutboundAsync(reply, default);
                await _s.Conversations.AddOutboundAsync(reply, default); // idempotent on its id
            }
        }

        var last4 = await _s.Conversations.ListMessagesAsync(Acme, conversation.Id, 4, default);
        Assert.Equal(["m3", "m4", "m5", "m6"], last4.Select(m => m.Text));
        Assert.Equal([MessageDirection.Inbound, MessageDirection.Outbound, MessageDirection.Inbound, MessageDirection.Outbound], last4.Select(m => m.Direction));
        Assert.Equal(6, (await _s.Conversations.ListMessagesAsync(Acme, conversation.Id, 50, default)).Count);
    }

    [Fact]
    public async Task CreatingTheConversationOfANewLeadThatARacerCreatedReturnsTheRacersConversation()
    {
        var (lead, racers) = await LeadWithConversationAsync(Acme, "+491701234569");

        var mine = await _s.Conversations.CreateForNewLeadAsync(Acme, lead.Id, ChannelKind.WhatsApp, Now, default);

        Assert.Equal(racers.Id, mine.Id);
        Assert.Equal(racers.Id, (await _s.Conversations.FindForLeadAsync(Acme, lead.Id, default))!.Id);
        Assert.Equal(lead.Id, (await _s.Conversations.GetAsync(Acme, racers.Id, default))!.LeadId);
    }

    [Fact]
    public async Task ANewOutboundMessageWrittenWithoutTheExistenceCheckIsStillStoredOnce()
    {
        var (_, conversation) = await LeadWithConversationAsync(Acme, "+491701234568");
        var reply = Outbound(conversation, "only once");
        await _s.Conversations.AddNewOutboundAsync(reply, default);
        await _s.Conversations.AddNewOutboundAsync(reply, default); // a caller that was wrong about "new"
        await _s.Conversations.AddOutboundAsync(reply, default);

        var stored = await _s.Conversations.ListMessagesAsync(Acme, conversation.Id, 50, default);
        Assert.Equal(["only once"], stored.Select(m => m.Text));
        Assert.Equal(MessageDirection.Outbound, Assert.Single(stored).Direction);
    }

    private static Message Held(Conversation c, string text) => Inbound(c, text) with
    {
        Channel = ChannelKind.Email,
        Answerable = false,
        Metadata = new Dictionary<string, string> { ["from"] = "jonas@weber-bau.example", [SenderTrust.UntrustedKey] = SenderTrust.SenderNotAuthenticated },
    };

    private static Dictionary<string, string> Vouched => new() { ["from"] = "jonas@weber-bau.example", [SenderTrust.TrustedByKey] = "api", [SenderTrust.TrustedAtKey] = "2026-11-22T08:00:00.0000000+00:00" };

    [Fact]
    public async Task GetMessageFindsAMessageOnlyInItsOwnClientAndConversation()
    {
        var (_, conversation) = await LeadWithConversationAsync(Acme, "+491701234567");
        var (_, other) = await LeadWithConversationAsync(Acme, "+491707654321");
        var (stored, _) = await _s.Conversations.AddInboundAsync(Inbound(conversation, "hello"), default);

        var found = await _s.Conversations.GetMessageAsync(Acme, conversation.Id, stored.Id, default);

        Assert.Equal((stored.Id, "hello", stored.Seq, MessageDirection.Inbound), (found!.Id, found.Text, found.Seq, found.Direction));
        Assert.Null(await _s.Conversations.GetMessageAsync(Globex, conversation.Id, stored.Id, default));
        Assert.Null(await _s.Conversations.GetMessageAsync(Acme, other.Id, stored.Id, default));
        Assert.Null(await _s.Conversations.GetMessageAsync(Acme, conversation.Id, "msg_unknown", default));
    }

    [Fact]
    public async Task AReadmittedMessageKeepsItsTextTakesTheNewVerdictAndComesAfterEveryEarlierMessage()
    {
        var (_, conversation) = await LeadWithConversationAsync(Acme, "+491701234567");
        var (held, _) = await _s.Conversations.AddInboundAsync(Held(conversation, "Please send the offer"), default);
        var (later, _) = await _s.Conversations.AddInboundAsync(Inbound(conversation, "later"), default);
        await _s.Conversations.AddOutboundAsync(Outbound(conversation, "re: later"), default);

        var readmitted = await _s.Conversations.ReadmitInboundAsync(held, true, Vouched, default);

        Assert.True(readmitted.Seq > later.Seq);
        var stored = (await _s.Conversations.GetMessageAsync(Acme, conversation.Id, held.Id, default))!;
        Assert.Equal((readmitted.Seq, true, "Please send the offer", held.CreatedAt.ToUnixTimeMilliseconds()), (stored.Seq, stored.Answerable, stored.Text, stored.CreatedAt.ToUnixTimeMilliseconds()));
        Assert.Equal(Vouched.OrderBy(m => m.Key), stored.Metadata.OrderBy(m => m.Key));
        Assert.Equal([held.Id], (await _s.Conversations.ListInboundAfterAsync(Acme, conversation.Id, later.Seq, default)).Select(m => m.Id));
        Assert.Equal(["later", "re: later", "Please send the offer"], (await _s.Conversations.ListMessagesAsync(Acme, conversation.Id, 10, default)).Select(m => m.Text));
        var (next, _) = await _s.Conversations.AddInboundAsync(Inbound(conversation, "next"), default);
        Assert.True(next.Seq > readmitted.Seq);
    }

    [Fact]
    public async Task AReadmitFromAStaleReadThrowsAndChangesNothing()
    {
        var (_, conversation) = await LeadWithConversationAsync(Acme, "+491701234567");
        var (held, _) = await _s.Conversations.AddInboundAsync(Held(conversation, "Please send the offer"), default);
        var first = await _s.Conversations.ReadmitInboundAsync(held, true, Vouched, default);

        await Assert.ThrowsAsync<ConcurrencyException>(() => _s.Conversations.ReadmitInboundAsync(held, true, new Dictionary<string, string> { ["from"] = "x" }, default));
        await Assert.ThrowsAsync<ConcurrencyException>(() => _s.Conversations.ReadmitInboundAsync(held with { ClientId = Globex }, true, Vouched, default));

        var stored = (await _s.Conversations.GetMessageAsync(Acme, conversation.Id, held.Id, default))!;
        Assert.Equal((first.Seq, "api"), (stored.Seq, stored.Metadata[SenderTrust.TrustedByKey]));
    }

    [Fact]
    public async Task OfConcurrentReadmitsOfOneReadExactlyOneWins()
    {
        var (_, conversation) = await LeadWithConversationAsync(Acme, "+491701234567");
        var (held, _) = await _s.Conversations.AddInboundAsync(Held(conversation, "Please send the offer"), default);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            try
            {
                return (Message?)await _s.Conversations.ReadmitInboundAsync(held, true, Vouched, CancellationToken.None);
            }
            catch (ConcurrencyException)
            {
                return null;
            }
        })));

        var winner = Assert.Single(outcomes, o => o is not null);
        Assert.Equal(winner!.Seq, (await _s.Conversations.GetMessageAsync(Acme, conversation.Id, held.Id, default))!.Seq);
        Assert.Single(await _s.Conversations.ListMessagesAsync(Acme, conversation.Id, 10, default));
    }

    [Fact]
    public async Task OutboxAddIsIdempotentOnItsKey()
    {
        var (first, created1) = await _s.Outbox.AddAsync(Item(Acme, "lead_1", "out_1", "reply:msg/1?#", "first"), default);
        var (second, created2) = await _s.Outbox.AddAsync(Item(Acme, "lead_1", "out_2", "reply:msg/1?#", "second"), default);
        var (other, created3) = await _s.Outbox.AddAsync(Item(Globex, "lead_9", "out_3", "reply:msg/1?#", "globex"), default);

        Assert.True(created1);
        Assert.False(created2);
        Assert.True(created3);
        Assert.Equal(("out_1", "first"), (second.Id, second.Text));
        Assert.Equal("first", Assert.Single(await _s.Outbox.ListAsync(Acme, null, null, 10, default)).Text);
        Assert.Equal("globex", (await _s.Outbox.GetAsync(Globex, other.Id, default))!.Text);
        Assert.Equal(first.Id, (await _s.Outbox.GetAsync(Acme, "out_1", default))!.Id);
        Assert.Null(await _s.Outbox.GetAsync(Acme, "out_2", default));
    }

    [Fact]
    public async Task OutboxKeepsTheTemplateAndTheEmailThreadOfAnItem()
    {
        var template = new TemplateMessage("follow_up_1", "de", ["Anna", "SalesFlow"]);
        var thread = new EmailThread("Re: Pricing", "abc@mail.example", ["root@mail.example", "abc@mail.example"]);
        await _s.Outbox.AddAsync(Item(Acme, "lead_1", "out_t", "k-template") with { Template = template }, default);
        await _s.Outbox.AddAsync(Item(Acme, "lead_1", "out_e", "k-thread") with { Thread = thread }, default);

        var withTemplate = await _s.Outbox.GetAsync(Acme, "out_t", default);
        var withThread = await _s.Outbox.GetAsync(Acme, "out_e", default);

        Assert.Equal(template.Name, withTemplate!.Template!.Name);
        Assert.Equal(template.BodyParameters, withTemplate.Template.BodyParameters);
        Assert.Null(withTemplate.Thread);
        Assert.Equal(thread.Subject, withThread!.Thread!.Subject);
        Assert.Equal(thread.InReplyTo, withThread.Thread.InReplyTo);
        Assert.Equal(thread.References, withThread.Thread.References);
        Assert.Null(withThread.Template);
    }

    [Fact]
    public async Task OutboxListFiltersByLeadAndStatusInCreationOrder()
    {
        var t0 = DateTimeOffset.UtcNow;
        for (var i = 0; i < 5; i++)
        {
            await _s.Outbox.AddAsync(Item(Acme, i % 2 == 0 ? "lead_a" : "lead_b", $"out_{i}", $"k{i}") with { CreatedAt = t0.AddSeconds(i) }, default);
        }

        await _s.Outbox.MarkAsync(Acme, "out_2", OutboxStatus.Sent, "p2", null, Now, default);

        Assert.Equal(["out_0", "out_1", "out_2"], (await _s.Outbox.ListAsync(Acme, null, null, 3, default)).Select(i => i.Id));
        Assert.Equal(["out_0", "out_2", "out_4"], (await _s.Outbox.ListAsync(Acme, "lead_a", null, 10, default)).Select(i => i.Id));
        Assert.Equal(["out_0", "out_4"], (await _s.Outbox.ListAsync(Acme, "lead_a", OutboxStatus.Pending, 10, default)).Select(i => i.Id));
        Assert.Equal(["out_2"], (await _s.Outbox.ListAsync(Acme, null, OutboxStatus.Sent, 10, default)).Select(i => i.Id));
    }

    [Fact]
    public async Task MarkRecordsTheSendOutcome()
    {
        await _s.Outbox.AddAsync(Item(Acme, "lead_1", "out_1", "k"), default);
        var at = new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

        Assert.True(await _s.Outbox.MarkAsync(Acme, "out_1", OutboxStatus.Failed, null, "timeout", at, default));
        Assert.True(await _s.Outbox.MarkAsync(Acme, "out_1", OutboxStatus.Sent, "SM123", null, at.AddMinutes(1), default));
        Assert.False(await _s.Outbox.MarkAsync(Acme, "out_missing", OutboxStatus.Sent, "SM9", null, at, default));
        Assert.False(await _s.Outbox.MarkAsync(Globex, "out_1", OutboxStatus.Sent, "SM9", null, at, default));

        var item = (await _s.Outbox.GetAsync(Acme, "out_1", default))!;
        Assert.Equal((OutboxStatus.Sent, "SM123", (string?)null, at.AddMinutes(1)), (item.Status, item.ProviderMessageId, item.Error, item.UpdatedAt));
    }

    [Fact]
    public async Task StalePendingItemsAreListedAcrossClientsUntilRedispatched()
    {
        var old = DateTimeOffset.UtcNow.AddMinutes(-10);
        await _s.Outbox.AddAsync(Item(Acme, "lead_1", "out_old", "k-old") with { CreatedAt = old, UpdatedAt = old }, default);
        await _s.Outbox.AddAsync(Item(Globex, "lead_9", "out_old_g", "k-old-g") with { CreatedAt = old.AddSeconds(1), UpdatedAt = old.AddSeconds(1) }, default);
        await _s.Outbox.AddAsync(Item(Acme, "lead_1", "out_new", "k-new"), default);
        await _s.Outbox.AddAsync(Item(Acme, "lead_1", "out_sent", "k-sent") with { CreatedAt = old, UpdatedAt = old }, default);
        await _s.Outbox.MarkAsync(Acme, "out_sent", OutboxStatus.Sent, "p", null, old, default);

        var stale = await _s.Outbox.ListStalePendingAsync(DateTimeOffset.UtcNow.AddMinutes(-1), 10, default);
        Assert.Equal(["out_old", "out_old_g"], stale.Select(i => i.Id));

        await _s.Outbox.MarkRedispatchedAsync(Acme, "out_old", DateTimeOffset.UtcNow, default);
        Assert.Equal(["out_old_g"], (await _s.Outbox.ListStalePendingAsync(DateTimeOffset.UtcNow.AddMinutes(-1), 10, default)).Select(i => i.Id));
        Assert.Equal(OutboxStatus.Pending, (await _s.Outbox.GetAsync(Acme, "out_old", default))!.Status);
    }

    [Fact]
    public async Task ProviderStatusNeverMovesBackwards()
    {
        await _s.Outbox.AddAsync(Item(Acme, "lead_1", "out_1", "k"), default);
        await _s.Outbox.MarkAsync(Acme, "out_1", OutboxStatus.Sent, "wamid.X/1", null, Now, default);

        Assert.True(await _s.Outbox.ApplyProviderStatusAsync(Acme, "wamid.X/1", OutboxStatus.Read, null, Now, default));
        Assert.True(await _s.Outbox.ApplyProviderStatusAsync(Acme, "wamid.X/1", OutboxStatus.Delivered, null, Now, default));
        Assert.False(await _s.Outbox.ApplyProviderStatusAsync(Globex, "wamid.X/1", OutboxStatus.Failed, "x", Now, default));
        Assert.False(await _s.Outbox.ApplyProviderStatusAsync(Acme, "wamid.unknown", OutboxStatus.Delivered, null, Now, default));
        Assert.Equal(OutboxStatus.Read, (await _s.Outbox.GetAsync(Acme, "out_1", default))!.Status);

        Assert.True(await _s.Outbox.ApplyProviderStatusAsync(Acme, "wamid.X/1", OutboxStatus.Failed, "expired", Now, default));
        var item = (await _s.Outbox.GetAsync(Acme, "out_1", default))!;
        Assert.Equal((OutboxStatus.Failed, "expired"), (item.Status, item.Error));
    }

    [Fact]
    public async Task EveryReadWithAnotherClientIdFindsNothing()
    {
        await _s.Clients.TryCreateAsync(NewClient(Acme, Ids.Sha256Hex("key-acme")), default);
        var (lead, conversation) = await LeadWithConversationAsync(Acme, "+491701234567");
        await _s.Leads.LinkIdentityAsync(Acme, IdentityKind.Email, "anna@example.com", lead.Id, default);
        await _s.Conversations.AddInboundAsync(Inbound(conversation, "hi", "wamid.1"), default);
        await _s.Outbox.AddAsync(Item(Acme, lead.Id, "out_1", "k1"), default);
        await _s.Outbox.MarkAsync(Acme, "out_1", OutboxStatus.Sent, "wamid.out", null, Now, default);

        Assert.Null(await _s.Clients.GetAsync(Globex, default));
        Assert.Null(await _s.Leads.GetAsync(Globex, lead.Id, default));
        Assert.Empty(await _s.Leads.ListIdentitiesAsync(Globex, lead.Id, default));
        Assert.Null(await _s.Conversations.GetAsync(Globex, conversation.Id, default));
        Assert.Null(await _s.Conversations.FindForLeadAsync(Globex, lead.Id, default));
        Assert.Empty(await _s.Conversations.ListMessagesAsync(Globex, conversation.Id, 10, default));
        Assert.Empty(await _s.Conversations.ListInboundAfterAsync(Globex, conversation.Id, 0, default));
        Assert.Null(await _s.Outbox.GetAsync(Globex, "out_1", default));
        Assert.Empty(await _s.Outbox.ListAsync(Globex, null, null, 10, default));
        Assert.Empty(await _s.Outbox.ListAsync(Globex, lead.Id, null, 10, default));
        Assert.False(await _s.Outbox.ApplyProviderStatusAsync(Globex, "wamid.out", OutboxStatus.Read, null, Now, default));
        Assert.Null(await _s.Eraser.EraseAsync(Globex, lead.Id, default));

        // The same phone under another client is another lead, with its own conversation.
        var (globexLead, created) = await _s.Leads.GetOrCreateByIdentityAsync(Globex, IdentityKind.Phone, "+491701234567", () => NewLead(Globex), default);
        Assert.True(created);
        Assert.NotEqual(lead.Id, globexLead.Id);
        Assert.Null(await _s.Conversations.FindForLeadAsync(Globex, globexLead.Id, default));

        // Nothing of acme changed.
        Assert.NotNull(await _s.Leads.GetAsync(Acme, lead.Id, default));
        Assert.Single(await _s.Conversations.ListMessagesAsync(Acme, conversation.Id, 10, default));
        Assert.Equal(OutboxStatus.Sent, (await _s.Outbox.GetAsync(Acme, "out_1", default))!.Status);
    }

    [Fact]
    public async Task ErasureRemovesEverythingOfTheLeadAndNothingOfAnother()
    {
        async Task<(Lead, Conversation)> Populate(string phone, string email)
        {
            var (lead, conversation) = await LeadWithConversationAsync(Acme, phone);
            await _s.Leads.LinkIdentityAsync(Acme, IdentityKind.Email, email, lead.Id, default);
            var (m, _) = await _s.Conversations.AddInboundAsync(Inbound(conversation, "hello from " + phone, "wamid." + phone), default);
            await _s.Conversations.AddInboundAsync(Inbound(conversation, "no provider id"), default);
            await _s.Conversations.AddOutboundAsync(Outbound(conversation, "hi there"), default);
            await _s.Conversations.ReplaceAsync(conversation.MoveTo(ConversationState.InterestQualification, "t", Now) with { AnsweredThroughSeq = m.Seq }, default);
            var (item, _) = await _s.Outbox.AddAsync(Item(Acme, lead.Id, Ids.New("out"), "reply:" + m.Id), default);
            await _s.Outbox.MarkAsync(Acme, item.Id, OutboxStatus.Sent, "SM-" + lead.Id, null, Now, default);
            await _s.Profiles.SaveAsync(Profile(Acme, lead.Id), default);
            await _s.ComplianceAudit.AddAsync(Audit(Acme, lead.Id, item.Id, ComplianceVerdict.Pass), default);
            await _s.Usage.AddAsync(Usage(Acme, lead.Id, "gpt-4o-mini", 100, 20, 0.0001m, Now), default);
            await _s.Memory.SaveSummaryAsync(Summary(Acme, lead.Id, "need: a CRM for " + phone, m.Seq), default);
            await _s.MemoryIndex.AddAsync(Acme, lead.Id, [Entry(MemoryKinds.Message, m.Seq, "hello from " + phone), Entry(MemoryKinds.Summary, m.Seq, "need: a CRM")], default);
            return (lead, conversation);
        }

        var (erased, erasedConversation) = await Populate("+491701111111", "erase@example.com");
        var (kept, keptConversation) = await Populate("+491702222222", "keep@example.com");
        Assert.NotEmpty(await _s.FindEverythingMentioning(erased.Id));

        var report = await _s.Eraser.EraseAsync(Acme, erased.Id, default);

        Assert.NotNull(report);
        Assert.Equal(erased.Id, report.LeadId);
        Assert.Equal(1, report.Removed["leads"]);
        Assert.Equal(3, report.Removed["messages"]);
        Assert.Equal(2, report.Removed["identities"]);
        Assert.Equal(1, report.Removed["outbox"]);
        Assert.Equal(1, report.Removed["conversations"]);
        Assert.Equal(1, report.Removed["lead_profiles"]);
        Assert.Equal(1, report.Removed["compliance_audit"]);
        Assert.Equal(1, report.Removed["ai_usage"]);
        Assert.Equal(1, report.Removed["memory_summaries"]);
        Assert.Equal(2, report.Removed["memory_vectors"]);
        Assert.Null(await _s.Memory.GetSummaryAsync(Acme, erased.Id, default));
        Assert.Equal(0, await _s.MemoryIndex.CountAsync(Acme, erased.Id, default));
        Assert.Empty(await _s.MemoryIndex.SearchAsync(Acme, erased.Id, Embedder.Embed("hello"), 5, 0f, long.MaxValue, default));
        Assert.Empty(await _s.FindEverythingMentioning(erased.Id));
        Assert.Null(await _s.Profiles.GetAsync(Acme, erased.Id, default));
        Assert.Empty(await _s.ComplianceAudit.ListAsync(Acme, erased.Id, null, 10, default));
        Assert.Equal(0, (await _s.Usage.ReportAsync(Acme, erased.Id, null, null, default)).Total.Calls);
        Assert.Null(await _s.Leads.GetAsync(Acme, erased.Id, default));
        Assert.Null(await _s.Conversations.GetAsync(Acme, erasedConversation.Id, default));
        Assert.Empty(await _s.Conversations.ListMessagesAsync(Acme, erasedConversation.Id, 10, default));
        Assert.False(await _s.Outbox.ApplyProviderStatusAsync(Acme, "SM-" + erased.Id, OutboxStatus.Read, null, Now, default));
        Assert.Null(await _s.Eraser.EraseAsync(Acme, erased.Id, default));

        // The identities are free again: the same phone is a new lead.
        var (again, created) = await _s.Leads.GetOrCreateByIdentityAsync(Acme, IdentityKind.Phone, "+491701111111", () => NewLead(Acme), default);
        Assert.True(created);
        Assert.NotEqual(erased.Id, again.Id);

        // The other lead is untouched.
        Assert.NotNull(await _s.Leads.GetAsync(Acme, kept.Id, default));
        Assert.Equal(2, (await _s.Leads.ListIdentitiesAsync(Acme, kept.Id, default)).Count);
        Assert.Equal(3, (await _s.Conversations.ListMessagesAsync(Acme, keptConversation.Id, 10, default)).Count);
        Assert.Single(await _s.Outbox.ListAsync(Acme, kept.Id, null, 10, default));
        Assert.NotNull(await _s.Profiles.GetAsync(Acme, kept.Id, default));
        Assert.Single(await _s.ComplianceAudit.ListAsync(Acme, kept.Id, null, 10, default));
        Assert.Equal(1, (await _s.Usage.ReportAsync(Acme, kept.Id, null, null, default)).Total.Calls);
        Assert.True(await _s.Outbox.ApplyProviderStatusAsync(Acme, "SM-" + kept.Id, OutboxStatus.Delivered, null, Now, default));
        Assert.NotEmpty(await _s.FindEverythingMentioning(kept.Id));
    }

    private static LeadProfile Profile(string clientId, string leadId) =>
        LeadProfileMerger.Merge(
            LeadProfile.New(clientId, leadId),
            new LeadInsights(
                new MessageAnalysis("en", Intent.Pricing, Sentiment.Positive, 0.4, 0.9),
                null,
                0,
                new BantSignals(new BantSignal(0.8, "our budget is 5,000 €"), BantSignal.None, new BantSignal(0.6, "orders take too long"), BantSignal.None),
                new DiscSignals(0, 0, 0, 0.7),
                new KeyFacts("Anna", "Bakery Meyer", "CEO", "5,000 €", null, ["orders take too long"], null),
                "llm"),
            Now);

    private static ComplianceAuditEntry Audit(string clientId, string leadId, string outboxId, ComplianceVerdict verdict, DateTimeOffset? at = null) =>
        new(ComplianceGate.EntryIdFor(clientId, outboxId), clientId, leadId, outboxId, verdict, verdict == ComplianceVerdict.Pass ? [] : [ComplianceRules.Guarantee], "llm", OutboxPurpose.Reply, "h1", "h2", "final text", at ?? Now);

    private static AiUsageRecord Usage(string clientId, string? leadId, string model, long input, long output, decimal cost, DateTimeOffset at) =>
        new(Ids.New("ai"), clientId, leadId, model, AiPurpose.Reply, input, output, cost, 120, true, at);

    [Fact]
    public async Task AProfileIsCreatedOnceAndReplacedOnlyAtItsETag()
    {
        var created = await _s.Profiles.SaveAsync(Profile(Acme, "lead_1"), default);
        await Assert.ThrowsAsync<ConcurrencyException>(() => _s.Profiles.SaveAsync(Profile(Acme, "lead_1"), default));

        var stored = (await _s.Profiles.GetAsync(Acme, "lead_1", default))!;
        Assert.Equal(created.ETag, stored.ETag);
        Assert.NotEmpty(stored.ETag);
        Assert.Equal(("Bakery Meyer", 0.8, "our budget is 5,000 €", "C"), (stored.Facts.Company, stored.Bant.Budget.Score, stored.Bant.Budget.Evidence[0], stored.Disc.Primary));
        Assert.Equal((0.7, 1), (stored.Disc.Conscientiousness, stored.Disc.Samples));
        Assert.Equal(["orders take too long"], stored.Facts.PainPoints);

        var replaced = await _s.Profiles.SaveAsync(stored with { Turns = 7 }, default);
        await Assert.ThrowsAsync<ConcurrencyException>(() => _s.Profiles.SaveAsync(stored with { Turns = 9 }, default));
        Assert.Equal(7, (await _s.Profiles.GetAsync(Acme, "lead_1", default))!.Turns);
        Assert.NotEqual(stored.ETag, replaced.ETag);

        Assert.Null(await _s.Profiles.GetAsync(Globex, "lead_1", default));
        Assert.Null(await _s.Profiles.GetAsync(Acme, "lead_2", default));
    }

    [Fact]
    public async Task TheComplianceAuditIsIdempotentPerReplyFilteredAndNewestFirst()
    {
        Assert.True(await _s.ComplianceAudit.AddAsync(Audit(Acme, "lead_1", "out_1", ComplianceVerdict.Pass, Now.AddMinutes(-2)), default));
        Assert.False(await _s.ComplianceAudit.AddAsync(Audit(Acme, "lead_1", "out_1", ComplianceVerdict.Blocked), default));
        await _s.ComplianceAudit.AddAsync(Audit(Acme, "lead_1", "out_2", ComplianceVerdict.Blocked, Now.AddMinutes(-1)), default);
        await _s.ComplianceAudit.AddAsync(Audit(Acme, "lead_2", "out_3", ComplianceVerdict.Rewritten, Now), default);
        await _s.ComplianceAudit.AddAsync(Audit(Globex, "lead_9", "out_9", ComplianceVerdict.Blocked, Now), default);

        var all = await _s.ComplianceAudit.ListAsync(Acme, null, null, 10, default);
        Assert.Equal(["out_3", "out_2", "out_1"], all.Select(e => e.OutboxId));
        Assert.Equal(ComplianceVerdict.Pass, all[^1].Verdict); // the first write stands
        Assert.Equal(["out_2", "out_1"], (await _s.ComplianceAudit.ListAsync(Acme, "lead_1", null, 10, default)).Select(e => e.OutboxId));
        var blocked = Assert.Single(await _s.ComplianceAudit.ListAsync(Acme, null, ComplianceVerdict.Blocked, 10, default));
        Assert.Equal([ComplianceRules.Guarantee], blocked.RuleIds);
        Assert.Equal(("final text", "h1", "h2", "llm", OutboxPurpose.Reply), (blocked.FinalText, blocked.OriginalHash, blocked.FinalHash, blocked.Source, blocked.Purpose));
        Assert.Single(await _s.ComplianceAudit.ListAsync(Acme, null, null, 1, default));
        Assert.Equal(["out_9"], (await _s.ComplianceAudit.ListAsync(Globex, null, null, 10, default)).Select(e => e.OutboxId));
        Assert.Empty(await _s.ComplianceAudit.ListAsync(Globex, "lead_1", null, 10, default));
    }

    [Fact]
    public async Task UsageIsReportedPerModelPurposeAndLeadWithinTheRangeAndPerClient()
    {
        var t0 = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        await _s.Usage.AddAsync(Usage(Acme, "lead_1", "gpt-4o-mini", 1000, 100, 0.000210m, t0.AddHours(1)), default);
        await _s.Usage.AddAsync(Usage(Acme, "lead_1", "gpt-4o", 2000, 200, 0.007m, t0.AddHours(2)), default);
        await _s.Usage.AddAsync(Usage(Acme, "lead_2", "gpt-4o-mini", 500, 50, 0.000105m, t0.AddDays(2)), default);
        await _s.Usage.AddAsync(Usage(Acme, null, "gpt-4o", 100, 10, 0.00035m, t0.AddHours(3)), default);
        await _s.Usage.AddAsync(Usage(Globex, "lead_9", "gpt-4o", 9999, 999, 1m, t0.AddHours(1)), default);

        var all = await _s.Usage.ReportAsync(Acme, null, null, null, default);
        Assert.Equal(new UsageTotals(4, 3600, 360, 0.007665m), all.Total);
        Assert.Equal(new UsageTotals(2, 1500, 150, 0.000315m), all.ByModel["gpt-4o-mini"]);
        Assert.Equal(new UsageTotals(2, 2100, 210, 0.00735m), all.ByModel["gpt-4o"]);
        Assert.Equal(new UsageTotals(2, 3000, 300, 0.00721m), all.ByLead["lead_1"]);
        Assert.Equal(new UsageTotals(1, 100, 10, 0.00035m), all.ByLead[""]);
        Assert.Equal(4, all.ByPurpose[AiPurpose.Reply].Calls);

        var firstDay = await _s.Usage.ReportAsync(Acme, null, t0, t0.AddDays(1), default);
        Assert.Equal(3, firstDay.Total.Calls);
        Assert.False(firstDay.ByLead.ContainsKey("lead_2"));
        var lead1Late = await _s.Usage.ReportAsync(Acme, "lead_1", t0.AddHours(2), null, default);
        Assert.Equal(new UsageTotals(1, 2000, 200, 0.007m), lead1Late.Total);
        Assert.Equal(["gpt-4o"], lead1Late.ByModel.Keys);

        Assert.Equal(0, (await _s.Usage.ReportAsync(Globex, "lead_1", null, null, default)).Total.Calls);
        Assert.Equal(1, (await _s.Usage.ReportAsync(Globex, null, null, null, default)).Total.Calls);
        Assert.Equal(2, (await _s.Usage.SummarizeLeadAsync(Acme, "lead_1", default)).Total.Calls);
        Assert.Equal(1, (await _s.Usage.SummarizeClientAsync(Acme, t0.AddDays(1), default)).Total.Calls);
        Assert.Equal(4, (await _s.Usage.ListAsync(Acme, null, 10, default)).Count);

        Assert.Equal(2, await _s.Usage.EraseLeadAsync(Acme, "lead_1", default));
        Assert.Equal(2, (await _s.Usage.ReportAsync(Acme, null, null, null, default)).Total.Calls);
        Assert.Equal(1, (await _s.Usage.ReportAsync(Globex, null, null, null, default)).Total.Calls);
    }
}
