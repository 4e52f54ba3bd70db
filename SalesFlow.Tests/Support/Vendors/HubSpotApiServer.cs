using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SalesFlow.Tests.Support.Vendors;

/// <summary>
/// HubSpot CRM v3 as its API reference describes it, with state: bearer private app token on every call; errors are
/// <c>{"status":"error","message","correlationId","category"}</c> (developers.hubspot.com/docs/api-reference/error-handling;
/// changelog "Upcoming: Changes to error responses" adds category). Sources of each shape:
/// <list type="bullet">
/// <item>Search: <c>POST /crm/v3/objects/{contacts|deals}/search</c>, body <c>filterGroups[].filters[]{propertyName, operator, value}</c>
/// (groups OR-ed, filters AND-ed), <c>properties</c>, <c>limit</c>; answer <c>{total, results[{id, properties, createdAt, updatedAt, archived}]}</c>
/// (developers.hubspot.com/docs/api-reference/crm/search-the-crm; the <c>associations.contact</c> pseudo-property, "Search through associations").</item>
/// <item>Create: <c>POST /crm/v3/objects/{type}</c> with <c>{properties, associations[{to:{id}, types[{associationCategory, associationTypeId}]}]}</c> → 201 with the
/// object (…/crm/associations/overview "Associate records during creation"); a contact whose e-mail exists → 409 CONFLICT
/// "Contact already exists. Existing ID: n". Update: <c>PATCH /crm/v3/objects/{type}/{id}</c> → 200, 404 OBJECT_NOT_FOUND.</item>
/// <item>Deals need <c>dealstage</c>; association type ids deal→contact 3, note→contact 202, note→deal 214 (…/associations/v4 "Association type id values").</item>
/// <item>Notes: <c>POST /crm/v3/objects/notes</c>, <c>hs_timestamp</c> required, <c>hs_note_body</c> (developers.hubspot.com/docs/api-reference/crm-notes-v3/guide).</item>
/// <item>Properties: <c>POST /crm/v3/properties/contacts</c> {name, label, type, fieldType, groupName} → 201, 409 when it exists
/// (…/crm/properties); writing a contact property that does not exist → 400 VALIDATION_ERROR "Property values were not valid".</item>
/// <item>Rate limits: 429 with category RATE_LIMITS and Retry-After (…/guides/apps/api-usage/usage-details: 190 per 10 s, search 4/s per token).</item>
/// </list>
/// </summary>
public sealed partial class HubSpotApiServer : VendorServer
{
    private static readonly HashSet<string> StandardContactProperties = ["email", "phone", "firstname", "lastname", "company", "jobtitle", "hs_object_id"];

    private readonly ConcurrentDictionary<string, bool> _tokens = new();
    private readonly Lock _lock = new();
    private long _nextId = 1000;

    private HubSpotApiServer()
    {
    }

    public sealed record CrmObject(string Id, Dictionary<string, string> Properties, List<(string ToId, int TypeId)> Associations, DateTimeOffset CreatedAt);

    public ConcurrentDictionary<string, CrmObject> Contacts { get; } = new();
    public ConcurrentDictionary<string, CrmObject> Deals { get; } = new();
    public ConcurrentDictionary<string, CrmObject> Notes { get; } = new();
    public ConcurrentDictionary<string, JsonObject> ContactProperties { get; } = new();

    /// <summary>False: searches do not see objects yet (HubSpot's search index lags creates by seconds).</summary>
    public bool SearchSeesNewObjects { get; set; } = true;

    public static Task<HubSpotApiServer> StartAsync(string accessToken)
    {
        var server = new HubSpotApiServer();
        server._tokens[accessToken] = true;
        return StartAsync(server);
    }

    /// <summary>The calls that reached an endpoint (accepted or not), by method and path prefix.</summary>
    public IReadOnlyList<ReceivedRequest> Calls(string method, string pathPrefix) =>
        [.. Received.Where(r => r.Method == method && r.Path.StartsWith(pathPrefix, StringComparison.Ordinal))];

    public static VendorResponse Error(int status, string category, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, new JsonObject
        {
            ["status"] = "error",
            ["message"] = message,
            ["correlationId"] = Guid.NewGuid().ToString(),
            ["category"] = category,
        }.ToJsonString(), headers);

    /// <summary>The burst limit hit (HTTP 429, RATE_LIMITS) with Retry-After in seconds.</summary>
    public static VendorResponse TooManyRequests(int retryAfterSeconds) =>
        Error(429, "RATE_LIMITS", "You have reached your ten_secondly_rolling limit.", new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture) });

    public static VendorResponse ServiceUnavailable() => Error(503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable.");

    protected override VendorResponse? Reject(ReceivedRequest request)
    {
        if (BearerToken(request) is not { } token || !_tokens.ContainsKey(token))
        {
            return Error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview");
        }

        return Route(request) is null ? Error(404, "OBJECT_NOT_FOUND", $"No route {request.Method} {request.Path}") : null;
    }

    protected override VendorResponse Success(ReceivedRequest request)
    {
        lock (_lock)
        {
            var (kind, type, id) = Route(request)!.Value;
            var body = request.Json?.AsObject() ?? [];
            return kind switch
            {
                "property" => CreateProperty(body),
                "search" => Search(type, body),
                "create" => Create(type, body),
                _ => Update(type, id!, body),
            };
        }
    }

    private static (string Kind, string Type, string? Id)? Route(ReceivedRequest request)
    {
        if (request.Method == "POST" && request.Path == "/crm/v3/properties/contacts")
        {
            return ("property", "contacts", null);
        }

        var match = ObjectPath().Match(request.Path);
        if (!match.Success)
        {
            return null;
        }

        var type = match.Groups["type"].Value;
        var rest = match.Groups["rest"].Success ? match.Groups["rest"].Value : null;
        return (request.Method, rest) switch
        {
            ("POST", "search") when type is "contacts" or "deals" => ("search", type, null),
            ("POST", null) => ("create", type, null),
            ("PATCH", { } id) when id != "search" => ("update", type, id),
            _ => null,
        };
    }

    private VendorResponse CreateProperty(JsonObject body)
    {
        var name = body["name"]?.GetValue<string>() ?? "";
        if (name.Length == 0 || body["type"] is null || body["fieldType"] is null || body["groupName"] is null || body["label"] is null)
        {
            return Error(400, "VALIDATION_ERROR", "Property name, label, type, fieldType and groupName are required.");
        }

        if (!ContactProperties.TryAdd(name, body))
        {
            return Error(409, "OBJECT_ALREADY_EXISTS", $"Property named '{name}' already exists.");
        }

        return new VendorResponse(201, body.ToJsonString());
    }

    private VendorResponse Search(string type, JsonObject body)
    {
        var objects = Store(type).Values.Where(o => SearchSeesNewObjects).ToList();
        var groups = body["filterGroups"]?.AsArray() ?? [];
        var matches = groups.Count == 0
            ? objects
            : objects.Where(o => groups.Any(g => (g?["filters"]?.AsArray() ?? []).All(f => Matches(o, f!)))).ToList();
        var limit = body["limit"]?.GetValue<int>() ?? 10;
        var results = new JsonArray([.. matches.OrderBy(o => long.Parse(o.Id, CultureInfo.InvariantCulture)).Take(limit).Select(o => (JsonNode)Json(o))]);
        return new VendorResponse(200, new JsonObject { ["total"] = matches.Count, ["results"] = results }.ToJsonString());
    }

    private static bool Matches(CrmObject o, JsonNode filter)
    {
        var property = filter["propertyName"]!.GetValue<string>();
        var value = filter["value"]?.GetValue<string>();
        if (filter["operator"]?.GetValue<string>() != "EQ")
        {
            return false;
        }

        if (property.StartsWith("associations.", StringComparison.Ordinal))
        {
            return o.Associations.Any(a => a.ToId == value);
        }

        // HubSpot's EQ on strings ignores case (search guide, "Filter search results").
        return o.Properties.TryGetValue(property, out var actual) && string.Equals(actual, value, StringComparison.OrdinalIgnoreCase);
    }

    private VendorResponse Create(string type, JsonObject body)
    {
        var properties = Properties(body);
        if (type == "contacts")
        {
            if (UnknownContactProperty(properties) is { } unknown)
            {
                return unknown;
            }

            if (properties.TryGetValue("email", out var email) && Contacts.Values.FirstOrDefault(c => string.Equals(c.Properties.GetValueOrDefault("email"), email, StringComparison.OrdinalIgnoreCase)) is { } existing)
            {
                return Error(409, "CONFLICT", $"Contact already exists. Existing ID: {existing.Id}");
            }
        }

        if (type == "deals" && !properties.ContainsKey("dealstage"))
        {
            return Error(400, "VALIDATION_ERROR", "Property values were not valid: dealstage is required.");
        }

        if (type == "notes" && !properties.ContainsKey("hs_timestamp"))
        {
            return Error(400, "VALIDATION_ERROR", "Property values were not valid: hs_timestamp is required.");
        }

        var associations = new List<(string, int)>();
        foreach (var a in body["associations"]?.AsArray() ?? [])
        {
            var to = a?["to"]?["id"]?.GetValue<string>();
            var typeId = a?["types"]?[0]?["associationTypeId"]?.GetValue<int>();
            if (to is null || typeId is null || a?["types"]?[0]?["associationCategory"]?.GetValue<string>() != "HUBSPOT_DEFINED")
            {
                return Error(400, "VALIDATION_ERROR", "Invalid association input.");
            }

            associations.Add((to, typeId.Value));
        }

        var created = new CrmObject(Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture), properties, associations, DateTimeOffset.UtcNow);
        Store(type)[created.Id] = created;
        return new VendorResponse(201, Json(created).ToJsonString());
    }

    private VendorResponse Update(string type, string id, JsonObject body)
    {
        if (!Store(type).TryGetValue(id, out var existing))
        {
            return Error(404, "OBJECT_NOT_FOUND", "resource not found");
        }

        var properties = Properties(body);
        if (type == "contacts" && UnknownContactProperty(properties) is { } unknown)
        {
            return unknown;
        }

        foreach (var (name, value) in properties)
        {
            existing.Properties[name] = value;
        }

        return new VendorResponse(200, Json(existing).ToJsonString());
    }

    private VendorResponse? UnknownContactProperty(Dictionary<string, string> properties) =>
        properties.Keys.FirstOrDefault(p => !StandardContactProperties.Contains(p) && !ContactProperties.ContainsKey(p)) is { } missing
            ? Error(400, "VALIDATION_ERROR", $"Property values were not valid: [{{\"isValid\":false,\"message\":\"Property \\\"{missing}\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"{missing}\"}}]")
            : null;

    private ConcurrentDictionary<string, CrmObject> Store(string type) => type switch
    {
        "contacts" => Contacts,
        "deals" => Deals,
        _ => Notes,
    };

    private static Dictionary<string, string> Properties(JsonObject body) =>
        (body["properties"]?.AsObject() ?? []).ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal);

    private static JsonObject Json(CrmObject o)
    {
        var properties = new JsonObject { ["hs_object_id"] = o.Id };
        foreach (var (name, value) in o.Properties)
        {
            properties[name] = value;
        }

        var at = o.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return new JsonObject { ["id"] = o.Id, ["properties"] = properties, ["createdAt"] = at, ["updatedAt"] = at, ["archived"] = false };
    }

    [GeneratedRegex("^/crm/v3/objects/(?<type>contacts|deals|notes)(/(?<rest>[^/]+))?$")]
    private static partial Regex ObjectPath();
}
