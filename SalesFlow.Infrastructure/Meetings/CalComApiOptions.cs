using SalesFlow.Infrastructure.Delivery;

namespace SalesFlow.Infrastructure.Meetings;

/// <summary>Section "CalCom": where Cal.com API v2 is reached (a self-hosted Cal.com has its own API host).</summary>
public sealed class CalComApiOptions
{
    public const string Section = "CalCom";

    public string ApiBaseUrl { get; set; } = "https://api.cal.com";

    public IEnumerable<string> Problems() =>
        VendorUrl.Problem("CalCom:ApiBaseUrl", ApiBaseUrl, "https://api.cal.com") is { } problem ? [problem] : [];
}
