using System.Net;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Observability;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Tells <see cref="RuntimeHealth"/> how each Cosmos write ended (after the SDK's own retries), so /ready sees an
/// account that refuses writes. Reads and queries are not writes; a 4xx is an answer (a conflict, a lost ETag race),
/// not a failing store; a 5xx, a timeout or no answer at all is.
/// </summary>
public sealed class CosmosWriteHealthHandler(RuntimeHealth health) : RequestHandler
{
    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var write = request.Method != HttpMethod.Get
            && !request.Headers.TryGetValue("x-ms-documentdb-isquery", out _)
            && !request.Headers.TryGetValue("x-ms-cosmos-is-query-plan-request", out _);
        ResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (write && e is not OperationCanceledException)
        {
            health.WriteFailed("cosmos", e);
            throw;
        }

        if (write)
        {
            if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
            {
                health.WriteFailed("cosmos", $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {response.ErrorMessage}");
            }
            else
            {
                health.WriteSucceeded();
            }
        }

        return response;
    }
}
