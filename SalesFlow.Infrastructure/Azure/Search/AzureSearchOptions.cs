namespace SalesFlow.Infrastructure.Azure.Search;

/// <summary>Section "Search": the Azure AI Search service used when Knowledge:Index is azuresearch.</summary>
public sealed class AzureSearchOptions
{
    public const string Section = "Search";

    /// <summary>https://&lt;service&gt;.search.windows.net</summary>
    public string? Endpoint { get; set; }

    public string IndexName { get; set; } = "salesflow-knowledge";

    /// <summary>Client id of a user-assigned managed identity; unset means the default credential chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    public string ApiVersion { get; set; } = "2024-07-01";

    /// <summary>The problems with these settings, empty when usable (checked at start-up).</summary>
    public IEnumerable<string> Problems()
    {
        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback))
        {
            yield return "Search:Endpoint (Search__endpoint) must be the https URL of the AI Search service, e.g. https://my-search.search.windows.net, when Knowledge:Index is azuresearch.";
        }

        if (string.IsNullOrWhiteSpace(IndexName) || !System.Text.RegularExpressions.Regex.IsMatch(IndexName, "^[a-z0-9][a-z0-9-]{1,127}$"))
        {
            yield return "Search:IndexName must be 2–128 lower-case letters, digits or dashes.";
        }
    }
}
