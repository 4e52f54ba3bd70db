using Microsoft.Extensions.Logging;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Meetings;
using SalesFlow.Core.Memory;
using SalesFlow.Core.Qualification;
using SalesFlow.Core.Queue;

namespace SalesFlow.Core.Crm;

/// <summary>
/// Keeps a lead's CRM record in step with SalesFlow: the contact (found by e-mail, then phone, else created) with the
/// <c>ai_*</c> properties; a deal once the lead is qualified, moved as the conversation's state moves; a note with the
/// conversation summary when the state or the meetings change. Idempotent: each id is stored the moment the CRM gives it,
/// and a lost id is searched for before anything is created. A client without a complete <c>hubspot</c> config is not synced.
/// A deal a human closed (the lead has an outcome) is not moved back by a later state change.
/// </summary>
public sealed class CrmSyncService(
    IClientStore clients,
    ILeadStore leads,
    ILeadProfileStore profiles,
    IMemoryStore memory,
    IConversationStore conversations,
    IMeetingStore meetings,
    ICrmLinkStore links,
    ICrmGateway gateway,
    ILeadOutcomeStore outcomes,
    IWorkQueue queue,
    TimeProvider clock,
    ILogger<CrmSyncService> logger)
{
    /// <summary>HubSpot's stock pipeline.</summary>
    public const string DefaultPipeline = "default";

    /// <summary>The first retry of a transient failure without Retry-After; doubled per failure up to <see cref="MaxBackoff"/>.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    /// <summary>
    /// The stages of HubSpot's stock "default" pipeline for our states, used when the client's stageMap names none
    /// (docs: knowledge.hubspot.com, "Set up and customize pipelines": appointmentscheduled … closedwon/closedlost).
    /// </summary>
    public static IReadOnlyDictionary<string, string> DefaultStages { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["initial_contact"] = "appointmentscheduled",
        ["interest_qualification"] = "qualifiedtobuy",
        ["value_proposition"] = "presentationscheduled",
        ["objection_handling"] = "decisionmakerboughtin",
        ["price_negotiation"] = "contractsent",
        ["closing_attempt"] = "contractsent",
        ["post_purchase"] = "closedwon",
        [HubSpotConfig.Won] = "closedwon",
        [HubSpotConfig.Lost] = "closedlost",
    };

    /// <summary>
    /// Qualified, so worth a deal: the BANT temperature is warm or hot, the conversation reached the value proposition
    /// (the state machine gets there only after the need is known), or a meeting is booked.
    /// </summary>
    public static bool IsQualified(LeadProfile? profile, ConversationState state, bool hasMeeting) =>
        profile?.Bant.Temperature is "warm" or "hot" || state >= ConversationState.ValueProposition || hasMeeting;

    /// <summary>The deal stage for a state (wire name) or outcome: the client's stageMap, else the stock pipeline's stage.</summary>
    public static string? StageFor(HubSpotConfig config, string stateOrOutcome)
    {
        if (config.StageMap is { } map && map.TryGetValue(stateOrOutcome, out var stage))
        {
            return stage;
        }

        return PipelineOf(config) == DefaultPipeline && DefaultStages.TryGetValue(stateOrOutcome, out var fallback) ? fallback : null;
    }

    public static string PipelineOf(HubSpotConfig config) => config.PipelineId ?? DefaultPipeline;

    /// <summary>The queue's entry: syncs, and on failure records it on the link; a transient one is queued again (never waited out).</summary>
    public async Task RunQueuedAsync(SyncCrmWork work, CancellationToken ct)
    {
        if ((await clients.GetAsync(work.ClientId, ct))?.Config?.HubSpot is not { IsComplete: true })
        {
            return; // nothing to sync for this client (it removed HubSpot after the work was queued): no lease, no link
        }

        // One sync per lead at a time: a second one comes back when the running one's lease ends (or it finished).
        if (await TryLeaseAsync(work, ct) is { } busyFor)
        {
            await queue.EnqueueAsync(Queues.SyncCrm, SyncCrmWork.Serialize(work), busyFor, SyncCrmWork.CoalesceKey(work.ClientId, work.LeadId), ct);
            return;
        }

        try
        {
            await SyncAsync(work.ClientId, work.LeadId, ct);
        }
        catch (CrmException e)
        {
            var failed = await RecordFailureAsync(work.ClientId, work.LeadId, e, ct);
            if (failed?.NextRetryAt is { } retryAt)
            {
                await queue.EnqueueAsync(Queues.SyncCrm, SyncCrmWork.Serialize(work), retryAt - clock.GetUtcNow(), SyncCrmWork.CoalesceKey(work.ClientId, work.LeadId), ct);
            }
        }
        finally
        {
            await ReleaseLeaseAsync(work, CancellationToken.None);
        }
    }

    /// <summary>How long a sync may hold its lead's lease; a run that dies holding it is replaced after this.</summary>
    public static readonly TimeSpan SyncLease = TimeSpan.FromMinutes(2);

    /// <summary>Null when this run now holds the lead's lease; else how long to wait before trying again.</summary>
    private async Task<TimeSpan?> TryLeaseAsync(SyncCrmWork work, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var link = await links.GetAsync(work.ClientId, work.LeadId, ct) ?? CrmLink.New(work.ClientId, work.LeadId);
        if (link.SyncingUntil is { } until && until > now)
        {
            return until - now;
        }

        try
        {
            await links.SaveAsync(link with { SyncingUntil = now + SyncLease }, ct);
            return null;
        }
        catch (Common.ConcurrencyException)
        {
            return TimeSpan.FromSeconds(2); // another run took it (or wrote) just now: look again shortly
        }
    }

    private async Task ReleaseLeaseAsync(SyncCrmWork work, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await links.GetAsync(work.ClientId, work.LeadId, ct) is not { SyncingUntil: not null } link)
            {
                return;
            }

            try
            {
                await links.SaveAsync(link with { SyncingUntil = null }, ct);
                return;
            }
            catch (Common.ConcurrencyException)
            {
                // written meanwhile (the retry timer's sweep reads only): read again
            }
        }
    }

    /// <summary>Brings the lead's CRM record up to date; returns the link as stored (null when the client syncs nothing or the lead is gone).</summary>
    public async Task<CrmLink?> SyncAsync(string clientId, string leadId, CancellationToken ct)
    {
        var client = await clients.GetAsync(clientId, ct);
        if (client?.Config?.HubSpot is not { IsComplete: true } config)
        {
            return null;
        }

        var lead = await leads.GetAsync(clientId, leadId, ct);
        if (lead is null)
        {
            return null;
        }

        var account = new CrmAccount(clientId, config.AccessToken!);
        var snapshot = new CrmLeadSnapshot(
            lead,
            await profiles.GetAsync(clientId, leadId, ct),
            await memory.GetSummaryAsync(clientId, leadId, ct),
            await conversations.FindForLeadAsync(clientId, leadId, ct),
            client.Config?.Language);
        var leadMeetings = await meetings.ListForLeadAsync(clientId, leadId, ct);
        var link = await links.GetAsync(clientId, leadId, ct) ?? CrmLink.New(clientId, leadId);

        await gateway.EnsureContactPropertiesAsync(account, CrmContactProperties.Custom, ct);
        var contact = await gateway.UpsertContactAsync(account, link.ContactId, lead.Email ?? snapshot.Profile?.Facts.Email, lead.Phone, CrmContactProperties.Build(snapshot), ct);
        if (contact.ContactId != link.ContactId)
        {
            link = await links.SaveAsync(link with { ContactId = contact.ContactId }, ct);
        }

        var state = snapshot.State.ToWire();
        if (link.DealId is null && IsQualified(snapshot.Profile, snapshot.State, leadMeetings.Any(m => m.IsActive)))
        {
            link = await OpenDealAsync(account, config, link, snapshot, state, ct);
        }
        else if (link.DealId is not null && StageFor(config, state) is { } stage && stage != link.DealStage
            && await outcomes.GetAsync(clientId, leadId, ct) is null)
        {
            await gateway.MoveDealAsync(account, link.DealId, stage, ct);
            link = await links.SaveAsync(link with { DealStage = stage }, ct);
        }

        var noteKey = NoteKey(state, leadMeetings);
        if (noteKey != link.LastNoteKey)
        {
            await gateway.LogNoteAsync(account, new CrmNote(CrmNoteText.Build(snapshot, leadMeetings), clock.GetUtcNow(), link.ContactId!, link.DealId), ct);
            link = await links.SaveAsync(link with { LastNoteKey = noteKey }, ct);
        }

        return await links.SaveAsync(
            link with { LastSyncedAt = clock.GetUtcNow(), LastSyncedState = state, LastError = null, ErrorIsPermanent = false, Attempts = 0, NextRetryAt = null },
            ct);
    }

    private async Task<CrmLink> OpenDealAsync(CrmAccount account, HubSpotConfig config, CrmLink link, CrmLeadSnapshot snapshot, string state, CancellationToken ct)
    {
        var pipeline = PipelineOf(config);
        var stage = StageFor(config, state)
            ?? throw new CrmException($"hubspot.stageMap names no deal stage for '{state}' in pipeline '{pipeline}'.", permanent: true);

        // A deal created by a run that died before storing its id is found, not created again.
        var dealId = await gateway.FindDealAsync(account, link.ContactId!, pipeline, ct);
        if (dealId is null)
        {
            dealId = await gateway.CreateDealAsync(account, link.ContactId!, new CrmDeal(DealName(snapshot), pipeline, stage), ct);
            return await links.SaveAsync(link with { DealId = dealId, DealStage = stage }, ct);
        }

        link = await links.SaveAsync(link with { DealId = dealId }, ct);
        if (link.DealStage != stage)
        {
            await gateway.MoveDealAsync(account, dealId, stage, ct);
            link = await links.SaveAsync(link with { DealStage = stage }, ct);
        }

        return link;
    }

    private async Task<CrmLink?> RecordFailureAsync(string clientId, string leadId, CrmException e, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var link = await links.GetAsync(clientId, leadId, ct) ?? CrmLink.New(clientId, leadId);
            var now = clock.GetUtcNow();
            var attempts = link.Attempts + 1;
            var retryAt = e.Permanent ? (DateTimeOffset?)null : now + (e.RetryAfter ?? Backoff(attempts));
            var failed = link with { LastError = e.Message, LastFailedAt = now, ErrorIsPermanent = e.Permanent, Attempts = attempts, NextRetryAt = retryAt };
            try
            {
                failed = await links.SaveAsync(failed, ct);
                if (e.Permanent)
                {
                    logger.LogError("CRM sync of lead {LeadId} of client {ClientId} failed for good: {Reason}", leadId, clientId, e.Message);
                }
                else
                {
                    logger.LogWarning("CRM sync of lead {LeadId} of client {ClientId} failed (attempt {Attempts}), retried at {RetryAt}: {Reason}", leadId, clientId, attempts, retryAt, e.Message);
                }

                return failed;
            }
            catch (Common.ConcurrencyException)
            {
                // Another sync of the lead wrote meanwhile: record on top of its result.
            }
        }

        return null;
    }

    public static TimeSpan Backoff(int attempts)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 10));
        var delay = TimeSpan.FromTicks((long)(FirstBackoff.Ticks * factor));
        return delay > MaxBackoff ? MaxBackoff : delay;
    }

    private static string NoteKey(string state, IReadOnlyList<Meeting> leadMeetings) =>
        string.Join('|', [state, .. leadMeetings.OrderBy(m => m.Id, StringComparer.Ordinal).Select(m => $"{m.Id}:{m.Status}:{m.Start.ToUnixTimeSeconds()}")]);

    private static string DealName(CrmLeadSnapshot s)
    {
        var who = s.Lead.Name ?? s.Profile?.Facts.Name ?? s.Lead.Email ?? s.Lead.Phone ?? s.Lead.Id;
        return s.Profile?.Facts.Company is { Length: > 0 } company ? $"{company} – {who}" : who;
    }
}
