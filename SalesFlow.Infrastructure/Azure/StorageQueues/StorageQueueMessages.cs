namespace SalesFlow.Infrastructure.Azure.StorageQueues;

/// <summary>What Put Message answers: the new message's id and the receipt needed to delete or update it.</summary>
public sealed record StorageQueueReceipt(string MessageId, string PopReceipt, DateTimeOffset InsertionTime, DateTimeOffset ExpirationTime, DateTimeOffset TimeNextVisible);

/// <summary>A message taken with Get Messages: invisible to others until <see cref="TimeNextVisible"/>.</summary>
/// <param name="Text">The message text, base64-decoded when the client encodes messages as base64.</param>
public sealed record StorageQueueMessage(string MessageId, string PopReceipt, int DequeueCount, string Text, DateTimeOffset InsertionTime, DateTimeOffset TimeNextVisible);

/// <summary>A message seen with Peek Messages: its visibility is unchanged and it carries no pop receipt.</summary>
public sealed record StorageQueuePeekedMessage(string MessageId, int DequeueCount, string Text, DateTimeOffset InsertionTime);

/// <summary>What Update Message answers: the message's new pop receipt (the old one no longer works).</summary>
public sealed record StorageQueueUpdateReceipt(string PopReceipt, DateTimeOffset TimeNextVisible);

/// <summary>How message text travels on the wire.</summary>
public enum StorageQueueMessageEncoding
{
    /// <summary>UTF-8 bytes, base64-encoded: what the Functions queue trigger expects by default (<c>messageEncoding: base64</c>).</summary>
    Base64,

    /// <summary>The text as is (XML-escaped in the request body).</summary>
    None,
}

/// <summary>A non-2xx answer from the Queue service, with its Storage error code (e.g. <c>QueueNotFound</c>).</summary>
public sealed class StorageQueueException(int status, string? errorCode, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The HTTP status code.</summary>
    public int Status { get; } = status;

    /// <summary>The Storage error code from <c>x-ms-error-code</c> or the <c>&lt;Error&gt;&lt;Code&gt;</c> body, when the service sent one.</summary>
    public string? ErrorCode { get; } = errorCode;
}

/// <summary>Storage error codes the adapters react to.</summary>
public static class StorageQueueErrorCodes
{
    public const string QueueNotFound = "QueueNotFound";
    public const string QueueAlreadyExists = "QueueAlreadyExists";
    public const string QueueBeingDeleted = "QueueBeingDeleted";
    public const string MessageNotFound = "MessageNotFound";
    public const string PopReceiptMismatch = "PopReceiptMismatch";
    public const string AuthenticationFailed = "AuthenticationFailed";
}
