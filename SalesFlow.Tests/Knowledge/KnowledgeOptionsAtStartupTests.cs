using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Core.Knowledge;
using SalesFlow.Functions.Extensions;

namespace SalesFlow.Tests.Knowledge;

public sealed class KnowledgeOptionsAtStartupTests
{
    private static KnowledgeOptions Resolve(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddKnowledge();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<KnowledgeOptions>>().Value;
    }

    [Fact]
    public void WithCosmosADocumentLimitBeyondWhatAnItemHoldsIsRefusedByName()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["SalesFlow:Store"] = "cosmos", ["Knowledge:MaxDocumentBytes"] = "4194304" }));

        Assert.Contains("Knowledge:MaxDocumentBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEmbeddedStoreTakesLargerDocumentsAndCosmosTheLargestThatFits()
    {
        Assert.Equal(4194304, Resolve(new() { ["Knowledge:MaxDocumentBytes"] = "4194304" }).MaxDocumentBytes);
        Assert.Equal(KnowledgeOptions.MaxDocumentBytesInCosmos, Resolve(new() { ["SalesFlow:Store"] = "cosmos", ["Knowledge:MaxDocumentBytes"] = KnowledgeOptions.MaxDocumentBytesInCosmos.ToString(System.Globalization.CultureInfo.InvariantCulture) }).MaxDocumentBytes);
    }

    [Fact]
    public void TheQuotasAndTheVectorCacheDefaultToTheDocumentedValues()
    {
        var options = Resolve([]);

        Assert.Equal((20, 2000, 100_000, 512), (options.MaxBasesPerClient, options.MaxDocumentsPerClient, options.MaxChunksPerClient, options.VectorCacheMegabytes));
        Assert.Equal(512L * 1024 * 1024, options.VectorCacheBytes);
    }

    [Theory]
    [InlineData("Knowledge:MaxBasesPerClient", "0")]
    [InlineData("Knowledge:MaxDocumentsPerClient", "0")]
    [InlineData("Knowledge:MaxChunksPerClient", "-1")]
    [InlineData("Knowledge:MaxChunksPerClient", "10000001")]
    [InlineData("Knowledge:VectorCacheMegabytes", "-1")]
    public void AQuotaOrCacheBudgetOutOfRangeIsRefusedAtStartUpByName(string setting, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [setting] = value }));

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Привет, это документ о ценах и условиях доставки. ")]
    [InlineData("<p class=\"price\">Starter & Pro: 'from' 39 €</p> ")]
    public void TheLargestDocumentCosmosTakesStaysUnderTheItemLimitOnceWrittenAsJson(string sample)
    {
        // Fill the limit with text that the default encoder would have tripled (\uXXXX for non-ASCII and <>&'").
        var text = string.Concat(Enumerable.Repeat(sample, (KnowledgeOptions.MaxDocumentBytesInCosmos / System.Text.Encoding.UTF8.GetByteCount(sample)) - 1));
        var item = new JsonObject { ["id"] = "src", ["content"] = text };

        var bytes = JsonSerializer.SerializeToUtf8Bytes(item, CosmosSystemTextJsonSerializer.DefaultOptions);

        Assert.InRange(bytes.Length, 1, 2 * 1024 * 1024 - 64 * 1024);
    }
}
