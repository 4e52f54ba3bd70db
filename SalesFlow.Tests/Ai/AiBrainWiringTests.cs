using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Ai;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Llm;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Functions.Extensions;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Ai;

public sealed class AiBrainWiringTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_db.Db);
        builder.AddAiBrain();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public void Without_a_provider_the_rules_brain_answers_as_before()
    {
        using var services = Build([]);

        Assert.IsType<RulesReplyGenerator>(services.GetRequiredService<IReplyGenerator>());
        Assert.IsType<RulesInsightsExtractor>(services.GetRequiredService<ILeadInsightsExtractor>());
        Assert.Null(services.GetService<IChatClient>());
    }

    [Fact]
    public void With_openai_the_llm_brain_wraps_the_rules_brain()
    {
        using var services = Build(new() { ["AI:Provider"] = "openai", ["AI:ApiKey"] = "sk-test", ["AI:ChatModel"] = "gpt-4o" });

        Assert.IsType<LlmReplyGenerator>(services.GetRequiredService<IReplyGenerator>());
        Assert.IsType<LlmInsightsExtractor>(services.GetRequiredService<ILeadInsightsExtractor>());
        Assert.NotNull(services.GetRequiredService<IChatClient>());
        Assert.NotNull(services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    [Fact]
    public void OpenAI_without_a_key_fails_at_start_up_with_the_setting_named()
    {
        using var services = Build(new() { ["AI:Provider"] = "openai" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AiOptions>>().Value);
        Assert.Contains("AI:ApiKey is required when AI:Provider is openai.", error.Message);
    }
}
