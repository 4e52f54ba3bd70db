using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Memory;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Qualification;

namespace SalesFlow.MemoryBench;

/// <summary>
/// One lead with <see cref="MessageCount"/> messages (both directions) on a real SQLite file, every message indexed and
/// the summary written; the benchmark is what a turn pays: <see cref="ContextBuilder.BuildAsync"/> with the
/// query embedded, the hot window read, the summary and profile point reads and the recall scan.
/// </summary>
[MemoryDiagnoser]
public class ContextAssemblyBenchmark
{
    public const int MessageCount = 10_000;
    public const string ClientId = "bench";
    public const string LeadId = "lead_bench";

    private static readonly string[] Topics =
    [
        "We need barcode scanning for {0} warehouse staff.", "How much does the premium plan cost for {0} users?",
        "Can you integrate with our ERP, we run {0} stores?", "The last tool was too expensive, about {0} euros a month.",
        "Our deadline is in {0} weeks, is onboarding fast enough?", "Thanks, I will talk to my boss about the {0} licences.",
    ];

    private string _directory = "";
    private SqliteDatabase _db = null!;
    private ContextBuilder _builder = null!;
    private string _conversationId = "";

    /// <summary>The steps of a build, timed one by one when a tail needs explaining.</summary>
    public Dictionary<string, Func<Task>> Parts { get; private set; } = [];

    public static string Query => "Does the barcode scanning work offline in the warehouse?";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    public async Task SetupAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "salesflow-memorybench-" + Guid.NewGuid().ToString("N"));
        _db = new SqliteDatabase(Path.Combine(_directory, "salesflow.db"), new RuntimeHealth());
        var conversations = new SqliteConversationStore(_db);
        var profiles = new SqliteLeadProfileStore(_db);
        var store = new SqliteMemoryStore(_db);
        var index = new SqliteMemoryIndex(_db);
        var embedder = new HashedEmbedder();
        var options = Options.Create(new MemoryOptions());
        var start = DateTimeOffset.UtcNow.AddDays(-60);
        var conversation = await conversations.GetOrCreateForLeadAsync(ClientId, LeadId, ChannelKind.WhatsApp, start, default);
        _conversationId = conversation.Id;
        for (var i = 0; i < MessageCount; i++)
        {
            var message = new Message
            {
                Id = $"m{i}",
                ClientId = ClientId,
                LeadId = LeadId,
                ConversationId = conversation.Id,
                Channel = ChannelKind.WhatsApp,
                Text = string.Format(System.Globalization.CultureInfo.InvariantCulture, Topics[i % Topics.Length], i),
                CreatedAt = start.AddMinutes(i),
            };
            if (i % 2 == 0)
            {
                await conversations.AddInboundAsync(message, default);
            }
            else
            {
                await conversations.AddOutboundAsync(message with { Direction = MessageDirection.Outbound, Text = "Happy to help with that: " + message.Text }, default);
            }
        }

        await profiles.SaveAsync(LeadProfile.New(ClientId, LeadId) with { Facts = ProfileFacts.Empty with { Name = "Jonas Weber", Company = "Nordlager GmbH", Budget = "2,000 EUR/month" }, Turns = 1 }, default);
        var memory = new MemoryService(conversations, profiles, store, index, new RulesSummarizer(), embedder, options, TimeProvider.System, NullLogger<MemoryService>.Instance);
        await memory.AfterTurnAsync(ClientId, LeadId, conversation.Id, default);
        _builder = new ContextBuilder(conversations, profiles, store, index, embedder, options);
        Parts = new Dictionary<string, Func<Task>>
        {
            ["embed"] = () => memory.EmbedAsync(Query, default),
            ["hot"] = () => conversations.ListMessagesAsync(ClientId, LeadId == "" ? "" : _conversationId, 20, default),
            ["summary"] = () => store.GetSummaryAsync(ClientId, LeadId, default),
            ["profile"] = () => profiles.GetAsync(ClientId, LeadId, default),
            ["recall"] = () => index.SearchAsync(ClientId, LeadId, embedder.Embed(Query), 5, MemoryOptions.RecallFloor, long.MaxValue, default),
        };
        await BuildAsync(); // the first call fills the vector cache, as the lead's first turn in this process would
    }

    [Benchmark]
    public Task<ConversationContext> BuildAsync() => _builder.BuildAsync(ClientId, LeadId, _conversationId, Query, 5000, default);

    [GlobalCleanup]
    public void Cleanup()
    {
        _db.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
