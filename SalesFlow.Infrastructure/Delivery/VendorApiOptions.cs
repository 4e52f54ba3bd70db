using System.Text.RegularExpressions;

namespace SalesFlow.Infrastructure.Delivery;

/// <summary>Section "WhatsApp": where the Cloud API (Graph API) is reached; a setting for proxies and tests.</summary>
public sealed partial class WhatsAppApiOptions
{
    public const string Section = "WhatsApp";

    public string GraphBaseUrl { get; set; } = "https://graph.facebook.com";

    /// <summary>The Graph API version in the path; Meta keeps each version for about two years.</summary>
    public string GraphVersion { get; set; } = "v23.0";

    public IEnumerable<string> Problems()
    {
        if (VendorUrl.Problem("WhatsApp:GraphBaseUrl", GraphBaseUrl, "https://graph.facebook.com") is { } url)
        {
            yield return url;
        }

        if (!Version().IsMatch(GraphVersion ?? ""))
        {
            yield return $"WhatsApp:GraphVersion is '{GraphVersion}'; it must be a Graph API version such as v23.0.";
        }
    }

    [GeneratedRegex(@"^v[0-9]{1,3}\.[0-9]{1,3}$")]
    private static partial Regex Version();
}

/// <summary>Section "Twilio": where the Twilio REST API is reached (the SDK's own host is api.twilio.com).</summary>
public sealed class TwilioApiOptions
{
    public const string Section = "Twilio";

    public string ApiBaseUrl { get; set; } = "https://api.twilio.com";

    public IEnumerable<string> Problems() =>
        VendorUrl.Problem("Twilio:ApiBaseUrl", ApiBaseUrl, "https://api.twilio.com") is { } problem ? [problem] : [];
}

/// <summary>Section "SendGrid": where the SendGrid v3 API is reached (e.g. https://api.eu.sendgrid.com for EU subusers).</summary>
public sealed class SendGridApiOptions
{
    public const string Section = "SendGrid";

    public string ApiBaseUrl { get; set; } = "https://api.sendgrid.com";

    public IEnumerable<string> Problems() =>
        VendorUrl.Problem("SendGrid:ApiBaseUrl", ApiBaseUrl, "https://api.sendgrid.com") is { } problem ? [problem] : [];
}

internal static class VendorUrl
{
    /// <summary>Null when <paramref name="value"/> is an absolute http(s) URL without query or fragment.</summary>
    public static string? Problem(string setting, string? value, string example) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Query.Length == 0 && uri.Fragment.Length == 0
            ? null
            : $"{setting} is '{value}'; it must be an absolute http(s) URL such as {example}.";

    /// <summary>The base with a trailing slash, so relative paths append to any path it has.</summary>
    public static Uri AsBase(string value) => new(value.EndsWith('/') ? value : value + "/", UriKind.Absolute);
}
