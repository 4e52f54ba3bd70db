using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Intake;
using SalesFlow.Functions.Orchestrations;
using SalesFlow.Tests.Support;
using Names = SalesFlow.Functions.Orchestrations.LeadConversationNames;

namespace SalesFlow.Tests.Orchestrations;

/// <summary>
/// The lead orchestration in Durable Task's in-process test host, with its real activities on the embedded stores and
/// intake raising its events through <see cref="DurableLeadConversationSignals"/>. Cadences are seconds long; durable
/// timers fire on the real clock, so the engine's clock is set to it before each message.
/// </summary>
public sealed class LeadConversationOrchestrationTests : IAsyncLifetime
{
    private static readonly FollowUpOptions NoQuietHours = new() { QuietFrom = TimeOnly.MinValue, QuietUntil = TimeOnly.MinValue };

    private readonly EngineTestBed _bed = new();
    private DurableTaskTestHost _host = null!;
    private readonly DurableClientAccessor _accessor = new();
    private DurableLeadConversationSignals _signals = null!;
    private IntakeService _intake = null!;
    private LeadConversationActivities _activities = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _bed.Dispose();
    }

    private async Task StartAsync(FollowUpOptions options)
    {
        var activities = new LeadConversationActivities(_bed.Engine(), _bed.FollowUps(options));
        _activities = activities;
        _host = await LeadConversationTestHost.StartAsync(() => activities);
        _signals = new DurableLeadConversationSignals(_accessor);
        _intake = new IntakeService(_bed.Leads, _bed.Conversations, _bed.Outbox, _signals, Options.Create(new ConversationOptions()), Options.Create(new EmailIntakeOptions()), _bed.Clock, NullLogger<IntakeService>.Instance);
    }

    /// <summary>Anna (a Berlin number) writes on WhatsApp now; intake raises the event (or starts the orchestration).</summary>
    private async Task<string> SayAsync(string text)
    {
        // As a function class does with its [DurableClient] binding, for this call.
        _accessor.Use(_host.Client);
        var behind = DateTimeOffset.UtcNow - _bed.Clock.GetUtcNow();
        if (behind > TimeSpan.Zero)
        {
            _bed.Clock.Advance(behind);
        }

        var accepted = await _intake.AcceptAsync(EngineTestBed.Acme, new InboundMessage(ChannelKind.WhatsApp, "wamid." + Guid.NewGuid().ToString("N"), "491701234567", "Anna", null, text, "text", _bed.Clock.GetUtcNow()), default);
        return accepted.LeadId;
    }

    /// <summary>A turn ran elsewhere (the inbound sweep's queue): the signal the process-inbound handler sends.</summary>
    private Task TurnCompletedAsync(string leadId)
    {
        _accessor.Use(_host.Client);
        return _signals.TurnCompletedAsync("acme", leadId, null, default);
    }

    /// <summary>The plan the orchestration is waiting on, once it matches.</summary>
    private Task<FollowUpPlan> PlanAsync(string leadId, Func<FollowUpPlan, bool> condition) =>
        Eventually.ReturnsAsync(
            async () => (await _host.Client.GetInstanceAsync(Names.InstanceIdFor("acme", leadId), getInputsAndOutputs: true))?.ReadCustomStatusAs<FollowUpPlan>(),
            plan => plan is not null && condition(plan),
            because: "the orchestration reaches that plan")!;

    private async Task<OrchestrationMetadata> CompletionAsync(string leadId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await _host.Client.WaitForInstanceCompletionAsync(Names.InstanceIdFor("acme", leadId), getInputsAndOutputs: true, timeout.Token);
    }

    private async Task<List<OutboxItem>> OutboxAsync(string leadId, string purpose) =>
        [.. (await _bed.Outbox.ListAsync("acme", leadId, null, 50, default)).Where(i => i.Purpose == purpose)];

    [Fact]
    public async Task Each_cadence_step_fires_once_and_the_cadence_s_end_finishes_the_orchestration()
    {
        await StartAsync(new FollowUpOptions { Cadence = "PT1S,PT2S", QuietFrom = TimeOnly.MinValue, QuietUntil = TimeOnly.MinValue });
        var leadId = await SayAsync("Hi, I am interested in your product");

        var done = await CompletionAsync(leadId);

        Assert.Equal((OrchestrationRuntimeStatus.Completed, "cadence_done"), (done.RuntimeStatus, done.ReadOutputAs<string>()));
        var steps = await OutboxAsync(leadId, OutboxPurpose.FollowUp);
        Assert.Equal(2, steps.Count);
        Assert.Equal(2, steps.Select(s => s.IdempotencyKey).Distinct().Count());
        Assert.All(steps, s => Assert.Equal(OutboxStatus.Pending, s.Status));
        Assert.Single(await OutboxAsync(leadId, OutboxPurpose.Reply));
    }

    [Fact]
    public async Task A_message_after_the_orchestration_finished_starts_the_lead_s_next_one()
    {
        await StartAsync(new FollowUpOptions { Cadence = "PT1S", QuietFrom = TimeOnly.MinValue, QuietUntil = TimeOnly.MinValue });
        var leadId = await SayAsync("Hi, I am interested in your product");
        var first = await CompletionAsync(leadId);
        Assert.Equal("cadence_done", first.ReadOutputAs<string>());

        await SayAsync("Sorry for the silence, what does it cost?");
        var second = await CompletionAsync(leadId);

        Assert.Equal("cadence_done", second.ReadOutputAs<string>());
        Assert.Equal(2, (await OutboxAsync(leadId, OutboxPurpose.Reply)).Count);
        Assert.Equal(2, (await OutboxAsync(leadId, OutboxPurpose.FollowUp)).Count);
    }

    [Fact]
    public async Task A_reply_from_the_lead_before_the_timer_cancels_the_follow_up_and_starts_a_new_cycle()
    {
        await StartAsync(new FollowUpOptions { Cadence = "PT30S,PT60S", QuietFrom = TimeOnly.MinValue, QuietUntil = TimeOnly.MinValue });
        var leadId = await SayAsync("Hi, I am interested in your product");
        var first = await PlanAsync(leadId, p => p.Decision.Action == FollowUpAction.Wait);

        await SayAsync("What does it cost?");
        var second = await PlanAsync(leadId, p => p.Progress.Cycle != first.Progress.Cycle);

        Assert.Equal((FollowUpAction.Wait, 0), (second.Decision.Action, second.Progress.StepsSent));
        Assert.Equal(2, (await OutboxAsync(leadId, OutboxPurpose.Reply)).Count);
        Assert.Empty(await OutboxAsync(leadId, OutboxPurpose.FollowUp));
        await _host.Client.TerminateInstanceAsync(Names.InstanceIdFor("acme", leadId));
    }

    [Fact]
    public async Task Opting_out_ends_the_orchestration()
    {
        await StartAsync(new FollowUpOptions { Cadence = "PT30S", QuietFrom = TimeOnly.MinValue, QuietUntil = TimeOnly.MinValue });
        var leadId = await SayAsync("Hi, I am interested in your product");
        await PlanAsync(leadId, p => p.Decision.Action == FollowUpAction.Wait);

        await SayAsync("STOP");
        var done = await CompletionAsync(leadId);

        Assert.Equal("opted_out", done.ReadOutputAs<string>());
        Assert.Empty(await OutboxAsync(leadId, OutboxPurpose.FollowUp));
    }

    [Fact]
    public async Task Escalation_to_a_human_ends_the_orchestration()
    {
        await StartAsync(new FollowUpOptions { Cadence = "PT30S", QuietFrom = TimeOnly.MinValue, QuietUntil = TimeOnly.MinValue });
        var leadId = await SayAsync("Hi, I am interested in your product");
        await PlanAsync(leadId, p => p.Decision.Action == FollowUpAction.Wait);

        var lead = await _bed.Leads.GetAsync("acme", leadId, default);
        await _bed.Leads.ReplaceAsync(lead!.Escalate("asked for a person", _bed.Clock.GetUtcNow()), default);
        await TurnCompletedAsync(leadId);
        var done = await CompletionAsync(leadId);

        Assert.Equal("escalated", done.ReadOutputAs<string>());
        Assert.Empty(await OutboxAsync(leadId, OutboxPurpose.FollowUp));
    }

    [Fact]
    public async Task Quiet_hours_in_the_lead_s_zone_move_the_due_time_to_their_end()
    {
        // Quiet from an hour ago until three hours from now, Berlin time (the lead's number is German).
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, berlin).DateTime);
        var until = local.AddHours(3);
        await StartAsync(new FollowUpOptions { Cadence = "PT1S", QuietFrom = local.AddHours(-1), QuietUntil = until });
        var leadId = await SayAsync("Hi, I am interested in your product");

        var plan = await PlanAsync(leadId, p => p.Decision.Action == FollowUpAction.Wait);

        var due = plan.Decision.DueAt!.Value;
        Assert.Equal(until, TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(due, berlin).DateTime));
        Assert.True(due > DateTimeOffset.UtcNow.AddHours(2), $"due {due:o} should be at the end of the quiet hours");
        Assert.Empty(await OutboxAsync(leadId, OutboxPurpose.FollowUp));
        await _host.Client.TerminateInstanceAsync(Names.InstanceIdFor("acme", leadId));
    }

    [Fact]
    public async Task A_duplicate_event_changes_nothing()
    {
        await StartAsync(new FollowUpOptions { Cadence = "PT4S", QuietFrom = TimeOnly.MinValue, QuietUntil = TimeOnly.MinValue });
        var leadId = await SayAsync("Hi, I am interested in your product");
        var before = await PlanAsync(leadId, p => p.Decision.Action == FollowUpAction.Wait);

        var instanceId = Names.InstanceIdFor("acme", leadId);
        await _host.Client.RaiseEventAsync(instanceId, Names.MessageEvent, new LeadMessageSignal("acme", leadId));
        await _host.Client.RaiseEventAsync(instanceId, Names.MessageEvent, new LeadMessageSignal("acme", leadId));
        var done = await CompletionAsync(leadId);

        Assert.Equal("cadence_done", done.ReadOutputAs<string>());
        Assert.Single(await OutboxAsync(leadId, OutboxPurpose.Reply));
        var step = Assert.Single(await OutboxAsync(leadId, OutboxPurpose.FollowUp));
        Assert.Equal(FollowUpService.IdempotencyKeyFor(leadId, before.Progress.Cycle, 0), step.IdempotencyKey);
    }

    [Fact]
    public async Task The_same_message_signalled_twice_more_at_once_runs_one_turn_and_one_follow_up()
    {
        await StartAsync(new FollowUpOptions { Cadence = "PT2S", QuietFrom = TimeOnly.MinValue, QuietUntil = TimeOnly.MinValue });
        var leadId = await SayAsync("Hi, I am interested in your product");

        // Intake's signal again, twice at once, while the first is starting the orchestration (a webhook retried by its vendor).
        _accessor.Use(_host.Client);
        await Task.WhenAll(
            _signals.MessageArrivedAsync("acme", leadId, TimeSpan.Zero, leadIsNew: false, default),
            _signals.MessageArrivedAsync("acme", leadId, TimeSpan.Zero, leadIsNew: false, default));
        var done = await CompletionAsync(leadId);

        Assert.Equal((OrchestrationRuntimeStatus.Completed, "cadence_done"), (done.RuntimeStatus, done.ReadOutputAs<string>()));
        Assert.Single(await OutboxAsync(leadId, OutboxPurpose.Reply));
        Assert.Single(await OutboxAsync(leadId, OutboxPurpose.FollowUp));
    }

    [Fact]
    public async Task Each_activity_run_twice_at_once_has_one_effect()
    {
        // Durable Task runs an activity at least once: a worker that dies before its result is recorded runs it again.
        await StartAsync(new FollowUpOptions { Cadence = "PT1H", QuietFrom = TimeOnly.MinValue, QuietUntil = TimeOnly.MinValue });
        var leadId = await SayAsync("Hi, I am interested in your product");
        var waiting = await PlanAsync(leadId, p => p.Decision.Action == FollowUpAction.Wait);
        await _host.Client.TerminateInstanceAsync(Names.InstanceIdFor("acme", leadId));
        var lead = new LeadRef("acme", leadId);

        var turns = await Task.WhenAll(_activities.RunTurnAsync(lead, default), _activities.RunTurnAsync(lead, default));
        var step = new FollowUpRequest("acme", leadId, waiting.Progress, waiting.Decision.DueAt!.Value);
        var steps = await Task.WhenAll(_activities.RunFollowUpStepAsync(step, default), _activities.RunFollowUpStepAsync(step, default));

        Assert.Equal([false, false], turns); // the orchestration's own turn answered the message already
        Assert.Single(await OutboxAsync(leadId, OutboxPurpose.Reply));
        var followUp = Assert.Single(await OutboxAsync(leadId, OutboxPurpose.FollowUp));
        Assert.Equal(FollowUpService.IdempotencyKeyFor(leadId, waiting.Progress.Cycle, 0), followUp.IdempotencyKey);
        Assert.Equal(steps[0].Progress, steps[1].Progress);
    }

    [Fact]
    public async Task The_orchestrator_replays_deterministically_through_turns_events_timers_and_steps()
    {
        // The host replays the orchestrator from its history after every activity, timer and event; an orchestrator that
        // read the clock, made ids or did I/O would take another path on replay and fail the instance.
        await StartAsync(new FollowUpOptions { Cadence = "PT2S,PT3S", QuietFrom = TimeOnly.MinValue, QuietUntil = TimeOnly.MinValue });
        var leadId = await SayAsync("Hi, I am interested in your product");
        await PlanAsync(leadId, p => p.Decision.Action == FollowUpAction.Wait);
        await TurnCompletedAsync(leadId);

        var done = await CompletionAsync(leadId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Null(done.FailureDetails);
        Assert.Equal(2, (await OutboxAsync(leadId, OutboxPurpose.FollowUp)).Count);
    }
}
