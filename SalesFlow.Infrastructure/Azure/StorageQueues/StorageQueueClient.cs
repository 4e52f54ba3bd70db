using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Azure.Core;
using Microsoft.Extensions.Configuration;

namespace SalesFlow.Infrastructure.Azure.StorageQueues;

/// <summary>
/// A typed REST client for Azure Queue Storage (the <c>Azure.Storage.Queues</c> SDK cannot be
/// restored here). Requests are authorized either with Shared Key (an account key from a
/// connection string; Azurite's well-known account included) or with an Entra bearer token for
/// <c>https://storage.azure.com/.default</c> (managed identity). Message text is base64-encoded
/// UTF-8 by default, which is what the Functions queue trigger expects.
/// Any non-2xx answer throws <see cref="StorageQueueException"/> carrying the Storage error code.
/// </summary>
public sealed partial class StorageQueueClient
{
    /// <summary>The Queue service REST version sent as <c>x-ms-version</c>.</summary>
    public const string ApiVersion = "2021-12-02";

    /// <summary>The Entra scope of Storage data-plane tokens.</summary>
    public const string TokenScope = "https://storage.azure.com/.default";

    /// <summary>The largest visibility timeout the service accepts.</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    private readonly HttpClient _http;
    private readonly StorageSharedKey? _sharedKey;
    private readonly TokenCredential? _credential;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private CachedToken? _token;

    /// <summary>A client authorized with Shared Key.</summary>
    public StorageQueueClient(HttpClient http, Uri queueServiceUri, StorageSharedKey sharedKey, StorageQueueMessageEncoding encoding = StorageQueueMessageEncoding.Base64, TimeProvider? clock = null)
        : this(http, queueServiceUri, encoding, clock)
    {
        _sharedKey = sharedKey ?? throw new ArgumentNullException(nameof(sharedKey));
    }

    /// <summary>A client authorized with Entra bearer tokens (e.g. Azure.Identity's ManagedIdentityCredential or DefaultAzureCredential).</summary>
    public StorageQueueClient(HttpClient http, Uri queueServiceUri, TokenCredential credential, StorageQueueMessageEncoding encoding = StorageQueueMessageEncoding.Base64, TimeProvider? clock = null)
        : this(http, queueServiceUri, encoding, clock)
    {
        _credential = credential ?? throw new ArgumentNullException(nameof(credential));
    }

    private StorageQueueClient(HttpClient http, Uri queueServiceUri, StorageQueueMessageEncoding encoding, TimeProvider? clock)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(queueServiceUri);
        if (!queueServiceUri.IsAbsoluteUri || queueServiceUri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The queue service URI must be an absolute http(s) URI, not '{queueServiceUri}'.", nameof(queueServiceUri));
        }

        _http = http;
        ServiceUri = new Uri(queueServiceUri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        Encoding = encoding;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The queue service endpoint, e.g. <c>https://acct.queue.core.windows.net</c> or <c>http://127.0.0.1:10001/devstoreaccount1</c>.</summary>
    public Uri ServiceUri { get; }

    public StorageQueueMessageEncoding Encoding { get; }

    /// <summary>How requests are authorized: <c>SharedKey</c> or <c>Bearer</c>.</summary>
    public string AuthorizationScheme => _sharedKey is not null ? "SharedKey" : "Bearer";

    /// <summary>A client from a Storage connection string (Shared Key), including <c>UseDevelopmentStorage=true</c>.</summary>
    public static StorageQueueClient FromConnectionString(string connectionString, HttpClient http, StorageQueueMessageEncoding encoding = StorageQueueMessageEncoding.Base64)
    {
        var parsed = StorageConnectionString.Parse(connectionString);
        return new StorageQueueClient(http, parsed.QueueEndpoint, new StorageSharedKey(parsed.AccountName, parsed.AccountKey), encoding);
    }

    /// <summary>
    /// A client configured the way the Functions host configures its Storage connection (see
    /// <see cref="StorageQueueOptions"/>): <c>{connectionName}</c> = connection string, or
    /// <c>{connectionName}__queueServiceUri</c> + <c>__credential=managedidentity</c> (+ <c>__clientId</c>).
    /// </summary>
    /// <param name="credential">Overrides the credential built from the settings (tests, or a host that already has one).</param>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid; the message names it.</exception>
    public static StorageQueueClient FromConfiguration(IConfiguration config, HttpClient http, string connectionName = StorageQueueOptions.DefaultConnectionName, TokenCredential? credential = null)
    {
        var options = StorageQueueOptions.FromConfiguration(config, connectionName);
        if (options.ConnectionString is { } connectionString)
        {
            try
            {
                return FromConnectionString(connectionString, http);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new InvalidOperationException($"The setting '{connectionName}' is not a valid Storage connection string: {e.Message}", e);
            }
        }

        return new StorageQueueClient(http, options.QueueServiceUri!, credential ?? options.CreateCredential());
    }

    // ---- queues ----

    /// <summary>Create Queue; true when created, false when it already existed.</summary>
    public async Task<bool> CreateIfNotExistsAsync(string queue, CancellationToken ct)
    {
        ValidateQueueName(queue);
        using var response = await SendAsync(HttpMethod.Put, "/" + queue, [], null, ct, allow: HttpStatusCode.Conflict);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            // 409 QueueAlreadyExists: the queue exists with other metadata; it exists all the same.
            var error = await ErrorFromAsync(response, ct);
            if (error.ErrorCode != StorageQueueErrorCodes.QueueAlreadyExists)
            {
                throw error;
            }

            return false;
        }

        return response.StatusCode == HttpStatusCode.Created;
    }

    /// <summary>Delete Queue; false when there was no such queue.</summary>
    public async Task<bool> DeleteQueueIfExistsAsync(string queue, CancellationToken ct)
    {
        ValidateQueueName(queue);
        using var response = await SendAsync(HttpMethod.Delete, "/" + queue, [], null, ct, allow: HttpStatusCode.NotFound);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    /// <summary>Get Queue Metadata: <c>x-ms-approximate-messages-count</c> (visible and invisible messages).</summary>
    public async Task<int> GetApproximateMessageCountAsync(string queue, CancellationToken ct)
    {
        ValidateQueueName(queue);
        using var response = await SendAsync(HttpMethod.Get, "/" + queue, [new("comp", "metadata")], null, ct);
        return response.Headers.TryGetValues("x-ms-approximate-messages-count", out var values)
               && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new StorageQueueException((int)response.StatusCode, null, $"Get Queue Metadata on '{queue}' answered without x-ms-approximate-messages-count.");
    }

    // ---- messages ----

    /// <summary>
    /// Put Message. <paramref name="visibilityDelay"/> keeps the message invisible that long (delayed
    /// work; at most 7 days); <paramref name="timeToLive"/> null means never expire (<c>messagettl=-1</c>).
    /// </summary>
    public async Task<StorageQueueReceipt> PutMessageAsync(string queue, string text, TimeSpan? visibilityDelay, TimeSpan? timeToLive, CancellationToken ct)
    {
        ValidateQueueName(queue);
        ArgumentNullException.ThrowIfNull(text);
        var query = new List<KeyValuePair<string, string>>();
        var delay = visibilityDelay ?? TimeSpan.Zero;
        if (delay > TimeSpan.Zero)
        {
            query.Add(new("visibilitytimeout", Seconds(delay, minimum: 0)));
        }

        query.Add(new("messagettl", timeToLive is { } ttl ? Seconds(ttl, minimum: 1, max: TimeSpan.MaxValue) : "-1"));
        using var response = await SendAsync(HttpMethod.Post, $"/{queue}/messages", query, MessageBody(text), ct);
        var message = (await ReadXmlAsync(response, ct)).Root?.Element("QueueMessage")
                      ?? throw new StorageQueueException((int)response.StatusCode, null, $"Put Message on '{queue}' answered without a QueueMessage.");
        return new StorageQueueReceipt(
            Required(message, "MessageId"),
            Required(message, "PopReceipt"),
            Date(message, "InsertionTime"),
            Date(message, "ExpirationTime"),
            Date(message, "TimeNextVisible"));
    }

    /// <summary>Get Messages: takes up to <paramref name="count"/> (1–32) visible messages and hides them for <paramref name="visibilityTimeout"/> (≥ 1 s).</summary>
    public async Task<IReadOnlyList<StorageQueueMessage>> GetMessagesAsync(string queue, int count, TimeSpan visibilityTimeout, CancellationToken ct)
    {
        ValidateQueueName(queue);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 32);
        using var response = await SendAsync(
            HttpMethod.Get,
            $"/{queue}/messages",
            [new("numofmessages", count.ToString(CultureInfo.InvariantCulture)), new("visibilitytimeout", Seconds(visibilityTimeout, minimum: 1))],
            null,
            ct);
        return [.. (await ReadXmlAsync(response, ct)).Root?.Elements("QueueMessage").Select(m => new StorageQueueMessage(
            Required(m, "MessageId"),
            Required(m, "PopReceipt"),
            DequeueCount(m),
            DecodeText(Required(m, "MessageText", allowEmpty: true)),
            Date(m, "InsertionTime"),
            Date(m, "TimeNextVisible"))) ?? []];
    }

    /// <summary>Peek Messages: up to <paramref name="count"/> (1–32) visible messages, without changing their visibility.</summary>
    public async Task<IReadOnlyList<StorageQueuePeekedMessage>> PeekMessagesAsync(string queue, int count, CancellationToken ct)
    {
        ValidateQueueName(queue);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 32);
        using var response = await SendAsync(
            HttpMethod.Get,
            $"/{queue}/messages",
            [new("peekonly", "true"), new("numofmessages", count.ToString(CultureInfo.InvariantCulture))],
            null,
            ct);
        return [.. (await ReadXmlAsync(response, ct)).Root?.Elements("QueueMessage").Select(m => new StorageQueuePeekedMessage(
            Required(m, "MessageId"),
            DequeueCount(m),
            DecodeText(Required(m, "MessageText", allowEmpty: true)),
            Date(m, "InsertionTime"))) ?? []];
    }

    /// <summary>Delete Message with the pop receipt of the latest Get Messages or Update Message.</summary>
    public async Task DeleteMessageAsync(string queue, string messageId, string popReceipt, CancellationToken ct)
    {
        ValidateQueueName(queue);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        using var _ = await SendAsync(HttpMethod.Delete, $"/{queue}/messages/{Uri.EscapeDataString(messageId)}", [new("popreceipt", popReceipt)], null, ct);
    }

    /// <summary>
    /// Update Message: makes the message visible again after <paramref name="visibilityTimeout"/>
    /// (0 = at once) and, when <paramref name="newText"/> is given, replaces its text. The old pop receipt stops working.
    /// </summary>
    public async Task<StorageQueueUpdateReceipt> UpdateMessageAsync(string queue, string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken ct, string? newText = null)
    {
        ValidateQueueName(queue);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        using var response = await SendAsync(
            HttpMethod.Put,
            $"/{queue}/messages/{Uri.EscapeDataString(messageId)}",
            [new("popreceipt", popReceipt), new("visibilitytimeout", Seconds(visibilityTimeout, minimum: 0))],
            newText is null ? null : MessageBody(newText),
            ct);
        var receipt = response.Headers.TryGetValues("x-ms-popreceipt", out var r) ? r.FirstOrDefault() : null;
        var next = response.Headers.TryGetValues("x-ms-time-next-visible", out var n) ? n.FirstOrDefault() : null;
        return new StorageQueueUpdateReceipt(receipt ?? "", next is null ? _clock.GetUtcNow() + visibilityTimeout : ParseDate(next));
    }

    /// <summary>Clear Messages: deletes every message of the queue.</summary>
    public async Task ClearMessagesAsync(string queue, CancellationToken ct)
    {
        ValidateQueueName(queue);
        using var _ = await SendAsync(HttpMethod.Delete, $"/{queue}/messages", [], null, ct);
    }

    /// <summary>Queue names: 3–63 characters, lower-case letters, digits and single dashes, starting and ending with a letter or digit.</summary>
    public static bool IsValidQueueName(string? name) => name is { Length: >= 3 and <= 63 } && QueueNamePattern().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal);

    internal static void ValidateQueueName(string queue)
    {
        if (!IsValidQueueName(queue))
        {
            throw new ArgumentException($"'{queue}' is not a valid Storage queue name (3–63 characters: lower-case letters, digits and single dashes, not at either end).", nameof(queue));
        }
    }

    // ---- wire ----

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        IReadOnlyList<KeyValuePair<string, string>> query,
        string? xmlBody,
        CancellationToken ct,
        HttpStatusCode? allow = null)
    {
        var encodedPath = ServiceUri.AbsolutePath.TrimEnd('/') + path;
        var uri = new StringBuilder(ServiceUri.GetLeftPart(UriPartial.Authority)).Append(encodedPath);
        for (var i = 0; i < query.Count; i++)
        {
            uri.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(query[i].Key)).Append('=').Append(Uri.EscapeDataString(query[i].Value));
        }

        using var request = new HttpRequestMessage(method, new Uri(uri.ToString()));
        var date = _clock.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation("x-ms-date", date);
        request.Headers.TryAddWithoutValidation("x-ms-version", ApiVersion);
        request.Headers.Accept.ParseAdd("application/xml");

        long contentLength = 0;
        string? contentType = null;
        if (xmlBody is not null)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(xmlBody);
            contentLength = bytes.Length;
            contentType = "application/xml";
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            request.Content.Headers.ContentLength = contentLength;
        }

        if (_sharedKey is not null)
        {
            var toSign = StorageSharedKey.StringToSign(
                method.Method,
                _sharedKey.AccountName,
                encodedPath,
                query,
                [new("x-ms-date", date), new("x-ms-version", ApiVersion)],
                contentLength,
                contentType);
            request.Headers.TryAddWithoutValidation("Authorization", _sharedKey.AuthorizationHeader(toSign));
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(ct));
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        if (response.IsSuccessStatusCode || response.StatusCode == allow)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorFromAsync(response, ct, $"{method.Method} {path}");
        }
    }

    private async ValueTask<string> TokenAsync(CancellationToken ct)
    {
        var refreshBefore = _clock.GetUtcNow() + TimeSpan.FromMinutes(5);
        if (_token is { } cached && cached.ExpiresOn > refreshBefore)
        {
            return cached.Value;
        }

        await _tokenLock.WaitAsync(ct);
        try
        {
            if (_token is { } again && again.ExpiresOn > refreshBefore)
            {
                return again.Value;
            }

            var token = await _credential!.GetTokenAsync(new TokenRequestContext([TokenScope]), ct);
            _token = new CachedToken(token.Token, token.ExpiresOn);
            return token.Token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    private static async Task<StorageQueueException> ErrorFromAsync(HttpResponseMessage response, CancellationToken ct, string? operation = null)
    {
        var status = (int)response.StatusCode;
        var code = response.Headers.TryGetValues("x-ms-error-code", out var codes) ? codes.FirstOrDefault() : null;
        string? detail = null;
        try
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!string.IsNullOrWhiteSpace(body))
            {
                var error = XDocument.Parse(body.TrimStart('\uFEFF')).Root;
                code ??= error?.Element("Code")?.Value;
                detail = error?.Element("Message")?.Value?.Split('\n')[0].Trim();
            }
        }
        catch (System.Xml.XmlException)
        {
        }

        var what = operation is null ? "The Queue service" : $"Queue service {operation}";
        return new StorageQueueException(status, code, $"{what} failed: {status} {code ?? response.ReasonPhrase}{(detail is null ? "" : " — " + detail)}");
    }

    private static async Task<XDocument> ReadXmlAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        try
        {
            return XDocument.Parse(body.TrimStart('\uFEFF'));
        }
        catch (System.Xml.XmlException e)
        {
            throw new StorageQueueException((int)response.StatusCode, null, "The Queue service answered with XML that does not parse.", e);
        }
    }

    private string MessageBody(string text) =>
        new XElement("QueueMessage", new XElement("MessageText", Encoding == StorageQueueMessageEncoding.Base64 ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)) : text))
            .ToString(SaveOptions.DisableFormatting);

    /// <summary>Base64 text is decoded as UTF-8; text that is not base64 (put by another tool) is returned as is.</summary>
    private string DecodeText(string wire)
    {
        if (Encoding != StorageQueueMessageEncoding.Base64)
        {
            return wire;
        }

        var buffer = new byte[wire.Length];
        return Convert.TryFromBase64String(wire, buffer, out var written) && Utf8Strict.TryGetString(buffer.AsSpan(0, written), out var text) ? text : wire;
    }

    private static string Seconds(TimeSpan value, int minimum, TimeSpan? max = null)
    {
        var limit = max ?? MaxVisibilityTimeout;
        if (value > limit)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"The Queue service accepts at most {limit.TotalDays:0} days here.");
        }

        var seconds = Math.Max(minimum, (long)Math.Ceiling(Math.Max(0, value.TotalSeconds)));
        return seconds.ToString(CultureInfo.InvariantCulture);
    }

    private static string Required(XElement message, string name, bool allowEmpty = false)
    {
        var value = message.Element(name)?.Value;
        return value is not null && (allowEmpty || value.Length > 0)
            ? value
            : throw new StorageQueueException(200, null, $"A QueueMessage in the Queue service's answer has no {name}.");
    }

    private static int DequeueCount(XElement message) =>
        int.TryParse(message.Element("DequeueCount")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static DateTimeOffset Date(XElement message, string name) =>
        message.Element(name)?.Value is { Length: > 0 } value ? ParseDate(value) : DateTimeOffset.MinValue;

    private static DateTimeOffset ParseDate(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) ? parsed : DateTimeOffset.MinValue;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex QueueNamePattern();

    private sealed record CachedToken(string Value, DateTimeOffset ExpiresOn);

    private static class Utf8Strict
    {
        private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public static bool TryGetString(ReadOnlySpan<byte> bytes, out string text)
        {
            try
            {
                text = Strict.GetString(bytes);
                return true;
            }
            catch (DecoderFallbackException)
            {
                text = "";
                return false;
            }
        }
    }
}
