namespace SalesFlow.Functions.Apis;

/// <summary>Who the caller's API key belongs to: the console reads it after sign-in to know its client.</summary>
/// <param name="ClientId">The client (tenant) id every other route of this key works on.</param>
/// <param name="Name">The client's display name.</param>
/// <param name="TimeZone">The client's IANA time zone (quiet hours, dates shown to reps).</param>
public sealed record MeResponse(string ClientId, string Name, string TimeZone);
