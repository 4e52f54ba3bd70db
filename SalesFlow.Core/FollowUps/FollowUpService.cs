using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Outreach;
using SalesFlow.Core.Queue;
using SalesFlow.Core.Reach;

namespace SalesFlow.Core.FollowUps;

/// <summary>Where a lead's follow-ups stand: the cycle (the unanswered reply's outbox id) and how many of its steps are done.</summary>
public sealed record FollowUpProgress(string Cycle, int StepsSent, DateTimeOffset? LastStepAt)
{
    public static FollowUpProgress None { get; } = new("", 0, null);
}

/// <summary>A decision with the progress it was made for (serialisable: a Durable activity returns it).</summary>
public sealed record FollowUpPlan(FollowUpProgress Progress, FollowUpDecision Decision);

public enum FollowUpStepOutcome
{
    /// <summary>Stored in the outbox and queued for delivery (or found there from an earlier run of the same step).</summary>
    Written,

    /// <summary>No channel could carry it (<see cref="OutboundRoute"/>): recorded with status skipped and the reason, not sent; the step counts as done.</summary>
    NotSent,

    /// <summary>No longer due when it ran (the lead wrote back, opted out, …): nothing written.</summary>
    Skipped,
}

/// <param name="Progress">The progress after the step (unchanged when skipped).</param>
/// <param name="OutboxId">The step's outbox item, when one was written.</param>
public sealed record FollowUpStepResult(FollowUpStepOutcome Outcome, FollowUpProgress Progress, string Reason, string? OutboxId = null);

/// <summary>
/// The follow-up work both drivers share (the Durable orchestrator through its activities, the store timer sweep
/// directly): read a lead's facts and ask <see cref="FollowUpPlanner"/> what comes next, and write a due step through
/// the compliance gate into the outbox under a key of (client, lead, cycle, step), so a step never lands twice.
/// </summary>
public sealed class FollowUpService(
    IClientStore clients,
    ILeadStore leads,
    IConversationStore conversations,
    IOutboxStore outbox,
    IOptOutLedger optOuts,
    ComplianceGate compliance,
    IOutreachWriter writer,
    IWorkQueue queue,
    IOptions<FollowUpOptions> options,
    ILogger<FollowUpService> logger)
{
    /// <summary>How far back the latest reply is looked for among the lead's newest outbox items (follow-ups and e-mail checks sit between).</summary>
    private const int RecentOutboxItems = 20;

    /// <summary>
    /// How many of the newest messages are read for the lead's last message per channel. A WhatsApp message further
    /// back counts as none: the window is then taken as closed, which only ever makes a template of free text.
    /// </summary>
    private const int RecentMessages = 50;

    public static string IdFor(string clientId, string leadId, string cycle, int step) =>
        Ids.Deterministic("out", clientId, leadId, "follow-up", cycle, step.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static string IdempotencyKeyFor(string leadId, string cycle, int step) => $"follow-up:{leadId}:{cycle}:{step}";

    /// <summary>The standalone sweep's claim on a due timer (FollowUps:ClaimLease).</summary>
    public TimeSpan ClaimLease => options.Value.ClaimLease;

    /// <summary>
    /// The client's own cadence and quiet hours (config API: <c>followUps</c>, <c>quietHours</c>), field by field over
    /// the deployment's FollowUps:* settings.
    /// </summary>
    public (FollowUpCadence Cadence, QuietHours Quiet) RulesFor(Client client)
    {
        var settings = options.Value;
        var cadence = client.Config?.FollowUps?.Cadence is { Count: > 0 } ? new FollowUpCadence(client.Config.FollowUps.CadenceSteps()) : settings.ParsedCadence;
        var quiet = settings.QuietHours;
        if (client.Config?.QuietHours is { } own)
        {
            quiet = new QuietHours(
                own.Start is { } start ? TimeOnly.ParseExact(start, "HH:mm", System.Globalization.CultureInfo.InvariantCulture) : quiet.Start,
                own.End is { } end ? TimeOnly.ParseExact(end, "HH:mm", System.Globalization.CultureInfo.InvariantCulture) : quiet.End,
                own.Weekends ?? quiet.SkipWeekends);
        }

        return (cadence, quiet);
    }

    /// <summary>How many steps the client's cadence has (0 for a client that is gone).</summary>
    public async Task<int> CadenceLengthAsync(string clientId, CancellationToken ct) =>
        await clients.GetAsync(clientId, ct) is { } client ? RulesFor(client).Cadence.Count : 0;

    /// <summary>What comes next for the lead, at <paramref name="now"/>; <paramref name="progress"/> counts only when it is about the current cycle.</summary>
    public async Task<FollowUpPlan> PlanAsync(string clientId, string leadId, FollowUpProgress progress, DateTimeOffset now, CancellationToken ct)
    {
        var read = await ReadAsync(clientId, leadId, progress, ct);
        if (read is null)
        {
            return new(progress, new FollowUpDecision(FollowUpAction.Finish, progress.StepsSent, null, "no_reply"));
        }

        var (cadence, quiet) = RulesFor(read.Client);
        var decision = FollowUpPlanner.Decide(read.Facts, cadence, quiet, now);
        return new(new FollowUpProgress(read.Facts.Cycle, read.Facts.StepsSent, read.Facts.LastStepAt), decision);
    }

    /// <summary>
    /// The plan right after a turn that wrote a reply, from the turn's own lead, conversation and reply (no reads): the
    /// reply starts a new cycle at step 0. Null when the turn wrote no sales reply (a handover, an opt-out confirmation):
    /// then the latest reply is an older one and <see cref="PlanAsync"/> reads it. Messages that arrived during the turn
    /// are not looked for: each queued its own turn, whose plan replaces this one, and <see cref="RunStepAsync"/> decides
    /// again on fresh facts (unanswered messages included) before it writes a step.
    /// </summary>
    public FollowUpPlan? PlanAfterTurn(TurnResult turn, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (turn.Reply is not { Purpose: OutboxPurpose.Reply } reply)
        {
            return null;
        }

        var facts = FactsOf(turn.Client, turn.Lead, turn.Conversation, reply, FollowUpProgress.None, turn.Conversation.LastInboundAt, turn.CheckBackAt);
        var (cadence, quiet) = RulesFor(turn.Client);
        return new(new FollowUpProgress(facts.Cycle, facts.StepsSent, facts.LastStepAt), FollowUpPlanner.Decide(facts, cadence, quiet, now));
    }

    /// <summary>
    /// Runs step <c>progress.StepsSent</c> of <c>progress.Cycle</c> if it is still due at <paramref name="now"/> (decided
    /// again on fresh facts: an opt-out or a message since the plan skips it). Idempotent: a re-run finds the stored item.
    /// </summary>
    public async Task<FollowUpStepResult> RunStepAsync(string clientId, string leadId, FollowUpProgress progress, DateTimeOffset now, CancellationToken ct)
    {
        var read = await ReadAsync(clientId, leadId, progress, ct);
        var step = progress.StepsSent;
        if (read is null || read.Facts.Cycle != progress.Cycle)
        {
            return new(FollowUpStepOutcome.Skipped, progress, "cycle_changed");
        }

        var id = IdFor(clientId, leadId, progress.Cycle, step);
        if (await outbox.GetAsync(clientId, id, ct) is { } done)
        {
            // Written by an earlier run that crashed before recording its progress: the same step, not a second one.
            await EnqueueIfPendingAsync(done, ct);
            return Done(done, progress);
        }

        var (cadence, quiet) = RulesFor(read.Client);
        var decision = FollowUpPlanner.Decide(read.Facts with { StepsSent = step, LastStepAt = progress.LastStepAt }, cadence, quiet, now);
        if (decision.Action != FollowUpAction.Send)
        {
            return new(FollowUpStepOutcome.Skipped, progress, decision.Reason);
        }

        var (client, lead, reply) = (read.Client, read.Lead, read.Reply);
        var route = await RouteAsync(client, lead, reply, read.Messages, now, ct);
        var channel = route.Channel ?? reply.Channel;
        var request = new OutreachRequest(
            clientId,
            client.Name,
            leadId,
            reply.ConversationId,
            lead.AddressedAs,
            lead.Language ?? client.Config?.Language ?? "en",
            channel,
            OutboxPurpose.FollowUp,
            step,
            cadence.Count,
            read.Conversation.State,
            Brain.Rules.GermanAddress.LeadUsesDu(string.Empty, [.. read.Messages.Where(m => m.Direction == MessageDirection.Inbound).Select(m => new Brain.HistoryMessage(true, m.Text, m.Channel, m.CreatedAt))]));

        // A step that goes out as a template, or not at all, is recorded with the rules text: no model is paid for it.
        var rules = RulesOutreachWriter.Write(request);
        var written = route.Template is not null || route.Skipped ? new OutreachText(rules, RulesOutreachWriter.Source) : await writer.WriteAsync(request, ct);
        var input = new ComplianceInput(written.Text, channel, OutboxPurpose.FollowUp, "", [], new[] { lead.Email, lead.Phone, reply.Recipient, route.Recipient }.OfType<string>().ToList(), rules, CompliancePolicy.For(client, firstMessage: false));
        var verdict = compliance.Check(input);
        var (stored, created) = await outbox.AddAsync(
            new OutboxItem
            {
                Id = id,
                ClientId = clientId,
                LeadId = leadId,
                ConversationId = reply.ConversationId,
                Channel = channel,
                Recipient = route.Recipient ?? reply.Recipient,
                // What goes out: the template's name and values when one does (the conversation shows what the lead got).
                Text = route.Template is { } template ? Describe(template) : verdict.Text,
                Template = route.Template,
                IdempotencyKey = IdempotencyKeyFor(leadId, progress.Cycle, step),
                Purpose = OutboxPurpose.FollowUp,
                // An e-mail step stays in the thread of the reply it follows up (a step moved to another channel has none).
                Thread = channel == reply.Channel ? reply.Thread : null,
                Status = route.Skipped ? OutboxStatus.Skipped : OutboxStatus.Pending,
                Error = route.SkipReason,
                CreatedAt = now,
                UpdatedAt = now,
            },
            ct);
        await compliance.RecordAsync(stored, input, verdict, written.Source, now, ct);
        if (!IsNotSent(stored))
        {
            var stepNumber = (step + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await conversations.AddOutboundAsync(Message.OutboundCopyOf(stored, new Dictionary<string, string> { ["followUpStep"] = stepNumber }), ct);
        }

        await EnqueueIfPendingAsync(stored, ct);
        logger.LogInformation("Follow-up step {Step} of cycle {Cycle} for lead {LeadId}: {Status} on {Channel}{Created}", step + 1, progress.Cycle, leadId, stored.Status, stored.Channel.ToWire(), created ? "" : " (already stored)");
        return Done(stored, progress);
    }

    /// <summary>
    /// The step's channel: the conversation's (the unanswered reply's), else SMS, else e-mail (issue 12: "the next
    /// channel the lead has"), chosen by <see cref="OutboundRoute.Choose"/> with the lead's last message per channel
    /// (among the conversation's recent <paramref name="messages"/>, read once with the facts).
    /// </summary>
    private async Task<OutboundRoute> RouteAsync(Client client, Lead lead, OutboxItem reply, IReadOnlyList<Message> messages, DateTimeOffset now, CancellationToken ct)
    {
        var identities = await leads.ListIdentitiesAsync(client.Id, lead.Id, ct);
        var lastInbound = messages
            .Where(m => m.Direction == MessageDirection.Inbound && !m.IsUntrusted())
            .GroupBy(m => m.Channel)
            .Select(g => g.MaxBy(m => m.CreatedAt)!)
            .ToDictionary(m => m.Channel, m => new LastInbound(m.CreatedAt, m.Metadata.GetValueOrDefault("from")));
        return OutboundRoute.Choose(lead, identities, client, TemplatePurpose.FollowUp, [reply.Channel, ChannelKind.Sms, ChannelKind.Email], lastInbound, now);
    }

    private static string Describe(TemplateMessage template) =>
        $"[WhatsApp template {template.Name} ({template.Language}): {string.Join(" | ", template.BodyParameters)}]";

    /// <summary>Recorded but not sent: skipped for want of a channel, or (items of older versions) waiting for a template.</summary>
    private static bool IsNotSent(OutboxItem item) => item.Status is OutboxStatus.Skipped or OutboxStatus.NeedsTemplate;

    private static FollowUpStepResult Done(OutboxItem stored, FollowUpProgress progress) =>
        new(
            IsNotSent(stored) ? FollowUpStepOutcome.NotSent : FollowUpStepOutcome.Written,
            // The stored item's time, not this run's: a re-run reports the same progress as the first.
            progress with { StepsSent = progress.StepsSent + 1, LastStepAt = stored.CreatedAt },
            stored.Status,
            stored.Id);

    private Task EnqueueIfPendingAsync(OutboxItem item, CancellationToken ct) =>
        item.Status == OutboxStatus.Pending
            ? queue.EnqueueAsync(Queues.Deliver, DeliverWork.Serialize(new DeliverWork(item.ClientId, item.Id)), TimeSpan.Zero, DeliverWork.CoalesceKey(item.Id), ct)
            : Task.CompletedTask;

    /// <param name="Messages">The conversation's newest messages (<see cref="RecentMessages"/>), oldest first.</param>
    private sealed record LeadFacts(Client Client, Lead Lead, Conversation Conversation, OutboxItem Reply, IReadOnlyList<Message> Messages, FollowUpFacts Facts);

    private async Task<LeadFacts?> ReadAsync(string clientId, string leadId, FollowUpProgress progress, CancellationToken ct)
    {
        var client = await clients.GetAsync(clientId, ct);
        var lead = await leads.GetAsync(clientId, leadId, ct);
        var conversation = await conversations.FindForLeadAsync(clientId, leadId, ct);
        if (client is null || lead is null || conversation is null)
        {
            return null;
        }

        var recent = await outbox.ListPageAsync(clientId, leadId, null, null, RecentOutboxItems, ct);
        // A cycle starts with a reply the lead did not answer, or with a first contact (speed to lead) they did not answer.
        var reply = recent.Items.FirstOrDefault(i => i.Purpose is OutboxPurpose.Reply or OutboxPurpose.FirstContact);
        if (reply is null)
        {
            return null;
        }

        // A message the next turn has not answered yet counts as the lead writing back (LastInboundAt moves only in the turn).
        var waiting = await conversations.ListInboundAfterAsync(clientId, conversation.Id, conversation.AnsweredThroughSeq, ct);
        var leadWroteAt = waiting.Where(m => !m.IsUntrusted()).Select(m => (DateTimeOffset?)m.CreatedAt).Append(conversation.LastInboundAt).Max();
        // The ledger's word counts too: the same person may have opted out as another lead, or before an erasure.
        if (!lead.OptedOut)
        {
            var identities = await leads.ListIdentitiesAsync(clientId, leadId, ct);
            var addresses = new[] { lead.Phone, lead.Email, reply.Recipient }.OfType<string>().Concat(identities.Select(i => i.Value));
            lead = (await optOuts.FindAsync(clientId, addresses, ct)).Any(e => e.OptedOut) ? lead with { OptedOut = true } : lead;
        }

        var messages = await conversations.ListMessagesAsync(clientId, reply.ConversationId, RecentMessages, ct);
        var facts = FactsOf(client, lead, conversation, reply, progress, leadWroteAt, CheckBackAt(reply, messages));
        return new(client, lead, conversation, reply, messages, facts);
    }

    /// <summary>
    /// The time SalesFlow promised to write again (<see cref="CheckBack.Promised"/>), on the reply or a message before it,
    /// when it is still after the reply: the cycle's first step waits until then.
    /// </summary>
    private static DateTimeOffset? CheckBackAt(OutboxItem reply, IReadOnlyList<Message> messages)
    {
        var copy = messages.ToList().FindIndex(m => m.Id == reply.Id);
        return CheckBack.Promised(copy >= 0 ? messages.Take(copy + 1) : messages.Where(m => m.CreatedAt <= reply.CreatedAt), reply.CreatedAt);
    }

    private static FollowUpFacts FactsOf(Client client, Lead lead, Conversation conversation, OutboxItem reply, FollowUpProgress progress, DateTimeOffset? leadWroteAt, DateTimeOffset? checkBackAt)
    {
        var sameCycle = progress.Cycle == reply.Id;
        return new FollowUpFacts(
            reply.Id,
            reply.CreatedAt,
            sameCycle ? progress.StepsSent : 0,
            sameCycle ? progress.LastStepAt : null,
            leadWroteAt,
            lead.OptedOut,
            lead.Escalated,
            Won: conversation.State == ConversationState.PostPurchase,
            LeadTimeZone.For(lead, client),
            checkBackAt,
            Brain.Rules.ReplyTemplates.ClosesTheConversation(reply.Text));
    }
}
