using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Crm;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Meetings;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// One timeline of a lead across channels, read from the stores that hold each kind of event: messages (with the outbox's
/// delivery status and the compliance verdict of each outbound one), state changes, the next follow-up, meetings and the
/// CRM link's last sync. What is not stored as an event is not shown: a cancelled follow-up (the planner derives it; the
/// follow-up entry shows the cadence's current state), escalations and releases (only the lead's current flag), and
/// CRM syncs before the last one.
/// </summary>
public static class LeadTimelineApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>How far back each store is read: a lead's timeline is built in memory from its newest events.</summary>
    private const int MaxMessages = 1000;
    private const int MaxOutboxItems = 500;

    public static IEndpointRouteBuilder MapLeadTimelineApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/leads").WithTags("Leads").RequireClientKey()
            .MapGet("/{id}/timeline", GetAsync).WithName("GetLeadTimeline")
            .WithSummary($"The lead's events across WhatsApp, SMS and e-mail, newest first: messages (delivery status, compliance verdict, author lead|ai|rep), state changes, the next follow-up, meetings, the last CRM sync. Paged: limit 1..{MaxLimit} (default {DefaultLimit}), then ?cursor=<next>.")
            .Produces<LeadTimelinePage>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> GetAsync(
        string id,
        string? cursor,
        string? limit,
        HttpContext http,
        ILeadStore leads,
        IConversationStore conversations,
        IOutboxStore outbox,
        IComplianceAuditLog audit,
        IMeetingStore meetings,
        ICrmLinkStore crm,
        FollowUpOverviewReader followUps,
        CancellationToken ct)
    {
        var listing = Paging.Listing("lead-timeline", id);
        if (Paging.TryRead(http, listing, cursor, limit, DefaultLimit, MaxLimit, out var page) is { } bad)
        {
            return bad;
        }

        var client = ClientAuthenticator.CurrentClient(http);
        if (await leads.GetAsync(client.Id, id, ct) is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        var conversation = await conversations.FindForLeadAsync(client.Id, id, ct);
        List<LeadTimelineEntry> events = [];
        if (conversation is not null)
        {
            var messages = await conversations.ListMessagesAsync(client.Id, conversation.Id, MaxMessages, ct);
            var items = (await outbox.ListPageAsync(client.Id, id, null, null, MaxOutboxItems, ct)).Items;
            var verdicts = (await audit.ListAsync(client.Id, id, null, MaxOutboxItems, ct)).GroupBy(e => e.OutboxId).ToDictionary(g => g.Key, g => g.First());
            events.AddRange(Messages(messages, items, verdicts));
            events.AddRange(conversation.History.Select((c, i) => new LeadTimelineEntry($"state:{i}", "state_change", c.At, From: c.From.ToWire(), To: c.To.ToWire(), Reason: c.Reason)));
        }

        var overview = await followUps.ReadAsync(client.Id, id, ct);
        if (overview.Next is { } next)
        {
            events.Add(new($"follow_up:{overview.Cycle}:{next.Step}", "follow_up_scheduled", next.DueAt, Step: next.Step, Status: overview.Status, Reason: overview.Reason));
        }

        events.AddRange((await meetings.ListForLeadAsync(client.Id, id, ct)).Select(m =>
            new LeadTimelineEntry($"meeting:{m.Id}", "meeting", m.UpdatedAt, Status: m.Status, Start: m.Start, End: m.End, Reason: m.CancelReason ?? m.Error)));
        events.AddRange(CrmEvents(await crm.GetAsync(client.Id, id, ct)));

        var ordered = events.OrderByDescending(e => e.At.ToUnixTimeMilliseconds()).ThenByDescending(e => e.Id, StringComparer.Ordinal).AsEnumerable();
        if (page.After is { } after)
        {
            ordered = ordered.Where(e => e.At.ToUnixTimeMilliseconds() < after.Key || (e.At.ToUnixTimeMilliseconds() == after.Key && string.CompareOrdinal(e.Id, after.Id) < 0));
        }

        var found = Page<LeadTimelineEntry>.From([.. ordered.Take(page.Limit + 1)], page.Limit, e => new PagePosition(e.At.ToUnixTimeMilliseconds(), e.Id));
        return TypedResults.Ok(new LeadTimelinePage(id, conversation?.Id, found.Items, Paging.Cursor(http, listing, found.Next)));
    }

    /// <summary>
    /// The conversation's messages, each outbound one with its outbox item's status and verdict (same id); outbox items
    /// with no copy in the conversation (a follow-up skipped for want of a channel) are shown too.
    /// </summary>
    private static IEnumerable<LeadTimelineEntry> Messages(IReadOnlyList<Message> messages, IReadOnlyList<OutboxItem> items, Dictionary<string, ComplianceAuditEntry> verdicts)
    {
        var byId = items.ToDictionary(i => i.Id);
        foreach (var m in messages)
        {
            if (m.Direction == MessageDirection.Inbound)
            {
                yield return new(m.Id, "message", m.CreatedAt, m.Channel.ToWire(), "inbound", m.Text, "lead",
                    HeldBack: m.Metadata.GetValueOrDefault(SenderTrust.UntrustedKey), TrustedBy: m.Metadata.GetValueOrDefault(SenderTrust.TrustedByKey));
                continue;
            }

            var item = byId.GetValueOrDefault(m.Id);
            yield return Outbound(m.Id, m.CreatedAt, m.Channel, m.Text, item?.Purpose ?? m.Metadata.GetValueOrDefault("purpose"), m.Metadata.GetValueOrDefault("by"), item, verdicts.GetValueOrDefault(m.Id));
        }

        var shown = messages.Select(m => m.Id).ToHashSet();
        foreach (var item in items.Where(i => !shown.Contains(i.Id)))
        {
            yield return Outbound(item.Id, item.CreatedAt, item.Channel, item.Text, item.Purpose, null, item, verdicts.GetValueOrDefault(item.Id));
        }
    }

    private static LeadTimelineEntry Outbound(string id, DateTimeOffset at, ChannelKind channel, string text, string? purpose, string? by, OutboxItem? item, ComplianceAuditEntry? verdict) =>
        new(id, "message", at, channel.ToWire(), "outbound", text, purpose == OutboxPurpose.RepReply ? "rep" : "ai",
            By: by, Purpose: purpose, Status: item?.Status, Error: item?.Error,
            Compliance: verdict is null ? null : new TimelineCompliance(verdict.Verdict.ToWire(), verdict.RuleIds, verdict.Source));

    private static IEnumerable<LeadTimelineEntry> CrmEvents(CrmLink? link)
    {
        if (link?.LastSyncedAt is { } synced)
        {
            yield return new("crm:synced", "crm_sync", synced, Status: "synced", Reason: link.LastSyncedState);
        }

        if (link?.LastFailedAt is { } failed && link.LastError is not null)
        {
            yield return new("crm:failed", "crm_sync", failed, Status: "failed", Reason: link.LastError);
        }
    }
}
