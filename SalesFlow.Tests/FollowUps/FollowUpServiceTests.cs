using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Queue;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.FollowUps;

/// <summary>A follow-up step written by the rules brain through the compliance gate into the outbox, on the real embedded stores.</summary>
public sealed class FollowUpServiceTests : IDisposable
{
    private readonly EngineTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    /// <summary>Anna (a Berlin number) writes on WhatsApp and gets the turn's reply; returns the reply's outbox item.</summary>
    private async Task<OutboxItem> RepliedAsync(string text = "Hi, I am interested in your product")
    {
        var intake = await _bed.Say(text, "wamid." + Guid.NewGuid().ToString("N"));
        var turn = await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default);
        return turn!.Reply!;
    }

    private async Task<List<OutboxItem>> FollowUpsOfAsync(string leadId) =>
        [.. (await _bed.Outbox.ListAsync("acme", leadId, null, 50, default)).Where(i => i.Purpose == OutboxPurpose.FollowUp)];

    [Fact]
    public async Task A_quiet_lead_gets_the_first_step_an_hour_after_the_reply_in_the_outbox_and_queued_for_delivery()
    {
        var reply = await RepliedAsync();
        var followUps = _bed.FollowUps();

        var plan = await followUps.PlanAsync("acme", reply.LeadId, FollowUpProgress.None, reply.CreatedAt, default);
        Assert.Equal(new FollowUpProgress(reply.Id, 0, null), plan.Progress);
        Assert.Equal((FollowUpAction.Wait, reply.CreatedAt.AddHours(1)), (plan.Decision.Action, plan.Decision.DueAt));

        var deliveriesBefore = await _bed.Queue.CountAsync(Queues.Deliver, default);
        var step = await followUps.RunStepAsync("acme", reply.LeadId, plan.Progress, reply.CreatedAt.AddHours(1), default);

        Assert.Equal(FollowUpStepOutcome.Written, step.Outcome);
        var item = Assert.Single(await FollowUpsOfAsync(reply.LeadId));
        Assert.Equal((OutboxStatus.Pending, reply.Channel, reply.Recipient, step.OutboxId), (item.Status, item.Channel, item.Recipient, item.Id));
        Assert.Equal(FollowUpService.IdempotencyKeyFor(reply.LeadId, reply.Id, 0), item.IdempotencyKey);
        Assert.Contains("Anna", item.Text);
        Assert.Equal(deliveriesBefore + 1, await _bed.Queue.CountAsync(Queues.Deliver, default));
        Assert.Equal(new FollowUpProgress(reply.Id, 1, item.CreatedAt), step.Progress);
    }

    [Fact]
    public async Task A_client_s_own_cadence_and_quiet_hours_from_the_config_api_win_over_the_deployment_s_settings()
    {
        var reply = await RepliedAsync();
        var configured = EngineTestBed.Acme with
        {
            Config = new ClientConfig(FollowUps: new FollowUpConfig(["PT10M", "PT30M"]), QuietHours: new QuietHoursConfig(Start: "22:30", Weekends: true)),
        };
        var followUps = _bed.FollowUps(acme: configured);

        var plan = await followUps.PlanAsync("acme", reply.LeadId, FollowUpProgress.None, reply.CreatedAt, default);
        var (cadence, quiet) = followUps.RulesFor(configured);
        var (defaultCadence, defaultQuiet) = followUps.RulesFor(EngineTestBed.Acme);

        Assert.Equal(new FollowUpCadence([TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)]), cadence);
        Assert.Equal(new QuietHours(new TimeOnly(22, 30), QuietHours.Default.End, SkipWeekends: true), quiet);
        Assert.Equal((FollowUpCadence.Default, QuietHours.Default), (defaultCadence, defaultQuiet));
        // The reply is on Sunday 22 Nov 2026 at 10:00 in Berlin (the lead's number): the client's quiet weekends move the
        // first step to Monday 08:00 local; without them it is due after the client's 10 minutes, not the default hour.
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero), plan.Decision.DueAt);
        var weekdays = _bed.FollowUps(acme: configured with { Config = configured.Config! with { QuietHours = new QuietHoursConfig(Start: "22:30") } });
        Assert.Equal(reply.CreatedAt.AddMinutes(10), (await weekdays.PlanAsync("acme", reply.LeadId, FollowUpProgress.None, reply.CreatedAt, default)).Decision.DueAt);
    }

    [Fact]
    public async Task The_quiet_hours_are_those_of_the_lead_s_phone_country_not_the_client_s()
    {
        // Sunday 22 Nov 2026, 09:00 UTC (the bed's clock): 10:00 in Berlin, 04:00 in New York. Acme is a Berlin client.
        var berlin = await RepliedAsync();
        var intake = await _bed.Intake.AcceptAsync(EngineTestBed.Acme, new InboundMessage(ChannelKind.Sms, "SM" + Guid.NewGuid().ToString("N"), "+12125550123", "Joe", null, "Hi, I am interested in your product", "text", _bed.Clock.GetUtcNow()), default);
        var newYork = (await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default))!.Reply!;
        var acme = EngineTestBed.Acme with { TimeZone = "Europe/Berlin" };

        var berlinPlan = await _bed.FollowUps(acme: acme).PlanAsync("acme", berlin.LeadId, FollowUpProgress.None, _bed.Clock.GetUtcNow(), default);
        var newYorkPlan = await _bed.FollowUps(acme: acme).PlanAsync("acme", newYork.LeadId, FollowUpProgress.None, _bed.Clock.GetUtcNow(), default);

        Assert.Equal(berlin.CreatedAt.AddHours(1), berlinPlan.Decision.DueAt); // 11:00 in Berlin
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 13, 0, 0, TimeSpan.Zero), newYorkPlan.Decision.DueAt); // 05:00 in New York moves to 08:00 EST
    }

    [Fact]
    public async Task A_step_run_twice_lands_once_and_reports_the_same_progress()
    {
        var reply = await RepliedAsync();
        var followUps = _bed.FollowUps();
        var progress = new FollowUpProgress(reply.Id, 0, null);

        var first = await followUps.RunStepAsync("acme", reply.LeadId, progress, reply.CreatedAt.AddHours(1), default);
        var again = await followUps.RunStepAsync("acme", reply.LeadId, progress, reply.CreatedAt.AddHours(2), default);

        Assert.Single(await FollowUpsOfAsync(reply.LeadId));
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task A_german_lead_gets_the_german_text()
    {
        var reply = await RepliedAsync("Hallo, ich interessiere mich für Ihr Angebot und hätte gerne mehr Informationen");
        var step = await _bed.FollowUps().RunStepAsync("acme", reply.LeadId, new FollowUpProgress(reply.Id, 0, null), reply.CreatedAt.AddHours(1), default);

        var item = await _bed.Outbox.GetAsync("acme", step.OutboxId!, default);
        Assert.StartsWith("Kurze Nachfrage, Anna", item!.Text);
    }

    [Theory]
    [InlineData("Hey, ich interessiere mich für euer Tool, könnt ihr mir mehr erzählen", "Kurze Nachfrage, Anna: Hat dir meine letzte Nachricht weitergeholfen?")]
    [InlineData("Hallo, ich interessiere mich für Ihr Angebot und hätte gerne mehr Informationen", "Kurze Nachfrage, Anna: Hat Ihnen meine letzte Nachricht weitergeholfen?")]
    public async Task A_german_lead_on_du_is_followed_up_on_du(string text, string expected)
    {
        var reply = await RepliedAsync(text);
        var step = await _bed.FollowUps().RunStepAsync("acme", reply.LeadId, new FollowUpProgress(reply.Id, 0, null), reply.CreatedAt.AddHours(1), default);

        var item = await _bed.Outbox.GetAsync("acme", step.OutboxId!, default);
        Assert.StartsWith(expected, item!.Text, StringComparison.Ordinal);
    }

    /// <summary>Runs step 1 within the window, then step 2 a day after the reply (outside WhatsApp's 24 hours).</summary>
    private async Task<(FollowUpStepResult Step, OutboxItem Item, int Queued)> SecondStepAsync(Client acme)
    {
        var reply = await RepliedAsync();
        var followUps = _bed.FollowUps(acme: acme);
        var first = await followUps.RunStepAsync("acme", reply.LeadId, new FollowUpProgress(reply.Id, 0, null), reply.CreatedAt.AddHours(1), default);
        var deliveriesBefore = await _bed.Queue.CountAsync(Queues.Deliver, default);
        var second = await followUps.RunStepAsync("acme", reply.LeadId, first.Progress, reply.CreatedAt.AddDays(1), default);
        var item = await _bed.Outbox.GetAsync("acme", second.OutboxId!, default);
        return (second, item!, await _bed.Queue.CountAsync(Queues.Deliver, default) - deliveriesBefore);
    }

    [Fact]
    public async Task On_whatsapp_after_24_hours_the_step_goes_out_as_the_client_s_approved_follow_up_template()
    {
        var acme = EngineTestBed.Acme with
        {
            Config = new ClientConfig(new WhatsAppConfig(Templates: new Dictionary<string, WhatsAppTemplate> { ["followUp"] = new("sales_follow_up", "de") })),
        };

        var (step, item, queued) = await SecondStepAsync(acme);

        Assert.Equal(FollowUpStepOutcome.Written, step.Outcome);
        Assert.Equal((OutboxStatus.Pending, ChannelKind.WhatsApp, "+491701234567"), (item.Status, item.Channel, item.Recipient));
        Assert.Equal(("sales_follow_up", "de"), (item.Template!.Name, item.Template.Language));
        Assert.Equal(["Anna", "Acme"], item.Template.BodyParameters);
        Assert.Equal(1, queued);
    }

    [Fact]
    public async Task On_whatsapp_after_24_hours_without_a_template_the_step_falls_back_to_sms_on_the_lead_s_phone()
    {
        var (step, item, queued) = await SecondStepAsync(EngineTestBed.Acme);

        Assert.Equal(FollowUpStepOutcome.Written, step.Outcome);
        Assert.Equal((OutboxStatus.Pending, ChannelKind.Sms, "+491701234567", null), (item.Status, item.Channel, item.Recipient, item.Template));
        Assert.StartsWith("Hi again, Anna", item.Text);
        Assert.Equal(1, queued);
    }

    [Fact]
    public async Task A_step_no_channel_can_carry_is_recorded_as_skipped_with_the_reason_and_not_queued()
    {
        // WhatsApp is the client's only channel and it has no template for follow-ups; Anna has no e-mail address.
        var acme = EngineTestBed.Acme with { Config = new ClientConfig(new WhatsAppConfig(PhoneNumberId: "1234567890", AccessToken: "token")) };

        var (step, item, queued) = await SecondStepAsync(acme);

        Assert.Equal(FollowUpStepOutcome.NotSent, step.Outcome);
        Assert.Equal(OutboxStatus.Skipped, item.Status);
        Assert.Contains("no approved template for 'followUp'", item.Error);
        Assert.Contains("sms: the client has no sms sender configured", item.Error);
        Assert.Equal(0, queued);
        Assert.Equal(2, step.Progress.StepsSent);
    }

    /// <summary>"Can you text me again next week?" was offered demo slots, and the cadence wrote an hour later.</summary>
    [Fact]
    public async Task A_lead_asking_to_be_written_to_next_week_is_told_the_day_and_the_first_step_waits_until_then()
    {
        var intake = await _bed.Say("Can you text me again next week? Busy right now", "wamid.later-please");
        var turn = (await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default))!;
        var monday = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(1)); // the clock's Sunday, in Berlin
        var followUps = _bed.FollowUps();

        Assert.Contains("I'll write to you again on Mon 23 Nov", turn.Reply!.Text, StringComparison.Ordinal);
        Assert.Equal(monday, turn.CheckBackAt);
        var afterTurn = followUps.PlanAfterTurn(turn, turn.Reply.CreatedAt)!;
        var swept = await followUps.PlanAsync("acme", intake.LeadId, FollowUpProgress.None, turn.Reply.CreatedAt.AddHours(1), default);
        Assert.Equal((FollowUpAction.Wait, monday), (afterTurn.Decision.Action, afterTurn.Decision.DueAt));
        Assert.Equal((FollowUpAction.Wait, monday), (swept.Decision.Action, swept.Decision.DueAt));
        var early = await followUps.RunStepAsync("acme", intake.LeadId, swept.Progress, turn.Reply.CreatedAt.AddHours(1), default);
        Assert.Equal(FollowUpStepOutcome.Skipped, early.Outcome);
        Assert.Equal(FollowUpStepOutcome.Written, (await followUps.RunStepAsync("acme", intake.LeadId, swept.Progress, monday, default)).Outcome);
    }

    /// <summary>An SEO agency's pitch was told this chat is for customer enquiries; the cadence would have checked in on it.</summary>
    [Fact]
    public async Task A_vendors_pitch_is_told_this_chat_is_for_enquiries_and_is_not_followed_up()
    {
        var intake = await _bed.Say("Hi there! We are a digital marketing agency offering SEO and link building services. Would you be interested in growing your traffic?", "wamid.seo-pitch");
        var turn = (await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default))!;
        var followUps = _bed.FollowUps();

        Assert.Contains("so I can't take this further here", turn.Reply!.Text, StringComparison.Ordinal);
        var afterTurn = followUps.PlanAfterTurn(turn, turn.Reply.CreatedAt)!.Decision;
        Assert.Equal((FollowUpAction.Finish, "closed"), (afterTurn.Action, afterTurn.Reason));
        var swept = await followUps.PlanAsync("acme", intake.LeadId, FollowUpProgress.None, turn.Reply.CreatedAt.AddDays(1), default);
        Assert.Equal(FollowUpAction.Finish, swept.Decision.Action);
    }

    /// <summary>A "thx" after the promise started a new cycle whose first step came an hour later, and was offered the pricing.</summary>
    [Fact]
    public async Task A_thanks_after_the_promised_check_back_keeps_the_follow_ups_waiting_until_then()
    {
        var intake = await _bed.Say("Can you text me again next week? Busy right now", "wamid.later-please");
        await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default);
        _bed.Clock.Advance(TimeSpan.FromMinutes(10));
        await _bed.Say("thx", "wamid.thx");

        var turn = (await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default))!;
        var monday = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(1));
        var followUps = _bed.FollowUps();

        Assert.Equal("You're welcome, Anna, talk soon!", turn.Reply!.Text);
        Assert.Equal(monday, followUps.PlanAfterTurn(turn, turn.Reply.CreatedAt)!.Decision.DueAt);
        Assert.Equal(monday, (await followUps.PlanAsync("acme", intake.LeadId, FollowUpProgress.None, turn.Reply.CreatedAt, default)).Decision.DueAt);
    }

    /// <summary>A fixed reply (here the check-back) went out by e-mail as one bare line, without salutation or sign-off.</summary>
    [Fact]
    public async Task A_check_back_asked_for_by_e_mail_is_answered_as_a_letter()
    {
        var meta = new Dictionary<string, string> { ["subject"] = "Anfrage", [Core.Channels.EmailAuthentication.AuthenticatedKey] = "true" };
        var intake = await _bed.Intake.AcceptAsync(
            EngineTestBed.Acme,
            new InboundMessage(ChannelKind.Email, "m1@mail.kunde.example", "jonas@kunde.example", "Jonas Weber", "sales@acme.example", "Im Moment passt es nicht. Melden Sie sich bitte nächsten Monat nochmal.", "email", _bed.Clock.GetUtcNow(), Metadata: meta),
            default);

        var reply = (await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default))!.Reply!;

        Assert.StartsWith("Guten Tag Jonas Weber,\n\nGerne, Jonas! Ich melde mich am Di., 1. Dez. wieder bei Ihnen.", reply.Text, StringComparison.Ordinal);
        Assert.EndsWith("Viele Grüße\nAcme", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_from_the_lead_before_the_step_skips_it_and_the_plan_cancels_the_cycle()
    {
        var reply = await RepliedAsync();
        _bed.Clock.Advance(TimeSpan.FromMinutes(10));
        await _bed.Say("Let me think about it", "wamid.later");
        var followUps = _bed.FollowUps();

        var step = await followUps.RunStepAsync("acme", reply.LeadId, new FollowUpProgress(reply.Id, 0, null), reply.CreatedAt.AddHours(1), default);
        var plan = await followUps.PlanAsync("acme", reply.LeadId, step.Progress, reply.CreatedAt.AddHours(1), default);

        Assert.Equal((FollowUpStepOutcome.Skipped, "lead_replied"), (step.Outcome, step.Reason));
        Assert.Equal(FollowUpAction.Cancel, plan.Decision.Action);
        Assert.Empty(await FollowUpsOfAsync(reply.LeadId));
    }

    [Fact]
    public async Task An_opted_out_lead_finishes()
    {
        var reply = await RepliedAsync();
        var lead = await _bed.Leads.GetAsync("acme", reply.LeadId, default);
        await _bed.Leads.ReplaceAsync(lead! with { OptedOut = true }, default);

        var plan = await _bed.FollowUps().PlanAsync("acme", reply.LeadId, FollowUpProgress.None, reply.CreatedAt.AddHours(1), default);
        var step = await _bed.FollowUps().RunStepAsync("acme", reply.LeadId, plan.Progress, reply.CreatedAt.AddHours(1), default);

        Assert.Equal((FollowUpAction.Finish, "opted_out"), (plan.Decision.Action, plan.Decision.Reason));
        Assert.Equal(FollowUpStepOutcome.Skipped, step.Outcome);
        Assert.Empty(await FollowUpsOfAsync(reply.LeadId));
    }
}
