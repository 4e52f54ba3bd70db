using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using SalesFlow.Core.Ai;

namespace SalesFlow.Infrastructure.OpenAI;

/// <summary>
/// The named HttpClient of the model calls and its Microsoft.Extensions.Http.Resilience pipeline, the only retry layer
/// (the SDK's own retry is off): retry (the library's transient set: 408, 429, 5xx, network errors and attempt timeouts;
/// exponential backoff with jitter; Retry-After honoured) around a circuit breaker around a per-attempt timeout
/// (AI:Timeout). The library sends each attempt from a snapshot of the request.
/// </summary>
public static class ModelResilience
{
    public const string HttpClientName = "SalesFlow.Ai";

    /// <summary>The longest Retry-After wait honoured.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    /// <summary>Registers the client (once per container); its breaker's state is the keyed <see cref="CircuitBreakerStateProvider"/> <see cref="HttpClientName"/>.</summary>
    public static IServiceCollection AddModelHttpClient(this IServiceCollection services, Func<IServiceProvider, AiOptions> options)
    {
        services.AddKeyedSingleton(HttpClientName, (_, _) => new CircuitBreakerStateProvider());
        services.AddHttpClient(HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan) // the SDK's NetworkTimeout bounds the whole call
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .AddResilienceHandler("model", (pipeline, context) => Configure(
                pipeline,
                options(context.ServiceProvider),
                context.ServiceProvider.GetRequiredKeyedService<CircuitBreakerStateProvider>(HttpClientName)));
        return services;
    }

    internal static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, AiOptions options, CircuitBreakerStateProvider breakerState)
    {
        if (options.MaxRetries > 0)
        {
            var retry = new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
            };

            // Ours because the library honours any Retry-After (MaxDelay does not bound it): a lead is waiting for the
            // reply (AI:ReplyDeadline), so a longer wait is cut to MaxRetryAfter and the rules brain answers if that fails too.
            var fromHeader = retry.DelayGenerator!;
            retry.DelayGenerator = async args => await fromHeader(args) is { } d ? (d < MaxRetryAfter ? d : MaxRetryAfter) : null;
            pipeline.AddRetry(retry);
        }

        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
            StateProvider = breakerState,
            // Ours because the library's set leaves out 401/403: a wrong key should stop costing a round trip per turn.
            ShouldHandle = args => ValueTask.FromResult(
                HttpClientResiliencePredicates.IsTransient(args.Outcome)
                || args.Outcome.Result?.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
        });
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.Timeout });
    }
}
