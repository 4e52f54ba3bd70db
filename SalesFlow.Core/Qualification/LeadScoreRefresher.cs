using Microsoft.Extensions.Logging;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Leads;

namespace SalesFlow.Core.Qualification;

/// <summary>
/// Computes a lead's score from the stores and stores it as the lead's snapshot: after every turn and, for leads that
/// went quiet, from the score-refresh timer (recency decays with the time since the lead's last message). The client's
/// learnt weights are used once they exist, the priors before. A lead whose snapshot turns HOT is published
/// (<see cref="LeadBecameHot"/>) here and only here: the snapshot's temperature is the lead's temperature.
/// </summary>
public sealed class LeadScoreRefresher(
    ILeadStore leads,
    IConversationStore conversations,
    ILeadProfileStore profiles,
    ILeadScoreStore scores,
    ILeadScoreModelStore models,
    IIntegrationEvents integrationEvents,
    TimeProvider clock,
    ILogger<LeadScoreRefresher> logger)
{
    /// <summary>Recomputes and stores the lead's snapshot; null when the lead does not exist (erased meanwhile).</summary>
    public async Task<LeadScoreSnapshot?> RefreshAsync(string clientId, string leadId, CancellationToken ct)
    {
        var lead = await leads.GetAsync(clientId, leadId, ct);
        if (lead is null)
        {
            return null;
        }

        var conversation = await conversations.FindForLeadAsync(clientId, leadId, ct);
        return await RefreshAsync(lead, conversation, await profiles.GetAsync(clientId, leadId, ct), null, ct);
    }

    /// <summary>
    /// As <see cref="RefreshAsync(string, string, CancellationToken)"/> after a committed turn (or a submission), from the
    /// lead, conversation, profile and recent messages the caller already holds (no second read of them). Returns the
    /// score, or null when the refresh failed: a failure is logged, never the turn's, and the timer catches up.
    /// </summary>
    public async Task<LeadScoreResult?> RefreshAfterTurnAsync(Lead lead, Conversation conversation, LeadProfile? profile, IReadOnlyList<Message> messages, CancellationToken ct)
    {
        try
        {
            return (await RefreshAsync(lead, conversation, profile, messages, ct)).Score;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Score refresh of lead {LeadId} after its turn failed", lead.Id);
            return null;
        }
    }

    private async Task<LeadScoreSnapshot> RefreshAsync(Lead lead, Conversation? conversation, LeadProfile? profile, IReadOnlyList<Message>? messages, CancellationToken ct)
    {
        messages ??= conversation is null ? [] : await conversations.ListMessagesAsync(lead.ClientId, conversation.Id, LeadScoreReader.MessageWindow, ct);
        var model = await models.GetAsync(lead.ClientId, ct);
        var snapshot = Compute(lead, conversation, messages, profile, model, clock.GetUtcNow());
        // Only a hot score can be a change to hot: the previous snapshot is read (before it is replaced) only then.
        var hot = snapshot.Score.Temperature == "hot";
        var before = hot ? await scores.GetAsync(lead.ClientId, lead.Id, ct) : null;
        await scores.SaveAsync(snapshot, ct);
        if (hot && before?.Score.Temperature != "hot")
        {
            var throughSeq = messages.Count == 0 ? 0 : messages.Max(m => m.Seq);
            await integrationEvents.PublishBestEffortAsync(new LeadBecameHot(lead.ClientId, lead.Id, snapshot.ComputedAt, throughSeq, snapshot.Score.Probability), logger, ct);
        }

        return snapshot;
    }

    public static LeadScoreSnapshot Compute(Lead lead, Conversation? conversation, IReadOnlyList<Message> messages, LeadProfile? profile, LeadScoreModel? model, DateTimeOffset now)
    {
        var features = LeadScoreReader.Features(profile, conversation, messages, lead.CreatedAt, now);
        var score = model is null ? LeadScore.Compute(features) : LeadScore.Compute(features, model.Weights, model.Bias);
        var ordered = messages.OrderBy(m => m.CreatedAt).ToList();
        var last = ordered.LastOrDefault(m => !m.IsUntrusted());
        return new LeadScoreSnapshot(
            lead.ClientId,
            lead.Id,
            score,
            features,
            model is null ? LeadScoreSnapshot.Prior : LeadScoreSnapshot.Learnt,
            model?.Outcomes ?? 0,
            now,
            lead.Name,
            lead.Email,
            lead.Phone,
            conversation?.State.ToWire(),
            [.. ordered.Select(m => m.Channel.ToWire()).Distinct().Order(StringComparer.Ordinal)],
            last is null ? null : Excerpt(last.Text),
            last?.CreatedAt,
            lead.Escalated,
            lead.OptedOut,
            lead.CreatedAt,
            ordered.Count > 0 ? ordered[^1].CreatedAt : conversation?.LastInboundAt ?? lead.CreatedAt)
        {
            LastMessageDirection = last is null ? null : last.Direction == MessageDirection.Inbound ? "inbound" : "outbound",
        };
    }

    /// <summary>The list shows the start of the last message, not all of it.</summary>
    private static string Excerpt(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
