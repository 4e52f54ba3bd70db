using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;

namespace SalesFlow.Core.Intake;

/// <summary>What a verified webhook delivery came to: per message whether it was seen before, and the statuses applied.</summary>
/// <param name="Duplicates">One flag per message of the batch, in its order: true when the provider delivered it before.</param>
public sealed record WebhookIntakeResult(IReadOnlyList<bool> Duplicates, int StatusesApplied);

/// <summary>
/// Takes a verified, parsed webhook delivery so that nothing in it is lost once the provider has its 200. The embedded
/// store journals the messages and stores them right after (<c>JournaledWebhookIntake</c>); other stores store them
/// before answering (<see cref="DirectWebhookIntake"/>). Either way a repeated delivery is told apart exactly.
/// </summary>
public interface IWebhookIntake
{
    /// <param name="correlationId">The request's correlation id, for the log line written when the message is stored.</param>
    Task<WebhookIntakeResult> AcceptAsync(Client client, WebhookBatch batch, string correlationId, CancellationToken ct);
}
