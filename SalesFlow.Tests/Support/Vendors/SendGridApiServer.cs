using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SalesFlow.Tests.Support.Vendors;

/// <summary>
/// SendGrid's v3 Mail Send: <c>POST /v3/mail/send</c>, JSON, bearer API key. Success is 202 Accepted with an empty body
/// and the <c>X-Message-Id</c> header; errors are <c>{"errors":[{"message","field","help"}]}</c>
/// (docs.sendgrid.com/api-reference/mail-send/mail-send): 401 on a bad key, 400 without personalizations, from or
/// content; 429 with the X-RateLimit headers (…/how-to-use-the-sendgrid-v3-api/rate-limits).
/// </summary>
public sealed class SendGridApiServer : VendorServer
{
    private readonly ConcurrentDictionary<string, bool> _keys = new();

    private SendGridApiServer()
    {
    }

    public static Task<SendGridApiServer> StartAsync(string apiKey)
    {
        var server = new SendGridApiServer();
        server.Accept(apiKey);
        return StartAsync(server);
    }

    public void Accept(string apiKey) => _keys[apiKey] = true;

    /// <summary>The mail send calls (accepted or not).</summary>
    public IReadOnlyList<ReceivedRequest> Sends => [.. Received.Where(r => r.Method == "POST" && r.Path == "/v3/mail/send")];

    /// <summary>The X-Message-Id of each accepted send, in order.</summary>
    public ConcurrentQueue<string> MessageIds { get; } = new();

    public static VendorResponse Error(int status, string message, string? field = null, string? help = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var error = new JsonObject { ["message"] = message, ["field"] = field };
        if (help is not null)
        {
            error["help"] = help;
        }

        return new VendorResponse(status, new JsonObject { ["errors"] = new JsonArray(error) }.ToJsonString(), headers);
    }

    /// <summary>A from address SendGrid does not take (HTTP 400, field from.email).</summary>
    public static VendorResponse InvalidFrom() =>
        Error(400, "The from email does not contain a valid address.", "from.email", "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.from");

    /// <summary>Rate limited (HTTP 429), with X-RateLimit-Reset <paramref name="resetInSeconds"/> from now, and Retry-After when given.</summary>
    public static VendorResponse TooManyRequests(int resetInSeconds, string? retryAfter = null)
    {
        var headers = new Dictionary<string, string>
        {
            ["X-RateLimit-Limit"] = "600",
            ["X-RateLimit-Remaining"] = "0",
            ["X-RateLimit-Reset"] = DateTimeOffset.UtcNow.AddSeconds(resetInSeconds).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        if (retryAfter is not null)
        {
            headers["Retry-After"] = retryAfter;
        }

        return Error(429, "too many requests", headers: headers);
    }

    protected override VendorResponse? Reject(ReceivedRequest request)
    {
        if (request.Method != "POST" || request.Path != "/v3/mail/send")
        {
            return Error(404, "resource not found");
        }

        if (BearerToken(request) is not { } key || !_keys.ContainsKey(key))
        {
            return Error(401, "The provided authorization grant is invalid, expired, or revoked");
        }

        JsonNode? body;
        try
        {
            body = request.Json;
        }
        catch (JsonException)
        {
            return Error(400, "Bad Request");
        }

        if (body?["personalizations"] is not JsonArray { Count: > 0 })
        {
            return Error(400, "The personalizations field is required and must have at least one personalization.", "personalizations", "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#-Personalizations-Errors");
        }

        if (body["from"]?["email"] is null)
        {
            return Error(400, "The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.  e.g. {\"email\" : \"example@example.com\"}  or {\"email\" : \"example@example.com\", \"name\" : \"Example Recipient\"}.", "from.email");
        }

        return body["content"] is JsonArray { Count: > 0 } || body["template_id"] is not null
            ? null
            : Error(400, "Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.", "content");
    }

    protected override VendorResponse Success(ReceivedRequest request)
    {
        var id = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        MessageIds.Enqueue(id);
        return new VendorResponse(202, null, new Dictionary<string, string> { ["X-Message-Id"] = id });
    }
}
