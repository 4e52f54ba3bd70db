using System.Diagnostics;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Observability;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Counts every request the Cosmos SDK sends (after its own retries are split into requests: each is billed) and the
/// request units it was charged, per operation and container, so the cost of a turn is visible (salesflow.store.*).
/// </summary>
public sealed class CosmosRequestMetricsHandler : RequestHandler
{
    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await base.SendAsync(request, cancellationToken);
        var tags = new TagList
        {
            { "store", "cosmos" },
            { "operation", OperationOf(request) },
            { "container", ContainerOf(request.RequestUri) },
        };
        SalesFlowMetrics.StoreRequests.Add(1, tags);
        if (response.Headers.RequestCharge > 0)
        {
            SalesFlowMetrics.StoreRequestUnits.Add(response.Headers.RequestCharge, tags);
        }

        return response;
    }

    /// <summary>read, query, create, upsert, replace, patch, delete or batch, from the method and the SDK's headers.</summary>
    public static string OperationOf(RequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        bool Has(string header) => request.Headers.TryGetValue(header, out var value) && !string.Equals(value, "False", StringComparison.OrdinalIgnoreCase);
        if (request.Method == HttpMethod.Get)
        {
            return IsFeed(request.RequestUri) ? "read feed" : "read";
        }

        if (request.Method == HttpMethod.Post)
        {
            return Has("x-ms-cosmos-is-batch-request") ? "batch"
                : Has("x-ms-documentdb-isquery") || Has("x-ms-cosmos-is-query-plan-request") ? "query"
                : Has("x-ms-documentdb-is-upsert") ? "upsert"
                : "create";
        }

        return request.Method.Method switch
        {
            "PUT" => "replace",
            "PATCH" => "patch",
            "DELETE" => "delete",
            var other => other.ToLowerInvariant(),
        };
    }

    // dbs/{db}/colls/{container}/docs is a feed; dbs/{db}/colls/{container}/docs/{id} one item.
    private static bool IsFeed(Uri? uri) => Segments(uri) is { Length: > 0 } s && s.Length % 2 == 1;

    private static string ContainerOf(Uri? uri) =>
        Segments(uri) is { } s && Array.IndexOf(s, "colls") is var i && i >= 0 && i + 1 < s.Length ? s[i + 1] : "account";

    private static string[] Segments(Uri? uri) =>
        uri is null ? [] : (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString).Split('/', StringSplitOptions.RemoveEmptyEntries);
}
