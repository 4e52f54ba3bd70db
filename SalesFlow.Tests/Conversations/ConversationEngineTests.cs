using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Qualification;
using SalesFlow.Core.Queue;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Conversations;

/// <summary>The engine on the real embedded stores, with failures injected at the worst moments.</summary>
public sealed class ConversationEngineTests : IDisposable
{
    private readonly EngineTestBed _bed = new();

    private static Client Acme => EngineTestBed.Acme;

    public void Dispose() => _bed.Dispose();

    private ConversationEngine Engine(IConversationStore? conversations = null, IReplyGenerator? replies = null, ILeadInsightsExtractor? extractor = null) =>
        _bed.Engine(conversations, replies, extractor);

    private Task<IntakeResult> Say(string text, string wamid) => _bed.Say(text, wamid);

    [Fact]
    public async Task A_lead_who_says_where_they_are_has_their_quiet_hours_read_in_that_zone()
    {
        var accepted = await Say("Hi, I'm interested. I'm in Chicago, so please only text me in my afternoon", "wamid.tz");

        await Engine().ProcessLeadAsync("acme", accepted.LeadId, default);

        var lead = (await _bed.Leads.GetAsync("acme", accepted.LeadId, default))!;
        Assert.Equal("America/Chicago", lead.TimeZone);
        Assert.Equal("America/Chicago", SalesFlow.Core.Reach.LeadTimeZone.For(lead, EngineTestBed.Acme));
    }

    /// <summary>An Austrian lead's "Mia san a Tischlerei mit 4 Leit" (one word each way) was answered in English.</summary>
    [Theory]
    [InlineData("Mia san a Tischlerei mit 4 Leit")]
    [InlineData("ok")]
    [InlineData("👍")]
    public async Task A_message_without_clear_language_is_answered_in_the_language_the_lead_writes_in(string text)
    {
        var first = await Say("Guten Tag, ich hätte gerne Infos zu Ihrem Angebot", "wamid.de1");
        await Engine().ProcessLeadAsync("acme", first.LeadId, default);
        var second = await Say(text, "wamid.de2");

        var turn = await Engine().ProcessLeadAsync("acme", second.LeadId, default);

        Assert.Equal("de", turn!.Analysis.Language);
        Assert.Equal("de", RulesInsightsExtractor.DetectLanguage(turn.Reply!.Text));
        Assert.Equal("de", (await _bed.Leads.GetAsync("acme", second.LeadId, default))!.Language);
    }

    [Fact]
    public async Task A_lead_who_clearly_switches_language_is_answered_in_the_new_one()
    {
        var first = await Say("Guten Tag, ich hätte gerne Infos zu Ihrem Angebot", "wamid.de1");
        await Engine().ProcessLeadAsync("acme", first.LeadId, default);
        var second = await Say("Sorry, could we continue in English? My colleague doesn't speak German", "wamid.en2");

        var turn = await Engine().ProcessLeadAsync("acme", second.LeadId, default);

        Assert.Equal("en", turn!.Analysis.Language);
    }

    [Fact]
    public async Task ACrashBeforeTheCommitLeavesOneReplyAfterTheRetry()
    {
        var accepted = await Say("Hi, I'm interested in your product", "wamid.1");
        var failingOnce = new FailingReplaceStore(_bed.Conversations);

        await Assert.ThrowsAsync<IOException>(() => Engine(failingOnce).ProcessLeadAsync("acme", accepted.LeadId, default));
        var retried = await Engine().ProcessLeadAsync("acme", accepted.LeadId, default);

        Assert.NotNull(retried?.Reply);
        var item = Assert.Single(await _bed.Outbox.ListAsync("acme", accepted.LeadId, null, 10, default));
        Assert.Equal($"reply:{accepted.MessageId}", item.IdempotencyKey);
        Assert.Equal(ConversationState.InterestQualification, retried!.Conversation.State);
        Assert.Single(retried.Conversation.History);
    }

    [Fact]
    public async Task ARerunAfterTheCommitDoesNothingButQueueTheDelivery()
    {
        var accepted = await Say("How much is it?", "wamid.1");
        var first = await Engine().ProcessLeadAsync("acme", accepted.LeadId, default);
        var second = await Engine().ProcessLeadAsync("acme", accepted.LeadId, default);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Single(await _bed.Outbox.ListAsync("acme", accepted.LeadId, null, 10, default));
        Assert.Equal(1, await _bed.Queue.CountAsync(Queues.Deliver, default)); // coalesced: one delivery job for the one reply
    }

    [Fact]
    public async Task ABurstIsAnsweredByOneReplyToTheLastMessage()
    {
        await Say("Hi", "wamid.1");
        await Say("I run a bakery", "wamid.2");
        var last = await Say("what does it cost?", "wamid.3");

        var turn = await Engine().ProcessLeadAsync("acme", last.LeadId, default);

        Assert.Equal(ReplyWriter.IdFor("acme", last.MessageId), turn!.Reply!.Id);
        Assert.Equal(Intent.Pricing, turn.Analysis.Intent);
        Assert.Single(await _bed.Outbox.ListAsync("acme", last.LeadId, null, 10, default));
    }

    [Fact]
    public async Task MessagesThatCannotBeAnsweredAreMarkedHandledWithoutAReply()
    {
        var reaction = await _bed.Intake.AcceptAsync(Acme, new InboundMessage(ChannelKind.WhatsApp, "wamid.r", "491701234567", null, null, "[reaction] 👍", "reaction", _bed.Clock.GetUtcNow(), Answerable: false), default);
        Assert.False(reaction.Queued);

        await Say("Hello", "wamid.1");
        var turn = await Engine().ProcessLeadAsync("acme", reaction.LeadId, default);
        Assert.Equal(Intent.Greeting, turn!.Analysis.Intent); // the reaction's text did not reach the brain
        Assert.Single(await _bed.Outbox.ListAsync("acme", reaction.LeadId, null, 10, default));
    }

    [Fact]
    public async Task AStronglyNegativeMessageEscalatesWithOneHandoverThenSilence()
    {
        var replies = new Mock<IReplyGenerator>();
        replies.Setup(r => r.GenerateAsync(It.IsAny<ReplyRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync("A colleague will get back to you.");
        var accepted = await Say("This is a SCAM, you are the worst company ever, I'll call my lawyer!!!", "wamid.1");

        var turn = await Engine(replies: replies.Object).ProcessLeadAsync("acme", accepted.LeadId, default);
        await Say("Hello??", "wamid.2");
        var silent = await Engine(replies: replies.Object).ProcessLeadAsync("acme", accepted.LeadId, default);

        Assert.Equal(OutboxPurpose.Handover, turn!.Reply!.Purpose);
        replies.Verify(r => r.GenerateAsync(It.Is<ReplyRequest>(q => q.Analysis.Intent == Intent.Human), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Null(silent!.Reply);
        Assert.True((await _bed.Leads.GetAsync("acme", accepted.LeadId, default))!.Escalated);
    }

    [Fact]
    public async Task AnErasedLeadIsNotAnswered()
    {
        var accepted = await Say("Hi", "wamid.1");
        await new SqliteLeadEraser(_bed.Temp.Db, new SqliteMemoryIndex(_bed.Temp.Db)).EraseAsync("acme", accepted.LeadId, default);

        Assert.Null(await Engine().ProcessLeadAsync("acme", accepted.LeadId, default));
        Assert.Empty(await _bed.Outbox.ListAsync("acme", null, null, 10, default));
    }

    /// <summary>Simulates a crash at the commit point: everything before it has happened.</summary>
    private sealed class FailingReplaceStore(IConversationStore inner) : IConversationStore
    {
        public Task<Conversation?> GetAsync(string clientId, string conversationId, CancellationToken ct) => inner.GetAsync(clientId, conversationId, ct);
        public Task<Conversation?> FindForLeadAsync(string clientId, string leadId, CancellationToken ct) => inner.FindForLeadAsync(clientId, leadId, ct);
        public Task<Conversation> GetOrCreateForLeadAsync(string clientId, string leadId, ChannelKind channel, DateTimeOffset now, CancellationToken ct) => inner.GetOrCreateForLeadAsync(clientId, leadId, channel, now, ct);
        public Task<Conversation> CreateForNewLeadAsync(string clientId, string leadId, ChannelKind channel, DateTimeOffset now, CancellationToken ct) => inner.CreateForNewLeadAsync(clientId, leadId, channel, now, ct);
        public Task<Conversation> ReplaceAsync(Conversation conversation, CancellationToken ct) => throw new IOException("power cut");
        public Task<(Message Message, bool Duplicate)> AddInboundAsync(Message message, CancellationToken ct) => inner.AddInboundAsync(message, ct);
        public Task AddOutboundAsync(Message message, CancellationToken ct) => inner.AddOutboundAsync(message, ct);
        public Task AddNewOutboundAsync(Message message, CancellationToken ct) => inner.AddNewOutboundAsync(message, ct);
        public Task<Message?> GetMessageAsync(string clientId, string conversationId, string messageId, CancellationToken ct) => inner.GetMessageAsync(clientId, conversationId, messageId, ct);
        public Task<Message> ReadmitInboundAsync(Message current, bool answerable, IReadOnlyDictionary<string, string> metadata, CancellationToken ct) => inner.ReadmitInboundAsync(current, answerable, metadata, ct);
        public Task<IReadOnlyList<Message>> ListMessagesAsync(string clientId, string conversationId, int limit, CancellationToken ct) => inner.ListMessagesAsync(clientId, conversationId, limit, ct);
        public Task<Core.Common.Page<Message>> ListMessagesPageAsync(string clientId, string conversationId, Core.Common.PagePosition? after, int limit, CancellationToken ct) => inner.ListMessagesPageAsync(clientId, conversationId, after, limit, ct);
        public Task<IReadOnlyList<Message>> ListInboundAfterAsync(string clientId, string conversationId, long afterSeq, CancellationToken ct) => inner.ListInboundAfterAsync(clientId, conversationId, afterSeq, ct);
    }
}
