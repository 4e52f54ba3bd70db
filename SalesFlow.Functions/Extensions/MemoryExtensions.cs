using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Ai;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Memory;

namespace SalesFlow.Functions.Extensions;

public static class MemoryExtensions
{
    /// <summary>
    /// The memory layers over whichever store adapter is chosen. Memory embeds with the offline hashed embedder even
    /// when a model is configured: every message is embedded, and a model call per message would cost more than the
    /// recall gains; the keyed registration lets a deployment swap it. The LLM summarizer (the client's small model) is used when a chat client is.
    /// </summary>
    public static IServiceCollection AddSalesFlowMemory(this IServiceCollection services)
    {
        services.TryAddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(MemoryService.EmbedderKey, (_, _) => new HashedEmbedder());
        services.AddSingleton<RulesSummarizer>();
        services.AddSingleton<ISummarizer>(sp => sp.GetService<IChatClient>() is { } chat
            ? new LlmSummarizer(
                chat,
                sp.GetRequiredService<RulesSummarizer>(),
                sp.GetRequiredService<AiUsageTracker>(),
                sp.GetRequiredService<IClientStore>(),
                sp.GetRequiredService<ProcessSecrets>(),
                sp.GetRequiredService<IOptions<AiOptions>>(),
                sp.GetRequiredService<ILogger<LlmSummarizer>>())
            : sp.GetRequiredService<RulesSummarizer>());
        services.AddSingleton<MemoryService>();
        services.AddSingleton<ContextBuilder>();
        return services;
    }
}
