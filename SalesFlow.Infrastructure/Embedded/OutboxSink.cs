using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// The embedded channel sender: nothing leaves the machine. The outbox shows what would have
/// been sent; the provider id is derived from the idempotency key, as a real provider that
/// honours idempotency keys would return the same id for a retried send.
/// </summary>
public sealed class OutboxSink : IChannelSender
{
    public Task<string> SendAsync(OutboxItem item, CancellationToken ct) =>
        Task.FromResult(Ids.Deterministic("local", item.ClientId, item.IdempotencyKey));
}
