using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Conversations;

/// <summary>A lead answering SalesFlow's own question with a short word is answered, never left hanging.</summary>
public sealed class ShortAnswerTurnTests : IDisposable
{
    private readonly EngineTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    public static TheoryData<string, string> Openers()
    {
        var data = new TheoryData<string, string>();
        foreach (var opener in new[] { "Hi, I'm interested in your product", "Can we book a demo?", "How much does it cost?", "Hallo, ich interessiere mich für Ihr Angebot", "Was kostet das?" })
        {
            foreach (var answer in new[] { "yes", "sure", "ok", "passt", "ja gerne", "no", "nein", "thanks", "danke" })
            {
                data.Add(opener, answer);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Openers))]
    public async Task A_short_answer_after_any_opener_gets_a_reply(string opener, string answer)
    {
        var engine = _bed.Engine();
        var first = await _bed.Say(opener, "wamid.1");
        await engine.ProcessLeadAsync("acme", first.LeadId, default);

        await _bed.Say(answer, "wamid.2");
        var turn = await engine.ProcessLeadAsync("acme", first.LeadId, default);

        Assert.NotNull(turn?.Reply);
        Assert.Equal(2, (await _bed.Outbox.ListAsync("acme", first.LeadId, null, 10, default)).Count);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("sure")]
    [InlineData("ok")]
    [InlineData("passt")]
    [InlineData("ja gerne")]
    [InlineData("no")]
    [InlineData("nein")]
    [InlineData("thanks")]
    [InlineData("danke")]
    public async Task A_short_answer_to_salesflows_question_gets_a_reply(string answer)
    {
        var engine = _bed.Engine();
        var first = await _bed.Say("Hi, I'm interested in your product", "wamid.1");
        var opened = await engine.ProcessLeadAsync("acme", first.LeadId, default);
        Assert.NotNull(opened?.Reply);

        await _bed.Say(answer, "wamid.2");
        var turn = await engine.ProcessLeadAsync("acme", first.LeadId, default);

        Assert.NotNull(turn);
        Assert.NotNull(turn!.Reply);
        Assert.False(string.IsNullOrWhiteSpace(turn.Reply!.Text));
        Assert.NotEqual(opened!.Reply!.Text, turn.Reply.Text);
        Assert.Equal(2, (await _bed.Outbox.ListAsync("acme", first.LeadId, null, 10, default)).Count);
    }
}
