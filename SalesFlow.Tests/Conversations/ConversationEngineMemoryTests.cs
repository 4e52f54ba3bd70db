using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using SalesFlow.Core.Adapters.Embedded;
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
    private static readonly Client Acme = new("acme", "Acme", "hash", new ClientChannelSecrets("a", "b", "c", "d"), "49");

    private readonly TempDatabase _temp = new();
    private readonly ManualClock _clock = new();
    private readonly SqliteLeadStore _leads;
    private readonly SqliteConversationStore _conversations;
    private readonly SqliteOutboxStore _outbox;
    private readonly SqliteWorkQueue _queue;
    private readonly SqliteLeadProfileStore _profiles;
    private readonly SqliteComplianceAuditLog _audit;
    private readonly IntakeService _intake;

    public ConversationEngineMemoryTests()
    {
        _leads = new SqliteLeadStore(_temp.Db);
        _conversations = new SqliteConversationStore(_temp.Db);
        _outbox = new SqliteOutboxStore(_temp.Db);
        _queue = new SqliteWorkQueue(_temp.Db, _clock);
        _profiles = new SqliteLeadProfileStore(_temp.Db);
        _audit = new SqliteComplianceAuditLog(_temp.Db);
        _intake = new IntakeService(_leads, _conversations, _outbox, _queue, Options.Create(new ConversationOptions()), _clock, NullLogger<IntakeService>.Instance);
    }

    public void Dispose() => _temp.Dispose();

    private ConversationEngine Engine(IReplyGenerator replies)
    {
        var clients = new Mock<IClientStore>();
        clients.Setup(c => c.GetAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(Acme);
        var options = Options.Create(new MemoryOptions { HotWindow = 4 });
        var store = new SqliteMemoryStore(_temp.Db);
        var index = new SqliteMemoryIndex(_temp.Db);
        var embedder = new HashedEmbedder();
        return new ConversationEngine(
            clients.Object,
            _leads,
            _conversations,
            _outbox,
            _queue,
            new RulesInsightsExtractor(new RulesMessageAnalyzer()),
            replies,
            new LeadProfileService(_profiles),
            new ComplianceGate(new RulesComplianceFilter(), _audit, NullLogger<ComplianceGate>.Instance),
            Options.Create(new ConversationOptions()),
            _clock,
            NullLogger<ConversationEngine>.Instance,
            new ContextBuilder(_conversations, _profiles, store, index, embedder, options),
            new MemoryService(_conversations, _profiles, store, index, new RulesSummarizer(), embedder, options, _clock, NullLogger<MemoryService>.Instance),
            options);
    }

    private Task<IntakeResult> Say(string text, string wamid) =>
        _intake.AcceptAsync(Acme, new InboundMessage(ChannelKind.WhatsApp, wamid, "491701234567", "Anna", null, text, "text", _clock.GetUtcNow()), default);

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
            _clock.Advance(TimeSpan.FromMinutes(1));
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
