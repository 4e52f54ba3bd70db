using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Conversations;

/// <summary>The one turn behind POST /api/conversations/{id}/messages and the chat stream's lead mode, on the real embedded stores.</summary>
public sealed class InlineTurnsTests : IDisposable
{
    private readonly EngineTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private InlineTurns Turns() => new(_bed.Intake, _bed.Engine(), _bed.Conversations, _bed.Outbox, TestBrain.Reader);

    private async Task<(Conversation Conversation, Core.Leads.Lead Lead)> AnnaAsync()
    {
        var accepted = await _bed.Say("Hi", "wamid.1");
        await _bed.Engine().ProcessLeadAsync("acme", accepted.LeadId, default);
        var conversation = await _bed.Conversations.GetAsync("acme", accepted.ConversationId, default);
        return (conversation!, (await _bed.Leads.GetAsync("acme", accepted.LeadId, default))!);
    }

    [Fact]
    public async Task TheLeadsMessageIsAnsweredInlineOnTheConversationsChannelWithItsReplyStreamed()
    {
        var (conversation, lead) = await AnnaAsync();
        var tokens = new List<string>();

        var turn = await Turns().ContinueAsync(EngineTestBed.Acme, conversation, lead, "How much is it?", "api:k1", (t, _) => { tokens.Add(t); return ValueTask.CompletedTask; }, default);

        Assert.NotNull(turn.Reply);
        Assert.Equal(ChannelKind.WhatsApp, turn.Reply!.Channel);
        Assert.Equal(lead.Phone, turn.Reply.Recipient);
        Assert.Equal(Intent.Pricing, turn.Analysis!.Intent);
        Assert.Equal(conversation.State, turn.PreviousState);
        Assert.NotNull(turn.Compliance);
        Assert.NotEmpty(tokens);
    }

    [Fact]
    public async Task ARepeatedCallWithTheSameKeyReplaysTheStoredReplyAndReadsTheMessageAgain()
    {
        var (conversation, lead) = await AnnaAsync();
        var first = await Turns().ContinueAsync(EngineTestBed.Acme, conversation, lead, "How much is it?", "api:k1", null, default);
        var tokens = new List<string>();

        var again = await Turns().ContinueAsync(EngineTestBed.Acme, conversation, lead, "How much is it?", "api:k1", (t, _) => { tokens.Add(t); return ValueTask.CompletedTask; }, default);

        Assert.Equal(first.Reply!.Id, again.Reply!.Id);
        Assert.Equal(first.Reply.Text, string.Concat(tokens));
        Assert.Equal(Intent.Pricing, again.Analysis!.Intent); // the turn ran before: the message is read again for the answer
        Assert.Null(again.Compliance);
        Assert.Single(await _bed.Outbox.ListAsync("acme", lead.Id, null, 10, default), i => i.Id == first.Reply.Id);
    }
}
