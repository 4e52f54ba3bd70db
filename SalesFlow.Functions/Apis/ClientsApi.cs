using System.Security.Cryptography;
using System.Text.RegularExpressions;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

public sealed record CreateClientRequest(string? Id, string? Name, string? DefaultCountryCode, string? TimeZone);

/// <summary>
/// Operators onboard a business. Enabled only when SalesFlow:AdminKey is set; the new client's
/// API key and webhook secrets are returned once and stored only as a hash (key) or in the store (secrets).
/// </summary>
public static partial class ClientsApi
{
    public static IEndpointRouteBuilder MapClientsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/admin").RequireAdminKey()
            .MapPost("/clients", CreateAsync).WithTags("Admin").WithName("CreateClient").WithSummary("Onboard a client (tenant); returns its API key and webhook secrets once.")
            .Produces<CreatedClientDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> CreateAsync(CreateClientRequest? request, HttpContext http, IClientStore clients, CancellationToken ct)
    {
        if (request?.Id is not { } id || !ClientId().IsMatch(id))
        {
            return ErrorHandling.BadField(http, "id", "id is required: 2–40 lower-case letters, digits or dashes.");
        }

        if (!ReadableText.IsReadableLabel(request.Name) || request.Name!.Length > 100)
        {
            return ErrorHandling.BadField(http, "name", "name is required: one readable line of at most 100 characters.");
        }

        if (request.DefaultCountryCode is { } cc && (!CountryCode().IsMatch(cc) || !ContactAddresses.IsCountryCallingCode(cc)))
        {
            return ErrorHandling.BadField(http, "defaultCountryCode", "defaultCountryCode is a country's calling code of 1–3 digits, e.g. 49.");
        }

        if (request.TimeZone is { } tz && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _))
        {
            return ErrorHandling.BadField(http, "timeZone", $"timeZone '{tz}' is not a known IANA time zone.");
        }

        var apiKey = "sf_" + Secret();
        var secrets = new ClientChannelSecrets(Secret(), Secret(), Secret(), Secret());
        var client = new Client(id, request.Name.Trim(), ClientAuthenticator.HashKey(apiKey), secrets, request.DefaultCountryCode ?? "1", request.TimeZone ?? "UTC");
        if (!await clients.TryCreateAsync(client, ct))
        {
            return ErrorHandling.Problem(http, StatusCodes.Status409Conflict, $"Client '{id}' already exists.", "id");
        }

        return TypedResults.Created($"/api/admin/clients/{id}", new CreatedClientDto(
            id,
            client.Name,
            apiKey,
            new WhatsAppWebhookDto($"/api/webhooks/whatsapp/{id}", secrets.WhatsAppAppSecret, secrets.WhatsAppVerifyToken),
            new TwilioWebhookDto($"/api/webhooks/twilio/{id}", secrets.TwilioAuthToken),
            new EmailWebhookDto($"/api/webhooks/email/{id}?key={secrets.EmailWebhookSecret}")));
    }

    private static string Secret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,39}$")]
    private static partial Regex ClientId();

    [GeneratedRegex("^[1-9][0-9]{0,2}$")]
    private static partial Regex CountryCode();
}
