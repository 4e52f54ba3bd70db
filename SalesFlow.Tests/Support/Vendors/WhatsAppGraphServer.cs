using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SalesFlow.Tests.Support.Vendors;

/// <summary>
/// Meta's Graph API for WhatsApp Cloud API sends: <c>POST /{version}/{phone-number-id}/messages</c> with a bearer token.
/// Success is <c>{"messaging_product":"whatsapp","contacts":[{"input","wa_id"}],"messages":[{"id":"wamid…"}]}</c>
/// (templates add <c>message_status: accepted</c>); errors are Graph error objects (developers.facebook.com/docs/
/// whatsapp/cloud-api/reference/messages and …/support/error-codes): an unknown token 401 code 190, an unknown phone
/// number id 400 code 100 subcode 33, no <c>messaging_product</c> 400 code 100.
/// </summary>
public sealed class WhatsAppGraphServer : VendorServer
{
    private readonly ConcurrentDictionary<string, string> _tokens = new();

    private WhatsAppGraphServer()
    {
    }

    /// <summary>A server that accepts <paramref name="accessToken"/> for sends from <paramref name="phoneNumberId"/>.</summary>
    public static Task<WhatsAppGraphServer> StartAsync(string phoneNumberId, string accessToken)
    {
        var server = new WhatsAppGraphServer();
        server.Accept(phoneNumberId, accessToken);
        return StartAsync(server);
    }

    public void Accept(string phoneNumberId, string accessToken) => _tokens[phoneNumberId] = accessToken;

    /// <summary>The send calls (any phone number id, accepted or not).</summary>
    public IReadOnlyList<ReceivedRequest> Sends => [.. Received.Where(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal))];

    /// <summary>A Graph error answer.</summary>
    public static VendorResponse Error(int status, long code, string message, long? subcode = null, string? details = null, string type = "OAuthException", IReadOnlyDictionary<string, string>? headers = null)
    {
        var error = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = code };
        if (subcode is { } s)
        {
            error["error_subcode"] = s;
        }

        if (details is not null)
        {
            error["error_data"] = new JsonObject { ["messaging_product"] = "whatsapp", ["details"] = details };
        }

        error["fbtrace_id"] = "AbCdEf" + Guid.NewGuid().ToString("N")[..12];
        return new VendorResponse(status, new JsonObject { ["error"] = error }.ToJsonString(), headers);
    }

    /// <summary>A test number's recipient that is not in the allowed list (HTTP 400, code 131030).</summary>
    public static VendorResponse RecipientNotAllowed() =>
        Error(400, 131030, "(#131030) Recipient phone number not in allowed list", 2494010, "Recipient phone number not in allowed list: Add recipient phone number to recipient list and try again.");

    /// <summary>The number's throughput reached (Meta answers HTTP 400 with code 130429).</summary>
    public static VendorResponse ThroughputReached() =>
        Error(400, 130429, "(#130429) Rate limit hit", details: "Message failed to send because there were too many messages sent from this phone number in a short period of time.");

    /// <summary>An internal error (HTTP 500, code 131000 "Something went wrong").</summary>
    public static VendorResponse InternalError() =>
        Error(500, 131000, "(#131000) Something went wrong", details: "Message failed to send due to an unknown error.");

    protected override VendorResponse? Reject(ReceivedRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        if (request.Method != "POST" || segments.Length != 3 || !segments[0].StartsWith('v') || segments[2] != "messages")
        {
            return Error(400, 100, $"Unknown path components: {request.Path}", type: "GraphMethodException");
        }

        var token = BearerToken(request);
        if (token is null || !_tokens.Values.Contains(token))
        {
            return Error(401, 190, "Invalid OAuth access token - Cannot parse access token");
        }

        if (!_tokens.TryGetValue(segments[1], out var expected) || expected != token)
        {
            return Error(400, 100, $"Unsupported post request. Object with ID '{segments[1]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", 33, type: "GraphMethodException");
        }

        JsonNode? body;
        try
        {
            body = request.Json;
        }
        catch (JsonException)
        {
            return Error(400, 100, "(#100) Invalid parameter");
        }

        if (body?["messaging_product"]?.GetValue<string>() != "whatsapp")
        {
            return Error(400, 100, "(#100) The parameter messaging_product is required.");
        }

        return body["to"] is null ? Error(400, 100, "(#100) The parameter to is required.") : null;
    }

    protected override VendorResponse Success(ReceivedRequest request)
    {
        var body = request.Json!;
        var to = body["to"]!.GetValue<string>();
        var message = new JsonObject { ["id"] = "wamid." + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=') };
        if (body["type"]?.GetValue<string>() == "template")
        {
            message["message_status"] = "accepted";
        }

        return new VendorResponse(200, new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray(new JsonObject { ["input"] = to, ["wa_id"] = to.TrimStart('+') }),
            ["messages"] = new JsonArray(message),
        }.ToJsonString());
    }
}
