using Microsoft.Extensions.Logging.Abstractions;
using System.Text.RegularExpressions;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Leads;

/// <summary>
/// The rules of an e-mail claim on the real embedded stores and engine: a code works for its own lead and address,
/// within its lifetime and attempts, and never links an address another lead owns.
/// </summary>
public sealed class EmailVerificationTests : IDisposable
{
    private const string Address = "anna@bakery.example";
    private readonly EngineTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private async Task<string> TurnAsync(string text)
    {
        var said = await _bed.Say(text, "wamid." + Guid.NewGuid().ToString("N"));
        await _bed.Engine().ProcessLeadAsync("acme", said.LeadId, default);
        _bed.Clock.Advance(TimeSpan.FromMinutes(1));
        return said.LeadId;
    }

    private async Task<EmailClaim> ClaimAsync(string leadId) => Assert.Single(await _bed.Leads.ListEmailClaimsAsync("acme", leadId, default));

    private async Task<OutboxItem[]> ConfirmationsAsync(string leadId) =>
        (await _bed.Outbox.ListAsync("acme", leadId, null, 50, default)).Where(i => i.Purpose == OutboxPurpose.EmailVerification).ToArray();

    private static string Spaced(string code) => $"{code[..3]} {code[3..]}";

    private static string WrongCode(string code) => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheConfirmationEmailCarriesTheClaimsCodeAndLinkAndGoesOutOnceForARepeatedAddress()
    {
        var leadId = await TurnAsync($"Hi, my e-mail is {Address}");
        await TurnAsync($"As I said: {Address}");

        var claim = await ClaimAsync(leadId);
        var mail = Assert.Single(await ConfirmationsAsync(leadId));
        Assert.Equal((ChannelKind.Email, Address, $"email-verification:{claim.Id}"), (mail.Channel, mail.Recipient, mail.IdempotencyKey));
        Assert.Contains(claim.Code, mail.Text, StringComparison.Ordinal);
        Assert.Contains(EmailVerification.LinkPath("acme", claim.Token), mail.Text, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", claim.Token);
        Assert.Equal((EmailClaimStatus.Pending, _bed.Clock.GetUtcNow().AddMinutes(-2) + EmailClaim.Lifetime), (claim.Status, claim.ExpiresAt));
        Assert.Null((await _bed.Leads.GetAsync("acme", leadId, default))!.Email);
        Assert.Null(await _bed.Leads.FindIdentityOwnerAsync("acme", IdentityKind.Email, Address, default));
    }

    private async Task<string> LastReplyAsync(string leadId) =>
        (await _bed.Outbox.ListAsync("acme", leadId, null, 50, default)).Where(i => i.Purpose == OutboxPurpose.Reply).OrderBy(i => i.CreatedAt).Last().Text;

    /// <summary>"sam@example.com" got "Thanks for letting me know. Shall I put together the exact pricing?" and, unexplained, an e-mail with a code.</summary>
    [Fact]
    public async Task ALeadThatSendsItsAddressIsToldAboutTheConfirmationAndThenThatTheCodeConfirmedIt()
    {
        var leadId = await TurnAsync("Hi, I'd like the pricing please");
        await TurnAsync($"my email is {Address}");

        Assert.Equal($"Thanks, Anna! I've sent a short confirmation to {Address}. Send me the code from it here (or open its link) and we'll use that address.", await LastReplyAsync(leadId));

        await TurnAsync((await ClaimAsync(leadId)).Code);

        Assert.Equal($"Thanks, Anna, {Address} is confirmed. What can I help you with next?", await LastReplyAsync(leadId));
    }

    [Fact]
    public async Task AnAddressInAMessageThatSaysMoreGetsTheNormalReply()
    {
        var leadId = await TurnAsync($"Hi, my e-mail is {Address}, and could you tell me what the premium plan costs per month?");

        Assert.DoesNotContain("confirmation", await LastReplyAsync(leadId), StringComparison.Ordinal);
        Assert.Single(await ConfirmationsAsync(leadId));
    }

    [Fact]
    public async Task TheCodeReturnedInChatLinksTheAddressAndAReRunOfThatTurnChangesNothing()
    {
        var leadId = await TurnAsync($"Hi, my e-mail is {Address}");
        var code = (await ClaimAsync(leadId)).Code;

        await TurnAsync($"ok, my code is {Spaced(code)}");

        Assert.Equal(Address, (await _bed.Leads.GetAsync("acme", leadId, default))!.Email);
        Assert.Equal(leadId, await _bed.Leads.FindIdentityOwnerAsync("acme", IdentityKind.Email, Address, default));
        var claim = await ClaimAsync(leadId);
        Assert.Equal(EmailClaimStatus.Verified, claim.Status);
        var verification = new EmailVerification(_bed.Leads, _bed.Outbox, null, NullLogger<EmailVerification>.Instance);
        Assert.Equal(Address, await verification.VerifyCodesAsync((await _bed.Leads.GetAsync("acme", leadId, default))!, [code], _bed.Clock.GetUtcNow(), default));
        Assert.Equal(claim, await ClaimAsync(leadId));
    }

    [Fact]
    public async Task ACodeReturnedAfterItExpiredLinksNothingAndTheAddressGivenAgainGetsANewCode()
    {
        var leadId = await TurnAsync($"my e-mail is {Address}");
        var first = await ClaimAsync(leadId);
        _bed.Clock.Advance(EmailClaim.Lifetime);

        await TurnAsync($"my code is {first.Code}");
        Assert.Null((await _bed.Leads.GetAsync("acme", leadId, default))!.Email);
        Assert.Null(await _bed.Leads.FindIdentityOwnerAsync("acme", IdentityKind.Email, Address, default));

        await TurnAsync($"please use {Address}");
        var second = await ClaimAsync(leadId);
        Assert.NotEqual((first.Id, first.Token), (second.Id, second.Token));
        Assert.Equal(2, (await ConfirmationsAsync(leadId)).Length);
        await TurnAsync($"my code is {first.Code}");
        Assert.Null((await _bed.Leads.GetAsync("acme", leadId, default))!.Email);
        await TurnAsync($"my code is {second.Code}");
        Assert.Equal(Address, (await _bed.Leads.GetAsync("acme", leadId, default))!.Email);
    }

    [Fact]
    public async Task FiveWrongCodesCloseTheClaimSoEvenTheRightCodeNoLongerLinks()
    {
        var leadId = await TurnAsync($"my e-mail is {Address}");
        var code = (await ClaimAsync(leadId)).Code;
        for (var i = 0; i < EmailClaim.MaxAttempts; i++)
        {
            await TurnAsync($"my code is {WrongCode(code)}");
        }

        var claim = await ClaimAsync(leadId);
        Assert.Equal(EmailClaim.MaxAttempts, claim.Attempts);
        await TurnAsync($"my code is {code}");
        Assert.Null((await _bed.Leads.GetAsync("acme", leadId, default))!.Email);
        Assert.Null(await _bed.Leads.FindIdentityOwnerAsync("acme", IdentityKind.Email, Address, default));
        Assert.False((await ClaimAsync(leadId)).IsOpen(_bed.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task ASixDigitNumberInASentenceOrSeveralGuessesInOneMessageCostNoAttempt()
    {
        var leadId = await TurnAsync($"my e-mail is {Address}");
        var code = (await ClaimAsync(leadId)).Code;

        await TurnAsync($"Our budget is {WrongCode(code)} euros for the whole year");
        await TurnAsync($"is it {WrongCode(code)} or {WrongCode(WrongCode(code))}?");
        await TurnAsync($"Order {WrongCode(code)} arrived, thanks");

        Assert.Equal(0, (await ClaimAsync(leadId)).Attempts);
        await TurnAsync($"Mein Code lautet {Spaced(code)}, danke");
        Assert.Equal(Address, (await _bed.Leads.GetAsync("acme", leadId, default))!.Email);
    }

    [Theory]
    [InlineData("123456", "123456")]
    [InlineData("ok, my code is 123 456", "123456")]
    [InlineData("Here's the verification code: 123-456. Thanks!", "123456")]
    [InlineData("Mein Code lautet 123456, danke", "123456")]
    [InlineData("We have 123456 customers", null)]
    [InlineData("123456 or 654321", null)]
    [InlineData("my number is 1234567", null)]
    public void OnlyAMessageThatIsEssentiallyACodeIsReadAsOne(string text, string? expected) =>
        Assert.Equal(expected, EmailVerification.CodeReply(text));

    [Fact]
    public async Task ACodeWorksOnlyForTheLeadWhoseClaimItIs()
    {
        var annaId = await TurnAsync($"my e-mail is {Address}");
        var code = (await ClaimAsync(annaId)).Code;

        var bob = await _bed.Intake.AcceptAsync(EngineTestBed.Acme, new InboundMessage(ChannelKind.WhatsApp, "wamid.bob", "491709999999", "Bob", null, $"my code is {code}", "text", _bed.Clock.GetUtcNow()), default);
        await _bed.Engine().ProcessLeadAsync("acme", bob.LeadId, default);

        Assert.NotEqual(annaId, bob.LeadId);
        Assert.Null((await _bed.Leads.GetAsync("acme", bob.LeadId, default))!.Email);
        Assert.Null(await _bed.Leads.FindIdentityOwnerAsync("acme", IdentityKind.Email, Address, default));
        Assert.Equal(0, (await ClaimAsync(annaId)).Attempts);
        await TurnAsync(code);
        Assert.Equal(annaId, await _bed.Leads.FindIdentityOwnerAsync("acme", IdentityKind.Email, Address, default));
    }

    [Fact]
    public async Task AnAddressAnotherLeadOwnsBeforeTheCodeComesBackIsNotLinkedAndTheClaimNamesTheOwner()
    {
        var leadId = await TurnAsync($"my e-mail is {Address}");
        var code = (await ClaimAsync(leadId)).Code;
        var owner = await _bed.Intake.AcceptAsync(EngineTestBed.Acme, new InboundMessage(ChannelKind.Email, "mail-1", Address, "Anna", "Hello", "Hello by e-mail", "text", _bed.Clock.GetUtcNow()), default);

        await TurnAsync($"code {code}");

        Assert.NotEqual(leadId, owner.LeadId);
        Assert.Equal(owner.LeadId, await _bed.Leads.FindIdentityOwnerAsync("acme", IdentityKind.Email, Address, default));
        Assert.Null((await _bed.Leads.GetAsync("acme", leadId, default))!.Email);
        var claim = await ClaimAsync(leadId);
        Assert.Equal((EmailClaimStatus.Conflict, owner.LeadId), (claim.Status, claim.ConflictLeadId));

        // Typed again, it stays a conflict for a rep: no e-mail to the owner's address.
        await TurnAsync($"again: {Address}");
        Assert.Single(await ConfirmationsAsync(leadId));
        Assert.Equal(EmailClaimStatus.Conflict, (await ClaimAsync(leadId)).Status);
    }

    [Fact]
    public async Task AnAddressInAnEmailsBodyIsNotClaimedButACodeSentByEmailCounts()
    {
        var leadId = await TurnAsync($"my e-mail is {Address}");
        var code = (await ClaimAsync(leadId)).Code;
        await TurnAsync($"my code is {code}");

        // The lead now writes from the proved address; its body names a colleague: nobody is e-mailed, nothing is claimed.
        var mail = await _bed.Intake.AcceptAsync(EngineTestBed.Acme, new InboundMessage(ChannelKind.Email, "mail-2", Address, "Anna", "Re", "Please copy my colleague bob@bakery.example", "text", _bed.Clock.GetUtcNow()), default);
        await _bed.Engine().ProcessLeadAsync("acme", mail.LeadId, default);

        Assert.Equal(leadId, mail.LeadId);
        Assert.Single(await _bed.Leads.ListEmailClaimsAsync("acme", leadId, default));
        Assert.Single(await ConfirmationsAsync(leadId));
    }

    [Fact]
    public async Task TheLinkVerifiesOnceWithinItsLifetimeAndOnlyUnderItsOwnClient()
    {
        var verification = new EmailVerification(_bed.Leads, _bed.Outbox, null, NullLogger<EmailVerification>.Instance);
        var leadId = await TurnAsync($"my e-mail is {Address}");
        var claim = await ClaimAsync(leadId);
        var now = _bed.Clock.GetUtcNow();

        Assert.Equal(EmailLinkOutcome.NotFound, (await verification.VerifyLinkAsync("globex", claim.Token, now, default)).Outcome);
        Assert.Equal(EmailLinkOutcome.NotFound, (await verification.VerifyLinkAsync("acme", claim.Token[..^1], now, default)).Outcome);
        Assert.Equal(EmailLinkOutcome.Gone, (await verification.VerifyLinkAsync("acme", claim.Token, claim.ExpiresAt, default)).Outcome);
        Assert.Null((await _bed.Leads.GetAsync("acme", leadId, default))!.Email);

        Assert.Equal((EmailLinkOutcome.Verified, Address), await verification.VerifyLinkAsync("acme", claim.Token, now, default));
        Assert.Equal(EmailLinkOutcome.Gone, (await verification.VerifyLinkAsync("acme", claim.Token, now, default)).Outcome);
        Assert.Equal(Address, (await _bed.Leads.GetAsync("acme", leadId, default))!.Email);
        Assert.Equal(leadId, await _bed.Leads.FindIdentityOwnerAsync("acme", IdentityKind.Email, Address, default));
    }
}
