using Microsoft.Extensions.Logging;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Common;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Qualification;
using SalesFlow.Core.Reach;

namespace SalesFlow.Core.Conversations;

/// <summary>
/// What a turn learned about the lead, written back before the reply: a proved e-mail address, the name, the language,
/// an opt-out or opt-in, an escalation to a human, and the insights merged into the lead's profile. An opt-out and an
/// escalation are published as integration events once written.
/// </summary>
public sealed class LeadTurnUpdater(ILeadStore leads, IOptOutLedger optOuts, EmailVerification emailVerification, LeadProfileService profiles, IIntegrationEvents integrationEvents, ILogger<LeadTurnUpdater> logger)
{
    private const int MaxAttempts = 5;

    /// <param name="answerable">The messages the turn answers.</param>
    /// <param name="throughSeq">The last message the turn reads: the profile records how far it is merged.</param>
    /// <returns>The lead as written, its profile, whether this turn opted the lead out or back in (each confirmed once), and what it did to the lead's e-mail address.</returns>
    public async Task<(Lead Lead, LeadProfile Profile, ConsentChange Consent, EmailTurn Email)> ApplyAsync(string clientName, Lead lead, string conversationId, IReadOnlyList<Message> answerable, LeadInsights insights, long throughSeq, DateTimeOffset now, CancellationToken ct)
    {
        var email = await emailVerification.HandleTurnAsync(clientName, lead, conversationId, answerable, now, ct);
        var consent = await ApplyConsentAsync(lead, answerable, insights.Analysis, now, ct);
        var updated = await UpdateLeadAsync(lead, answerable, insights.Analysis, email.Verified, consent, throughSeq, now, ct);
        // The lead turning hot is published by LeadScoreRefresher after the turn commits: the stored score's temperature is the lead's.
        var (_, profile) = await profiles.MergeTurnAsync(lead.ClientId, lead.Id, insights, throughSeq, now, ct);
        return (updated, profile, consent.Change, email);
    }

    /// <summary>
    /// A turn that hands the lead to a human: they asked for one, or wrote something strongly negative. A lead only asking
    /// whether it writes to a bot ("is this the sales bot") is told and goes on: it was handed over, and its next five
    /// messages went unanswered.
    /// </summary>
    public static bool IsEscalationTurn(MessageAnalysis analysis, string text) =>
        (analysis.Intent == Intent.Human && !IntentRules.OnlyAsksIfBot(LeadText.Parse(text))) || analysis.IsStronglyNegative;

    /// <summary>
    /// Whether the person is opted out after these messages, read in order: an opt-out keyword opts out, an opt-in
    /// keyword opts back in only someone opted out ("yes" is otherwise an answer). A sentence the intent rules read as
    /// an opt-out ("please stop texting me") counts when no message of the turn is a keyword. Only a change is a
    /// <see cref="ConsentChange"/>: a second STOP changes nothing and gets no second confirmation.
    /// </summary>
    public static ConsentDecision DecideConsent(bool optedOutBefore, IReadOnlyList<Message> messages, bool intentIsOptOut)
    {
        var optedOut = optedOutBefore;
        var anyKeyword = false;
        (Message Message, string Keyword)? by = null;
        foreach (var message in messages)
        {
            if (OptOutKeywords.OptOutIn(message.Text) is { } stop)
            {
                anyKeyword = true;
                by = optedOut ? by : (message, stop);
                optedOut = true;
            }
            else if (optedOut && OptOutKeywords.OptInIn(message.Text) is { } start)
            {
                anyKeyword = true;
                by = (message, start);
                optedOut = false;
            }
        }

        if (!anyKeyword && intentIsOptOut && !optedOut && messages.Count > 0)
        {
            (optedOut, by) = (true, (messages[^1], OptOutEntry.PhraseKeyword));
        }

        var change = optedOut == optedOutBefore ? ConsentChange.None : optedOut ? ConsentChange.OptedOut : ConsentChange.OptedIn;
        return new ConsentDecision(optedOut, change, change == ConsentChange.None ? null : by?.Message, change == ConsentChange.None ? null : by?.Keyword);
    }

    /// <summary>
    /// Reads the ledger for every address of the lead, decides, and records a change there first (for all of them): a
    /// turn re-run after a crash finds the entry its own message wrote and takes the same decision again, so its
    /// confirmation is written exactly once and not taken for a repeated STOP.
    /// </summary>
    private async Task<ConsentDecision> ApplyConsentAsync(Lead lead, IReadOnlyList<Message> messages, MessageAnalysis analysis, DateTimeOffset now, CancellationToken ct)
    {
        // The lead's own addresses and the turn's senders are read on every turn (one point read per address, mostly
        // one); the identities of a merged lead only when a change is written for all of them.
        List<string> addresses = [.. new[] { lead.Phone, lead.Email }.OfType<string>(), .. messages.Select(m => m.Metadata.GetValueOrDefault("from")).OfType<string>()];
        var entries = await optOuts.FindAsync(lead.ClientId, addresses, ct);
        if (entries.FirstOrDefault(e => e.MessageId is { } id && messages.Any(m => m.Id == id)) is { } own)
        {
            var change = own.OptedOut ? ConsentChange.OptedOut : ConsentChange.OptedIn;
            var decided = new ConsentDecision(own.OptedOut, change, messages.First(m => m.Id == own.MessageId), own.Keyword);
            await RecordAsync(lead, addresses, decided, now, ct); // addresses a crash left out
            return decided;
        }

        var decision = DecideConsent(lead.OptedOut || entries.Any(e => e.OptedOut), messages, analysis.Intent == Intent.OptOut);
        if (decision.Change != ConsentChange.None)
        {
            await RecordAsync(lead, addresses, decision, now, ct);
            logger.LogInformation("Lead {LeadId} {Change} with '{Keyword}' on {Channel}", lead.Id, decision.Change == ConsentChange.OptedOut ? "opted out" : "opted back in", decision.Keyword, decision.By!.Channel);
        }

        return decision;
    }

    private async Task RecordAsync(Lead lead, IReadOnlyList<string> addresses, ConsentDecision decision, DateTimeOffset now, CancellationToken ct)
    {
        var identities = await leads.ListIdentitiesAsync(lead.ClientId, lead.Id, ct);
        await optOuts.RecordAsync(lead.ClientId, [.. addresses, .. identities.Select(i => i.Value)], decision.OptedOut, decision.By!.Channel, decision.Keyword!, now, lead.Id, decision.By.Id, ct);
    }

    /// <param name="verifiedEmail">An address the lead proved in this turn (the code of its confirmation e-mail): the lead's e-mail from now on.</param>
    private async Task<Lead> UpdateLeadAsync(Lead lead, IReadOnlyList<Message> messages, MessageAnalysis analysis, string? verifiedEmail, ConsentDecision consent, long throughSeq, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var updated = lead with { Language = analysis.Language };
            if (updated.Name is null && messages.Select(m => LeadFacts.FindName(m.Text)).FirstOrDefault(n => n is not null) is { } name)
            {
                updated = updated with { Name = name };
            }

            // Where the lead says they are: the zone their quiet hours are read in (the latest statement wins).
            if (messages.Select(m => StatedTimeZone.Find(m.Text)).LastOrDefault(z => z is not null) is { } zone)
            {
                updated = updated with { TimeZone = zone };
            }

            // An address typed in chat is only a claim (EmailVerification): it becomes the lead's e-mail once proved.
            if (verifiedEmail is not null)
            {
                updated = updated with { Email = verifiedEmail };
            }

            // The ledger's word: also an opt-out another lead of the same address gave, or one from before an erasure.
            updated = updated with { OptedOut = consent.OptedOut };

            if (!updated.Escalated && IsEscalationTurn(analysis, string.Join('\n', messages.Select(m => m.Text))) && analysis.Intent != Intent.OptOut && !consent.OptedOut)
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

/// <summary>What a turn did to the lead's consent to automatic messages.</summary>
public enum ConsentChange
{
    None,
    OptedOut,
    OptedIn,
}

/// <summary>The consent after a turn; <see cref="By"/> and <see cref="Keyword"/> name the message and keyword of a change.</summary>
public sealed record ConsentDecision(bool OptedOut, ConsentChange Change, Message? By, string? Keyword);
