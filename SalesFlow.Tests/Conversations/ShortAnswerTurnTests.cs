using SalesFlow.Core.Brain;
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

    /// <summary>Writes SalesFlow's first reply as a fixed offer, so the test knows what the lead answers.</summary>
    private sealed class Offering(string text) : IReplyGenerator
    {
        public Task<string> GenerateAsync(ReplyRequest request, CancellationToken cancellationToken) => Task.FromResult(text);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("passt")]
    [InlineData("ja gerne")]
    public async Task Yes_to_salesflows_demo_offer_is_read_as_a_meeting_wish_and_the_meeting_dialogue_answers(string answer)
    {
        var generator = new Offering("Thanks! Would you like a short demo?");
        var first = await _bed.Say("Hi, I'm interested in your product", "wamid.1");
        await _bed.Engine(replies: generator).ProcessLeadAsync("acme", first.LeadId, default);

        await _bed.Say(answer, "wamid.2");
        var turn = await _bed.Engine(replies: generator).ProcessLeadAsync("acme", first.LeadId, default);

        Assert.Equal(Intent.Meeting, turn!.Analysis.Intent);
        Assert.NotEqual("Thanks! Would you like a short demo?", turn.Reply!.Text);
    }

    [Fact]
    public async Task No_to_salesflows_demo_offer_is_acknowledged_and_asks_what_would_help()
    {
        var generator = new Offering("Thanks! Would you like a short demo?");
        var first = await _bed.Say("Hi, I'm interested in your product", "wamid.1");
        await _bed.Engine(replies: generator).ProcessLeadAsync("acme", first.LeadId, default);

        await _bed.Say("no", "wamid.2");
        var turn = await _bed.Engine(replies: generator).ProcessLeadAsync("acme", first.LeadId, default);

        Assert.StartsWith("No problem", turn!.Reply!.Text, StringComparison.Ordinal);
        Assert.Contains("What would help you most", turn.Reply.Text, StringComparison.Ordinal);
    }

    /// <summary>A lead on du gets the fixed answer to its "ja" on du too, as the generated replies before it.</summary>
    [Fact]
    public async Task Yes_from_a_lead_on_du_to_the_pricing_offer_is_answered_on_du()
    {
        var generator = new Offering("Soll ich dir die genauen Preise für dein Setup zusammenstellen?");
        var first = await _bed.Say("Hey, was kostet das bei euch?", "wamid.1");
        await _bed.Engine(replies: generator).ProcessLeadAsync("acme", first.LeadId, default);

        await _bed.Say("ja", "wamid.2");
        var turn = await _bed.Engine(replies: generator).ProcessLeadAsync("acme", first.LeadId, default);

        Assert.Contains("Ein Kollege stellt dir die genauen Preise für dein Setup zusammen und schickt sie dir.", turn!.Reply!.Text, StringComparison.Ordinal);
    }
}
