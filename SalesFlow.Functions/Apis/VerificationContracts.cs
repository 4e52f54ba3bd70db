namespace SalesFlow.Functions.Apis;

/// <summary>The answer of an opened e-mail confirmation link: the address is now the lead's e-mail channel.</summary>
public sealed record EmailVerifiedDto(bool Verified, string? Address);
