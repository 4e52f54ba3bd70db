namespace SalesFlow.Infrastructure.Azure.StorageQueues;

/// <summary>
/// The parts of a Storage connection string the Queue client uses:
/// <c>DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net</c>,
/// optionally with an explicit <c>QueueEndpoint=…</c>, or <c>UseDevelopmentStorage=true</c> for
/// Azurite's well-known account on <c>http://127.0.0.1:10001/devstoreaccount1</c>.
/// </summary>
public sealed record StorageConnectionString(Uri QueueEndpoint, string AccountName, string AccountKey)
{
    /// <summary>Azurite's (and the old emulator's) well-known account.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known account key (public, documented; it protects nothing).</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static readonly Uri DevelopmentQueueEndpoint = new("http://127.0.0.1:10001/devstoreaccount1");

    /// <summary>The connection string of Azurite's queue service on <paramref name="port"/> of 127.0.0.1.</summary>
    public static string ForAzurite(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccountName};AccountKey={DevelopmentAccountKey};QueueEndpoint=http://127.0.0.1:{port}/{DevelopmentAccountName};";

    public static StorageConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = segment.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"The storage connection string has a malformed part (expected Name=Value): '{Redact(segment)}'.");
            }

            parts[segment[..eq].Trim()] = segment[(eq + 1)..].Trim();
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var useDev) && useDev)
        {
            return new StorageConnectionString(DevelopmentQueueEndpoint, DevelopmentAccountName, DevelopmentAccountKey);
        }

        if (!parts.TryGetValue("AccountName", out var account) || account.Length == 0)
        {
            throw new FormatException("The storage connection string has no AccountName (nor UseDevelopmentStorage=true).");
        }

        if (!parts.TryGetValue("AccountKey", out var key) || key.Length == 0)
        {
            throw new FormatException(
                parts.ContainsKey("SharedAccessSignature")
                    ? "SAS connection strings are not supported for Storage queues; use an AccountKey, or queueServiceUri with a managed identity."
                    : "The storage connection string has no AccountKey.");
        }

        Uri endpoint;
        if (parts.TryGetValue("QueueEndpoint", out var explicitEndpoint) && explicitEndpoint.Length > 0)
        {
            if (!Uri.TryCreate(explicitEndpoint, UriKind.Absolute, out endpoint!))
            {
                throw new FormatException($"The storage connection string's QueueEndpoint '{explicitEndpoint}' is not an absolute URI.");
            }
        }
        else
        {
            var protocol = parts.TryGetValue("DefaultEndpointsProtocol", out var p) && p.Length > 0 ? p.ToLowerInvariant() : "https";
            if (protocol is not ("https" or "http"))
            {
                throw new FormatException($"DefaultEndpointsProtocol must be https or http, not '{protocol}'.");
            }

            var suffix = parts.TryGetValue("EndpointSuffix", out var s) && s.Length > 0 ? s : "core.windows.net";
            endpoint = new Uri($"{protocol}://{account}.queue.{suffix}");
        }

        return new StorageConnectionString(endpoint, account, key);
    }

    /// <summary>Whether the endpoint is path-style (<c>http://host:port/account</c>), as Azurite's is.</summary>
    public bool IsPathStyle => QueueEndpoint.AbsolutePath.Trim('/').Length > 0;

    public override string ToString() => $"QueueEndpoint={QueueEndpoint}; AccountName={AccountName}; AccountKey=***";

    private static string Redact(string segment) => segment.Length > 12 ? segment[..12] + "…" : segment;
}
