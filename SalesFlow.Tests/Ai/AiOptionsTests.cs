using SalesFlow.Core.Ai;

namespace SalesFlow.Tests.Ai;

public sealed class AiOptionsTests
{
    [Fact]
    public void None_needs_nothing()
    {
        Assert.Empty(AiOptionsValidator.Errors(new AiOptions()));
    }

    [Fact]
    public void OpenAI_without_a_key_is_refused_with_the_setting_named()
    {
        Assert.Contains("AI:ApiKey is required when AI:Provider is openai.", AiOptionsValidator.Errors(new AiOptions { Provider = AiProvider.OpenAI }));
    }

    [Fact]
    public void An_OpenAI_compatible_server_may_run_without_a_key()
    {
        Assert.Empty(AiOptionsValidator.Errors(new AiOptions { Provider = AiProvider.OpenAI, Endpoint = "http://localhost:11434/v1/" }));
    }

    [Fact]
    public void Azure_needs_an_endpoint_but_not_a_key()
    {
        Assert.Contains(AiOptionsValidator.Errors(new AiOptions { Provider = AiProvider.AzureOpenAI }), e => e.StartsWith("AI:Endpoint is required when AI:Provider is azureopenai", StringComparison.Ordinal));
        Assert.Empty(AiOptionsValidator.Errors(new AiOptions { Provider = AiProvider.AzureOpenAI, Endpoint = "https://acme.openai.azure.com" }));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://acme")]
    public void A_bad_endpoint_is_named(string endpoint)
    {
        Assert.Contains(AiOptionsValidator.Errors(new AiOptions { Provider = AiProvider.OpenAI, ApiKey = "k", Endpoint = endpoint }), e => e.StartsWith("AI:Endpoint must be an absolute http(s) URL", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_numbers_are_named()
    {
        var errors = AiOptionsValidator.Errors(new AiOptions { Provider = AiProvider.OpenAI, ApiKey = "k", Timeout = TimeSpan.Zero, MaxRetries = -1, MonthlyBudgetUsd = -5, ChatModel = "" }).ToList();

        Assert.Contains("AI:Timeout must be between 00:00:00.001 and 00:10:00.", errors);
        Assert.Contains("AI:MaxRetries must be between 0 and 10.", errors);
        Assert.Contains("AI:MonthlyBudgetUsd must not be negative (0 = no limit).", errors);
        Assert.Contains("AI:ChatModel is required when AI:Provider is openai.", errors);
    }

    [Fact]
    public void Azure_endpoints_are_the_resource_url_the_sdk_adds_the_deployment_path_to()
    {
        Assert.Equal(new Uri("https://acme.openai.azure.com/"), Infrastructure.OpenAI.OpenAIConnection.ResolveEndpoint(new AiOptions { Provider = AiProvider.AzureOpenAI, Endpoint = "https://acme.openai.azure.com" }));
        // The older setting form (the v1 path) still works.
        Assert.Equal(new Uri("https://acme.openai.azure.com/"), Infrastructure.OpenAI.OpenAIConnection.ResolveEndpoint(new AiOptions { Provider = AiProvider.AzureOpenAI, Endpoint = "https://acme.openai.azure.com/openai/v1/" }));
        // A gateway in front of the resource keeps its own path.
        Assert.Equal(new Uri("https://gateway.example.com/sales/"), Infrastructure.OpenAI.OpenAIConnection.ResolveEndpoint(new AiOptions { Provider = AiProvider.AzureOpenAI, Endpoint = "https://gateway.example.com/sales/openai" }));
        Assert.Null(Infrastructure.OpenAI.OpenAIConnection.ResolveEndpoint(new AiOptions { Provider = AiProvider.OpenAI, ApiKey = "k" }));
    }

    [Fact]
    public void Prices_have_defaults_match_dated_snapshots_and_can_be_overridden()
    {
        var options = new AiOptions();
        Assert.Equal(2.50m + 10.00m, options.CostOf("gpt-4o", 1_000_000, 1_000_000));
        Assert.Equal(0.15m, options.CostOf("gpt-4o-mini-2024-07-18", 1_000_000, 0));
        Assert.Equal(0.02m, options.CostOf("text-embedding-3-small", 1_000_000, 0));
        Assert.Equal(0m, options.CostOf("unknown-model", 1000, 1000));

        options.Prices["gpt-4o-mini"] = new ModelPrice { InputPerMillion = 1m, OutputPerMillion = 2m };
        Assert.Equal(3m, options.CostOf("gpt-4o-mini", 1_000_000, 1_000_000));
    }
}
