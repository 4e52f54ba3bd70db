namespace SalesFlow.Functions.Security;

/// <summary>
/// Endpoint metadata: the route takes a bearer key (<see cref="Accepts"/> names which). The OpenAPI document puts the
/// bearer security requirement on exactly these operations.
/// </summary>
public sealed record BearerKeyRequirement(string Accepts)
{
    public static readonly BearerKeyRequirement ClientKey = new("the client's API key");
    public static readonly BearerKeyRequirement AdminKey = new("the admin key (SalesFlow:AdminKey)");
    public static readonly BearerKeyRequirement ClientOrAdminKey = new("the client's own API key or the admin key");
}
