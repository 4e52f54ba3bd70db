using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Common;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Domain records ⇄ Cosmos documents. A document is the record's camelCase JSON plus the
/// Cosmos <c>id</c>, the partition key property, a <c>type</c> discriminator and <c>clientId</c>
/// (every document carries its tenant). The record's own <c>ETag</c> is never stored: it is the
/// document's <c>_etag</c> on the way back.
/// </summary>
internal static class CosmosDocuments
{
    public static JsonSerializerOptions Json => CosmosSystemTextJsonSerializer.DefaultOptions;

    public static JsonObject ToDocument<T>(T value, string type, string id)
    {
        var doc = JsonSerializer.SerializeToNode(value, Json)!.AsObject();
        doc.Remove("eTag");
        doc.Remove("firstName");
        doc["type"] = type;
        doc["id"] = id;
        return doc;
    }

    /// <summary>The record from a document; <c>_etag</c> becomes <c>eTag</c> and, when given, <paramref name="domainIdProperty"/> becomes <c>id</c>.</summary>
    public static T FromDocument<T>(JsonObject doc, string? domainIdProperty = null)
    {
        var copy = doc.DeepClone().AsObject();
        if (copy["_etag"] is { } etag)
        {
            copy["eTag"] = etag.GetValue<string>();
        }

        if (domainIdProperty is not null)
        {
            copy["id"] = copy[domainIdProperty]?.DeepClone();
        }

        return copy.Deserialize<T>(Json)!;
    }

    public static string ETagOf(JsonObject doc) => doc["_etag"]?.GetValue<string>() ?? "";

    public static string? String(this JsonObject doc, string property) => doc[property]?.GetValue<string>();

    /// <summary>
    /// A Cosmos id built from an outside value (phone, e-mail, provider id, idempotency key):
    /// ids may not contain '/', '\', '?' or '#', so the value is hashed; the document keeps it in clear.
    /// </summary>
    public static string KeyId(string prefix, params string[] parts) =>
        $"{prefix}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts))))}";

    public static long Ms(this DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static async Task<JsonObject?> ReadOrNullAsync(this Container container, string id, string partitionKey, CancellationToken ct)
    {
        try
        {
            var response = await container.ReadItemAsync<JsonObject>(id, new PartitionKey(partitionKey), cancellationToken: ct);
            return WithETag(response.Resource, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Creates the document; false when one with the same id exists in the partition.</summary>
    public static async Task<bool> TryCreateAsync(this Container container, JsonObject doc, string partitionKey, CancellationToken ct)
    {
        try
        {
            await container.CreateItemAsync(doc, new PartitionKey(partitionKey), new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>Replaces the document only if it is still at <paramref name="etag"/>; a lost race (412) or a vanished document (404) is a <see cref="ConcurrencyException"/>.</summary>
    public static async Task<JsonObject> ReplaceGuardedAsync(this Container container, JsonObject doc, string partitionKey, string etag, string what, CancellationToken ct)
    {
        try
        {
            var response = await container.ReplaceItemAsync(doc, doc.String("id"), new PartitionKey(partitionKey), new ItemRequestOptions { IfMatchEtag = etag }, ct);
            return WithETag(response.Resource ?? doc, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            throw new ConcurrencyException($"{what} changed meanwhile.");
        }
    }

    /// <summary>Deletes the document; false when it was already gone.</summary>
    public static async Task<bool> TryDeleteAsync(this Container container, string id, string partitionKey, CancellationToken ct)
    {
        try
        {
            await container.DeleteItemAsync<JsonObject>(id, new PartitionKey(partitionKey), cancellationToken: ct);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Runs a single-partition query (the partition filter is also in the query text: the stand-in
    /// ignores the request's partition key) and drains every page. Optimistic direct execution
    /// sends a single-partition query straight to its partition, without a query-plan round trip.
    /// </summary>
    /// <param name="partitionKey">Null only for the rare cross-partition sweeps (timers), never on a request path.</param>
    public static async Task<List<JsonObject>> QueryAsync(this Container container, QueryDefinition query, string? partitionKey, CancellationToken ct, int? maxItems = null)
    {
        var options = new QueryRequestOptions
        {
            PartitionKey = partitionKey is null ? null : new PartitionKey(partitionKey),
            EnableOptimisticDirectExecution = true,
            MaxItemCount = maxItems ?? 100,
        };
        var results = new List<JsonObject>();
        using var iterator = container.GetItemQueryIterator<JsonObject>(query, requestOptions: options);
        while (iterator.HasMoreResults)
        {
            var page = await iterator.ReadNextAsync(ct);
            results.AddRange(page);
            if (maxItems is { } max && results.Count >= max)
            {
                break;
            }
        }

        return results;
    }

    private static JsonObject WithETag(JsonObject doc, string? etag)
    {
        if (etag is not null)
        {
            doc["_etag"] = etag;
        }

        return doc;
    }
}
