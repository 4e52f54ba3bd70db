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
using SalesFlow.Core.Intake;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Meetings;
using SalesFlow.Core.Memory;
using SalesFlow.Core.Qualification;

using SalesFlow.Core.FollowUps;

namespace SalesFlow.Tests.Support;

/// <summary>The conversation engine on the real embedded stores of one temp database, as the engine tests use it.</summary>
public sealed class EngineTestBed : IDisposable
{
    public static readonly Client Acme = new("acme", "Acme", "hash", new ClientChannelSecrets("a", "b", "c", "d"), "49");

    public EngineTestBed()
    {
        // A calendar with nothing free unless a test opens slots: a meeting wish is then answered "no times, shall we call?".
        Calendar.SetReturnsDefault(Task.FromResult<IReadOnlyList<MeetingSlot>>([]));
        Leads = new SqliteLeadStore(Temp.Db);
        Conversations = new SqliteConversationStore(Temp.Db);
        Outbox = new SqliteOutboxStore(Temp.Db);
        Queue = new SqliteWorkQueue(Temp.Db, Clock);
        Profiles = new SqliteLeadProfileStore(Temp.Db);
        Audit = new SqliteComplianceAuditLog(Temp.Db);
        FollowUpTimers = new SqliteFollowUpTimerStore(Temp.Db);
        OptOuts = new SqliteOptOutLedger(Temp.Db);
        Signals = new StoreTimerConversationSignals(Queue, FollowUpDriver());
        Intake = new IntakeService(Leads, Conversations, Outbox, Signals, Options.Create(new ConversationOptions()), Options.Create(new EmailIntakeOptions()), Clock, NullLogger<IntakeService>.Instance);
    }

    public TempDatabase Temp { get; } = new();
    public ManualClock Clock { get; } = new();
    public SqliteLeadStore Leads { get; }
    public SqliteConversationStore Conversations { get; }
    public SqliteOutboxStore Outbox { get; }
    public SqliteWorkQueue Queue { get; }
    public SqliteLeadProfileStore Profiles { get; }
    public SqliteLeadScoreStore Scores => new(Temp.Db);
    public SqliteComplianceAuditLog Audit { get; }
    public SqliteFollowUpTimerStore FollowUpTimers { get; }
    public SqliteOptOutLedger OptOuts { get; }
    public StoreTimerConversationSignals Signals { get; }
    public IntakeService Intake { get; }

    /// <summary>The integration events port the engine publishes to (a mock: what was published, and failures on demand).</summary>
    public Mock<IIntegrationEvents> IntegrationEvents { get; } = new();

    /// <summary>The calendar port the meeting dialogue books through (a mock: slots, bookings and failures on demand).</summary>
    public Mock<IMeetingScheduler> Calendar { get; } = new();

    /// <summary>The meetings and slot offers of the meeting dialogue.</summary>
    public InMemoryMeetingStore Meetings { get; } = new();

    /// <summary>The meeting side of the turn on <see cref="Calendar"/> and <see cref="Meetings"/>; pass it to <see cref="Engine"/>.</summary>
    public MeetingDialogue MeetingDialogue() => new(
        new MeetingService(Calendar.Object, Meetings, Outbox, IntegrationEvents.Object, Clock, NullLogger<MeetingService>.Instance),
        Meetings,
        Leads,
        Clock,
        NullLogger<MeetingDialogue>.Instance);

    /// <summary>The standalone follow-up driver on the same stores and clock.</summary>
    public StoreFollowUpDriver FollowUpDriver(FollowUpOptions? options = null) =>
        new(FollowUpTimers, FollowUps(options), Clock, NullLogger<StoreFollowUpDriver>.Instance);

    /// <summary>The engine with the rules brain and the memory layers (default options) unless told otherwise; the client has no knowledge.</summary>
    public ConversationEngine Engine(
        IConversationStore? conversations = null,
        IReplyGenerator? replies = null,
        ILeadInsightsExtractor? extractor = null,
        ConversationOptions? options = null,
        MemoryOptions? memory = null,
        MeetingDialogue? meetings = null)
    {
        var clients = new Mock<IClientStore>();
        clients.Setup(c => c.GetAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(Acme);
        var knowledge = new Mock<IKnowledgeRetriever>();
        knowledge.Setup(k => k.RetrieveAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(KnowledgeContext.Empty);
        var turnStore = conversations ?? Conversations;
        var memoryOptions = Options.Create(memory ?? new MemoryOptions());
        var store = new SqliteMemoryStore(Temp.Db);
        var index = new SqliteMemoryIndex(Temp.Db);
        var embedder = new HashedEmbedder();

        return new ConversationEngine(
            clients.Object,
            Leads,
            turnStore,
            extractor ?? TestBrain.Extractor(),
            new LeadTurnUpdater(Leads, OptOuts, new EmailVerification(Leads, Outbox, null, NullLogger<EmailVerification>.Instance), new LeadProfileService(Profiles), IntegrationEvents.Object, NullLogger<LeadTurnUpdater>.Instance),
            new TurnKnowledge(knowledge.Object, NullLogger<TurnKnowledge>.Instance),
            new TurnMemory(
                new ContextBuilder(Conversations, Profiles, store, index, embedder, memoryOptions),
                new MemoryService(Conversations, Profiles, store, index, new RulesSummarizer(), embedder, memoryOptions, Clock, NullLogger<MemoryService>.Instance),
                memoryOptions,
                NullLogger<TurnMemory>.Instance),
            new ReplyWriter(
                replies ?? new RulesReplyGenerator(),
                new ComplianceGate(new RulesComplianceFilter(), Audit, ProcessSecrets.None, NullLogger<ComplianceGate>.Instance),
                Outbox,
                turnStore,
                Queue),
            IntegrationEvents.Object,
            Options.Create(options ?? new ConversationOptions()),
            Clock,
            NullLogger<ConversationEngine>.Instance,
            meetings ?? MeetingDialogue(),
            new SalesFlow.Core.Recommendations.RecommendationService(
                new SqliteRecommendationStore(Temp.Db), turnStore, Profiles, Leads, clients.Object, Meetings, new SqliteLeadOutcomeStore(Temp.Db), Clock, NullLogger<SalesFlow.Core.Recommendations.RecommendationService>.Instance),
            new LeadScoreRefresher(Leads, turnStore, Profiles, Scores, new SqliteLeadScoreModelStore(Temp.Db), IntegrationEvents.Object, Clock, NullLogger<LeadScoreRefresher>.Instance),
            new SalesFlow.Core.Analytics.AnalyticsRecorder(new SqliteAnalyticsStore(Temp.Db, Clock), Leads, NullLogger<SalesFlow.Core.Analytics.AnalyticsRecorder>.Instance),
            new LeadTurnGate());
    }

    /// <summary>The follow-up service on the same stores (rules texts, real compliance gate).</summary>
    public FollowUpService FollowUps(FollowUpOptions? options = null, Client? acme = null, SalesFlow.Core.Outreach.IOutreachWriter? writer = null)
    {
        var clients = new Mock<IClientStore>();
        clients.Setup(c => c.GetAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(acme ?? Acme);
        return new FollowUpService(
            clients.Object,
            Leads,
            Conversations,
            Outbox,
            OptOuts,
            new ComplianceGate(new RulesComplianceFilter(), Audit, ProcessSecrets.None, NullLogger<ComplianceGate>.Instance),
            writer ?? new SalesFlow.Core.Outreach.RulesOutreachWriter(),
            Queue,
            Options.Create(options ?? new FollowUpOptions()),
            NullLogger<FollowUpService>.Instance);
    }

    /// <summary>The delivery service on the same stores, sending through <paramref name="sender"/> (no rate limits).</summary>
    public SalesFlow.Core.Delivery.DeliveryService Delivery(SalesFlow.Core.Delivery.IChannelSender sender)
    {
        var options = Options.Create(new SalesFlow.Core.Delivery.DeliveryOptions { PerRecipientInterval = TimeSpan.Zero });
        return new(Outbox, Leads, OptOuts, sender, new SqliteDeliveryFeedbackStore(Temp.Db), Queue, new SalesFlow.Core.Delivery.DeliveryRateLimiter(options, Clock), options, Clock, NullLogger<SalesFlow.Core.Delivery.DeliveryService>.Instance);
    }

    /// <summary>Anna writes on WhatsApp.</summary>
    public Task<IntakeResult> Say(string text, string wamid) =>
        Intake.AcceptAsync(Acme, new InboundMessage(ChannelKind.WhatsApp, wamid, "491701234567", "Anna", null, text, "text", Clock.GetUtcNow()), default);

    public void Dispose() => Temp.Dispose();
}
