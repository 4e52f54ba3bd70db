using System.ComponentModel.DataAnnotations;

namespace SalesFlow.Functions.Extensions;

/// <summary>Host-wide settings (section "SalesFlow"; environment form SalesFlow__DataDir, …).</summary>
public sealed class SalesFlowOptions
{
    public const string Section = "SalesFlow";

    /// <summary>Where the embedded store lives; SALESFLOW_DATA_DIR overrides it. Default: .salesflow/ under the working directory.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "SalesFlow:DataDir (or SALESFLOW_DATA_DIR) must name a directory.")]
    public string DataDir { get; set; } = ".salesflow";

    /// <summary>
    /// The public base URL the providers call (e.g. https://salesflow.example.com). Twilio signs the
    /// exact URL it called; behind a proxy the request's own URL differs, so set this there.
    /// </summary>
    [Url(ErrorMessage = "SalesFlow:PublicBaseUrl must be an absolute URL such as https://salesflow.example.com.")]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Largest request body accepted, in bytes (webhooks with attachments included).</summary>
    [Range(1024, 64 * 1024 * 1024, ErrorMessage = "SalesFlow:MaxRequestBodyBytes must be between 1 KiB and 64 MiB.")]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Bearer key for the operator API (onboarding clients); the API is off while unset.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Worker loops per queue in standalone mode.</summary>
    [Range(1, 32, ErrorMessage = "SalesFlow:WorkersPerQueue must be between 1 and 32.")]
    public int WorkersPerQueue { get; set; } = 2;

    /// <summary>Tries before a queue message is parked in its poison queue (the host's maxDequeueCount).</summary>
    [Range(1, 100, ErrorMessage = "SalesFlow:MaxDequeueCount must be between 1 and 100.")]
    public int MaxDequeueCount { get; set; } = 5;
}

/// <summary>The demo client created on first start; each value may be fixed by environment variable for scripting.</summary>
public sealed class DemoClientOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Give the demo client its knowledge base about SalesFlow (Demo/demo-knowledge.csv) when it is created.</summary>
    public bool Knowledge { get; set; } = true;
    public string? ApiKey { get; set; }
    public string? WhatsAppAppSecret { get; set; }
    public string? WhatsAppVerifyToken { get; set; }
    public string? TwilioAuthToken { get; set; }
    public string? EmailWebhookSecret { get; set; }
}
