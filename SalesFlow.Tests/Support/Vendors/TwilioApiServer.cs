using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace SalesFlow.Tests.Support.Vendors;

/// <summary>
/// Twilio's Messages API: <c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>, form-encoded, Basic auth with the
/// account SID and auth token. Success is 201 with the Message resource (sid SM…, status queued); errors are Twilio's
/// error JSON <c>{code, message, more_info, status}</c> (twilio.com/docs/usage/twilios-response, twilio.com/docs/api/errors):
/// 401 code 20003 on bad credentials, 400 code 21604 without To, 21603 without From or MessagingServiceSid.
/// </summary>
public sealed class TwilioApiServer : VendorServer
{
    private readonly ConcurrentDictionary<string, string> _tokens = new();

    private TwilioApiServer()
    {
    }

    public static Task<TwilioApiServer> StartAsync(string accountSid, string authToken)
    {
        var server = new TwilioApiServer();
        server.Accept(accountSid, authToken);
        return StartAsync(server);
    }

    public void Accept(string accountSid, string authToken) => _tokens[accountSid] = authToken;

    /// <summary>The Messages create calls (accepted or not).</summary>
    public IReadOnlyList<ReceivedRequest> Sends => [.. Received.Where(r => r.Method == "POST" && r.Path.EndsWith("/Messages.json", StringComparison.Ordinal))];

    /// <summary>The form fields of a call (Twilio's parameters: To, From, Body, MessagingServiceSid, StatusCallback).</summary>
    public static Dictionary<string, string> Form(ReceivedRequest request) =>
        QueryHelpers.ParseQuery(request.Body).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    public static VendorResponse Error(int status, int code, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["more_info"] = $"https://www.twilio.com/docs/errors/{code.ToString(CultureInfo.InvariantCulture)}",
            ["status"] = status,
        }.ToJsonString(), headers);

    /// <summary>An invalid To number (HTTP 400, code 21211).</summary>
    public static VendorResponse InvalidToNumber(string to) => Error(400, 21211, $"Invalid 'To' Phone Number: {to}");

    /// <summary>Too many requests (HTTP 429, code 20429), optionally with Retry-After.</summary>
    public static VendorResponse TooManyRequests(string? retryAfter = null) =>
        Error(429, 20429, "Too Many Requests", retryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = retryAfter });

    /// <summary>An internal error (HTTP 500, code 20500).</summary>
    public static VendorResponse InternalError() => Error(500, 20500, "Internal Server Error");

    protected override VendorResponse? Reject(ReceivedRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        if (request.Method != "POST" || segments is not ["2010-04-01", "Accounts", _, "Messages.json"])
        {
            return Error(404, 20404, $"The requested resource {request.Path} was not found");
        }

        if (BasicCredentials(request) is not { } credentials || !_tokens.TryGetValue(credentials.User, out var token) || token != credentials.Password || credentials.User != segments[2])
        {
            return Error(401, 20003, "Authenticate");
        }

        var form = Form(request);
        if (!form.ContainsKey("To"))
        {
            return Error(400, 21604, "A 'To' phone number is required.");
        }

        return form.ContainsKey("From") || form.ContainsKey("MessagingServiceSid") ? null : Error(400, 21603, "A 'From' phone number is required.");
    }

    protected override VendorResponse Success(ReceivedRequest request)
    {
        var form = Form(request);
        var accountSid = request.Path.Trim('/').Split('/')[2];
        var sid = "SM" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        return new VendorResponse(201, new JsonObject
        {
            ["account_sid"] = accountSid,
            ["api_version"] = "2010-04-01",
            ["body"] = form.GetValueOrDefault("Body"),
            ["date_created"] = now,
            ["date_sent"] = null,
            ["date_updated"] = now,
            ["direction"] = "outbound-api",
            ["error_code"] = null,
            ["error_message"] = null,
            ["from"] = form.GetValueOrDefault("From"),
            ["messaging_service_sid"] = form.GetValueOrDefault("MessagingServiceSid"),
            ["num_media"] = "0",
            ["num_segments"] = "1",
            ["price"] = null,
            ["price_unit"] = "USD",
            ["sid"] = sid,
            ["status"] = "queued",
            ["subresource_uris"] = new JsonObject { ["media"] = $"/2010-04-01/Accounts/{accountSid}/Messages/{sid}/Media.json" },
            ["to"] = form["To"],
            ["uri"] = $"/2010-04-01/Accounts/{accountSid}/Messages/{sid}.json",
        }.ToJsonString());
    }
}
