using Microsoft.Extensions.Options;

namespace SalesFlow.Core.Ai;

/// <summary>Which model service answers (section "AI", environment form AI__Provider).</summary>
public enum AiProvider
{
    /// <summary>No model: the embedded rules brain answers everything (the default).</summary>
    None,

    /// <summary>api.openai.com, or any OpenAI-compatible server when <see cref="AiOptions.Endpoint"/> is set.</summary>
    OpenAI,

    /// <summary>Azure OpenAI through its /openai/v1/ endpoint, with an API key or a managed identity.</summary>
    AzureOpenAI,
}

/// <summary>What one model costs, in US dollars per million tokens.</summary>
public sealed class ModelPrice
{
    public decimal InputPerMillion { get; set; }

    public decimal OutputPerMillion { get; set; }

    public decimal Cost(long inputTokens, long outputTokens) =>
        (inputTokens * InputPerMillion + outputTokens * OutputPerMillion) / 1_000_000m;
}

/// <summary>Per-client overrides (AI:Clients:{clientId}:…).</summary>
public sealed class ClientAiOptions
{
    public string? ChatModel { get; set; }

    public string? SmallChatModel { get; set; }

    /// <summary>Spend limit per calendar month (UTC) in US dollars; overrides <see cref="AiOptions.MonthlyBudgetUsd"/>.</summary>
    public decimal? MonthlyBudgetUsd { get; set; }
}

/// <summary>
/// Model access settings, section "AI". With Provider = none (the default) nothing else is read and
/// the rules brain answers; the other settings are validated at start-up by <see cref="AiOptionsValidator"/>.
/// </summary>
public sealed class AiOptions
{
    public const string Section = "AI";

    public AiProvider Provider { get; set; } = AiProvider.None;

    /// <summary>
    /// Azure: https://&lt;resource&gt;.openai.azure.com (the /openai/v1/ path is added when missing).
    /// OpenAI: empty for api.openai.com, or the base URL of an OpenAI-compatible server (e.g. http://localhost:11434/v1/).
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>Required for OpenAI; for Azure, absent means Entra ID via the managed identity.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Client id of a user-assigned managed identity (Azure, no ApiKey); empty: DefaultAzureCredential.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The large model (Azure: the deployment name) for hard turns.</summary>
    public string ChatModel { get; set; } = "gpt-4o";

    /// <summary>The small model for routine turns, extraction and memory summaries.</summary>
    public string SmallChatModel { get; set; } = "gpt-4o-mini";

    public string EmbeddingModel { get; set; } = "text-embedding-3-small";

    /// <summary>Time one attempt may take (the whole streamed answer included).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Retries after the first attempt on 408/429/5xx, network errors and attempt timeouts.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>First retry delay; doubles each retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Failed calls (of at least this many in <see cref="CircuitBreakerSamplingDuration"/>, half of them failing) that open the breaker.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 5;

    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open breaker rejects calls at once (the rules brain answers meanwhile).</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a lead may wait for a model-written reply before the rules brain answers instead.</summary>
    public TimeSpan ReplyDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Complexity score from which a turn goes to the large model (see ModelRouter).</summary>
    public int LargeModelScore { get; set; } = 3;

    /// <summary>Deal value (client currency) from which a deal counts as large for routing.</summary>
    public decimal LargeDealValue { get; set; } = 10_000m;

    /// <summary>Spend limit per client and calendar month in US dollars; 0 = no limit.</summary>
    public decimal MonthlyBudgetUsd { get; set; }

    /// <summary>Per-client model and budget overrides, keyed by client id.</summary>
    public Dictionary<string, ClientAiOptions> Clients { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Prices per model (keys compared case-insensitively, a dated snapshot such as gpt-4o-mini-2024-07-18 matches its base name).</summary>
    public Dictionary<string, ModelPrice> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>List prices (USD per 1M tokens) used when <see cref="Prices"/> names no price for a model.</summary>
    public static IReadOnlyDictionary<string, ModelPrice> DefaultPrices { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase)
    {
        ["gpt-4o"] = new() { InputPerMillion = 2.50m, OutputPerMillion = 10.00m },
        ["gpt-4o-mini"] = new() { InputPerMillion = 0.15m, OutputPerMillion = 0.60m },
        ["text-embedding-3-small"] = new() { InputPerMillion = 0.02m, OutputPerMillion = 0m },
    };

    public bool Enabled => Provider != AiProvider.None;

    /// <summary>The price of a model: configured, else the default list, longest matching prefix first; null when unknown.</summary>
    public ModelPrice? PriceOf(string model)
    {
        foreach (var table in new IReadOnlyDictionary<string, ModelPrice>[] { Prices, DefaultPrices })
        {
            if (table.TryGetValue(model, out var exact))
            {
                return exact;
            }

            var prefix = table.Keys
                .Where(k => model.StartsWith(k + "-", StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(k => k.Length)
                .FirstOrDefault();
            if (prefix is not null)
            {
                return table[prefix];
            }
        }

        return null;
    }

    /// <summary>Cost in USD of a call; 0 for a model with no known price.</summary>
    public decimal CostOf(string model, long inputTokens, long outputTokens) => PriceOf(model)?.Cost(inputTokens, outputTokens) ?? 0m;

    public string ChatModelFor(string? clientId) => Override(clientId)?.ChatModel is { Length: > 0 } m ? m : ChatModel;

    public string SmallChatModelFor(string? clientId) => Override(clientId)?.SmallChatModel is { Length: > 0 } m ? m : SmallChatModel;

    /// <summary>The client's monthly budget in USD; 0 = unlimited.</summary>
    public decimal MonthlyBudgetFor(string? clientId) => Override(clientId)?.MonthlyBudgetUsd ?? MonthlyBudgetUsd;

    private ClientAiOptions? Override(string? clientId) =>
        clientId is not null && Clients.TryGetValue(clientId, out var o) ? o : null;
}

/// <summary>Start-up validation with messages that name the setting to fix.</summary>
public sealed class AiOptionsValidator : IValidateOptions<AiOptions>
{
    public ValidateOptionsResult Validate(string? name, AiOptions options)
    {
        var errors = Errors(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static IEnumerable<string> Errors(AiOptions o)
    {
        if (!Enum.IsDefined(o.Provider))
        {
            yield return "AI:Provider must be none, openai or azureopenai.";
            yield break;
        }

        if (!o.Enabled)
        {
            yield break;
        }

        var provider = o.Provider == AiProvider.OpenAI ? "openai" : "azureopenai";
        if (o.Provider == AiProvider.OpenAI && string.IsNullOrWhiteSpace(o.ApiKey) && string.IsNullOrWhiteSpace(o.Endpoint))
        {
            yield return "AI:ApiKey is required when AI:Provider is openai.";
        }

        if (o.Provider == AiProvider.AzureOpenAI && string.IsNullOrWhiteSpace(o.Endpoint))
        {
            yield return "AI:Endpoint is required when AI:Provider is azureopenai (https://<resource>.openai.azure.com).";
        }

        if (!string.IsNullOrWhiteSpace(o.Endpoint)
            && (!Uri.TryCreate(o.Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            yield return $"AI:Endpoint must be an absolute http(s) URL (got '{o.Endpoint}').";
        }

        if (string.IsNullOrWhiteSpace(o.ChatModel))
        {
            yield return $"AI:ChatModel is required when AI:Provider is {provider}.";
        }

        if (string.IsNullOrWhiteSpace(o.SmallChatModel))
        {
            yield return $"AI:SmallChatModel is required when AI:Provider is {provider}.";
        }

        if (string.IsNullOrWhiteSpace(o.EmbeddingModel))
        {
            yield return $"AI:EmbeddingModel is required when AI:Provider is {provider}.";
        }

        if (o.Timeout <= TimeSpan.Zero || o.Timeout > TimeSpan.FromMinutes(10))
        {
            yield return "AI:Timeout must be between 00:00:00.001 and 00:10:00.";
        }

        if (o.MaxRetries is < 0 or > 10)
        {
            yield return "AI:MaxRetries must be between 0 and 10.";
        }

        if (o.RetryBaseDelay < TimeSpan.Zero || o.RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            yield return "AI:RetryBaseDelay must be between 0 and 00:01:00.";
        }

        if (o.CircuitBreakerMinimumThroughput < 2)
        {
            yield return "AI:CircuitBreakerMinimumThroughput must be at least 2.";
        }

        if (o.CircuitBreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return "AI:CircuitBreakerSamplingDuration must be at least 00:00:00.5.";
        }

        if (o.CircuitBreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return "AI:CircuitBreakerBreakDuration must be at least 00:00:00.5.";
        }

        if (o.ReplyDeadline <= TimeSpan.Zero)
        {
            yield return "AI:ReplyDeadline must be positive.";
        }

        if (o.MonthlyBudgetUsd < 0)
        {
            yield return "AI:MonthlyBudgetUsd must not be negative (0 = no limit).";
        }

        foreach (var (model, price) in o.Prices)
        {
            if (price.InputPerMillion < 0 || price.OutputPerMillion < 0)
            {
                yield return $"AI:Prices:{model} must not be negative.";
            }
        }

        foreach (var (client, over) in o.Clients)
        {
            if (over.MonthlyBudgetUsd < 0)
            {
                yield return $"AI:Clients:{client}:MonthlyBudgetUsd must not be negative.";
            }
        }
    }
}
