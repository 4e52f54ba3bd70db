namespace SalesFlow.Functions.Apis;

/// <summary>One page of GET /api/outbox, newest first.</summary>
/// <param name="Next">The cursor of the next page; null on the last.</param>
public sealed record OutboxPageDto(IReadOnlyList<OutboxItemDto> Items, string? Next);
