using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Core.Leads;

/// <summary>What a turn's messages did to the lead's e-mail address.</summary>
/// <param name="Verified">The address a code in this turn proved, if any.</param>
/// <param name="ConfirmationSentTo">The address typed in chat this turn whose confirmation e-mail is out (a new or still open claim).</param>
public sealed record EmailTurn(string? Verified, string? ConfirmationSentTo)
{
    public static readonly EmailTurn None = new(null, null);
}

/// <summary>What opening a confirmation link did.</summary>
public enum EmailLinkOutcome
{
    Verified,

    /// <summary>No claim of this client carries the token.</summary>
    NotFound,

    /// <summary>Used already, expired, or out of attempts: a link works once, within its lifetime.</summary>
    Gone,

    /// <summary>Another lead owns the address meanwhile: nothing linked, a rep decides.</summary>
    Conflict,
}

/// <summary>
/// Turns an e-mail address a lead typed in chat into the lead's e-mail channel only once the address proves it. Anyone
/// can type anyone's address, and the address routes the owner's authenticated e-mail, so the typed address is a claim
/// (<see cref="EmailClaim"/>): SalesFlow sends a confirmation e-mail (through the outbox, once per claim) with a code the
/// lead returns in chat and a link; either links the identity. An address another lead owns is never linked: the claim
/// is marked as a conflict for a rep, who can merge the two leads.
/// </summary>
/// <param name="linkBase">The app's public base URL for the link; without one the e-mail carries the link's path.</param>
public sealed partial class EmailVerification(ILeadStore leads, IOutboxStore outbox, string? linkBase, ILogger<EmailVerification> logger)
{
    /// <summary>Candidate codes read from one turn: a brute force gets a handful of guesses per turn, and five turns per claim.</summary>
    private const int MaxCodesPerTurn = 3;
    private const int MaxAttempts = 5;

    /// <summary>
    /// One turn's part: codes the lead returned on any channel verify their claim (the address verified this turn is
    /// returned, for the lead's record), and a new address the lead wrote in chat becomes a claim with its confirmation
    /// e-mail. Addresses in an e-mail's body are not read as claims: its sender is proved by its own channel, and the
    /// body's addresses are mostly other people's (signatures, colleagues in copy).
    /// </summary>
    public async Task<EmailTurn> HandleTurnAsync(string clientName, Lead lead, string conversationId, IReadOnlyList<Conversations.Message> messages, DateTimeOffset now, CancellationToken ct)
    {
        var verified = await VerifyCodesAsync(lead, messages.Select(m => m.Text).ToList(), now, ct);
        var chat = messages.Where(m => m.Channel != ChannelKind.Email).Select(m => ContactAddresses.FindEmailIn(m.Text));
        if (chat.FirstOrDefault(e => e is not null) is { } address && address != verified)
        {
            var claim = await ClaimAsync(clientName, lead, conversationId, address, now, ct);
            return new(verified, claim is { Status: EmailClaimStatus.Pending } ? claim.Address : null);
        }

        return new(verified, null);
    }

    /// <summary>Records the claim and writes its confirmation e-mail; a repeated address while its claim is open changes nothing.</summary>
    public async Task<EmailClaim?> ClaimAsync(string clientName, Lead lead, string conversationId, string address, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryClaimAsync(clientName, lead, conversationId, address, now, ct);
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // Another turn or a link wrote the claim meanwhile: decide again on what it holds now.
            }
        }
    }

    private async Task<EmailClaim?> TryClaimAsync(string clientName, Lead lead, string conversationId, string address, DateTimeOffset now, CancellationToken ct)
    {
        var owner = await leads.FindIdentityOwnerAsync(lead.ClientId, IdentityKind.Email, address, ct);
        if (owner == lead.Id)
        {
            return null; // already the lead's own address
        }

        var existing = await leads.GetEmailClaimAsync(lead.ClientId, lead.Id, address, ct);
        if (owner is not null)
        {
            if (existing is { Status: EmailClaimStatus.Conflict } && existing.ConflictLeadId == owner)
            {
                return existing;
            }

            logger.LogWarning("Lead {LeadId} claims an e-mail address lead {OwnerId} already owns; not linked, a rep can merge the two leads", lead.Id, owner);
            return await leads.SaveEmailClaimAsync((existing ?? NewClaim(lead, address, now)) with { Status = EmailClaimStatus.Conflict, ConflictLeadId = owner }, ct);
        }

        if (existing is not null && (existing.IsOpen(now) || existing.Status == EmailClaimStatus.Verified))
        {
            // Open: the same claim and e-mail (the outbox's idempotency key makes a re-run turn write it at most once).
            return existing.Status == EmailClaimStatus.Verified ? existing : await SendAsync(clientName, existing, conversationId, ct);
        }

        var claim = await leads.SaveEmailClaimAsync(NewClaim(lead, address, now) with { ETag = existing?.ETag ?? "" }, ct);
        logger.LogInformation("Lead {LeadId} gave an e-mail address in chat; confirmation e-mail {ClaimId} written", lead.Id, claim.Id);
        return await SendAsync(clientName, claim, conversationId, ct);
    }

    private async Task<EmailClaim> SendAsync(string clientName, EmailClaim claim, string conversationId, CancellationToken ct)
    {
        await outbox.AddAsync(
            new OutboxItem
            {
                Id = Ids.Deterministic("out", claim.ClientId, "email-verification", claim.Id),
                ClientId = claim.ClientId,
                LeadId = claim.LeadId,
                ConversationId = conversationId,
                Channel = ChannelKind.Email,
                Recipient = claim.Address,
                Text = ConfirmationText(clientName, claim),
                IdempotencyKey = $"email-verification:{claim.Id}",
                Purpose = OutboxPurpose.EmailVerification,
                CreatedAt = claim.CreatedAt,
                UpdatedAt = claim.CreatedAt,
            },
            ct);
        return claim;
    }

    /// <summary>The path of a claim's link; the public route answers it (<see cref="VerifyLinkAsync"/>).</summary>
    public static string LinkPath(string clientId, string token) => $"/api/verify/email/{Uri.EscapeDataString(clientId)}/{token}";

    private string ConfirmationText(string clientName, EmailClaim claim) =>
        $"""
        Hello,

        this address was given in a conversation with {clientName}. If that was you, please confirm it: reply in that chat with the code {claim.Code}, or open this link:
        {(linkBase ?? "").TrimEnd('/')}{LinkPath(claim.ClientId, claim.Token)}

        The code and the link work once, for {EmailClaim.Lifetime.TotalHours:0} hours. If it was not you, ignore this e-mail: nothing is linked to your address without it.
        """;

    /// <summary>
    /// The codes the lead sent back: a matching open claim is verified (a wrong code costs every open claim of the
    /// lead one attempt); a code already used returns its address again, so a re-run turn sees the same result.
    /// Only a message that is essentially a code counts (<see cref="CodeReply"/>): a budget or an order number in a
    /// sentence is not a guess and must not burn the lead's attempts.
    /// </summary>
    public async Task<string?> VerifyCodesAsync(Lead lead, IReadOnlyList<string> texts, DateTimeOffset now, CancellationToken ct)
    {
        var codes = texts.Select(CodeReply).OfType<string>().Distinct().Take(MaxCodesPerTurn).ToList();
        if (codes.Count == 0)
        {
            return null;
        }

        var claims = await leads.ListEmailClaimsAsync(lead.ClientId, lead.Id, ct);
        if (claims.FirstOrDefault(c => (c.IsOpen(now) || c.Status == EmailClaimStatus.Verified) && codes.Contains(c.Code)) is { } match)
        {
            return match.Status == EmailClaimStatus.Verified ? match.Address : await CompleteAsync(match, now, ct);
        }

        foreach (var open in claims.Where(c => c.IsOpen(now)))
        {
            try
            {
                await leads.SaveEmailClaimAsync(open with { Attempts = open.Attempts + 1 }, ct);
            }
            catch (ConcurrencyException)
            {
                // Written meanwhile (verified or counted by another turn): that write stands.
            }
        }

        return null;
    }

    /// <summary>The public link: verifies the claim its token names, within the client only, once.</summary>
    public async Task<(EmailLinkOutcome Outcome, string? Address)> VerifyLinkAsync(string clientId, string token, DateTimeOffset now, CancellationToken ct)
    {
        var claim = token.Length is < 20 or > 100 ? null : await leads.FindEmailClaimByTokenAsync(clientId, token, ct);
        if (claim is null)
        {
            return (EmailLinkOutcome.NotFound, null);
        }

        if (!claim.IsOpen(now))
        {
            return (claim.Status == EmailClaimStatus.Conflict ? EmailLinkOutcome.Conflict : EmailLinkOutcome.Gone, null);
        }

        try
        {
            if (await CompleteAsync(claim, now, ct) is not { } address)
            {
                return (EmailLinkOutcome.Conflict, null);
            }

            await SetLeadEmailAsync(clientId, claim.LeadId, address, now, ct);
            return (EmailLinkOutcome.Verified, address);
        }
        catch (ConcurrencyException)
        {
            return (EmailLinkOutcome.Gone, null); // a second opening of the same link raced this one and won
        }
    }

    /// <summary>Links the address to the claim's lead unless another lead owns it; the claim records which.</summary>
    private async Task<string?> CompleteAsync(EmailClaim claim, DateTimeOffset now, CancellationToken ct)
    {
        var owner = await leads.LinkIdentityAsync(claim.ClientId, IdentityKind.Email, claim.Address, claim.LeadId, ct);
        if (owner != claim.LeadId)
        {
            logger.LogWarning("Lead {LeadId} proved an e-mail address lead {OwnerId} already owns; not linked, a rep can merge the two leads", claim.LeadId, owner);
            await leads.SaveEmailClaimAsync(claim with { Status = EmailClaimStatus.Conflict, ConflictLeadId = owner }, ct);
            return null;
        }

        await leads.SaveEmailClaimAsync(claim with { Status = EmailClaimStatus.Verified, VerifiedAt = now }, ct);
        logger.LogInformation("Lead {LeadId} verified the e-mail address of claim {ClaimId}", claim.LeadId, claim.Id);
        return claim.Address;
    }

    private async Task SetLeadEmailAsync(string clientId, string leadId, string address, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var lead = await leads.GetAsync(clientId, leadId, ct);
            if (lead is null || lead.Email == address)
            {
                return;
            }

            try
            {
                await leads.ReplaceAsync(lead with { Email = address, UpdatedAt = now }, ct);
                return;
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // A turn wrote the lead meanwhile: read it again.
            }
        }
    }

    private static EmailClaim NewClaim(Lead lead, string address, DateTimeOffset now) => new()
    {
        ClientId = lead.ClientId,
        LeadId = lead.Id,
        Address = address,
        Id = Ids.New("claim"),
        Code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture),
        Token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)),
        CreatedAt = now,
        ExpiresAt = now + EmailClaim.Lifetime,
    };

    /// <summary>
    /// The code of a message that is essentially a code: exactly one six-digit group and, around it, only the few
    /// words people put around a code ("ok, my code is 123 456", "Mein Code lautet 123456, danke"). Anything else
    /// (a sentence that happens to hold a six-digit number, several numbers) is not read as a code.
    /// </summary>
    public static string? CodeReply(string text)
    {
        var matches = CodePattern().Matches(text);
        if (matches.Count != 1)
        {
            return null;
        }

        var rest = text.Remove(matches[0].Index, matches[0].Length);
        var words = WordPattern().Matches(rest).Select(w => w.Value.ToLowerInvariant());
        return words.All(CodeFillerWords.Contains) ? matches[0].Groups[1].Value + matches[0].Groups[2].Value : null;
    }

    private static readonly HashSet<string> CodeFillerWords =
    [
        "ok", "okay", "yes", "sure", "so", "hi", "hello", "here", "here's", "heres", "it", "it's", "its", "is", "my", "the", "this", "that",
        "code", "verification", "confirmation", "pin", "number", "e-mail", "email", "mail", "thanks", "thank", "you", "please", "and",
        "ja", "hallo", "hier", "ist", "mein", "meine", "der", "die", "das", "lautet", "code:", "bestätigungscode", "verifizierungscode",
        "danke", "bitte", "also", "gerne", "und",
    ];

    [GeneratedRegex(@"[\p{L}][\p{L}'’\-]*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    /// <summary>Six digits, also written "123 456" or "123-456", not part of a longer number.</summary>
    [GeneratedRegex(@"(?<!\d)(\d{3})[ \-]?(\d{3})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
