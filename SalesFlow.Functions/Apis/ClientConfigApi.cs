using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// A client's configuration (channel credentials, follow-up cadence, quiet hours, time zone, alerts) and
/// the operator's API-key rotation. Config calls take the client's own key (for its own id only) or the
/// operator key; another client's key gets the same 404 as an unknown id, so ids do not leak.
/// </summary>
public static class ClientConfigApi
{
    /// <summary>How long a rotated-out API key keeps working: a day to roll the new key out everywhere.</summary>
    public static readonly TimeSpan ApiKeyGracePeriod = TimeSpan.FromHours(24);

    public const string MergePatchContentType = "application/merge-patch+json";

    /// <summary>Each lost race means another patch landed, so this bounds only how long one request waits its turn.</summary>
    private const int MaxPatchAttempts = 20;

    public static IEndpointRouteBuilder MapClientConfigApi(this IEndpointRouteBuilder app)
    {
        var config = app.MapGroup("/api/clients/{clientId}/config").WithTags("Client configuration");
        config.WithMetadata(BearerKeyRequirement.ClientOrAdminKey)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        config.MapGet("", GetAsync).WithName("GetClientConfig").WithSummary("The client's configuration; secrets masked.")
            .Produces<ClientConfig>();
        config.MapPatch("", PatchAsync).WithName("PatchClientConfig").WithSummary("JSON merge patch (RFC 7396) of the client's configuration; null removes a field.")
            .DescribesBody(typeof(ClientConfig), MergePatchContentType)
            .Produces<ClientConfig>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        app.MapGroup("/api/admin").RequireAdminKey()
            .MapPost("/clients/{clientId}/keys/rotate", RotateKeyAsync).WithTags("Admin").WithName("RotateClientKey")
            .WithSummary("A new API key for the client, returned once; the previous key keeps working for 24 hours.")
            .Produces<RotatedKeyDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> GetAsync(string clientId, HttpContext http, IClientStore clients, ClientAuthenticator authenticator, CancellationToken ct)
    {
        var (client, refusal) = await AuthorizeAsync(clientId, http, clients, authenticator, ct);
        return refusal ?? View(http, client!);
    }

    private static async Task<IResult> PatchAsync(string clientId, HttpContext http, IClientStore clients, ClientAuthenticator authenticator, CancellationToken ct)
    {
        var (client, refusal) = await AuthorizeAsync(clientId, http, clients, authenticator, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!string.Equals(http.Request.ContentType?.Split(';')[0].Trim(), MergePatchContentType, StringComparison.OrdinalIgnoreCase))
        {
            return ErrorHandling.Problem(http, StatusCodes.Status415UnsupportedMediaType, $"Send the patch as {MergePatchContentType} (RFC 7396).", "Content-Type");
        }

        // Optional optimistic concurrency for callers that read, edit and write back: If-Match with GET's ETag.
        if (http.Request.Headers.IfMatch is { Count: > 0 } ifMatch && ifMatch.ToString() != "*" && ifMatch.ToString() != Quoted(client!.ETag))
        {
            return ErrorHandling.Problem(http, StatusCodes.Status412PreconditionFailed, "The configuration changed since it was read (If-Match); read it again.", "If-Match");
        }

        JsonNode? patch;
        try
        {
            patch = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return ErrorHandling.BadField(http, "body", "The body is not valid JSON.");
        }

        // A lost race re-reads and re-applies the patch to the newer config, so two concurrent PATCHes both land.
        for (var attempt = 1; ; attempt++)
        {
            var (config, error) = ClientConfigPatch.Apply(client!.Config ?? ClientConfig.Empty, patch);
            if (error is not null)
            {
                return ErrorHandling.BadField(http, error.Field, error.Message);
            }

            try
            {
                client = await clients.ReplaceAsync(client with { Config = config, TimeZone = config!.TimeZone ?? client.TimeZone }, ct);
                return View(http, client);
            }
            catch (ConcurrencyException) when (attempt < MaxPatchAttempts)
            {
                client = await clients.GetAsync(clientId, ct) ?? throw new ConcurrencyException($"Client {clientId} vanished.");
            }
            catch (ConcurrencyException)
            {
                return ErrorHandling.Problem(http, StatusCodes.Status409Conflict, "The configuration kept changing while this patch was applied; send it again.", "body");
            }
        }
    }

    private static async Task<IResult> RotateKeyAsync(string clientId, HttpContext http, IClientStore clients, TimeProvider clock, CancellationToken ct)
    {
        var client = await clients.GetAsync(clientId, ct);
        if (client is null)
        {
            return ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"Client '{clientId}' not found.", "clientId");
        }

        var apiKey = "sf_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var validUntil = clock.GetUtcNow() + ApiKeyGracePeriod;
        await clients.ReplaceAsync(client with { ApiKeyHash = ClientAuthenticator.HashKey(apiKey), PreviousApiKeyHash = client.ApiKeyHash, PreviousApiKeyExpiresAt = validUntil }, ct);
        return TypedResults.Ok(new RotatedKeyDto(clientId, apiKey, validUntil));
    }

    /// <summary>The client when the caller may see its config; otherwise the refusal (401 without a valid key, 404 for any other client).</summary>
    private static async Task<(Client? Client, IResult? Refusal)> AuthorizeAsync(string clientId, HttpContext http, IClientStore clients, ClientAuthenticator authenticator, CancellationToken ct)
    {
        var isOperator = AdminAuthenticationExtensions.HasAdminKey(http);
        var caller = isOperator ? null : await authenticator.AuthenticateAsync(http);
        if (!isOperator && caller is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return (null, ErrorHandling.Problem(http, StatusCodes.Status401Unauthorized, "A valid client API key or the admin key is required (Authorization: Bearer <key>).", "Authorization"));
        }

        var client = isOperator ? await clients.GetAsync(clientId, ct) : caller!.Id == clientId ? caller : null;
        return client is null
            ? (null, ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"Client '{clientId}' not found.", "clientId"))
            : (client, null);
    }

    private static string Quoted(string? etag) => $"\"{etag}\"";

    /// <summary>What GET and PATCH answer: secrets masked, defaults filled in.</summary>
    private static IResult View(HttpContext http, Client client)
    {
        var config = (client.Config ?? ClientConfig.Empty).MapSecrets(ClientConfig.Mask);
        config = config with
        {
            FollowUps = new FollowUpConfig(config.FollowUps?.Cadence ?? ClientConfig.DefaultCadence),
            TimeZone = config.TimeZone ?? client.TimeZone,
        };
        http.Response.Headers.ETag = Quoted(client.ETag);
        return TypedResults.Content(JsonSerializer.Serialize(config, ClientConfigPatch.Json), "application/json; charset=utf-8");
    }
}
