using SalesFlow.Core.Conversations;

namespace SalesFlow.Tests.Adapters;

/// <summary>The inbound sweep's query (<see cref="IUnansweredInbound"/>), against every adapter.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task UnansweredInboundListsConversationsWhoseAnswerableMessagesWaitPastTheAnsweredMarkAcrossClientsOldestFirst()
    {
        var unanswered = _s.Unanswered!;
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-30);
        var (_, waitingAcme) = await LeadWithConversationAsync(Acme, "+491701110001");
        var (_, waitingGlobex) = await LeadWithConversationAsync(Globex, "+491701110002");
        var (_, answered) = await LeadWithConversationAsync(Acme, "+491701110003");
        var (_, heldBack) = await LeadWithConversationAsync(Acme, "+491701110004");
        var (_, tooNew) = await LeadWithConversationAsync(Acme, "+491701110005");
        var (_, tooOld) = await LeadWithConversationAsync(Acme, "+491701110006");

        // Acme's lead had its first message answered; the second one waits.
        var (first, _) = await _s.Conversations.AddInboundAsync(Inbound(waitingAcme, "hi") with { CreatedAt = t0 }, default);
        await _s.Conversations.ReplaceAsync(waitingAcme with { AnsweredThroughSeq = first.Seq }, default);
        await _s.Conversations.AddInboundAsync(Inbound(waitingAcme, "and the price?") with { CreatedAt = t0.AddMinutes(2) }, default);
        await _s.Conversations.AddInboundAsync(Inbound(waitingGlobex, "hello") with { CreatedAt = t0.AddMinutes(1) }, default);
        var (done, _) = await _s.Conversations.AddInboundAsync(Inbound(answered, "done") with { CreatedAt = t0 }, default);
        await _s.Conversations.ReplaceAsync(answered with { AnsweredThroughSeq = done.Seq }, default);
        await _s.Conversations.AddInboundAsync(Inbound(heldBack, "forged") with { CreatedAt = t0, Answerable = false }, default);
        await _s.Conversations.AddInboundAsync(Inbound(tooNew, "just now") with { CreatedAt = t0.AddMinutes(29) }, default);
        await _s.Conversations.AddInboundAsync(Inbound(tooOld, "long ago") with { CreatedAt = t0.AddDays(-5) }, default);

        var listed = await unanswered.ListAsync(t0.AddDays(-1), t0.AddMinutes(10), 10, default);

        Assert.Equal(
            [(Globex, waitingGlobex.LeadId, waitingGlobex.Id, t0.AddMinutes(1).ToUnixTimeMilliseconds()), (Acme, waitingAcme.LeadId, waitingAcme.Id, t0.AddMinutes(2).ToUnixTimeMilliseconds())],
            listed.Select(c => (c.ClientId, c.LeadId, c.ConversationId, c.OldestAt.ToUnixTimeMilliseconds())));
        Assert.Single(await unanswered.ListAsync(t0.AddDays(-1), t0.AddMinutes(10), 1, default));
    }
}
