using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Memory;
using SalesFlow.Functions.Runners;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Memory;

/// <summary>The memory service, the context builder and the summary-refresh timer on a real SQLite file (hot window 4).</summary>
public sealed class MemoryServiceTests : IDisposable
{
    private const string Acme = "acme";
    private const string LeadId = "lead_1";
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private readonly TempDatabase _temp = new();
    private readonly SqliteConversationStore _conversations;
    private readonly SqliteMemoryStore _store;
    private readonly SqliteMemoryIndex _index;
    private readonly MemoryService _memory;
    private readonly ContextBuilder _builder;
    private readonly IOptions<MemoryOptions> _options = Options.Create(new MemoryOptions { HotWindow = 4 });

    public MemoryServiceTests()
    {
        _conversations = new SqliteConversationStore(_temp.Db);
        _store = new SqliteMemoryStore(_temp.Db);
        _index = new SqliteMemoryIndex(_temp.Db);
        var profiles = new SqliteLeadProfileStore(_temp.Db);
        var embedder = new HashedEmbedder();
        _memory = new MemoryService(_conversations, profiles, _store, _index, new RulesSummarizer(), embedder, _options, TimeProvider.System, NullLogger<MemoryService>.Instance);
        _builder = new ContextBuilder(_conversations, profiles, _store, _index, embedder, _options);
    }

    public void Dispose() => _temp.Dispose();

    private async Task<(Conversation Conversation, List<Message> Messages)> ConversationAsync(params string[] texts)
    {
        var conversation = await _conversations.GetOrCreateForLeadAsync(Acme, LeadId, ChannelKind.WhatsApp, Start, default);
        var stored = new List<Message>();
        for (var i = 0; i < texts.Length; i++)
        {
            var message = new Message
            {
                Id = $"m{i}",
                ClientId = Acme,
                LeadId = LeadId,
                ConversationId = conversation.Id,
                Channel = ChannelKind.WhatsApp,
                Text = texts[i],
                CreatedAt = Start.AddMinutes(i),
            };
            if (i % 2 == 0)
            {
                stored.Add((await _conversations.AddInboundAsync(message, default)).Message);
            }
            else
            {
                await _conversations.AddOutboundAsync(message with { Direction = MessageDirection.Outbound }, default);
                stored.Add((await _conversations.ListMessagesAsync(Acme, conversation.Id, 1, default))[0]);
            }
        }

        return (conversation, stored);
    }

    private static readonly string[] Dialogue =
    [
        "Our warehouse team needs barcode scanning for inventory.",
        "Great, barcode scanning is part of our inventory module.",
        "What does onboarding look like?",
        "Onboarding takes two weeks with a dedicated manager.",
        "That sounds too expensive for a small team.",
        "We have a starter plan for small teams.",
        "Can we pay monthly?",
        "Yes, monthly billing is available.",
        "Who else in logistics uses you?",
        "Several logistics firms in Hamburg do.",
        "Send me a case study please.",
        "Here it is: example.com/case",
    ];

    [Fact]
    public async Task AnOverflowingHotWindowIsSummarisedAndEveryMessageIndexed()
    {
        var (conversation, messages) = await ConversationAsync(Dialogue);

        await _memory.AfterTurnAsync(Acme, LeadId, conversation.Id, default);

        // 12 messages, hot window 4: the 8 that left it are summarised, all 12 (and the summary) are indexed.
        var summary = await _store.GetSummaryAsync(Acme, LeadId, default);
        Assert.NotNull(summary);
        Assert.Equal(messages[7].Seq, summary.CoversThroughSeq);
        Assert.Contains("need: Our warehouse team needs barcode scanning for inventory.", summary.Text, StringComparison.Ordinal);
        Assert.Contains("objection: That sounds too expensive for a small team.", summary.Text, StringComparison.Ordinal);
        Assert.Equal(13, await _index.CountAsync(Acme, LeadId, default));

        // A second run with nothing new changes nothing (indexing resumes after the newest indexed message).
        await _memory.AfterTurnAsync(Acme, LeadId, conversation.Id, default);
        Assert.Equal(13, await _index.CountAsync(Acme, LeadId, default));
    }

    [Fact]
    public async Task TheContextRecallsTheRelevantOlderMessageAndKeepsTheNewestVerbatim()
    {
        var (conversation, messages) = await ConversationAsync([.. Dialogue, "Does the barcode scanning work offline in the warehouse?"]);
        await _memory.AfterTurnAsync(Acme, LeadId, conversation.Id, default);

        var context = await _builder.BuildAsync(Acme, LeadId, conversation.Id, messages[^1].Text, 6000, default);

        Assert.Equal(messages.TakeLast(4).Select(m => m.Seq), context.Messages.Select(m => m.Seq));
        Assert.NotNull(context.Summary);
        Assert.NotEmpty(context.Recalls);
        Assert.Equal(messages[0].Seq, context.Recalls.First(r => r.Kind == MemoryKinds.Message).Seq);
        Assert.All(context.Recalls, r => Assert.True(r.Seq < context.Messages[0].Seq));
        Assert.DoesNotContain(context.Recalls, r => r.Text.Contains("monthly", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TheTimerSummarisesWhatATurnLeftBelowTheRefreshBatch()
    {
        // Five messages, hot window 4: one left the window, below a turn's batch of 2.
        var (conversation, messages) = await ConversationAsync(Dialogue[..5]);
        await _memory.AfterTurnAsync(Acme, LeadId, conversation.Id, default);
        Assert.Null(await _store.GetSummaryAsync(Acme, LeadId, default));
        Assert.Single(await _store.ListStaleLeadsAsync(4, 10, default));

        var timer = new SummaryRefreshTimer(_store, _memory, _options, NullLogger<SummaryRefreshTimer>.Instance);
        Assert.Equal(Functions.Hosting.TimerNames.SummaryRefresh, timer.Name);
        await timer.RunAsync(default);

        var summary = await _store.GetSummaryAsync(Acme, LeadId, default);
        Assert.NotNull(summary);
        Assert.Equal(messages[0].Seq, summary.CoversThroughSeq);
        Assert.Empty(await _store.ListStaleLeadsAsync(4, 10, default));
    }
}
