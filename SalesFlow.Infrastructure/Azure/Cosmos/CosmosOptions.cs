namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Settings of the Cosmos DB adapter, section <c>CosmosDb</c> (Functions app settings
/// <c>CosmosDb__accountEndpoint</c>, <c>CosmosDb__credential</c>, …). Either an account endpoint
/// with a managed identity (cloud: no keys in app settings) or a connection string (emulator, stand-in).
/// </summary>
public sealed record CosmosOptions
{
    public const string Section = "CosmosDb";
    public const string DefaultDatabaseName = "salesflow";

    /// <summary><c>https://&lt;account&gt;.documents.azure.com:443/</c>; used with <see cref="Credential"/>.</summary>
    public string? AccountEndpoint { get; init; }

    /// <summary><c>managedidentity</c> (the Functions identity-connection convention).</summary>
    public string? Credential { get; init; }

    /// <summary>Client id of a user-assigned managed identity; absent means the system-assigned one.</summary>
    public string? ClientId { get; init; }

    /// <summary><c>AccountEndpoint=…;AccountKey=…;</c> for the emulator or the local stand-in.</summary>
    public string? ConnectionString { get; init; }

    public string DatabaseName { get; init; } = DefaultDatabaseName;

    /// <summary>Create the database and containers when missing (on by default; off where infra owns them).</summary>
    public bool CreateIfMissing { get; init; } = true;
}
