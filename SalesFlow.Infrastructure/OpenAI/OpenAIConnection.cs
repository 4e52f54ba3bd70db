using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Azure.AI.OpenAI;
using OpenAI;
using Polly.CircuitBreaker;
using SalesFlow.Core.Ai;

namespace SalesFlow.Infrastructure.OpenAI;

/// <summary>
/// One configured SDK client: Azure.AI.OpenAI's <see cref="AzureOpenAIClient"/> for Azure OpenAI (deployment names, the
/// API key or an Entra token for https://cognitiveservices.azure.com/.default from the managed identity), the OpenAI
/// SDK's <see cref="OpenAIClient"/> for api.openai.com or any OpenAI-compatible base URL (a setting: proxies, tests).
/// The SDK's transport is the named HttpClient of <see cref="ModelResilience"/>, whose resilience handler does the
/// retries, the breaker and the attempt timeout; the SDK's own retry policy is off.
/// </summary>
public sealed class OpenAIConnection : IDisposable
{
    public const string AzureScope = "https://cognitiveservices.azure.com/.default";

    private readonly HttpClient _http;
    private readonly CircuitBreakerStateProvider _breakerState;
    private readonly ServiceProvider? _ownServices;

    /// <summary>With a container where <see cref="ModelResilience.AddModelHttpClient"/> registered the model's HttpClient (the app).</summary>
    /// <param name="credential">Entra credential for Azure without an API key; default the managed identity.</param>
    public OpenAIConnection(AiOptions options, IServiceProvider services, TokenCredential? credential = null)
        : this(options, services, null, credential)
    {
    }

    /// <summary>Standalone (tests, the routing eval tool): the same client and pipeline in a container of its own.</summary>
    /// <param name="innerHandler">The network handler (tests may pass their own); default a SocketsHttpHandler.</param>
    /// <param name="credential">Entra credential for Azure without an API key; default the managed identity.</param>
    public OpenAIConnection(AiOptions options, ILoggerFactory? loggers = null, HttpMessageHandler? innerHandler = null, TimeProvider? time = null, TokenCredential? credential = null)
        : this(options, null, OwnServices(options, loggers, innerHandler, time), credential)
    {
    }

    private OpenAIConnection(AiOptions options, IServiceProvider? services, ServiceProvider? ownServices, TokenCredential? credential)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = AiOptionsValidator.Errors(options).ToList();
        if (!options.Enabled || errors.Count > 0)
        {
            ownServices?.Dispose();
            throw new InvalidOperationException(options.Enabled ? string.Join(" ", errors) : "AI:Provider is none: no model connection to make.");
        }

        Options = options;
        _ownServices = ownServices;
        services ??= ownServices!;
        _http = services.GetRequiredService<IHttpClientFactory>().CreateClient(ModelResilience.HttpClientName);
        _breakerState = services.GetRequiredKeyedService<CircuitBreakerStateProvider>(ModelResilience.HttpClientName);
        Endpoint = ResolveEndpoint(options);

        if (options.Provider == AiProvider.AzureOpenAI)
        {
            // Azure.AI.OpenAI: deployments addressed as {endpoint}/openai/deployments/{name}/…?api-version=…, the key in
            // the api-key header or an Entra token for https://cognitiveservices.azure.com/.default.
            var azureOptions = new AzureOpenAIClientOptions { UserAgentApplicationId = "SalesFlow" };
            UseOurTransport(azureOptions, options);
            if (string.IsNullOrWhiteSpace(options.ApiKey))
            {
                credential ??= string.IsNullOrWhiteSpace(options.ManagedIdentityClientId)
                    ? new DefaultAzureCredential()
                    : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId));
                Client = new AzureOpenAIClient(Endpoint!, credential, azureOptions);
                Authentication = "entra";
            }
            else
            {
                Client = new AzureOpenAIClient(Endpoint!, new ApiKeyCredential(options.ApiKey), azureOptions);
                Authentication = "api-key";
            }
        }
        else
        {
            var openAIOptions = new OpenAIClientOptions { Endpoint = Endpoint, UserAgentApplicationId = "SalesFlow" };
            UseOurTransport(openAIOptions, options);

            // A local OpenAI-compatible server may need no key; the SDK needs one, so a placeholder is sent.
            Client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrWhiteSpace(options.ApiKey) ? "unused" : options.ApiKey), openAIOptions);
            Authentication = "api-key";
        }
    }

    public AiOptions Options { get; }

    /// <summary>The SDK client: an <see cref="AzureOpenAIClient"/> for Azure OpenAI, else an <see cref="OpenAIClient"/>.</summary>
    public OpenAIClient Client { get; }

    /// <summary>The model breaker: Closed, Open, HalfOpen or Isolated.</summary>
    public CircuitState CircuitState => _breakerState.CircuitState;

    /// <summary>Where requests go: the Azure resource, or the OpenAI base URL (null means api.openai.com).</summary>
    public Uri? Endpoint { get; }

    /// <summary>"api-key" or "entra".</summary>
    public string Authentication { get; }

    public string ProviderName => Options.Provider == AiProvider.AzureOpenAI ? "Azure OpenAI" : Endpoint is null ? "OpenAI" : $"OpenAI-compatible server {Endpoint.Host}";

    /// <summary>
    /// Azure: the resource URL (a trailing /openai or /openai/v1 from the older setting form is dropped: the SDK adds the
    /// deployment path). OpenAI: the configured base URL, or null for api.openai.com.
    /// </summary>
    public static Uri? ResolveEndpoint(AiOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Endpoint))
        {
            return null;
        }

        var text = options.Endpoint.Trim().TrimEnd('/');
        if (options.Provider == AiProvider.AzureOpenAI)
        {
            foreach (var suffix in (string[])["/openai/v1", "/openai"])
            {
                if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    text = text[..^suffix.Length];
                    break;
                }
            }
        }

        return new Uri(text + "/");
    }

    /// <summary>
    /// The SDK sends through the named HttpClient of <see cref="ModelResilience"/> (the only retry layer: the SDK's own
    /// retry policy is off so that attempts do not multiply) and its network timeout bounds the whole call.
    /// </summary>
    private void UseOurTransport(ClientPipelineOptions clientOptions, AiOptions options)
    {
        clientOptions.Transport = new HttpClientPipelineTransport(_http);
        clientOptions.RetryPolicy = new ClientRetryPolicy(maxRetries: 0);
        clientOptions.NetworkTimeout = OverallTimeout(options);
    }

    /// <summary>The SDK's network timeout bounds the whole call, our retries included.</summary>
    private static TimeSpan OverallTimeout(AiOptions o)
    {
        var delays = TimeSpan.FromTicks(o.RetryBaseDelay.Ticks * ((1L << Math.Min(o.MaxRetries, 20)) - 1) * 2) + TimeSpan.FromSeconds(10 * o.MaxRetries);
        return TimeSpan.FromTicks(o.Timeout.Ticks * (o.MaxRetries + 1)) + delays + TimeSpan.FromSeconds(5);
    }

    public void Dispose()
    {
        _http.Dispose();
        _ownServices?.Dispose();
    }

    private static ServiceProvider OwnServices(AiOptions options, ILoggerFactory? loggers, HttpMessageHandler? innerHandler, TimeProvider? time)
    {
        var services = new ServiceCollection();
        if (loggers is not null)
        {
            services.AddSingleton(loggers);
        }

        // Polly times its delays and timeouts with the container's TimeProvider.
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddModelHttpClient(_ => options);
        if (innerHandler is not null)
        {
            services.AddHttpClient(ModelResilience.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => innerHandler);
        }

        return services.BuildServiceProvider();
    }
}
