using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Queue;

namespace SalesFlow.Core.Conversations;

/// <summary>
/// A turn's reply on its way out: written by the brain (streamed when asked), passed through the compliance filter,
/// stored in the outbox and the conversation under an id derived from the message it answers (a re-run turn finds
/// the reply it already wrote), and queued for delivery.
/// </summary>
public sealed class ReplyWriter(IReplyGenerator replies, ComplianceGate compliance, IOutboxStore outbox, IConversationStore conversations, IWorkQueue queue)
{
    /// <summary>The id the reply to a message gets (whichever turn answers it).</summary>
    public static string IdFor(string clientId, string messageId) => Ids.Deterministic("out", clientId, messageId);

    /// <summary>Null when this turn must stay silent: the lead is opted out (and did not just opt out), or a human has taken over.</summary>
    /// <param name="lead">The lead as this turn left it.</param>
    /// <param name="wasEscalated">Whether a human had taken over before this turn.</param>
    /// <param name="consent">What this turn did to the lead's consent: a change is confirmed once, a repeated STOP is not.</param>
    public static string? PurposeOf(Lead lead, bool wasEscalated, ConsentChange consent)
    {
        if (consent == ConsentChange.OptedOut)
        {
            return OutboxPurpose.OptOutConfirmation;
        }

        if (consent == ConsentChange.OptedIn)
        {
            return OutboxPurpose.OptInConfirmation;
        }

        if (lead.OptedOut || wasEscalated)
        {
            return null;
        }

        // Escalated in this very turn: the lead is told a person takes over; afterwards silence.
        return lead.Escalated ? OutboxPurpose.Handover : OutboxPurpose.Reply;
    }

    /// <summary>
    /// Stores a fixed text SalesFlow writes itself (not the brain), such as the opt-in confirmation, through the
    /// compliance filter, under the same id and key a brain reply to <paramref name="answered"/> would get.
    /// </summary>
    /// <param name="metadata">Kept on the reply's copy in the conversation (a promised check-back time); null for none.</param>
    /// <param name="knowledge">The passages the text quotes (product answers beside meeting times), which the compliance filter checks figures against.</param>
    public async Task<(OutboxItem Reply, ComplianceResult Verdict)> WriteFixedAsync(Lead lead, Message answered, string purpose, string text, string clientName, IReadOnlyList<string> knowledge, IReadOnlyDictionary<string, string>? metadata, CompliancePolicy policy, DateTimeOffset now, CancellationToken ct)
    {
        var german = string.Equals(lead.Language, "de", StringComparison.OrdinalIgnoreCase);
        text = answered.Channel.IsShortForm() ? text : ReplyText.AsEmail(text, PersonName.SalutationOf(lead.Name, german), clientName, german);
        var input = new ComplianceInput(text, answered.Channel, purpose, answered.Text, knowledge, ContactsOf(lead, answered), text, policy);
        var verdict = compliance.Check(input);
        var reply = await StoreAsync(lead, answered, verdict.Text, purpose, metadata, now, ct);
        await compliance.RecordAsync(reply, input, verdict, "rules", now, ct);
        return (reply, verdict);
    }

    /// <summary>Writes, vets and stores the reply to <paramref name="answered"/>, the newest message the turn read.</summary>
    /// <param name="onToken">Gets the reply's tokens as they are written; null writes it whole.</param>
    /// <param name="metadata">Kept on the reply's copy in the conversation (a support case); null for none.</param>
    public async Task<(OutboxItem Reply, ComplianceResult Verdict)> WriteAsync(ReplyRequest request, Lead lead, Message answered, string purpose, IReadOnlyDictionary<string, string>? metadata, CompliancePolicy policy, ReplyTokenSink? onToken, DateTimeOffset now, CancellationToken ct)
    {
        // The rules brain is deterministic: its reply is both the safe fallback and the test of who wrote this one.
        var vetted = RulesReplyGenerator.Generate(request);
        var input = new ComplianceInput("", answered.Channel, purpose, request.LeadText, request.Knowledge ?? [], ContactsOf(lead, answered), vetted, policy);
        var written = onToken is null ? await replies.GenerateAsync(request, ct) : await StreamAsync(request, input, onToken, ct);
        input = input with { Text = written };
        var verdict = compliance.Check(input);
        var reply = await StoreAsync(lead, answered, verdict.Text, purpose, metadata, now, ct);
        await compliance.RecordAsync(reply, input, verdict, written == vetted ? "rules" : "llm", now, ct);
        return (reply, verdict);
    }

    /// <summary>Queues the lead's pending replies; also completes a turn that committed but crashed before queueing its delivery.</summary>
    public async Task EnqueuePendingDeliveriesAsync(string clientId, string leadId, CancellationToken ct)
    {
        foreach (var item in await outbox.ListAsync(clientId, leadId, OutboxStatus.Pending, 50, ct))
        {
            await queue.EnqueueAsync(Queues.Deliver, DeliverWork.Serialize(new DeliverWork(clientId, item.Id)), TimeSpan.Zero, DeliverWork.CoalesceKey(item.Id), ct);
        }
    }

    /// <summary>Streamed tokens pass the compliance filter a sentence at a time before they reach <paramref name="onToken"/> (a streamed leak is a leak).</summary>
    private Task<string> StreamAsync(ReplyRequest request, ComplianceInput input, ReplyTokenSink onToken, CancellationToken ct) =>
        ReplyStreaming.ForwardTokensAsync(compliance.HoldBack(replies.StreamAsync(request, ct), input, ct), (token, c) => onToken(token, c), ct);

    /// <summary>The lead's own addresses: the compliance filter lets a reply repeat these, and no others.</summary>
    private static List<string> ContactsOf(Lead lead, Message answered)
    {
        List<string> contacts = [.. new[] { lead.Email, lead.Phone }.OfType<string>()];
        if (answered.Metadata.TryGetValue("from", out var from))
        {
            contacts.Add(from);
        }

        return contacts;
    }

    private async Task<OutboxItem> StoreAsync(Lead lead, Message answered, string text, string purpose, IReadOnlyDictionary<string, string>? metadata, DateTimeOffset now, CancellationToken ct)
    {
        var recipient = answered.Metadata.TryGetValue("from", out var from) ? from : lead.Phone ?? lead.Email ?? lead.Id;
        var (item, created) = await outbox.AddAsync(
            new OutboxItem
            {
                Id = IdFor(lead.ClientId, answered.Id),
                ClientId = lead.ClientId,
                LeadId = lead.Id,
                ConversationId = answered.ConversationId,
                Channel = answered.Channel,
                Recipient = recipient,
                Text = text,
                IdempotencyKey = $"reply:{answered.Id}",
                Purpose = purpose,
                Thread = answered.Channel == ChannelKind.Email ? EmailThreading.ReplyTo(answered) : null,
                CreatedAt = now,
                UpdatedAt = now,
            },
            ct);
        // The conversation's copy has the outbox item's id and is written only after it: a reply created just now has
        // none yet (a re-run that finds its reply stored checks first).
        var copy = Message.OutboundCopyOf(item, metadata);
        await (created ? conversations.AddNewOutboundAsync(copy, ct) : conversations.AddOutboundAsync(copy, ct));
        return item;
    }
}
