using System.Security.Cryptography;
using System.Text;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Functions.Extensions;

namespace SalesFlow.Functions.Security;

/// <summary>Management calls carry "Authorization: Bearer &lt;client api key&gt;"; the key picks the tenant.</summary>
public sealed class ClientAuthenticator(IClientStore clients, TimeProvider clock)
{
    private const string ItemKey = "salesflow.client";

    public static string HashKey(string apiKey) => Ids.Sha256Hex(apiKey);

    public async Task<Client?> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var key = header["Bearer ".Length..].Trim();
        if (key.Length is 0 or > 512)
        {
            return null;
        }

        // Looked up by hash: the key itself is never stored, and the lookup does not leak its bytes by timing.
        // A rotated-out key matches until its grace period ends.
        var hash = HashKey(key);
        var client = await clients.FindByApiKeyHashAsync(hash, context.RequestAborted);
        return client is not null && client.AcceptsApiKeyHash(hash, clock.GetUtcNow()) ? client : null;
    }

    public static Client CurrentClient(HttpContext context) =>
        context.Items[ItemKey] as Client ?? throw new InvalidOperationException("Endpoint is missing RequireClientKey().");

    internal static void SetCurrent(HttpContext context, Client client) => context.Items[ItemKey] = client;

    /// <summary>Constant-time equality of two secrets; an empty secret never matches (not even another empty one).</summary>
    public static bool FixedTimeEquals(string? a, string? b) =>
        a is { Length: > 0 } && b is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}

public static class ClientAuthenticationExtensions
{
    /// <summary>Requires a valid client API key on every endpoint of the group.</summary>
    public static RouteGroupBuilder RequireClientKey(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (invocation, next) =>
        {
            var http = invocation.HttpContext;
            var client = await http.RequestServices.GetRequiredService<ClientAuthenticator>().AuthenticateAsync(http);
            if (client is null)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return ErrorHandling.Problem(http, StatusCodes.Status401Unauthorized, "A valid client API key is required (Authorization: Bearer <key>).", "Authorization");
            }

            ClientAuthenticator.SetCurrent(http, client);
            return await next(invocation);
        });
        return group.WithMetadata(BearerKeyRequirement.ClientKey).ProducesProblem(StatusCodes.Status401Unauthorized);
    }
}

public static class AdminAuthenticationExtensions
{
    /// <summary>True when the request carries the operator key (SalesFlow:AdminKey, when one is configured).</summary>
    public static bool HasAdminKey(HttpContext http)
    {
        var adminKey = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SalesFlowOptions>>().Value.AdminKey;
        var header = http.Request.Headers.Authorization.ToString();
        return !string.IsNullOrEmpty(adminKey) && header.StartsWith("Bearer ", StringComparison.Ordinal) && ClientAuthenticator.FixedTimeEquals(adminKey, header["Bearer ".Length..]);
    }

    /// <summary>Operator routes: "Authorization: Bearer &lt;SalesFlow:AdminKey&gt;"; refused outright while no admin key is configured.</summary>
    public static RouteGroupBuilder RequireAdminKey(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (invocation, next) =>
        {
            var http = invocation.HttpContext;
            if (!HasAdminKey(http))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return ErrorHandling.Problem(http, StatusCodes.Status401Unauthorized, "The admin key is required (Authorization: Bearer <SalesFlow:AdminKey>).", "Authorization");
            }

            return await next(invocation);
        });
        return group.WithMetadata(BearerKeyRequirement.AdminKey).ProducesProblem(StatusCodes.Status401Unauthorized);
    }
}
