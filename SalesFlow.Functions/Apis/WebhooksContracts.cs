namespace SalesFlow.Functions.Apis;

/// <summary>
/// What a message webhook did with the delivery: messages stored and queued, repeats of ones already stored, delivery
/// statuses applied, and fields skipped because they were not readable text.
/// </summary>
public sealed record WebhookAcceptedDto(int Accepted, int Duplicates, int Statuses, int Skipped);
