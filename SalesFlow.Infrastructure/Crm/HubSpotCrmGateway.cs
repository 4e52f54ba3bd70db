using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Crm;
using SalesFlow.Infrastructure.Delivery;

namespace SalesFlow.Infrastructure.Crm;

/// <summary>
/// HubSpot CRM v3 over plain HttpClient and System.Text.Json: HubSpot publishes no official .NET SDK (its official
/// clients are Node, Python, PHP and Ruby). Bearer = the client's private app token. Shapes per developers.hubspot.com:
/// search (POST /crm/v3/objects/{type}/search, filterGroups), create (POST /crm/v3/objects/{type}, 201), update (PATCH
/// /crm/v3/objects/{type}/{id}), create with associations (associationCategory HUBSPOT_DEFINED; deal→contact 3,
/// note→contact 202, note→deal 214 — one request, so no object is left without its association), notes (hs_timestamp,
/// hs_note_body), properties (POST /crm/v3/properties/contacts, 409 when it exists), errors {status, message,
/// correlationId, category}. 429 honours Retry-After; 5xx and no connection are transient; other 4xx are permanent.
/// </summary>
public sealed partial class HubSpotCrmGateway(IHttpClientFactory http, IOptions<HubSpotApiOptions> options, HubSpotRateLimits limits, TimeProvider clock) : ICrmGateway
{
    public const string HttpClientName = "hubspot";

    /// <summary>HubSpot's contact property group for contact details, present in every account.</summary>
    public const string PropertyGroup = "contactinformation";

    private const int DealToContact = 3;
    private const int NoteToContact = 202;
    private const int NoteToDeal = 214;

    /// <summary>When HubSpot sends a 429 without Retry-After: its burst window is 10 seconds.</summary>
    private static readonly TimeSpan DefaultThrottle = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, bool> _propertiesEnsured = new(StringComparer.Ordinal);

    public async Task EnsureContactPropertiesAsync(CrmAccount account, IReadOnlyList<CrmPropertyDefinition> properties, CancellationToken ct)
    {
        var key = account.ClientId + "\u001f" + string.Join(',', properties.Select(p => p.Name));
        if (_propertiesEnsured.ContainsKey(key))
        {
            return;
        }

        foreach (var p in properties)
        {
            var body = new JsonObject
            {
                ["name"] = p.Name,
                ["label"] = p.Label,
                ["type"] = p.Type,
                ["fieldType"] = p.FieldType,
                ["groupName"] = PropertyGroup,
                ["description"] = p.Description,
            };

            // 409 Conflict: the property exists already (created by an earlier run, or by hand) — what we wanted.
            await SendAsync(account, HttpMethod.Post, "crm/v3/properties/contacts", body, search: false, ct, HttpStatusCode.Conflict);
        }

        _propertiesEnsured[key] = true;
    }

    public async Task<CrmContactResult> UpsertContactAsync(CrmAccount account, string? knownContactId, string? email, string? phone, IReadOnlyDictionary<string, string> properties, CancellationToken ct)
    {
        if (knownContactId is not null && await UpdateAsync(account, "contacts", knownContactId, properties, ct))
        {
            return new CrmContactResult(knownContactId, false);
        }

        var found = (email is null ? null : await SearchFirstAsync(account, "contacts", ct, ("email", email)))
            ?? (phone is null ? null : await SearchFirstAsync(account, "contacts", ct, ("phone", phone)));
        if (found is not null && await UpdateAsync(account, "contacts", found, properties, ct))
        {
            return new CrmContactResult(found, false);
        }

        var (status, json) = await SendAsync(account, HttpMethod.Post, "crm/v3/objects/contacts", new JsonObject { ["properties"] = Properties(properties) }, search: false, ct, HttpStatusCode.Conflict);
        if (status == HttpStatusCode.Conflict)
        {
            // Search is eventually consistent: a contact created moments ago may not be found yet, but the e-mail is
            // unique, and HubSpot names the existing contact: "Contact already exists. Existing ID: 12345".
            var existing = ExistingId().Match(Text(json, "message") ?? "");
            if (!existing.Success)
            {
                throw new CrmException($"HubSpot 409: {Text(json, "message")}", permanent: true, status: 409);
            }

            await UpdateAsync(account, "contacts", existing.Groups[1].Value, properties, ct);
            return new CrmContactResult(existing.Groups[1].Value, false);
        }

        return new CrmContactResult(IdOf(json), true);
    }

    public Task<string?> FindDealAsync(CrmAccount account, string contactId, string pipelineId, CancellationToken ct) =>
        SearchFirstAsync(account, "deals", ct, ("associations.contact", contactId), ("pipeline", pipelineId));

    public async Task<string> CreateDealAsync(CrmAccount account, string contactId, CrmDeal deal, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["properties"] = new JsonObject { ["dealname"] = deal.Name, ["pipeline"] = deal.PipelineId, ["dealstage"] = deal.StageId },
            ["associations"] = new JsonArray(Association(contactId, DealToContact)),
        };
        var (_, json) = await SendAsync(account, HttpMethod.Post, "crm/v3/objects/deals", body, search: false, ct);
        return IdOf(json);
    }

    public async Task MoveDealAsync(CrmAccount account, string dealId, string stageId, CancellationToken ct)
    {
        if (!await UpdateAsync(account, "deals", dealId, new Dictionary<string, string> { ["dealstage"] = stageId }, ct))
        {
            throw new CrmException($"HubSpot has no deal {dealId} (deleted in HubSpot?).", permanent: true, status: 404);
        }
    }

    public async Task LogNoteAsync(CrmAccount account, CrmNote note, CancellationToken ct)
    {
        var associations = new JsonArray(Association(note.ContactId, NoteToContact));
        if (note.DealId is not null)
        {
            associations.Add(Association(note.DealId, NoteToDeal));
        }

        var body = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["hs_timestamp"] = note.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["hs_note_body"] = note.Body,
            },
            ["associations"] = associations,
        };
        await SendAsync(account, HttpMethod.Post, "crm/v3/objects/notes", body, search: false, ct);
    }

    /// <summary>PATCH the object's properties; false when HubSpot has no such object (404).</summary>
    private async Task<bool> UpdateAsync(CrmAccount account, string type, string id, IReadOnlyDictionary<string, string> properties, CancellationToken ct)
    {
        var (status, _) = await SendAsync(account, HttpMethod.Patch, $"crm/v3/objects/{type}/{Uri.EscapeDataString(id)}", new JsonObject { ["properties"] = Properties(properties) }, search: false, ct, HttpStatusCode.NotFound);
        return status != HttpStatusCode.NotFound;
    }

    /// <summary>The id of the first object matching all filters (EQ, one filter group), or null.</summary>
    private async Task<string?> SearchFirstAsync(CrmAccount account, string type, CancellationToken ct, params (string Property, string Value)[] filters)
    {
        var filterArray = new JsonArray();
        foreach (var (property, value) in filters)
        {
            filterArray.Add(new JsonObject { ["propertyName"] = property, ["operator"] = "EQ", ["value"] = value });
        }

        var body = new JsonObject
        {
            ["filterGroups"] = new JsonArray(new JsonObject { ["filters"] = filterArray }),
            ["properties"] = new JsonArray("hs_object_id"),
            ["limit"] = 1,
        };
        var (status, json) = await SendAsync(account, HttpMethod.Post, $"crm/v3/objects/{type}/search", body, search: true, ct);

        // Only a readable results array says "none": an unreadable answer (HTML, cut off, another shape) taken for "none"
        // would create the contact or deal a second time, so it is a transient failure and the sync runs again.
        if (json is not JsonObject { } answer || answer["results"] is not JsonArray results)
        {
            throw new CrmException($"HubSpot answered the {type} search ({(int)status}) without a results array.", permanent: false, status: (int)status);
        }

        return results.Count == 0 ? null : Text(results[0], "id") ?? throw new CrmException($"HubSpot answered the {type} search with a result without an id.", permanent: false, status: (int)status);
    }

    /// <summary>Sends one request; returns the status and JSON of a success or of one of <paramref name="accepted"/>, else throws <see cref="CrmException"/>.</summary>
    private async Task<(HttpStatusCode Status, JsonNode? Json)> SendAsync(CrmAccount account, HttpMethod method, string path, JsonNode body, bool search, CancellationToken ct, params HttpStatusCode[] accepted)
    {
        using var permit = await limits.AcquireAsync(account.AccessToken, search, ct);
        using var request = new HttpRequestMessage(method, new Uri(options.Value.BaseUri, path))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // Safe to retry: a contact or deal a lost answer did create is found by the next run's search.
            throw new CrmException($"HubSpot could not be reached ({e.GetType().Name}: {e.Message}).", permanent: false, inner: e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var json = ParseOrNull(text);
            if (response.IsSuccessStatusCode || accepted.Contains(response.StatusCode))
            {
                return (response.StatusCode, json);
            }

            var status = (int)response.StatusCode;
            var what = $"HubSpot {status} {Text(json, "category") ?? response.ReasonPhrase}: {Text(json, "message") ?? Truncate(text)}"
                + (Text(json, "correlationId") is { } correlation ? $" (correlationId {correlation})" : "");
            if (status == 429)
            {
                // Honoured, but no longer than the sync's longest backoff: a Retry-After of a day would park the lead's record.
                var wait = VendorErrors.RetryAfter(response.Headers, clock.GetUtcNow()) ?? DefaultThrottle;
                throw new CrmException(what, permanent: false, wait < CrmSyncService.MaxBackoff ? wait : CrmSyncService.MaxBackoff, status);
            }

            throw new CrmException(what, permanent: !VendorErrors.IsTransientStatus(status), status: status);
        }
    }

    private static JsonObject Properties(IReadOnlyDictionary<string, string> properties)
    {
        var json = new JsonObject();
        foreach (var (name, value) in properties)
        {
            json[name] = value;
        }

        return json;
    }

    private static JsonObject Association(string toId, int typeId) => new()
    {
        ["to"] = new JsonObject { ["id"] = toId },
        ["types"] = new JsonArray(new JsonObject { ["associationCategory"] = "HUBSPOT_DEFINED", ["associationTypeId"] = typeId }),
    };

    /// <summary>The new object's id; without one (an unreadable answer) transient: the rerun's search finds what was created.</summary>
    private static string IdOf(JsonNode? json) =>
        Text(json, "id") is { Length: > 0 } id ? id : throw new CrmException("HubSpot answered without an object id.", permanent: false);

    /// <summary>The string property <paramref name="name"/> of a JSON object; null for any other shape (never throws).</summary>
    private static string? Text(JsonNode? json, string name) =>
        json is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static JsonNode? ParseOrNull(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300];

    [GeneratedRegex(@"Existing ID:\s*(\d+)")]
    private static partial Regex ExistingId();
}
