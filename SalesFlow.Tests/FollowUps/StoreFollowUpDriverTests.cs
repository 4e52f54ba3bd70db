using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Intake;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.FollowUps;

/// <summary>The standalone driver on the real embedded store: timers planned after a turn, cancelled by a message, claimed once.</summary>
public sealed class StoreFollowUpDriverTests : IDisposable
{
    private readonly EngineTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    /// <summary>Anna writes; her turn runs and, as the process-inbound handler does, the driver plans the follow-up.</summary>
    private async Task<string> TurnAsync(string text, string wamid)
    {
        var intake = await _bed.Say(text, wamid);
        var turn = await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default);
        await _bed.Signals.TurnCompletedAsync("acme", intake.LeadId, turn, default);
        return intake.LeadId;
    }

    private async Task<List<OutboxItem>> FollowUpsOfAsync(string leadId) =>
        [.. (await _bed.Outbox.ListAsync("acme", leadId, null, 50, default)).Where(i => i.Purpose == OutboxPurpose.FollowUp)];

    [Fact]
    public async Task A_turn_s_reply_plans_a_timer_and_each_due_step_is_sent_once_at_its_time()
    {
        var leadId = await TurnAsync("Hi, I am interested in your product", "wamid.1");
        var timer = await _bed.FollowUpTimers.GetAsync("acme", leadId, default);
        Assert.Equal((0, _bed.Clock.GetUtcNow().AddHours(1)), (timer!.StepsSent, timer.DueAt));

        var driver = _bed.FollowUpDriver();
        Assert.Equal(0, await driver.SweepAsync(default)); // not due yet
        _bed.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await driver.SweepAsync(default));
        Assert.Equal(0, await driver.SweepAsync(default)); // the next step is a day away

        Assert.Single(await FollowUpsOfAsync(leadId));
        var next = await _bed.FollowUpTimers.GetAsync("acme", leadId, default);
        Assert.Equal((1, timer.DueAt.AddHours(23)), (next!.StepsSent, next.DueAt));
    }

    [Fact]
    public async Task The_whole_cadence_runs_once_per_step_and_then_the_timer_is_gone()
    {
        var leadId = await TurnAsync("Hi, I am interested in your product", "wamid.1");
        var driver = _bed.FollowUpDriver();
        for (var sweeps = 0; sweeps < 40 && await _bed.FollowUpTimers.GetAsync("acme", leadId, default) is { } timer; sweeps++)
        {
            _bed.Clock.Advance(timer.DueAt - _bed.Clock.GetUtcNow());
            await driver.SweepAsync(default);
        }

        var steps = await FollowUpsOfAsync(leadId);
        Assert.Equal(4, steps.Count);
        Assert.Equal(4, steps.Select(s => s.IdempotencyKey).Distinct().Count());
        // Step 1 went out within WhatsApp's 24 hours; the client has no template, so the later ones go by SMS to the same phone.
        Assert.All(steps, s => Assert.Equal(OutboxStatus.Pending, s.Status));
        Assert.Equal([ChannelKind.WhatsApp, ChannelKind.Sms, ChannelKind.Sms, ChannelKind.Sms], steps.Select(s => s.Channel));
        Assert.Null(await _bed.FollowUpTimers.GetAsync("acme", leadId, default));
    }

    [Fact]
    public async Task A_message_from_the_lead_cancels_the_waiting_follow_up_and_their_reply_s_turn_starts_a_new_cycle()
    {
        var leadId = await TurnAsync("Hi, I am interested in your product", "wamid.1");
        var first = await _bed.FollowUpTimers.GetAsync("acme", leadId, default);
        _bed.Clock.Advance(TimeSpan.FromMinutes(30));

        await _bed.Say("What does it cost?", "wamid.2");
        Assert.Null(await _bed.FollowUpTimers.GetAsync("acme", leadId, default));
        _bed.Clock.Advance(TimeSpan.FromMinutes(40)); // past the first cycle's due time
        Assert.Equal(0, await _bed.FollowUpDriver().SweepAsync(default));

        var turn = await _bed.Engine().ProcessLeadAsync("acme", leadId, default);
        await _bed.Signals.TurnCompletedAsync("acme", leadId, turn, default);
        var second = await _bed.FollowUpTimers.GetAsync("acme", leadId, default);
        Assert.NotEqual(first!.Cycle, second!.Cycle);
        Assert.Equal(_bed.Clock.GetUtcNow().AddHours(1), second.DueAt);
        Assert.Empty(await FollowUpsOfAsync(leadId));
    }

    [Fact]
    public async Task Two_concurrent_sweeps_send_a_due_step_once()
    {
        var leadId = await TurnAsync("Hi, I am interested in your product", "wamid.1");
        _bed.Clock.Advance(TimeSpan.FromHours(1));

        // Two drivers as two app instances would have them: their own store objects over the same database.
        var one = new StoreFollowUpDriver(new SqliteFollowUpTimerStore(_bed.Temp.Db), _bed.FollowUps(), _bed.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<StoreFollowUpDriver>.Instance);
        var two = new StoreFollowUpDriver(new SqliteFollowUpTimerStore(_bed.Temp.Db), _bed.FollowUps(), _bed.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<StoreFollowUpDriver>.Instance);
        var done = await Task.WhenAll(one.SweepAsync(default), two.SweepAsync(default));

        Assert.Equal(1, done.Sum());
        Assert.Single(await FollowUpsOfAsync(leadId));
    }

    [Fact]
    public async Task A_sweep_that_crashed_after_its_claim_is_finished_after_the_lease_without_a_second_send()
    {
        var leadId = await TurnAsync("Hi, I am interested in your product", "wamid.1");
        _bed.Clock.Advance(TimeSpan.FromHours(1));
        var timer = await _bed.FollowUpTimers.GetAsync("acme", leadId, default);

        // The crashed sweep: it claimed the timer and wrote the step, but never recorded the progress.
        await _bed.FollowUpTimers.TryReplaceAsync(timer! with { DueAt = _bed.Clock.GetUtcNow() + FollowUpOptions.DefaultClaimLease }, default);
        await _bed.FollowUps().RunStepAsync("acme", leadId, timer!.Progress, _bed.Clock.GetUtcNow(), default);

        // After a restart (a new driver on the same file) the timer is still there and comes back after the lease.
        var restarted = new StoreFollowUpDriver(new SqliteFollowUpTimerStore(_bed.Temp.Db), _bed.FollowUps(), _bed.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<StoreFollowUpDriver>.Instance);
        Assert.Equal(0, await restarted.SweepAsync(default));
        _bed.Clock.Advance(FollowUpOptions.DefaultClaimLease);
        await restarted.SweepAsync(default);

        Assert.Single(await FollowUpsOfAsync(leadId));
        Assert.Equal(1, (await _bed.FollowUpTimers.GetAsync("acme", leadId, default))!.StepsSent);
    }

    [Fact]
    public async Task The_plan_from_the_turn_s_own_facts_is_the_timer_a_plan_read_from_the_stores_leaves_unwritten()
    {
        var leadId = await TurnAsync("Hi, I am interested in your product", "wamid.1");
        var fromTurn = await _bed.FollowUpTimers.GetAsync("acme", leadId, default);
        Assert.NotNull(fromTurn);

        // A re-run of the job after the turn committed: nothing to answer, so the plan reads the lead, conversation and
        // latest reply from the stores; it comes to the same timer, which is therefore not written again (same version).
        Assert.Null(await _bed.Engine().ProcessLeadAsync("acme", leadId, default));
        await _bed.Signals.TurnCompletedAsync("acme", leadId, null, default);
        var fromStores = await _bed.FollowUpTimers.GetAsync("acme", leadId, default);
        Assert.Equal(fromTurn, fromStores);
    }

    [Fact]
    public async Task A_message_that_creates_its_lead_queues_the_turn_without_touching_the_timers_and_a_known_lead_s_message_cancels()
    {
        var timers = new Mock<IFollowUpTimerStore>(MockBehavior.Strict);
        timers.Setup(t => t.CancelAsync("acme", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);
        var signals = new StoreTimerConversationSignals(_bed.Queue, new StoreFollowUpDriver(timers.Object, _bed.FollowUps(), _bed.Clock, NullLogger<StoreFollowUpDriver>.Instance));
        var intake = new IntakeService(_bed.Leads, _bed.Conversations, _bed.Outbox, signals, Options.Create(new ConversationOptions()), Options.Create(new EmailIntakeOptions()), _bed.Clock, NullLogger<IntakeService>.Instance);
        Task<IntakeResult> Say(string text, string wamid) =>
            intake.AcceptAsync(EngineTestBed.Acme, new InboundMessage(ChannelKind.WhatsApp, wamid, "491701234567", "Anna", null, text, "text", _bed.Clock.GetUtcNow()), default);

        var first = await Say("Hi, I am interested in your product", "wamid.1");
        Assert.True(first.Queued);
        timers.Verify(t => t.CancelAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);

        var second = await Say("What does it cost?", "wamid.2");
        Assert.True(second.Queued);
        timers.Verify(t => t.CancelAsync("acme", first.LeadId, It.IsAny<CancellationToken>()), Times.Once);
        timers.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Opting_out_ends_the_follow_ups()
    {
        var leadId = await TurnAsync("Hi, I am interested in your product", "wamid.1");
        _bed.Clock.Advance(TimeSpan.FromMinutes(5));
        await TurnAsync("STOP", "wamid.2");

        Assert.Null(await _bed.FollowUpTimers.GetAsync("acme", leadId, default));
        _bed.Clock.Advance(TimeSpan.FromDays(10));
        await _bed.FollowUpDriver().SweepAsync(default);
        Assert.Empty(await FollowUpsOfAsync(leadId));
    }
}
