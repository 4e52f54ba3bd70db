namespace SalesFlow.Core.Ai;

/// <summary>Why a model call failed.</summary>
public enum AiFailure
{
    /// <summary>401/403: the API key or the identity is wrong or lacks access. Not retried.</summary>
    Unauthorized,

    /// <summary>400/404/422: the request (options, model or deployment name) is wrong. Not retried.</summary>
    BadRequest,

    /// <summary>429 after every retry.</summary>
    RateLimited,

    /// <summary>5xx after every retry.</summary>
    ServerError,

    /// <summary>An attempt or the whole call took longer than AI:Timeout allows.</summary>
    Timeout,

    /// <summary>The service could not be reached.</summary>
    Network,

    /// <summary>The circuit breaker is open after repeated failures: no call was made.</summary>
    CircuitOpen,

    /// <summary>The answer could not be read (not the JSON asked for, empty).</summary>
    InvalidResponse,
}

/// <summary>A model call failed; the message says what to fix or that it is transient. Callers fall back to the rules brain.</summary>
public sealed class AiException(AiFailure failure, string message, int? status = null, Exception? inner = null) : Exception(message, inner)
{
    public AiFailure Failure { get; } = failure;

    /// <summary>The HTTP status the service answered, when it answered.</summary>
    public int? Status { get; } = status;

    /// <summary>Worth trying again later (rate limits, server errors, timeouts, an open breaker).</summary>
    public bool IsTransient => Failure is AiFailure.RateLimited or AiFailure.ServerError or AiFailure.Timeout or AiFailure.Network or AiFailure.CircuitOpen;
}
