using Azure.Core;
using Azure.Identity;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Specialized;
using Microsoft.Extensions.Configuration;
using SalesFlow.Core.Queue;

namespace SalesFlow.Infrastructure.Azure.StorageQueues;

/// <summary>
/// Where the Storage queues are and how to authorize, following the Functions host's convention
/// for a connection named <c>AzureWebJobsStorage</c> (app settings; <c>__</c> is the
/// configuration section separator in environment variables):
/// <list type="bullet">
/// <item><c>AzureWebJobsStorage</c> = a Storage connection string (account key, or
/// <c>UseDevelopmentStorage=true</c> for Azurite). Takes precedence when set.</item>
/// <item><c>AzureWebJobsStorage__queueServiceUri</c> = <c>https://&lt;account&gt;.queue.core.windows.net</c>
/// (or <c>AzureWebJobsStorage__accountName</c> = <c>&lt;account&gt;</c>), with
/// <c>AzureWebJobsStorage__credential</c> = <c>managedidentity</c> and, for a user-assigned identity,
/// <c>AzureWebJobsStorage__clientId</c> = its client id. Without <c>credential</c>,
/// DefaultAzureCredential is used (developer sign-in locally, managed identity in Azure).</item>
/// </list>
/// The identity needs the "Storage Queue Data Contributor" role on the account.
/// <see cref="CreateServiceClient"/> turns the settings into the SDK's <see cref="QueueServiceClient"/>.
/// </summary>
public sealed record StorageQueueOptions
{
    public const string DefaultConnectionName = "AzureWebJobsStorage";
    public const string QueueServiceUriSetting = "queueServiceUri";
    public const string AccountNameSetting = "accountName";
    public const string CredentialSetting = "credential";
    public const string ClientIdSetting = "clientId";
    public const string ManagedIdentityCredentialValue = "managedidentity";

    public required string ConnectionName { get; init; }

    /// <summary>The connection string, when the connection is configured by one.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The queue service endpoint, when the connection is identity-based.</summary>
    public Uri? QueueServiceUri { get; init; }

    /// <summary><c>managedidentity</c>, or null for DefaultAzureCredential.</summary>
    public string? Credential { get; init; }

    /// <summary>The client id of a user-assigned managed identity.</summary>
    public string? ClientId { get; init; }

    public bool IsIdentityBased => ConnectionString is null;

    /// <summary>Reads the connection's settings.</summary>
    /// <exception cref="InvalidOperationException">Nothing usable is set, or a setting is invalid; the message names the setting.</exception>
    public static StorageQueueOptions FromConfiguration(IConfiguration config, string connectionName = DefaultConnectionName)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        var connectionString = config[connectionName];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new StorageQueueOptions { ConnectionName = connectionName, ConnectionString = connectionString };
        }

        var section = config.GetSection(connectionName);
        var serviceUri = Value(section, QueueServiceUriSetting);
        var accountName = Value(section, AccountNameSetting);
        var credential = Value(section, CredentialSetting);
        var clientId = Value(section, ClientIdSetting);

        Uri? uri;
        if (serviceUri is not null)
        {
            if (!Uri.TryCreate(serviceUri, UriKind.Absolute, out uri) || uri.Scheme is not ("https" or "http"))
            {
                throw new InvalidOperationException($"The setting '{Name(connectionName, QueueServiceUriSetting)}' must be an absolute https URI such as https://<account>.queue.core.windows.net, not '{serviceUri}'.");
            }
        }
        else if (accountName is not null)
        {
            uri = new Uri($"https://{accountName}.queue.core.windows.net");
        }
        else
        {
            throw new InvalidOperationException(
                $"Storage queues are not configured: set '{connectionName}' to a Storage connection string, " +
                $"or '{Name(connectionName, QueueServiceUriSetting)}' to https://<account>.queue.core.windows.net " +
                $"(with '{Name(connectionName, CredentialSetting)}={ManagedIdentityCredentialValue}' and, for a user-assigned identity, '{Name(connectionName, ClientIdSetting)}').");
        }

        if (credential is not null && !string.Equals(credential, ManagedIdentityCredentialValue, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The setting '{Name(connectionName, CredentialSetting)}' must be '{ManagedIdentityCredentialValue}' (or unset for DefaultAzureCredential), not '{credential}'.");
        }

        return new StorageQueueOptions
        {
            ConnectionName = connectionName,
            QueueServiceUri = uri,
            Credential = credential?.ToLowerInvariant(),
            ClientId = clientId,
        };
    }

    /// <summary>The credential for an identity-based connection: ManagedIdentityCredential (system- or user-assigned) or DefaultAzureCredential.</summary>
    public TokenCredential CreateCredential()
    {
        if (!IsIdentityBased)
        {
            throw new InvalidOperationException($"The connection '{ConnectionName}' uses a connection string; it has no token credential.");
        }

        if (Credential == ManagedIdentityCredentialValue)
        {
            return new global::Azure.Identity.ManagedIdentityCredential(
                ClientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(ClientId));
        }

        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = ClientId });
    }

    /// <summary>
    /// The SDK client for these settings: from the connection string (account key or
    /// <c>UseDevelopmentStorage=true</c>, which the SDK maps to Azurite's well-known account), or
    /// for <see cref="QueueServiceUri"/> with a token credential.
    /// </summary>
    /// <param name="credential">Overrides the credential built from the settings (tests, or a host that already has one).</param>
    /// <param name="clientOptions">Overrides <see cref="ClientOptions"/> (tests: another transport); its message encoding must stay base64.</param>
    /// <exception cref="InvalidOperationException">The connection string is not valid; the message names the setting.</exception>
    public QueueServiceClient CreateServiceClient(TokenCredential? credential = null, QueueClientOptions? clientOptions = null)
    {
        var options = clientOptions ?? ClientOptions();
        if (ConnectionString is not { } connectionString)
        {
            return new QueueServiceClient(QueueServiceUri!, credential ?? CreateCredential(), options);
        }

        try
        {
            return new QueueServiceClient(connectionString, options);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidOperationException($"The setting '{ConnectionName}' is not a valid Storage connection string: {e.Message}", e);
        }
    }

    /// <summary>
    /// Messages travel as base64 UTF-8: the Functions Storage Queues trigger expects that by default
    /// (host.json <c>extensions.queues.messageEncoding = base64</c>), so work enqueued by either side runs on the other.
    /// </summary>
    public static QueueClientOptions ClientOptions()
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        options.MessageDecodingFailed += ParkUndecodableAsync;
        return options;
    }

    /// <summary>
    /// A received message that is not base64 (put there by another tool) can never be read, so it is parked in
    /// "&lt;queue&gt;-poison" with its text as it is, where an operator can see it, instead of coming back after every
    /// lease. Without this handler every receive that meets it throws FormatException. Peeks skip it, and a message already in a
    /// poison queue stays there. SalesFlow calls only the SDK's async methods.
    /// </summary>
    private static async Task ParkUndecodableAsync(QueueMessageDecodingFailedEventArgs args)
    {
        if (args.ReceivedMessage is not { } message || args.IsRunningSynchronously || args.Queue.Name.EndsWith(Queues.Poison(""), StringComparison.Ordinal))
        {
            return;
        }

        var poison = args.Queue.GetParentQueueServiceClient().GetQueueClient(Queues.Poison(args.Queue.Name));
        await poison.CreateIfNotExistsAsync(cancellationToken: args.CancellationToken);
        await poison.SendMessageAsync(message.Body.ToString(), null, TimeSpan.FromSeconds(-1), args.CancellationToken);
        await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken);
    }

    /// <summary>The environment-variable spelling of a connection's sub-setting, e.g. <c>AzureWebJobsStorage__queueServiceUri</c>.</summary>
    public static string Name(string connectionName, string setting) => connectionName + "__" + setting;

    private static string? Value(IConfigurationSection section, string key) =>
        section[key] is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
}
