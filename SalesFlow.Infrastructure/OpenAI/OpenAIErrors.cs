using System.ClientModel;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;
using SalesFlow.Core.Ai;

namespace SalesFlow.Infrastructure.OpenAI;

/// <summary>
/// Turns SDK, HTTP and Polly failures (from the resilience handler of <see cref="ModelResilience"/>) into an
/// <see cref="AiException"/> whose message says what happened and what to fix. Ours because no library knows the
/// OpenAI error body or our setting names, and the brain decides on the <see cref="AiFailure"/> whether to fall back.
/// </summary>
internal static class OpenAIErrors
{
    public static bool IsMappable(Exception e, CancellationToken callerToken) =>
        e is ClientResultException or BrokenCircuitException or TimeoutRejectedException or HttpRequestException or IsolatedCircuitException
        || (e is OperationCanceledException && !callerToken.IsCancellationRequested)
        || (e.InnerException is { } inner && IsMappable(inner, callerToken));

    public static AiException Map(Exception e, string provider, string operation, string model)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case BrokenCircuitException:
                    return new AiException(AiFailure.CircuitOpen, $"{provider} {operation} ({model}) not attempted: the circuit breaker is open after repeated failures.", null, e);
                case TimeoutRejectedException:
                    return new AiException(AiFailure.Timeout, $"{provider} {operation} ({model}) timed out (AI:Timeout).", null, e);
            }
        }

        if (e is ClientResultException result && result.Status != 0)
        {
            var detail = ErrorDetail(result);
            var status = result.Status;
            var (failure, hint) = status switch
            {
                401 or 403 => (AiFailure.Unauthorized, " Check AI:ApiKey (or the managed identity's access to the resource)."),
                400 or 404 or 422 => (AiFailure.BadRequest, status == 404 ? " Check the model or deployment name and AI:Endpoint." : string.Empty),
                408 => (AiFailure.Timeout, string.Empty),
                429 => (AiFailure.RateLimited, " Rate limit or quota exhausted after every retry."),
                _ => (AiFailure.ServerError, " The service failed after every retry."),
            };
            return new AiException(failure, $"{provider} {operation} ({model}) failed with HTTP {status}: {detail}.{hint}", status, e);
        }

        if (e is OperationCanceledException)
        {
            return new AiException(AiFailure.Timeout, $"{provider} {operation} ({model}) timed out.", null, e);
        }

        return new AiException(AiFailure.Network, $"{provider} {operation} ({model}) could not reach the service: {e.Message}", null, e);
    }

    /// <summary>The service's own error message and code ("Incorrect API key provided… (invalid_api_key)").</summary>
    private static string ErrorDetail(ClientResultException e)
    {
        try
        {
            var raw = e.GetRawResponse()?.Content?.ToString();
            if (!string.IsNullOrEmpty(raw))
            {
                using var doc = JsonDocument.Parse(raw);
                if (doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    var message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
                    var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    return (message?.TrimEnd('.') ?? "no message") + (code is null ? string.Empty : $" ({code})");
                }
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        return e.Message.Split('\n')[0].TrimEnd('.');
    }
}
