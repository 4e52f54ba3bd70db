using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Identity;
using Azure.Messaging.ServiceBus;

namespace SalesFlow.Infrastructure.Azure.ServiceBus;

/// <summary>
/// Section "IntegrationEvents": the Service Bus topic integration events are published to. Optional: with neither
/// <see cref="ServiceBusNamespace"/> nor <see cref="ConnectionString"/> set, events are not published at all.
/// </summary>
public sealed partial class IntegrationEventsOptions
{
    public const string Section = "IntegrationEvents";

    /// <summary>Fully qualified namespace, <c>&lt;namespace&gt;.servicebus.windows.net</c>, reached with an Entra identity ("Azure Service Bus Data Sender" on the topic).</summary>
    public string? ServiceBusNamespace { get; set; }

    /// <summary>A connection string (local tools, the Service Bus emulator); wins over <see cref="ServiceBusNamespace"/>. Never set in the cloud.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The topic's name.</summary>
    public string? Topic { get; set; }

    /// <summary>Client id of a user-assigned identity; unset means DefaultAzureCredential.</summary>
    public string? ManagedIdentityClientId { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ServiceBusNamespace) || !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>The problems with these settings, empty when usable or not configured (checked at start-up).</summary>
    public IEnumerable<string> Problems()
    {
        if (!IsConfigured)
        {
            if (!string.IsNullOrWhiteSpace(Topic))
            {
                yield return "IntegrationEvents:Topic (IntegrationEvents__Topic) is set, but neither IntegrationEvents__ServiceBusNamespace nor IntegrationEvents__ConnectionString says where the topic is.";
            }

            yield break;
        }

        if (string.IsNullOrWhiteSpace(ConnectionString) && !NamespacePattern().IsMatch(ServiceBusNamespace!.Trim()))
        {
            yield return $"IntegrationEvents:ServiceBusNamespace (IntegrationEvents__ServiceBusNamespace) must be a fully qualified namespace such as my-namespace.servicebus.windows.net, not '{ServiceBusNamespace}'.";
        }

        if (string.IsNullOrWhiteSpace(Topic) || !TopicPattern().IsMatch(Topic.Trim()))
        {
            yield return "IntegrationEvents:Topic (IntegrationEvents__Topic) must name the topic (1–260 letters, digits, '.', '-', '_' or '/') when integration events are configured.";
        }
    }

    /// <summary>
    /// The SDK client. Retries are short on purpose: events are published inside a lead's turn (after its writes),
    /// so a broker outage may slow a turn by seconds, not minutes; what still fails is logged and counted.
    /// </summary>
    public ServiceBusClient CreateClient(TokenCredential? credential = null)
    {
        var options = new ServiceBusClientOptions
        {
            RetryOptions = new ServiceBusRetryOptions
            {
                Mode = ServiceBusRetryMode.Exponential,
                MaxRetries = 2,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(2),
                TryTimeout = TimeSpan.FromSeconds(5),
            },
        };
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return new ServiceBusClient(ConnectionString, options);
        }

        return new ServiceBusClient(
            ServiceBusNamespace!.Trim(),
            credential ?? new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrWhiteSpace(ManagedIdentityClientId) ? null : ManagedIdentityClientId }),
            options);
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9-]{4,48}[A-Za-z0-9]\.servicebus\.(windows\.net|chinacloudapi\.cn|usgovcloudapi\.net)$")]
    private static partial Regex NamespacePattern();

    [GeneratedRegex(@"^[A-Za-z0-9._/-]{1,260}$")]
    private static partial Regex TopicPattern();
}
