using SalesFlow.Infrastructure.Delivery;

namespace SalesFlow.Infrastructure.Crm;

/// <summary>Section "HubSpot": where HubSpot's CRM API is reached; a setting for proxies and tests.</summary>
public sealed class HubSpotApiOptions
{
    public const string Section = "HubSpot";

    public string ApiBaseUrl { get; set; } = "https://api.hubapi.com";

    public IEnumerable<string> Problems() =>
        VendorUrl.Problem("HubSpot:ApiBaseUrl", ApiBaseUrl, "https://api.hubapi.com") is { } problem ? [problem] : [];

    internal Uri BaseUri => VendorUrl.AsBase(ApiBaseUrl);
}
