using Azure.Identity;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Infrastructure.Azure.Search;
using SalesFlow.Infrastructure.Embedded.Knowledge;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Runners;

namespace SalesFlow.Functions.Extensions;

public static class KnowledgeExtensions
{
    /// <summary>
    /// Knowledge bases and RAG. SalesFlow:Store picks where bases and sources are kept (embedded | cosmos);
    /// Knowledge:Index picks the index (embedded | azuresearch); the
    /// embedder is whatever IEmbeddingGenerator is registered (Azure OpenAI when configured), else
    /// the offline hashed embedder. Settings are validated at start-up with the setting's name.
    /// </summary>
    public static IHostApplicationBuilder AddKnowledge(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // With Cosmos a source's content sits in one item, and an item holds at most 2 MB of JSON (escapes included).
        var inCosmos = string.Equals(builder.Configuration["SalesFlow:Store"], "cosmos", StringComparison.OrdinalIgnoreCase);
        services.AddOptions<KnowledgeOptions>().BindConfiguration(KnowledgeOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.ChunkOverlapTokens < o.ChunkTokens / 2, "Knowledge:ChunkOverlapTokens must be less than half of Knowledge:ChunkTokens.")
            .Validate(o => !inCosmos || o.MaxDocumentBytes <= KnowledgeOptions.MaxDocumentBytesInCosmos, $"Knowledge:MaxDocumentBytes must be at most {KnowledgeOptions.MaxDocumentBytesInCosmos} with SalesFlow:Store=cosmos (a Cosmos item holds at most 2 MB).")
            .ValidateOnStart();
        services.AddOptions<AzureSearchOptions>().BindConfiguration(AzureSearchOptions.Section);

        var index = builder.Configuration["Knowledge:Index"] ?? "embedded";
        if (index.Equals("azuresearch", StringComparison.OrdinalIgnoreCase))
        {
            var search = builder.Configuration.GetSection(AzureSearchOptions.Section).Get<AzureSearchOptions>() ?? new AzureSearchOptions();
            if (search.Problems().ToList() is { Count: > 0 } problems)
            {
                throw new OptionsValidationException(AzureSearchOptions.Section, typeof(AzureSearchOptions), problems);
            }

            services.AddAzureSearchHttpClient();
            services.AddSingleton<IKnowledgeIndex>(sp => new AzureSearchKnowledgeIndex(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(AzureSearchHttpClient.Name),
                sp.GetRequiredService<IOptions<AzureSearchOptions>>().Value,
                new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = search.ManagedIdentityClientId })));
        }
        else
        {
            services.AddSingleton<IKnowledgeIndex>(sp => new SqliteKnowledgeIndex(
                sp.GetRequiredService<SalesFlow.Infrastructure.Embedded.SqliteDatabase>(),
                sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value.VectorCacheBytes));
        }

        // Bases and sources live where the other state lives (SalesFlow:Store): with cosmos in the Cosmos `leads`
        // container, so a read-only app folder needs no SQLite file for them. The embedded index (Knowledge:Index=embedded)
        // keeps its chunks in the SQLite file either way; it reads nothing of the store's tables.
        services.AddSingleton<IKnowledgeStore>(sp => sp.GetRequiredService<AdapterChoice>().Store == AdapterExtensions.Cosmos
            ? sp.GetRequiredService<CosmosStores>().Knowledge
            : ActivatorUtilities.CreateInstance<SqliteKnowledgeStore>(sp));
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(_ => new HashedEmbedder());
        services.AddSingleton<KnowledgeService>();
        services.AddSingleton<IKnowledgeRetriever>(sp => sp.GetRequiredService<KnowledgeService>());
        services.AddSingleton<IWorkHandler, IngestKnowledgeHandler>();
        return builder;
    }
}
