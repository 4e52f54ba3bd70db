using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Moq;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Infrastructure.Embedded.Knowledge;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Queue;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Knowledge;

/// <summary>A knowledge service on a real SQLite file with the embedded index and the hashed embedder; the queue is recorded.</summary>
public sealed class KnowledgeHarness : IDisposable
{
    public KnowledgeHarness(KnowledgeOptions? options = null, long? vectorCacheBytes = null, IEmbeddingGenerator<string, Embedding<float>>? embedder = null)
    {
        Db = new TempDatabase();
        Store = new SqliteKnowledgeStore(Db.Db);
        Index = vectorCacheBytes is { } budget ? new SqliteKnowledgeIndex(Db.Db, budget) : new SqliteKnowledgeIndex(Db.Db);
        Queue.Setup(q => q.EnqueueAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback((string queue, string payload, TimeSpan _, string? _, CancellationToken _) => Enqueued.Add((queue, payload)))
            .Returns(Task.CompletedTask);
        Service = new KnowledgeService(Store, Index, embedder ?? new HashedEmbedder(), Queue.Object, Options.Create(options ?? new KnowledgeOptions()), TimeProvider.System);
    }

    public TempDatabase Db { get; }
    public SqliteKnowledgeStore Store { get; }
    public SqliteKnowledgeIndex Index { get; }
    public Mock<IWorkQueue> Queue { get; } = new();
    public List<(string Queue, string Payload)> Enqueued { get; } = [];
    public KnowledgeService Service { get; }

    public SqliteDatabase Database => Db.Db;

    public void Dispose() => Db.Dispose();

    /// <summary>A small sales knowledge base: products, prices, hours, policies.</summary>
    public static readonly (string Id, string Question, string Answer)[] SalesFaqs =
    [
        ("faq-price", "How much does the Starter plan cost?", "Starter costs €49 per user per month, billed annually; monthly billing is €59."),
        ("faq-hours", "What are your opening hours?", "Our support team is available Monday to Friday from 9:00 to 18:00 CET."),
        ("faq-refund", "What is your refund policy?", "You can cancel within 30 days of purchase and get a full refund, no questions asked."),
        ("faq-shipping", "How long does shipping take?", "Hardware orders ship within 3 business days from our warehouse in Hamburg."),
        ("faq-integrations", "Which CRMs do you integrate with?", "SalesFlow integrates with HubSpot, Salesforce and Pipedrive through native connectors."),
        ("faq-security", "Where is my data stored?", "All customer data is stored in EU data centres in Frankfurt and encrypted at rest with AES-256."),
        ("faq-trial", "Is there a free trial?", "Yes, every plan comes with a 14-day trial; no credit card is required to start."),
        ("faq-seats", "Can I add more users later?", "Seats can be added at any time from the billing page; new seats are prorated for the current period."),
    ];
}
