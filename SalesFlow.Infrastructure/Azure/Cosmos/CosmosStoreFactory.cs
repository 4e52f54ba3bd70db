using Azure.Core;
using Azure.Identity;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using SalesFlow.Core.Observability;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>The Cosmos adapter set: one <see cref="CosmosClient"/> (a singleton per app) and the stores over it.</summary>
public sealed class CosmosStores : IDisposable
{
    public CosmosStores(CosmosClient client, CosmosOptions options)
    {
        Client = client;
        Options = options;
        Containers = new CosmosContainers(client.GetDatabase(options.DatabaseName));
        Clients = new CosmosClientStore(Containers);
        Leads = new CosmosLeadStore(Containers);
        Conversations = new CosmosConversationStore(Containers);
        Outbox = new CosmosOutboxStore(Containers);
        Eraser = new CosmosLeadEraser(Containers);
        Profiles = new CosmosLeadProfileStore(Containers);
        Memory = new CosmosMemoryStore(Containers);
        MemoryIndex = new CosmosMemoryIndex(Containers);
        ComplianceAudit = new CosmosComplianceAuditLog(Containers);
        Usage = new CosmosUsageStore(Containers);
        Knowledge = new CosmosKnowledgeStore(Containers);
        Unanswered = new CosmosUnansweredInbound(Containers, Conversations);
        FollowUpTimers = new CosmosFollowUpTimerStore(Containers);
        DeliveryFeedback = new CosmosDeliveryFeedbackStore(Containers);
        OptOuts = new CosmosOptOutLedger(Containers);
        Meetings = new CosmosMeetingStore(Containers);
    }

    public CosmosClient Client { get; }

    public CosmosOptions Options { get; }

    public CosmosContainers Containers { get; }

    public CosmosClientStore Clients { get; }

    public CosmosLeadStore Leads { get; }

    public CosmosConversationStore Conversations { get; }

    public CosmosOutboxStore Outbox { get; }

    public CosmosDeliveryFeedbackStore DeliveryFeedback { get; }

    public CosmosLeadEraser Eraser { get; }

    public CosmosLeadProfileStore Profiles { get; }

    public CosmosMemoryStore Memory { get; }

    public CosmosMemoryIndex MemoryIndex { get; }

    public CosmosComplianceAuditLog ComplianceAudit { get; }

    public CosmosUsageStore Usage { get; }

    public CosmosKnowledgeStore Knowledge { get; }
    public CosmosUnansweredInbound Unanswered { get; }

    public CosmosFollowUpTimerStore FollowUpTimers { get; }

    public CosmosOptOutLedger OptOuts { get; }

    public CosmosMeetingStore Meetings { get; }

    /// <summary>Creates the database and containers when missing (when <see cref="CosmosOptions.CreateIfMissing"/>); call once at start-up.</summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        if (Options.CreateIfMissing)
        {
            await CosmosContainers.EnsureCreatedAsync(Client, Options.DatabaseName, ct);
        }
    }

    public void Dispose() => Client.Dispose();
}

/// <summary>
/// Builds the Cosmos adapter from configuration (section <c>CosmosDb</c>, Functions-style
/// <c>CosmosDb__…</c> app settings):
/// <list type="bullet">
/// <item>cloud: <c>CosmosDb__accountEndpoint</c> + <c>CosmosDb__credential=managedidentity</c>
/// (+ <c>CosmosDb__clientId</c> for a user-assigned identity) — Entra data-plane RBAC, no keys;</item>
/// <item>emulator / local stand-in: <c>CosmosDb__connectionString</c> = <c>AccountEndpoint=…;AccountKey=…;</c>;</item>
/// <item><c>CosmosDb__databaseName</c> (default <c>salesflow</c>), <c>CosmosDb__createIfMissing</c> (default: true with a connection string, false with managed identity).</item>
/// </list>
/// </summary>
public static class CosmosStoreFactory
{
    public const string AccountEndpointSetting = CosmosOptions.Section + "__accountEndpoint";
    public const string CredentialSetting = CosmosOptions.Section + "__credential";
    public const string ClientIdSetting = CosmosOptions.Section + "__clientId";
    public const string ConnectionStringSetting = CosmosOptions.Section + "__connectionString";
    public const string DatabaseNameSetting = CosmosOptions.Section + "__databaseName";

    /// <summary>True when the configuration selects Cosmos DB (an endpoint or a connection string is set).</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        var section = configuration.GetSection(CosmosOptions.Section);
        return !string.IsNullOrWhiteSpace(section["accountEndpoint"]) || !string.IsNullOrWhiteSpace(section["connectionString"]);
    }

    public static CosmosOptions ReadOptions(IConfiguration configuration)
    {
        var section = configuration.GetSection(CosmosOptions.Section);
        return new CosmosOptions
        {
            AccountEndpoint = Blank(section["accountEndpoint"]),
            Credential = Blank(section["credential"]),
            ClientId = Blank(section["clientId"]),
            ConnectionString = Blank(section["connectionString"]),
            DatabaseName = Blank(section["databaseName"]) ?? CosmosOptions.DefaultDatabaseName,
            // With keys (emulator, stand-in) SalesFlow may create its containers; with managed identity
            // the data-plane role cannot, and infra/ creates them.
            CreateIfMissing = bool.TryParse(section["createIfMissing"], out var create) ? create : !string.IsNullOrWhiteSpace(section["connectionString"]),
        };
    }

    public static CosmosStores Create(IConfiguration configuration, RuntimeHealth health) => Create(ReadOptions(configuration), health);

    /// <param name="health">Told the outcome of every write, so readiness sees an account that refuses them.</param>
    public static CosmosStores Create(CosmosOptions options, RuntimeHealth health)
    {
        var clientOptions = new CosmosClientOptions
        {
            Serializer = new CosmosSystemTextJsonSerializer(),
            ApplicationName = "SalesFlow",
        };
        clientOptions.CustomHandlers.Add(new CosmosWriteHealthHandler(health));
        clientOptions.CustomHandlers.Add(new CosmosRequestMetricsHandler());

        CosmosClient client;
        if (options.ConnectionString is { } connectionString)
        {
            var endpoint = EndpointOf(connectionString);
            if (endpoint.Scheme == Uri.UriSchemeHttp)
            {
                ConfigureForLocalStandIn(clientOptions);
            }

            client = new CosmosClient(connectionString, clientOptions);
        }
        else if (options.AccountEndpoint is { } accountEndpoint)
        {
            if (!Uri.TryCreate(accountEndpoint, UriKind.Absolute, out _))
            {
                throw new InvalidOperationException($"{AccountEndpointSetting} is not an absolute URL: '{accountEndpoint}'.");
            }

            if (!string.Equals(options.Credential, "managedidentity", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"{AccountEndpointSetting} is set, so {CredentialSetting} must be 'managedidentity' (optionally with {ClientIdSetting} for a user-assigned identity); it is '{options.Credential ?? "(missing)"}'. For key-based access set {ConnectionStringSetting} instead.");
            }

            client = new CosmosClient(accountEndpoint, Credential(options), clientOptions);
        }
        else
        {
            throw new InvalidOperationException(
                $"Cosmos DB is not configured: set {AccountEndpointSetting} with {CredentialSetting}=managedidentity (cloud), or {ConnectionStringSetting} (emulator or local stand-in).");
        }

        return new CosmosStores(client, options);
    }

    /// <summary>
    /// The local stand-ins speak plain http on one address: gateway mode only, no regional endpoint
    /// discovery (<see cref="CosmosClientOptions.LimitToEndpoint"/>), and an http client the SDK may use for http.
    /// </summary>
    internal static void ConfigureForLocalStandIn(CosmosClientOptions options)
    {
        options.ConnectionMode = ConnectionMode.Gateway;
        options.LimitToEndpoint = true;
        options.HttpClientFactory = () => new HttpClient(new StandInCompatibilityHandler(new SocketsHttpHandler()));
    }

    private static TokenCredential Credential(CosmosOptions options) =>
        options.ClientId is { } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);

    private static Uri EndpointOf(string connectionString)
    {
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq > 0 && part[..eq].Trim().Equals("AccountEndpoint", StringComparison.OrdinalIgnoreCase)
                && Uri.TryCreate(part[(eq + 1)..].Trim(), UriKind.Absolute, out var uri))
            {
                return uri;
            }
        }

        throw new InvalidOperationException($"{ConnectionStringSetting} has no valid AccountEndpoint=…; part.");
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>
/// Irons out a quirk of the local stand-in (<c>@vercel/cosmosdb-server</c>) for plain-http endpoints
/// only: its point read of a missing document answers 500 unless the request carries the
/// cross-partition header (then it answers the proper 404). The header is harmless on point reads.
/// </summary>
internal sealed class StandInCompatibilityHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Get && request.RequestUri?.AbsolutePath.Contains("/docs/", StringComparison.Ordinal) == true)
        {
            request.Headers.TryAddWithoutValidation("x-ms-documentdb-query-enablecrosspartition", "True");
        }

        return base.SendAsync(request, cancellationToken);
    }
}
