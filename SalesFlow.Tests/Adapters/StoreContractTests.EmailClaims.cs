using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;

namespace SalesFlow.Tests.Adapters;

/// <summary>E-mail claims (an address typed in chat, unverified until proved) and lead merges, in every adapter.</summary>
public abstract partial class StoreContractTests
{
    // Whole milliseconds: what every adapter keeps of a time.
    private static DateTimeOffset NowMs => DateTimeOffset.FromUnixTimeMilliseconds(Now.ToUnixTimeMilliseconds());

    private static EmailClaim Claim(string clientId, string leadId, string address, string token) => new()
    {
        ClientId = clientId,
        LeadId = leadId,
        Address = address,
        Id = Ids.New("claim"),
        Code = "123456",
        Token = token,
        CreatedAt = NowMs,
        ExpiresAt = NowMs.AddHours(24),
    };

    [Fact]
    public async Task AnEmailClaimIsStoredOncePerLeadAndAddressFoundByTokenOnlyWithinItsClientAndWrittenOnlyAtItsETag()
    {
        var (lead, _) = await LeadWithConversationAsync(Acme, "+491705550001");
        var token = "tok-" + Guid.NewGuid().ToString("N");
        var stored = await _s.Leads.SaveEmailClaimAsync(Claim(Acme, lead.Id, "anna@example.com", token), default);
        Assert.NotEmpty(stored.ETag);
        await Assert.ThrowsAsync<ConcurrencyException>(() => _s.Leads.SaveEmailClaimAsync(Claim(Acme, lead.Id, "anna@example.com", "tok-other"), default));

        var read = await _s.Leads.GetEmailClaimAsync(Acme, lead.Id, "anna@example.com", default);
        Assert.Equal(stored with { ETag = "" }, read! with { ETag = "" });
        Assert.Equal(stored.Id, (await _s.Leads.FindEmailClaimByTokenAsync(Acme, token, default))!.Id);
        Assert.Null(await _s.Leads.FindEmailClaimByTokenAsync(Globex, token, default));
        Assert.Null(await _s.Leads.GetEmailClaimAsync(Globex, lead.Id, "anna@example.com", default));
        Assert.Empty(await _s.Leads.ListEmailClaimsAsync(Globex, lead.Id, default));

        var counted = await _s.Leads.SaveEmailClaimAsync(read with { Attempts = 1 }, default);
        await Assert.ThrowsAsync<ConcurrencyException>(() => _s.Leads.SaveEmailClaimAsync(read with { Status = EmailClaimStatus.Verified }, default));
        var verified = await _s.Leads.SaveEmailClaimAsync(counted with { Status = EmailClaimStatus.Verified, VerifiedAt = NowMs }, default);
        var listed = Assert.Single(await _s.Leads.ListEmailClaimsAsync(Acme, lead.Id, default));
        Assert.Equal((EmailClaimStatus.Verified, 1, verified.ETag), (listed.Status, listed.Attempts, listed.ETag));

        // A claim is not an identity: it routes nothing.
        Assert.Null(await _s.Leads.FindIdentityOwnerAsync(Acme, IdentityKind.Email, "anna@example.com", default));
        Assert.Equal(lead.Id, await _s.Leads.FindIdentityOwnerAsync(Acme, IdentityKind.Phone, "+491705550001", default));
        Assert.Null(await _s.Leads.FindIdentityOwnerAsync(Globex, IdentityKind.Phone, "+491705550001", default));
    }

    [Fact]
    public async Task AMergeMovesTheOtherLeadsIdentitiesKeepsBothLeadsIsRecordedOnceAndStaysWithinItsClient()
    {
        var (survivor, survivorConversation) = await LeadWithConversationAsync(Acme, "+491705550002");
        var (other, otherConversation) = await LeadWithConversationAsync(Acme, "+491705550003");
        await _s.Leads.LinkIdentityAsync(Acme, IdentityKind.Email, "other@example.com", other.Id, default);
        await _s.Conversations.AddInboundAsync(Inbound(otherConversation, "history of the other lead", "wamid.merge-1"), default);
        var (globexLead, _) = await LeadWithConversationAsync(Globex, "+491705550003");

        var at = NowMs;
        var merge = await _s.Leads.MergeAsync(Acme, survivor.Id, other.Id, "rep@acme.example", at, default);
        var again = await _s.Leads.MergeAsync(Acme, survivor.Id, other.Id, "someone else", at.AddMinutes(1), default);

        Assert.Equal(new LeadMerge(Acme, other.Id, survivor.Id, "rep@acme.example", at), merge);
        Assert.Equal(merge, again);
        Assert.Equal(merge, await _s.Leads.FindMergeAsync(Acme, other.Id, default));
        Assert.Null(await _s.Leads.FindMergeAsync(Acme, survivor.Id, default));
        Assert.Null(await _s.Leads.FindMergeAsync(Globex, other.Id, default));
        Assert.Equal([merge], await _s.Leads.ListMergedIntoAsync(Acme, survivor.Id, default));
        Assert.Empty(await _s.Leads.ListMergedIntoAsync(Globex, survivor.Id, default));

        Assert.Equal(["+491705550002", "+491705550003", "other@example.com"], (await _s.Leads.ListIdentitiesAsync(Acme, survivor.Id, default)).Select(i => i.Value).Order(StringComparer.Ordinal));
        Assert.Empty(await _s.Leads.ListIdentitiesAsync(Acme, other.Id, default));
        Assert.Equal(survivor.Id, await _s.Leads.FindIdentityOwnerAsync(Acme, IdentityKind.Email, "other@example.com", default));
        Assert.Equal(survivor.Id, (await _s.Leads.GetOrCreateByIdentityAsync(Acme, IdentityKind.Phone, "+491705550003", () => NewLead(Acme), default)).Lead.Id);

        // Both histories stay; the other client's lead with the same phone is untouched.
        Assert.NotNull(await _s.Leads.GetAsync(Acme, other.Id, default));
        Assert.Single(await _s.Conversations.ListMessagesAsync(Acme, otherConversation.Id, 10, default));
        Assert.Equal(survivorConversation.Id, (await _s.Conversations.FindForLeadAsync(Acme, survivor.Id, default))!.Id);
        Assert.Equal(globexLead.Id, await _s.Leads.FindIdentityOwnerAsync(Globex, IdentityKind.Phone, "+491705550003", default));
    }

    [Fact]
    public async Task ErasingALeadRemovesItsEmailClaimsAndTheMergeRecordsThatNameIt()
    {
        var (lead, _) = await LeadWithConversationAsync(Acme, "+491705550004");
        var (merged, _) = await LeadWithConversationAsync(Acme, "+491705550005");
        var (kept, _) = await LeadWithConversationAsync(Acme, "+491705550006");
        await _s.Leads.SaveEmailClaimAsync(Claim(Acme, lead.Id, "erase-me@example.com", "tok-" + Guid.NewGuid().ToString("N")), default);
        await _s.Leads.SaveEmailClaimAsync(Claim(Acme, kept.Id, "keep-me@example.com", "tok-" + Guid.NewGuid().ToString("N")), default);
        await _s.Leads.MergeAsync(Acme, lead.Id, merged.Id, "rep", Now, default);

        var report = await _s.Eraser.EraseAsync(Acme, lead.Id, default);

        Assert.Equal((1, 1), (report!.Removed["email_claims"], report.Removed["lead_merges"]));
        Assert.Empty(await _s.FindEverythingMentioning(lead.Id));
        Assert.Empty(await _s.Leads.ListEmailClaimsAsync(Acme, lead.Id, default));
        Assert.Null(await _s.Leads.FindMergeAsync(Acme, merged.Id, default));
        Assert.Single(await _s.Leads.ListEmailClaimsAsync(Acme, kept.Id, default));
    }
}
