using Microsoft.AspNetCore.DataProtection;
using SalesFlow.Core.Clients;

namespace SalesFlow.Infrastructure.Security;

/// <summary>
/// Client secrets encrypted with ASP.NET Core Data Protection (authenticated encryption, key ring
/// rotated by the library; the host persists the ring in the data folder).
/// </summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    // The purpose string isolates these payloads from any other use of the same key ring.
    private readonly IDataProtector _protector = provider.CreateProtector("SalesFlow.ClientSecrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
