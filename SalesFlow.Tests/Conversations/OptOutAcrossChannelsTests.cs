using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Reach;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Conversations;

/// <summary>
/// The carrier keywords end to end on the real embedded stores: one confirmation per change, silence after, the
/// ledger holding the opt-out for every channel and for a lead later created from the same address.
/// </summary>
public sealed class OptOutAcrossChannelsTests : IDisposable
{
    private const string Phone = "+491701234567";

    private readonly EngineTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private async Task<(string LeadId, OutboxItem? Reply)> TurnAsync(string text, string wamid)
    {
        var accepted = await _bed.Say(text, wamid);
        var turn = await _bed.Engine().ProcessLeadAsync("acme", accepted.LeadId, default);
        return (accepted.LeadId, turn?.Reply);
    }

    private async Task<(string LeadId, OutboxItem? Reply)> SmsAsync(string text)
    {
        var accepted = await _bed.Intake.AcceptAsync(EngineTestBed.Acme, new InboundMessage(ChannelKind.Sms, "SM" + Guid.NewGuid().ToString("N"), Phone, null, null, text, "text", _bed.Clock.GetUtcNow()), default);
        var turn = await _bed.Engine().ProcessLeadAsync("acme", accepted.LeadId, default);
        return (accepted.LeadId, turn?.Reply);
    }

    private async Task<List<OutboxItem>> OutboxOfAsync(string leadId, string purpose) =>
        [.. (await _bed.Outbox.ListAsync("acme", leadId, null, 50, default)).Where(i => i.Purpose == purpose)];

    [Fact]
    public async Task Stop_twice_gets_exactly_one_confirmation_and_then_silence()
    {
        var (leadId, first) = await TurnAsync("STOP", "wamid.1");
        var (_, second) = await TurnAsync("stop!", "wamid.2");

        Assert.Equal(OutboxPurpose.OptOutConfirmation, first!.Purpose);
        Assert.Null(second);
        Assert.Single(await OutboxOfAsync(leadId, OutboxPurpose.OptOutConfirmation));
        Assert.True((await _bed.Leads.GetAsync("acme", leadId, default))!.OptedOut);
    }

    [Theory]
    [InlineData("CANCEL")]
    [InlineData("End")]
    [InlineData("ABBESTELLEN")]
    public async Task Every_carrier_keyword_opts_out_with_one_confirmation_and_is_recorded_in_the_ledger(string keyword)
    {
        var (leadId, reply) = await TurnAsync(keyword, "wamid.1");

        Assert.Equal(OutboxPurpose.OptOutConfirmation, reply!.Purpose);
        var entry = Assert.Single(await _bed.OptOuts.FindAsync("acme", [Phone], default));
        Assert.Equal((true, ChannelKind.WhatsApp, keyword.ToUpperInvariant(), leadId), (entry.OptedOut, entry.Channel, entry.Keyword, entry.LeadId));
    }

    [Fact]
    public async Task Start_resubscribes_with_one_confirmation_and_a_second_start_is_an_ordinary_message()
    {
        await TurnAsync("STOP", "wamid.1");
        var (leadId, resubscribed) = await TurnAsync("START", "wamid.2");
        var (_, again) = await TurnAsync("START", "wamid.3");

        Assert.Equal(OutboxPurpose.OptInConfirmation, resubscribed!.Purpose);
        Assert.Contains("STOP", resubscribed.Text);
        Assert.Equal(OutboxPurpose.Reply, again!.Purpose);
        Assert.Single(await OutboxOfAsync(leadId, OutboxPurpose.OptInConfirmation));
        Assert.False((await _bed.Leads.GetAsync("acme", leadId, default))!.OptedOut);
        Assert.False(await _bed.OptOuts.IsOptedOutAsync("acme", Phone, default));
    }

    /// <summary>"START" after an opt-out was read as a buying signal: the conversation moved to closing, whose question followed.</summary>
    [Fact]
    public async Task Start_after_an_opt_out_leaves_the_sales_stage_where_it_was()
    {
        var (leadId, _) = await TurnAsync("Hi, what does it cost?", "wamid.1");
        var before = (await _bed.Conversations.FindForLeadAsync("acme", leadId, default))!.State;
        await TurnAsync("STOP", "wamid.2");
        await TurnAsync("START", "wamid.3");

        Assert.Equal(before, (await _bed.Conversations.FindForLeadAsync("acme", leadId, default))!.State);
    }

    [Fact]
    public async Task Yes_from_a_lead_who_never_opted_out_is_an_answer_not_an_opt_in()
    {
        var (leadId, reply) = await TurnAsync("Yes", "wamid.1");

        Assert.Equal(OutboxPurpose.Reply, reply!.Purpose);
        Assert.Empty(await _bed.OptOuts.FindAsync("acme", [Phone], default));
    }

    [Fact]
    public async Task Stop_on_sms_stops_the_whatsapp_follow_ups_and_suppresses_one_already_queued()
    {
        var (leadId, reply) = await TurnAsync("Hi, I am interested in your product", "wamid.1");
        var followUps = _bed.FollowUps();
        var first = await followUps.RunStepAsync("acme", leadId, new FollowUpProgress(reply!.Id, 0, null), reply.CreatedAt.AddHours(1), default);
        var queued = await _bed.Outbox.GetAsync("acme", first.OutboxId!, default);
        Assert.Equal((ChannelKind.WhatsApp, OutboxStatus.Pending), (queued!.Channel, queued.Status));

        var (smsLead, confirmation) = await SmsAsync("STOP");

        Assert.Equal((leadId, OutboxPurpose.OptOutConfirmation, ChannelKind.Sms), (smsLead, confirmation!.Purpose, confirmation.Channel));
        var sender = new Mock<IChannelSender>();
        var delivery = _bed.Delivery(sender.Object);
        await delivery.DeliverAsync("acme", queued.Id, default);
        Assert.Equal(OutboxStatus.Suppressed, (await _bed.Outbox.GetAsync("acme", queued.Id, default))!.Status);
        sender.Verify(s => s.SendAsync(It.IsAny<OutboxItem>(), It.IsAny<CancellationToken>()), Times.Never);

        var next = await followUps.RunStepAsync("acme", leadId, first.Progress, reply.CreatedAt.AddDays(1), default);
        Assert.Equal((FollowUpStepOutcome.Skipped, "opted_out"), (next.Outcome, next.Reason));
    }

    [Fact]
    public async Task Delivery_suppresses_a_follow_up_to_an_address_the_ledger_holds_as_opted_out_even_if_the_lead_is_not_flagged()
    {
        var (leadId, reply) = await TurnAsync("Hi, I am interested in your product", "wamid.1");
        var step = await _bed.FollowUps().RunStepAsync("acme", leadId, new FollowUpProgress(reply!.Id, 0, null), reply.CreatedAt.AddHours(1), default);
        // Said STOP as another lead of this address (since erased): only the ledger knows.
        await _bed.OptOuts.RecordAsync("acme", [Phone], true, ChannelKind.Sms, "STOP", _bed.Clock.GetUtcNow(), null, null, default);
        var sender = new Mock<IChannelSender>();

        await _bed.Delivery(sender.Object).DeliverAsync("acme", step.OutboxId!, default);

        Assert.False((await _bed.Leads.GetAsync("acme", leadId, default))!.OptedOut);
        Assert.Equal(OutboxStatus.Suppressed, (await _bed.Outbox.GetAsync("acme", step.OutboxId!, default))!.Status);
        sender.Verify(s => s.SendAsync(It.IsAny<OutboxItem>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_lead_created_again_from_an_opted_out_address_after_an_erasure_stays_opted_out_and_silent()
    {
        var (leadId, _) = await TurnAsync("STOP", "wamid.1");
        await new SqliteLeadEraser(_bed.Temp.Db, new SqliteMemoryIndex(_bed.Temp.Db)).EraseAsync("acme", leadId, default);

        var (newLeadId, reply) = await TurnAsync("Hi, I am interested in your product", "wamid.2");

        Assert.NotEqual(leadId, newLeadId);
        Assert.Null(reply);
        Assert.True((await _bed.Leads.GetAsync("acme", newLeadId, default))!.OptedOut);
        Assert.True(await _bed.OptOuts.IsOptedOutAsync("acme", "whatsapp:" + Phone, default));
    }

    [Fact]
    public async Task A_turn_re_run_after_it_wrote_the_ledger_still_writes_its_one_confirmation()
    {
        // The first run recorded the opt-out of this very message and crashed before the reply.
        var accepted = await _bed.Say("STOP", "wamid.1");
        await _bed.OptOuts.RecordAsync("acme", [Phone], true, ChannelKind.WhatsApp, "STOP", _bed.Clock.GetUtcNow(), accepted.LeadId, accepted.MessageId, default);

        var turn = await _bed.Engine().ProcessLeadAsync("acme", accepted.LeadId, default);

        Assert.Equal(OutboxPurpose.OptOutConfirmation, turn!.Reply!.Purpose);
        Assert.True(turn.Lead.OptedOut);
    }
}
