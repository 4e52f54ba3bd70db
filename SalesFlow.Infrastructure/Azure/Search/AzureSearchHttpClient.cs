using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace SalesFlow.Infrastructure.Azure.Search;

/// <summary>The named HttpClient of <see cref="AzureSearchKnowledgeIndex"/>.</summary>
public static class AzureSearchHttpClient
{
    public const string Name = nameof(AzureSearchKnowledgeIndex);

    /// <summary>
    /// With Microsoft.Extensions.Http.Resilience's standard handler: retries on 408, 429 (Retry-After honoured), 5xx,
    /// network errors and attempt timeouts, with a breaker and total/attempt timeouts. Every call the adapter makes is
    /// idempotent (GET/PUT of the index, mergeOrUpload/delete by key, queries), so retrying POSTs is safe.
    /// </summary>
    public static IHttpStandardResiliencePipelineBuilder AddAzureSearchHttpClient(this IServiceCollection services) =>
        services.AddHttpClient(Name).AddStandardResilienceHandler();
}
