using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SalesFlow.Infrastructure.Brain;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Infrastructure.OpenAI;
using SalesFlow.Core.Ai;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Learnt;
using SalesFlow.Core.Brain.Llm;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Coaching;
using SalesFlow.Core.Outreach;

namespace SalesFlow.Functions.Extensions;

public static class AiBrainExtensions
{
    /// <summary>
    /// The brain. Always: the rules analyser and generator, the usage store and tracker, the model router. With
    /// AI:Provider = openai or azureopenai (validated at start-up): the OpenAI connection, <see cref="IChatClient"/>,
    /// the embedding generator, and the LLM analyser and reply generator, each falling back to its rules twin.
    /// With AI:Provider = none (the default) the rules brain answers exactly as before.
    /// </summary>
    public static IHostApplicationBuilder AddAiBrain(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AiOptions>().BindConfiguration(AiOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AiOptions>, AiOptionsValidator>();
        // The learnt intent/sentiment model beside the rules (issue 14): loaded once, by the first reading; BrainWarmUp
        // reads one message in the background right after start.
        services.AddSingleton<IUtteranceClassifier, DeferredUtteranceClassifier>();
        services.AddSingleton<MessageReader>();
        services.AddSingleton<RulesInsightsExtractor>();
        services.AddSingleton<RulesReplyGenerator>();
        // The store adapters register the usage store of SalesFlow:Store; this default serves hosts without them.
        services.TryAddSingleton<IUsageStore, SqliteUsageStore>();
        services.AddSingleton<AiUsageTracker>();
        services.AddSingleton<ModelRouter>();
        services.AddSingleton<RulesSalesCoach>();
        services.AddSingleton<SalesScriptService>();
        services.AddSingleton<RulesOutreachWriter>();

        var provider = builder.Configuration.GetValue<AiProvider?>($"{AiOptions.Section}:{nameof(AiOptions.Provider)}") ?? AiProvider.None;
        if (provider == AiProvider.None)
        {
            services.AddSingleton<IReplyGenerator>(sp => sp.GetRequiredService<RulesReplyGenerator>());
            services.AddSingleton<ILeadInsightsExtractor>(sp => sp.GetRequiredService<RulesInsightsExtractor>());
            services.AddSingleton<ISalesCoach>(sp => sp.GetRequiredService<RulesSalesCoach>());
            services.AddSingleton<IOutreachWriter>(sp => sp.GetRequiredService<RulesOutreachWriter>());
            return builder;
        }

        services.AddModelHttpClient(sp => sp.GetRequiredService<IOptions<AiOptions>>().Value);
        services.AddSingleton(sp => new OpenAIConnection(sp.GetRequiredService<IOptions<AiOptions>>().Value, sp));
        services.AddSingleton<IChatClient>(sp => new OpenAIChatClient(sp.GetRequiredService<OpenAIConnection>()));
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => new OpenAIEmbeddingGenerator(sp.GetRequiredService<OpenAIConnection>()));
        services.AddSingleton<ILeadInsightsExtractor>(sp => new LlmInsightsExtractor(
            sp.GetRequiredService<IChatClient>(),
            sp.GetRequiredService<RulesInsightsExtractor>(),
            sp.GetRequiredService<AiUsageTracker>(),
            sp.GetRequiredService<IOptions<AiOptions>>(),
            sp.GetRequiredService<ILogger<LlmInsightsExtractor>>()));
        services.AddSingleton<IReplyGenerator>(sp => new LlmReplyGenerator(
            sp.GetRequiredService<IChatClient>(),
            sp.GetRequiredService<ModelRouter>(),
            sp.GetRequiredService<AiUsageTracker>(),
            sp.GetRequiredService<RulesReplyGenerator>(),
            sp.GetRequiredService<IOptions<AiOptions>>(),
            sp.GetRequiredService<ILogger<LlmReplyGenerator>>()));
        services.AddSingleton<ISalesCoach, LlmSalesCoach>();
        services.AddSingleton<IOutreachWriter, LlmOutreachWriter>();
        return builder;
    }
}
