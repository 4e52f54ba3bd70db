using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Memory;
using SalesFlow.Core.Qualification;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Conversations;

/// <summary>The turn with the memory layers (hot window 4) on the real embedded stores: what the brain is given.</summary>
public sealed class ConversationEngineMemoryTests : IDisposable
{
    private readonly EngineTestBed _bed = new();

    private static Client Acme => EngineTestBed.Acme;

    public void Dispose() => _bed.Dispose();

    private ConversationEngine Engine(IReplyGenerator replies) => _bed.Engine(replies: replies, memory: new MemoryOptions { HotWindow = 4 });

    private Task<IntakeResult> Say(string text, string wamid) => _bed.Say(text, wamid);

    [Fact]
    public async Task TheBrainGetsTheHotWindowTheSummaryAndTheRelevantOlderMessage()
    {
        var requests = new List<ReplyRequest>();
        var replies = new Mock<IReplyGenerator>();
        replies.Setup(r => r.GenerateAsync(It.IsAny<ReplyRequest>(), It.IsAny<CancellationToken>()))
            .Callback<ReplyRequest, CancellationToken>((r, _) => requests.Add(r))
            .ReturnsAsync("Thanks, noted.");
        var engine = Engine(replies.Object);
        string[] said = ["Our warehouse team needs barcode scanning for inventory.", "Can we pay monthly?", "Who else in logistics uses you?", "Does the barcode scanning work offline in the warehouse?"];
        string leadId = "";
        for (var i = 0; i < said.Length; i++)
        {
            leadId = (await Say(said[i], "wamid." + i)).LeadId;
            await engine.ProcessLeadAsync("acme", leadId, default);
            _bed.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var first = requests[0];
        Assert.Empty(first.History!);
        var last = requests[^1];
        // Hot window 4 = the current message and the 3 before it; the current one is LeadText, not history.
        Assert.Equal(["Thanks, noted.", "Who else in logistics uses you?", "Thanks, noted."], last.History!.Select(h => h.Text));
        Assert.Contains("barcode scanning", last.Summary, StringComparison.Ordinal);
        Assert.Contains(last.Recalled!, r => r.Text == said[0] && r.FromLead);
        Assert.NotNull(last.KeyFacts);
    }
}
