using SalesFlow.Core.Channels;
using SalesFlow.Core.Channels.Parsing;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Queue;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Intake;

/// <summary>
/// A sales rep vouches for an e-mail held back because neither DKIM nor SPF vouched for its sender
/// (<see cref="IntakeService.TrustAsync"/>), on the real embedded stores and work queue: the message's turn is queued
/// as for a new message and the queued turn answers it exactly once, however often the rep vouches.
/// </summary>
public sealed class TrustingAHeldBackEmailTests : IDisposable
{
    private const string Address = "jonas@weber-bau.example";

    private static readonly Client Globex = EngineTestBed.Acme with { Id = "globex", Name = "Globex" };

    private readonly EngineTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private async Task<IntakeResult> EmailAsync(MultipartFormDataContent form)
    {
        using (form)
        {
            var body = await form.ReadAsByteArrayAsync();
            var inbound = await SendGridInboundParser.ParseAsync(new MemoryStream(body), form.Headers.ContentType!.ToString(), default);
            return await _bed.Intake.AcceptAsync(EngineTestBed.Acme, inbound, default);
        }
    }

    private Task<IntakeResult> ForgedAsync(string text) => EmailAsync(Webhooks.ForgedSendGridEmail(Address, text));

    private Task<TrustResult> TrustAsync(IntakeResult held, Client? client = null) =>
        _bed.Intake.TrustAsync(client ?? EngineTestBed.Acme, held.ConversationId, held.MessageId, SenderTrust.TrustedByApi, default);

    private async Task<Message> StoredAsync(IntakeResult result) =>
        (await _bed.Conversations.GetMessageAsync("acme", result.ConversationId, result.MessageId, default))!;

    /// <summary>Runs every process-inbound turn that is due once the burst window has passed, as the queue runner does; returns how many ran.</summary>
    private async Task<int> RunQueuedTurnsAsync(ConversationEngine engine)
    {
        _bed.Clock.Advance(TimeSpan.FromSeconds(5));
        var turns = 0;
        while (await _bed.Queue.ClaimAsync(Queues.ProcessInbound, TimeSpan.FromMinutes(1), default) is { } item)
        {
            var work = ProcessInboundWork.Parse(item.Payload);
            await engine.ProcessLeadAsync(work.ClientId, work.LeadId, default);
            await _bed.Queue.CompleteAsync(item, default);
            turns++;
        }

        return turns;
    }

    private Task<IReadOnlyList<OutboxItem>> RepliesAsync(string leadId) => _bed.Outbox.ListAsync("acme", leadId, null, 50, default);

    [Fact]
    public async Task TrustingAHeldBackEmailClearsTheFlagWithAnAuditTrailAndItsQueuedTurnAnswersItOnce()
    {
        var engine = _bed.Engine();
        var held = await ForgedAsync("Hello, what does your CRM cost for 5 users?");
        Assert.Equal(0, await RunQueuedTurnsAsync(engine));

        var result = await TrustAsync(held);

        Assert.Equal(TrustOutcome.Trusted, result.Outcome);
        Assert.True(result.Queued);
        var stored = await StoredAsync(held);
        Assert.False(stored.IsUntrusted());
        Assert.True(stored.Answerable);
        Assert.Equal("api", stored.Metadata[SenderTrust.TrustedByKey]);
        Assert.Equal(_bed.Clock.GetUtcNow(), DateTimeOffset.Parse(stored.Metadata[SenderTrust.TrustedAtKey], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("false", stored.Metadata[EmailAuthentication.AuthenticatedKey]); // the verdict itself stays on record
        Assert.Equal(1, await RunQueuedTurnsAsync(engine));
        var reply = Assert.Single(await RepliesAsync(held.LeadId));
        Assert.Equal(ReplyWriter.IdFor("acme", held.MessageId), reply.Id);
        Assert.Equal((ChannelKind.Email, Address, OutboxPurpose.Reply), (reply.Channel, reply.Recipient, reply.Purpose));
        Assert.Equal(ConversationState.PriceNegotiation, (await _bed.Conversations.GetAsync("acme", held.ConversationId, default))!.State);
    }

    [Fact]
    public async Task TrustingTwiceChangesNothingTheSecondTimeAndNeverWritesASecondReply()
    {
        var engine = _bed.Engine();
        var held = await ForgedAsync("Hello, what does your CRM cost for 5 users?");
        var first = await TrustAsync(held);
        await RunQueuedTurnsAsync(engine);
        _bed.Clock.Advance(TimeSpan.FromMinutes(3));

        var second = await TrustAsync(held);

        Assert.Equal(TrustOutcome.AlreadyTrusted, second.Outcome);
        Assert.False(second.Queued);
        Assert.Equal(first.Message!.Seq, second.Message!.Seq);
        Assert.Equal(first.Message.Metadata.OrderBy(m => m.Key), second.Message.Metadata.OrderBy(m => m.Key));
        Assert.Equal(0, await RunQueuedTurnsAsync(engine));
        Assert.Single(await RepliesAsync(held.LeadId));
    }

    [Fact]
    public async Task ARepeatedTrustRequeuesATurnACrashLostAndThatTurnStillRepliesOnce()
    {
        var engine = _bed.Engine();
        var held = await ForgedAsync("Hello, what does your CRM cost for 5 users?");
        await TrustAsync(held);

        // The queued turn was lost (a crash before the queue kept it): nothing answered the message yet.
        while (await _bed.Queue.ClaimAsync(Queues.ProcessInbound, TimeSpan.FromMinutes(1), default) is { } lost)
        {
            await _bed.Queue.CompleteAsync(lost, default);
        }

        _bed.Clock.Advance(TimeSpan.FromSeconds(5));
        var again = await TrustAsync(held);

        Assert.Equal(TrustOutcome.AlreadyTrusted, again.Outcome);
        Assert.True(again.Queued);
        Assert.Equal(1, await RunQueuedTurnsAsync(engine));
        Assert.Single(await RepliesAsync(held.LeadId));
    }

    [Fact]
    public async Task ConcurrentTrustCallsTrustOnceAndLeadToOneReply()
    {
        var engine = _bed.Engine();
        var held = await ForgedAsync("Hello, what does your CRM cost for 5 users?");

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => TrustAsync(held))));

        Assert.Single(results, r => r.Outcome == TrustOutcome.Trusted);
        Assert.All(results, r => Assert.Contains(r.Outcome, new[] { TrustOutcome.Trusted, TrustOutcome.AlreadyTrusted }));
        Assert.Single(results.Select(r => r.Message!.Seq).Distinct());
        await RunQueuedTurnsAsync(engine);
        Assert.Single(await RepliesAsync(held.LeadId));
    }

    [Fact]
    public async Task AHeldBackEmailThatATurnAlreadyPassedOverIsAnsweredOnceTrusted()
    {
        var engine = _bed.Engine();
        var first = await ForgedAsync("Hello, do you offer a demo call?");
        var second = await ForgedAsync("And what does it cost for 5 users?");
        await TrustAsync(first);
        Assert.Equal(1, await RunQueuedTurnsAsync(engine));
        var conversation = await _bed.Conversations.GetAsync("acme", first.ConversationId, default);
        Assert.True(conversation!.AnsweredThroughSeq >= (await StoredAsync(second)).Seq, "the first trusted e-mail's turn passed over the second, still held back");

        var result = await TrustAsync(second);

        Assert.True(result.Queued);
        Assert.Equal(1, await RunQueuedTurnsAsync(engine));
        Assert.Equal(
            new[] { first.MessageId, second.MessageId }.Select(id => ReplyWriter.IdFor("acme", id)).Order(),
            (await RepliesAsync(first.LeadId)).Select(r => r.Id).Order());
    }

    [Fact]
    public async Task AnOlderEmailTrustedAfterANewerOneWasAnsweredIsAnsweredWithoutMovingTheLastContactBack()
    {
        var engine = _bed.Engine();
        var held = await ForgedAsync("Hello, do you offer a demo call?");
        _bed.Clock.Advance(TimeSpan.FromHours(2));
        var newer = await EmailAsync(Webhooks.AuthenticSendGridEmail(Address, "What does your CRM cost for 5 users?"));
        await RunQueuedTurnsAsync(engine);
        var before = (await _bed.Conversations.GetAsync("acme", held.ConversationId, default))!;
        Assert.Equal((await StoredAsync(newer)).CreatedAt, before.LastInboundAt);

        await TrustAsync(held);
        Assert.Equal(1, await RunQueuedTurnsAsync(engine));

        var after = (await _bed.Conversations.GetAsync("acme", held.ConversationId, default))!;
        Assert.Equal(before.LastInboundAt, after.LastInboundAt);
        Assert.Equal(before.TurnCount + 1, after.TurnCount);
        Assert.Contains(await RepliesAsync(held.LeadId), r => r.Id == ReplyWriter.IdFor("acme", held.MessageId));
    }

    [Fact]
    public async Task AMessageThatWasNeverHeldBackCannotBeTrusted()
    {
        var engine = _bed.Engine();
        var authentic = await EmailAsync(Webhooks.AuthenticSendGridEmail(Address, "Hello, what does your CRM cost for 5 users?"));
        await RunQueuedTurnsAsync(engine);
        var reply = Assert.Single(await RepliesAsync(authentic.LeadId));

        Assert.Equal(TrustOutcome.NotUntrusted, (await TrustAsync(authentic)).Outcome);
        Assert.Equal(TrustOutcome.NotUntrusted, (await TrustAsync(authentic with { MessageId = reply.Id })).Outcome);
        Assert.False((await StoredAsync(authentic)).Metadata.ContainsKey(SenderTrust.TrustedAtKey));
        Assert.Equal(0, await RunQueuedTurnsAsync(engine));
    }

    [Fact]
    public async Task AnotherClientOrAnotherConversationFindsNothingToTrust()
    {
        var held = await ForgedAsync("Hello, what does your CRM cost for 5 users?");
        var other = await _bed.Say("Hi, I'm Anna", "wamid.other");

        Assert.Equal(TrustOutcome.ConversationNotFound, (await TrustAsync(held, Globex)).Outcome);
        Assert.Equal(TrustOutcome.MessageNotFound, (await TrustAsync(held with { ConversationId = other.ConversationId })).Outcome);
        Assert.Equal(TrustOutcome.MessageNotFound, (await TrustAsync(held with { MessageId = "msg_unknown" })).Outcome);
        Assert.Equal(TrustOutcome.ConversationNotFound, (await TrustAsync(held with { ConversationId = "conv_unknown" })).Outcome);
        Assert.True((await StoredAsync(held)).IsUntrusted());
    }
}
