using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Azure.Cosmos;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// The Data Protection key ring in Cosmos: one document (<c>dataprotection-keyring</c> in the <c>clients</c> container)
/// holding every key, so loading the ring is one point read and every instance of a scaled-out app reads the same keys
/// (a client secret one instance encrypted another can decrypt; the default ring on the local disk is per machine and
/// lost with it). The official blob and Key Vault repositories (Azure.Extensions.AspNetCore.DataProtection.*) are not on
/// the package source here, and the app already holds Cosmos. The keys arrive encrypted (<see cref="Security.AesGcmXmlEncryptor"/>).
/// </summary>
public sealed class CosmosKeyRingRepository(Container clients) : IXmlRepository
{
    internal const string DocumentId = "dataprotection-keyring";
    private static readonly PartitionKey Partition = new(DocumentId);

    // IXmlRepository is synchronous. Data Protection calls it when it loads the ring (at start, then about once a day)
    // and when it creates a key (every 90 days), never per request, so blocking on the SDK here costs nothing.
    public IReadOnlyCollection<XElement> GetAllElements() =>
        ReadAsync().GetAwaiter().GetResult() is { } ring ? [.. Keys(ring.Document).Select(k => XElement.Parse(k.Xml))] : [];

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        StoreAsync(element.ToString(SaveOptions.DisableFormatting), friendlyName).GetAwaiter().GetResult();
    }

    /// <summary>Appends the key under an ETag guard: two instances creating keys at once both land.</summary>
    private async Task StoreAsync(string xml, string name)
    {
        for (var attempt = 0; ; attempt++)
        {
            var ring = await ReadAsync();
            var keys = ring is null ? [] : Keys(ring.Value.Document).Where(k => k.Name != name).ToList();
            keys.Add((name, xml));
            var document = new JsonObject
            {
                ["id"] = DocumentId,
                ["type"] = "dataProtectionKeyRing",
                ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)new JsonObject { ["name"] = k.Name, ["xml"] = k.Xml })]),
            };
            try
            {
                if (ring is null)
                {
                    await clients.CreateItemAsync(document, Partition);
                }
                else
                {
                    await clients.ReplaceItemAsync(document, DocumentId, Partition, new ItemRequestOptions { IfMatchEtag = ring.Value.ETag });
                }

                return;
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed && attempt < 10)
            {
                // Another instance wrote the ring meanwhile: read it again and append to what it wrote.
            }
        }
    }

    private async Task<(JsonObject Document, string ETag)?> ReadAsync()
    {
        try
        {
            var response = await clients.ReadItemAsync<JsonObject>(DocumentId, Partition);
            return (response.Resource, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static IEnumerable<(string Name, string Xml)> Keys(JsonObject ring) =>
        (ring["keys"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(k => (k["name"]?.GetValue<string>() ?? "", k["xml"]?.GetValue<string>() ?? ""))
            .Where(k => k.Item2.Length > 0);
}
