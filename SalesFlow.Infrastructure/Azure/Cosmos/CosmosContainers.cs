using System.Collections.ObjectModel;
using Microsoft.Azure.Cosmos;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// The four containers of the Cosmos adapter and their partition keys. Each key is chosen so that
/// every hot path is a point read or a single-partition query:
/// <list type="bullet">
/// <item><c>clients</c>, pk <c>/id</c>: a tenant is read by id (each request) or by API-key hash
/// (each management call); the key-hash index document <c>apikey:{hash}</c> is its own partition,
/// so both are point reads. Tiny, rarely written.</item>
/// <item><c>leads</c>, pk <c>/clientId</c>: identity resolution (phone/e-mail → lead) must be unique
/// per client, which Cosmos can only guarantee inside one logical partition: the identity document
/// <c>identity:{kind}:{hash}</c> lives next to the lead document, and creating it is the atomic
/// "claim" of get-or-create. Leads and identities are small (a client stays far below 20 GB).
/// The lead's profile (<c>profile:{leadId}</c>), the compliance audit entries (<c>compliance:{id}</c>) and the AI usage
/// records (<c>usage:{id}</c>) live here too: each is read per client (a single-partition query) and erased by lead
/// id within the partition, so no further container (and no infra change) is needed. Knowledge bases
/// (<c>kbase:{hash}</c>) and their sources (<c>ksource:{hash}</c>, content included) live here for the same reason: every
/// knowledge call is scoped by client, so it is a point read or a single-partition query (see <see cref="CosmosKnowledgeStore"/>). Meetings (<c>meeting:{hash of idempotency key}</c>) and slot offers (<c>offer:{hash}</c>) too (see <see cref="CosmosMeetingStore"/>). Analytics too: per-lead rows <c>analytics-lead:{leadId}</c>, counter documents <c>analytics-day:{day}</c> and record claims <c>analytics-key:{hash}</c> (see <see cref="CosmosAnalyticsStore"/>).</item>
/// <item><c>conversations</c>, pk <c>/leadKey</c> = <c>{clientId}/{leadId}</c>: the conversation
/// document (fixed id <c>conversation</c>), its messages, the per-conversation sequence counter and
/// the inbound dedupe documents (and the memory layer's <c>summary</c> and <c>vec:{kind}:{seq}</c> vector documents) share one partition, so a lead's history is one single-partition
/// query, Seq assignment is an ETag-guarded write in the same partition, and the (large, unbounded)
/// message volume of a client spreads over one partition per lead. A conversation id is resolved
/// through an immutable reference document in partition <c>{clientId}/#{conversationId}</c>.</item>
/// <item><c>outbox</c>, pk <c>/clientId</c>: the idempotency key must be unique per client, so the
/// document id is the hash of that key (a create is the atomic insert-if-absent); provider status
/// reports find their item through the index document <c>provider:{hash}</c> (point reads).</item>
/// </list>
/// </summary>
public sealed class CosmosContainers(Database database)
{
    public const string ClientsName = "clients";
    public const string LeadsName = "leads";
    public const string ConversationsName = "conversations";
    public const string OutboxName = "outbox";

    public Database Database { get; } = database;

    public Container Clients { get; } = database.GetContainer(ClientsName);

    public Container Leads { get; } = database.GetContainer(LeadsName);

    public Container Conversations { get; } = database.GetContainer(ConversationsName);

    public Container Outbox { get; } = database.GetContainer(OutboxName);

    public IEnumerable<Container> All => [Clients, Leads, Conversations, Outbox];

    /// <summary>
    /// Large values that no query filters or sorts on (vectors, message and document text, audited replies): indexing
    /// them costs RU on every write, a 384-number vector being 384 index terms. infra/app/cosmos.bicep excludes the same.
    /// </summary>
    public static readonly string[] NotIndexed = ["/vector/*", "/text/?", "/content/?", "/finalText/?", "/htmlBody/?"];

    private static ContainerProperties WithoutLargeValuesIndexed(ContainerProperties container)
    {
        foreach (var path in NotIndexed)
        {
            container.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = path });
        }

        return container;
    }

    private static Collection<CompositePath> Descending(params string[] paths) =>
        [.. paths.Select(path => new CompositePath { Path = path, Order = CompositePathSortOrder.Descending })];

    /// <summary>Creates the database and the containers when missing (idempotent).</summary>
    public static async Task<CosmosContainers> EnsureCreatedAsync(CosmosClient client, string databaseName, CancellationToken ct)
    {
        Database database = await client.CreateDatabaseIfNotExistsAsync(databaseName, cancellationToken: ct);
        await database.CreateContainerIfNotExistsAsync(WithoutLargeValuesIndexed(new ContainerProperties(ClientsName, "/id")), cancellationToken: ct);
        var leads = WithoutLargeValuesIndexed(new ContainerProperties(LeadsName, "/clientId"));
        // The compliance audit pages newest first by (createdAtMs, entryId), a base's sources by (createdAtMs, sourceId).
        leads.IndexingPolicy.CompositeIndexes.Add(Descending("/createdAtMs", "/entryId"));
        leads.IndexingPolicy.CompositeIndexes.Add(Descending("/createdAtMs", "/sourceId"));
        await database.CreateContainerIfNotExistsAsync(leads, cancellationToken: ct);
        await database.CreateContainerIfNotExistsAsync(WithoutLargeValuesIndexed(new ContainerProperties(ConversationsName, "/leadKey")), cancellationToken: ct);
        var outbox = WithoutLargeValuesIndexed(new ContainerProperties(OutboxName, "/clientId"));
        // The outbox list is ordered by (createdAtMs, outboxId): two-property ORDER BY needs a composite index.
        outbox.IndexingPolicy.CompositeIndexes.Add(new Collection<CompositePath>
        {
            new() { Path = "/createdAtMs", Order = CompositePathSortOrder.Ascending },
            new() { Path = "/outboxId", Order = CompositePathSortOrder.Ascending },
        });
        // The paged listing runs newest first. Cosmos could serve it from the reverse of the one above; the stand-in the
        // contract tests run on only accepts an index of the same directions, so both are declared.
        outbox.IndexingPolicy.CompositeIndexes.Add(Descending("/createdAtMs", "/outboxId"));
        await database.CreateContainerIfNotExistsAsync(outbox, cancellationToken: ct);
        return new CosmosContainers(database);
    }
}
