using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using SalesFlow.Infrastructure.Security;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Infrastructure.Azure.StorageQueues;
using SalesFlow.Core.Intake;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Meetings;
using SalesFlow.Core.Memory;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Privacy;
using SalesFlow.Core.Qualification;
using SalesFlow.Core.Queue;
using SalesFlow.Core.Reach;
using SalesFlow.Functions.Hosting;
using SalesFlow.Functions.Runners;

namespace SalesFlow.Functions.Extensions;

/// <summary>
/// Configuration picks the adapter per concern: SalesFlow:Store (embedded | cosmos: clients, leads,
/// conversations, outbox, lead profiles, the compliance audit log, AI usage, the memory summaries and vectors and, registered by
/// <see cref="KnowledgeExtensions"/>, the knowledge store) and
/// SalesFlow:Queue (embedded | storage). The embedded SQLite file is opened only when a
/// concern uses it.
/// </summary>
public static class AdapterExtensions
{
    public const string Embedded = "embedded";
    public const string Cosmos = "cosmos";
    public const string Storage = "storage";

    public static IServiceCollection AddSalesFlowAdapters(this IServiceCollection services, IConfiguration configuration, HostingMode mode, RuntimeHealth health)
    {
        var store = Choice(configuration, "SalesFlow:Store", Embedded, Cosmos);
        var queue = Choice(configuration, "SalesFlow:Queue", Embedded, Storage);
        if (mode.UnderFunctionsHost && queue != Storage)
        {
            throw new InvalidOperationException("SalesFlow:Queue must be 'storage' under the Functions host: the host triggers process-inbound and deliver from Storage queues, so work queued anywhere else would never run.");
        }

        services.AddSingleton(new AdapterChoice(store, queue));
        services.AddSingleton(sp => new SqliteDatabase(Path.Combine(sp.GetRequiredService<IOptions<SalesFlowOptions>>().Value.DataDir, "salesflow.db"), health));
        if (store == Cosmos)
        {
            AddCosmosStores(services, configuration, health);
        }
        else
        {
            AddEmbeddedStores(services);
        }

        if (queue == Storage)
        {
            AddStorageQueue(services, configuration);
        }
        else
        {
            AddEmbeddedQueue(services);
        }

        // Group commit only when the store and the queue are both the SQLite file (see SqliteWriteUnits).
        services.AddSingleton<IWriteUnits>(sp => store == Embedded && queue == Embedded ? new SqliteWriteUnits(sp.GetRequiredService<SqliteDatabase>()) : new SeparateWriteUnits());
        if (store == Embedded && queue == Embedded)
        {
            // The one SQLite writer takes a webhook's messages as journal entries and stores them right after (standalone
            // only: under the Functions host the queue is a Storage queue).
            services.AddSingleton<SqliteInboundJournal>();
            services.AddSingleton<IWebhookIntake, JournaledWebhookIntake>();
            services.AddSingleton<InboundJournalRunner>();
            services.AddHostedService(sp => sp.GetRequiredService<InboundJournalRunner>());
        }
        else
        {
            services.AddSingleton<IWebhookIntake, DirectWebhookIntake>();
        }

        services.AddChannelSenders();
        AddSecretProtection(services, configuration, store);
        return services;
    }

    /// <summary>
    /// Client secrets are encrypted at rest with Data Protection. Its key ring lives next to the data it decrypts: in the
    /// data folder (SalesFlow:DataDir/keys) with the embedded store, in Cosmos with the cosmos store (every instance of a
    /// scaled-out app must read the same keys). With DataProtection:KeyEncryptionKey (in Azure a Key Vault reference) the
    /// ring itself is encrypted; the cosmos store requires it, so what Cosmos holds is useless without Key Vault.
    /// </summary>
    private static void AddSecretProtection(IServiceCollection services, IConfiguration configuration, string store)
    {
        var secret = configuration[KeyRingEncryptionKey.Setting];
        KeyRingEncryptionKey? key = string.IsNullOrWhiteSpace(secret) ? null : new KeyRingEncryptionKey(secret);
        if (key is null && store == Cosmos)
        {
            throw new InvalidOperationException(
                $"{KeyRingEncryptionKey.Setting} must be set with SalesFlow:Store=cosmos: the key ring that encrypts client secrets is kept in Cosmos and is encrypted with this key (in Azure a Key Vault reference; see docs/configuration.md).");
        }

        services.AddDataProtection().SetApplicationName("SalesFlow");
        if (key is not null)
        {
            services.AddSingleton(key);
        }

        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, sp) =>
        {
            options.XmlRepository = store == Cosmos
                ? new CosmosKeyRingRepository(sp.GetRequiredService<CosmosStores>().Containers.Clients)
                : new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(sp.GetRequiredService<IOptions<SalesFlowOptions>>().Value.DataDir, "keys")), sp.GetRequiredService<ILoggerFactory>());
            if (key is not null)
            {
                options.XmlEncryptor = new AesGcmXmlEncryptor(key);
            }
        });
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
    }

    private static void AddEmbeddedStores(IServiceCollection services)
    {
        services.AddSingleton<SqliteClientStore>();
        services.AddSingleton(sp => new CachingClientStore(new ProtectedClientStore(sp.GetRequiredService<SqliteClientStore>(), sp.GetRequiredService<ISecretProtector>()), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IClientStore>(sp => sp.GetRequiredService<CachingClientStore>());
        services.AddSingleton<ILeadStore, SqliteLeadStore>();
        services.AddSingleton<IConversationStore, SqliteConversationStore>();
        services.AddSingleton<IUnansweredInbound, SqliteUnansweredInbound>();
        services.AddSingleton<IOutboxStore, SqliteOutboxStore>();
        services.AddSingleton<IDeliveryFeedbackStore, SqliteDeliveryFeedbackStore>();
        services.AddSingleton<IFollowUpTimerStore, SqliteFollowUpTimerStore>();
        services.AddSingleton<IOptOutLedger, SqliteOptOutLedger>();
        services.AddSingleton<IMeetingStore, SqliteMeetingStore>();
        services.AddSingleton<ILeadEraser>(sp => new SqliteLeadEraser(sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<SqliteMemoryIndex>()));
        services.AddSingleton<ILeadProfileStore, SqliteLeadProfileStore>();
        services.AddSingleton<IComplianceAuditLog, SqliteComplianceAuditLog>();
        services.AddSingleton<IUsageStore, SqliteUsageStore>();
        services.AddSingleton<IMemoryStore, SqliteMemoryStore>();
        services.AddSingleton<SqliteMemoryIndex>();
        services.AddSingleton<IMemoryIndex>(sp => sp.GetRequiredService<SqliteMemoryIndex>());
        services.AddHostedService<ErasureScrubResumer>();
    }

    private static void AddCosmosStores(IServiceCollection services, IConfiguration configuration, RuntimeHealth health)
    {
        // Fail at start-up, not on the first request, when the Cosmos settings are incomplete.
        var options = CosmosStoreFactory.ReadOptions(configuration);
        var stores = CosmosStoreFactory.Create(options, health);
        services.AddSingleton(stores);
        services.AddSingleton(sp => new CachingClientStore(new ProtectedClientStore(stores.Clients, sp.GetRequiredService<ISecretProtector>()), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IClientStore>(sp => sp.GetRequiredService<CachingClientStore>());
        services.AddSingleton<ILeadStore>(stores.Leads);
        services.AddSingleton<IConversationStore>(stores.Conversations);
        services.AddSingleton<IUnansweredInbound>(stores.Unanswered);
        services.AddSingleton<IOutboxStore>(stores.Outbox);
        services.AddSingleton<IDeliveryFeedbackStore>(stores.DeliveryFeedback);
        services.AddSingleton<IFollowUpTimerStore>(stores.FollowUpTimers);
        services.AddSingleton<IOptOutLedger>(stores.OptOuts);
        services.AddSingleton<IMeetingStore>(stores.Meetings);
        services.AddSingleton<ILeadEraser>(stores.Eraser);
        services.AddSingleton<ILeadProfileStore>(stores.Profiles);
        services.AddSingleton<IComplianceAuditLog>(stores.ComplianceAudit);
        services.AddSingleton<IUsageStore>(stores.Usage);
        services.AddSingleton<IMemoryStore>(stores.Memory);
        services.AddSingleton<IMemoryIndex>(stores.MemoryIndex);

        // Registered before the demo seeder so the containers exist when it writes.
        services.AddHostedService<CosmosInitializer>();
    }

    private static void AddEmbeddedQueue(IServiceCollection services)
    {
        services.AddSingleton<SqliteWorkQueue>();
        services.AddSingleton<IWorkQueue>(sp => sp.GetRequiredService<SqliteWorkQueue>());
        services.AddSingleton<IWorkQueueConsumer>(sp => sp.GetRequiredService<SqliteWorkQueue>());
        services.AddSingleton<IPoisonQueueAdmin>(sp => sp.GetRequiredService<SqliteWorkQueue>());
        services.AddSingleton<IPoisonRetention>(sp => sp.GetRequiredService<SqliteWorkQueue>());
    }

    private static void AddStorageQueue(IServiceCollection services, IConfiguration configuration)
    {
        var queue = new StorageQueueWorkQueue(StorageQueueOptions.FromConfiguration(configuration).CreateServiceClient());
        services.AddSingleton(queue);
        services.AddSingleton<IWorkQueue>(queue);
        services.AddSingleton<IWorkQueueConsumer>(queue);
        services.AddSingleton<IPoisonQueueAdmin>(queue);
        services.AddSingleton<IPoisonRetention>(queue);
    }

    private static string Choice(IConfiguration configuration, string key, params string[] allowed)
    {
        var value = (configuration[key] ?? allowed[0]).Trim().ToLowerInvariant();
        return allowed.Contains(value)
            ? value
            : throw new InvalidOperationException($"{key} is '{configuration[key]}'; it must be one of: {string.Join(", ", allowed)}.");
    }

    private sealed class CosmosInitializer(CosmosStores stores, ILogger<CosmosInitializer> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await stores.InitializeAsync(cancellationToken);
            logger.LogInformation("Cosmos DB database {Database} ready (create if missing: {Create})", stores.Options.DatabaseName, stores.Options.CreateIfMissing);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>Which adapter serves each concern, for /ready and the logs.</summary>
public sealed record AdapterChoice(string Store, string Queue);
