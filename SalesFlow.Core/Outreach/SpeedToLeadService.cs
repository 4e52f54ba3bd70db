using System.Globalization;
using Microsoft.Extensions.Logging;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Queue;

namespace SalesFlow.Core.Outreach;

/// <summary>A lead as a web form, an ad platform or a CRM import hands it over (POST /api/leads, one CSV row).</summary>
public sealed record LeadSubmission(string? Name, string? Phone, string? Email, ContactConsent Consent, string? Source = null, string? Interest = null, string? Message = null);

/// <summary>A bad field of a submission: its name as the API spells it, and why.</summary>
public sealed record SubmissionError(string Field, string Message);

public enum FirstContactOutcome
{
    /// <summary>The first message is in the outbox, queued for delivery (at once, or when the quiet hours end).</summary>
    Queued,

    /// <summary>The lead got a first contact less than 24 hours ago: the same lead, no second greeting.</summary>
    Repeat,

    /// <summary>The lead opted out earlier: found, nothing sent.</summary>
    OptedOut,
}

/// <param name="SendAt">When delivery is due: now, or the end of the lead's quiet hours.</param>
public sealed record FirstContactResult(
    FirstContactOutcome Outcome,
    string LeadId,
    string ConversationId,
    bool LeadCreated,
    ChannelKind? Channel,
    string? OutboxId,
    DateTimeOffset? SendAt);

/// <summary>
/// Speed to lead: a submitted lead is created or found with the same identity stitching as inbound messages (phone,
/// then e-mail), its conversation started, and a personalised first message written (rules brain or LLM, through the
/// compliance gate) into the outbox for the best consented channel (<see cref="FirstContactChannel"/>), queued for
/// delivery at once, or when the lead's quiet hours end (a first contact is not a reply). Then the follow-up cadence
/// starts as after a reply. Idempotent per lead and 24-hour window: a repeat within 24 hours gets the same lead and no
/// second greeting (the outbox key is the lead and the window since the lead was created, so concurrent repeats
/// collapse into one item; a greeting younger than 24 hours in an earlier window also counts).
/// </summary>
public sealed class SpeedToLeadService(
    ILeadStore leads,
    IConversationStore conversations,
    IOutboxStore outbox,
    Reach.IOptOutLedger optOuts,
    ComplianceGate compliance,
    IOutreachWriter writer,
    RulesOutreachWriter rules,
    FollowUpService followUps,
    ILeadConversationSignals signals,
    IWorkQueue queue,
    Qualification.LeadScoreRefresher scores,
    TimeProvider clock,
    ILogger<SpeedToLeadService> logger)
{
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromHours(24);
    public const int MaxNameLength = 200;
    public const int MaxInterestLength = 200;
    public const int MaxSourceLength = 100;
    public const int MaxMessageLength = 2000;

    /// <summary>The submission with its phone in E.164 and its address normalised, or the first bad field.</summary>
    public static (LeadSubmission? Valid, SubmissionError? Error) Validate(Client client, LeadSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(submission);
        var name = submission.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return (null, new("name", "name is required: the lead's name, as the first message greets them by it."));
        }

        if (OneLineError("name", name, MaxNameLength) is { } nameError)
        {
            return (null, nameError);
        }

        string? phone = null;
        if (!string.IsNullOrWhiteSpace(submission.Phone))
        {
            phone = ContactAddresses.NormalizePhone(submission.Phone, client.DefaultCountryCode);
            if (phone is null)
            {
                return (null, new("phone", $"'{submission.Phone}' is not a valid phone number (E.164, e.g. +491701234567, or a national number of the client's country)."));
            }
        }

        string? email = null;
        if (!string.IsNullOrWhiteSpace(submission.Email))
        {
            email = ContactAddresses.NormalizeEmail(submission.Email);
            if (email is null)
            {
                return (null, new("email", $"'{submission.Email}' is not a valid e-mail address."));
            }
        }

        if (phone is null && email is null)
        {
            return (null, new("phone", "phone or email is required: a lead needs an address to be reached on."));
        }

        var error = OneLineError("source", submission.Source, MaxSourceLength)
            ?? OneLineError("interest", submission.Interest, MaxInterestLength)
            ?? (submission.Message is { Length: > MaxMessageLength } ? new SubmissionError("message", $"message is at most {MaxMessageLength} characters.") : null);
        return error is not null
            ? (null, error)
            : (submission with { Name = name, Phone = phone, Email = email, Source = Blank(submission.Source), Interest = Blank(submission.Interest), Message = Blank(submission.Message) }, null);
    }

    /// <summary>Where the first message of a valid submission would go; null when no consented channel can reach the lead.</summary>
    public static FirstContactRoute? RouteFor(Client client, LeadSubmission valid) =>
        FirstContactChannel.Choose(valid.Consent, valid.Phone, valid.Email, client, valid.Name);

    /// <summary>Why no channel fits, naming what is missing (422 naming consent).</summary>
    public static string NoRouteReason(Client client, LeadSubmission valid) =>
        FirstContactChannel.WhyNone(valid.Consent, valid.Phone, valid.Email, client, valid.Name);

    /// <summary>Creates or finds the lead and queues its first contact; <paramref name="valid"/> passed <see cref="Validate"/> and has a route.</summary>
    public async Task<FirstContactResult> AcceptAsync(Client client, LeadSubmission valid, FirstContactRoute route, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(valid);
        ArgumentNullException.ThrowIfNull(route);
        var now = clock.GetUtcNow();
        var (kind, address) = valid.Phone is { } phone ? (IdentityKind.Phone, phone) : (IdentityKind.Email, valid.Email!);
        var (lead, created) = await leads.GetOrCreateByIdentityAsync(client.Id, kind, address, () => new Lead
        {
            Id = Ids.New("lead"),
            ClientId = client.Id,
            Name = valid.Name,
            Phone = valid.Phone,
            Email = valid.Email,
            CreatedAt = now,
            UpdatedAt = now,
        }, ct);
        if (kind == IdentityKind.Phone && valid.Email is { } email
            && await leads.LinkIdentityAsync(client.Id, IdentityKind.Email, email, lead.Id, ct) is var owner && owner != lead.Id)
        {
            // The address belongs to another lead already: stitching never moves an identity (a rep merges leads).
            logger.LogInformation("Submitted e-mail of lead {LeadId} already belongs to lead {OwnerId}; not linked", lead.Id, owner);
        }

        var conversation = created
            ? await conversations.CreateForNewLeadAsync(client.Id, lead.Id, route.Channel, now, ct)
            : await conversations.GetOrCreateForLeadAsync(client.Id, lead.Id, route.Channel, now, ct);
        if (created)
        {
            // The team's lead list shows a lead from its first score: a submitted lead has one before its first turn.
            await scores.RefreshAfterTurnAsync(lead, conversation, null, [], ct);
        }

        // The ledger's word counts too: the same person may have said STOP as another lead, or before an erasure.
        if (lead.OptedOut || (await optOuts.FindAsync(client.Id, new[] { valid.Phone, valid.Email, lead.Phone, lead.Email }.OfType<string>().Distinct().ToList(), ct)).Any(e => e.OptedOut))
        {
            logger.LogInformation("Lead {LeadId} submitted again but opted out earlier: no first contact", lead.Id);
            return new(FirstContactOutcome.OptedOut, lead.Id, conversation.Id, created, null, null, null);
        }

        var window = (long)Math.Floor((now - lead.CreatedAt) / RepeatWindow);
        var id = IdFor(client.Id, lead.Id, window);
        if ((await outbox.GetAsync(client.Id, id, ct) ?? await RecentFirstContactAsync(client.Id, lead.Id, now, ct)) is { } earlier)
        {
            // A repeat (or a retry after a crash): make sure the earlier greeting is on its way, write no second one.
            await EnqueueAsync(earlier, now, ct);
            return new(FirstContactOutcome.Repeat, lead.Id, conversation.Id, created, earlier.Channel, earlier.Id, earlier.CreatedAt);
        }

        var (_, quiet) = followUps.RulesFor(client);
        var sendAt = Reach.LeadTimeZone.NextSendableAt(lead with { Phone = valid.Phone ?? lead.Phone }, client, quiet, now);
        var request = new OutreachRequest(
            client.Id,
            client.Name,
            lead.Id,
            conversation.Id,
            lead.AddressedAs ?? PersonName.AddressOf(valid.Name) ?? "",
            lead.Language ?? client.Config?.Language ?? "en",
            route.Channel,
            OutboxPurpose.FirstContact,
            Step: 0,
            Steps: 1,
            conversation.State,
            Du: false, // a first contact: the form's words are too few to tell (and the form itself is formal)
            valid.Interest,
            valid.Message);

        // A template goes out instead of the text (outside the 24-hour window): no model is paid to write what is not sent.
        var written = route.Template is null ? await writer.WriteAsync(request, ct) : await rules.WriteAsync(request, ct);
        var fallback = RulesOutreachWriter.Write(request);
        // What the lead wrote on the form is theirs to repeat (a number in "10 kWp system" is not an invented figure).
        var leadText = string.Join('\n', new[] { valid.Interest, valid.Message }.OfType<string>());
        var input = new ComplianceInput(written.Text, route.Channel, OutboxPurpose.FirstContact, leadText, [], new[] { lead.Email, lead.Phone, route.Recipient }.OfType<string>().ToList(), fallback, CompliancePolicy.For(client, firstMessage: true));
        var verdict = compliance.Check(input);
        var (stored, added) = await outbox.AddAsync(
            new OutboxItem
            {
                Id = id,
                ClientId = client.Id,
                LeadId = lead.Id,
                ConversationId = conversation.Id,
                Channel = route.Channel,
                Recipient = route.Recipient,
                Text = verdict.Text,
                IdempotencyKey = IdempotencyKeyFor(lead.Id, window),
                Purpose = OutboxPurpose.FirstContact,
                Template = route.Template,
                Thread = route.Channel == ChannelKind.Email ? new EmailThread(SubjectFor(client, request.Language), null, []) : null,
                // Dated when it may go: the outbox sweep re-dispatches items unchanged for a minute, and a first contact
                // held by quiet hours must not be swept out early; the follow-up cadence counts from it too.
                CreatedAt = sendAt,
                UpdatedAt = sendAt,
            },
            ct);
        await compliance.RecordAsync(stored, input, verdict, written.Source, now, ct);
        var metadata = new Dictionary<string, string> { ["acceptedAt"] = now.ToString("O", CultureInfo.InvariantCulture), ["source"] = written.Source };
        AddIf(metadata, "leadSource", valid.Source);
        AddIf(metadata, "interest", valid.Interest);
        AddIf(metadata, "formMessage", valid.Message);
        await conversations.AddOutboundAsync(Message.OutboundCopyOf(stored, metadata), ct);
        await EnqueueAsync(stored, now, ct);

        // The cadence starts from the first contact as from a reply: the driver reads it from the stores.
        await signals.TurnCompletedAsync(client.Id, lead.Id, null, ct);
        logger.LogInformation(
            "First contact {OutboxId} for lead {LeadId} ({New}) on {Channel}, due {SendAt:O}{Added}",
            stored.Id,
            lead.Id,
            created ? "new" : "found",
            route.Channel.ToWire(),
            sendAt,
            added ? "" : " (already stored)");
        return new(FirstContactOutcome.Queued, lead.Id, conversation.Id, created, stored.Channel, stored.Id, stored.CreatedAt);
    }

    public static string IdFor(string clientId, string leadId, long window) =>
        Ids.Deterministic("out", clientId, leadId, "first-contact", window.ToString(CultureInfo.InvariantCulture));

    public static string IdempotencyKeyFor(string leadId, long window) => $"first-contact:{leadId}:{window.ToString(CultureInfo.InvariantCulture)}";

    private static string SubjectFor(Client client, string language) =>
        RulesOutreachWriter.IsGerman(language) ? $"Ihre Anfrage bei {client.Name}" : $"Your enquiry at {client.Name}";

    private async Task<OutboxItem?> RecentFirstContactAsync(string clientId, string leadId, DateTimeOffset now, CancellationToken ct)
    {
        var recent = await outbox.ListPageAsync(clientId, leadId, null, null, 20, ct);
        return recent.Items.FirstOrDefault(i => i.Purpose == OutboxPurpose.FirstContact && i.CreatedAt > now - RepeatWindow);
    }

    private Task EnqueueAsync(OutboxItem item, DateTimeOffset now, CancellationToken ct)
    {
        if (item.Status != OutboxStatus.Pending)
        {
            return Task.CompletedTask;
        }

        var delay = item.CreatedAt > now ? item.CreatedAt - now : TimeSpan.Zero;
        return queue.EnqueueAsync(Queues.Deliver, DeliverWork.Serialize(new DeliverWork(item.ClientId, item.Id)), delay, DeliverWork.CoalesceKey(item.Id), ct);
    }

    private static SubmissionError? OneLineError(string field, string? value, int max) =>
        value is null ? null
        : value.Length > max ? new(field, $"{field} is at most {max} characters.")
        : value.Any(char.IsControl) ? new(field, $"{field} must be one line of text (no control characters).")
        : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void AddIf(Dictionary<string, string> metadata, string key, string? value)
    {
        if (value is not null)
        {
            metadata[key] = value;
        }
    }
}
