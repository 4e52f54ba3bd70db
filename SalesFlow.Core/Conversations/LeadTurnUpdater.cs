using Microsoft.Extensions.Logging;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Common;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Core.Conversations;

/// <summary>
/// What a turn learned about the lead, written back before the reply: a proved e-mail address, the name, the language,
/// an opt-out or opt-in, an escalation to a human, and the insights merged into the lead's profile. An opt-out, an
/// escalation and a lead turning hot are published as integration events once written.
/// </summary>
public sealed class LeadTurnUpdater(ILeadStore leads, EmailVerification emailVerification, LeadProfileService profiles, IIntegrationEvents integrationEvents, ILogger<LeadTurnUpdater> logger)
{
    private const int MaxAttempts = 5;

    /// <param name="answerable">The messages the turn answers.</param>
    /// <param name="throughSeq">The last message the turn reads: the profile records how far it is merged.</param>
    public async Task<(Lead Lead, LeadProfile Profile)> ApplyAsync(string clientName, Lead lead, string conversationId, IReadOnlyList<Message> answerable, LeadInsights insights, long throughSeq, DateTimeOffset now, CancellationToken ct)
    {
        var verifiedEmail = await emailVerification.HandleTurnAsync(clientName, lead, conversationId, answerable, now, ct);
        var updated = await UpdateLeadAsync(lead, answerable, insights.Analysis, verifiedEmail, throughSeq, now, ct);
        var (before, profile) = await profiles.MergeTurnAsync(lead.ClientId, lead.Id, insights, throughSeq, now, ct);
        if (profile.Bant.Temperature == "hot" && before.Bant.Temperature != "hot")
        {
            await integrationEvents.PublishBestEffortAsync(new LeadBecameHot(lead.ClientId, lead.Id, now, throughSeq, profile.Bant.Overall), logger, ct);
        }

        return (updated, profile);
    }

    /// <summary>A turn that hands the lead to a human: they asked for one, or wrote something strongly negative.</summary>
    public static bool IsEscalationTurn(MessageAnalysis analysis) => analysis.Intent == Intent.Human || analysis.IsStronglyNegative;

    /// <summary>A message that takes an opt-out back.</summary>
    public static bool IsOptIn(string text) => text.Trim().ToUpperInvariant() is "START" or "UNSTOP" or "YES" or "ANMELDEN";

    /// <param name="verifiedEmail">An address the lead proved in this turn (the code of its confirmation e-mail): the lead's e-mail from now on.</param>
    private async Task<Lead> UpdateLeadAsync(Lead lead, IReadOnlyList<Message> messages, MessageAnalysis analysis, string? verifiedEmail, long throughSeq, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var updated = lead with { Language = analysis.Language };
            if (updated.Name is null && messages.Select(m => LeadFacts.FindName(m.Text)).FirstOrDefault(n => n is not null) is { } name)
            {
                updated = updated with { Name = name };
            }

            // An address typed in chat is only a claim (EmailVerification): it becomes the lead's e-mail once proved.
            if (verifiedEmail is not null)
            {
                updated = updated with { Email = verifiedEmail };
            }

            if (analysis.Intent == Intent.OptOut)
            {
                updated = updated with { OptedOut = true };
            }
            else if (updated.OptedOut && messages.Any(m => IsOptIn(m.Text)))
            {
                updated = updated with { OptedOut = false };
            }

            if (!updated.Escalated && IsEscalationTurn(analysis) && analysis.Intent != Intent.OptOut)
            {
                updated = updated.Escalate(analysis.Intent == Intent.Human ? "lead asked for a human" : "strongly negative sentiment", now);
                SalesFlowMetrics.Escalations.Add(1);
                logger.LogWarning("Lead {LeadId} escalated to a human: {Reason}", lead.Id, updated.EscalationReason);
            }

            if (updated == lead)
            {
                return lead;
            }

            Lead saved;
            try
            {
                saved = await leads.ReplaceAsync(updated with { UpdatedAt = now }, ct);
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                lead = await leads.GetAsync(lead.ClientId, lead.Id, ct) ?? lead;
                continue;
            }

            // Only what this write changed: a lead already opted out or escalated (an earlier turn, or this one re-run) is no news.
            if (saved.OptedOut && !lead.OptedOut)
            {
                await integrationEvents.PublishBestEffortAsync(new LeadOptedOut(lead.ClientId, lead.Id, now, throughSeq), logger, ct);
            }

            if (saved.Escalated && !lead.Escalated)
            {
                await integrationEvents.PublishBestEffortAsync(new LeadEscalated(lead.ClientId, lead.Id, now, throughSeq, saved.EscalationReason ?? ""), logger, ct);
            }

            return saved;
        }
    }
}
