using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Outreach;
using SalesFlow.Core.Queue;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Outreach;

/// <summary>The stores speed to lead and the follow-up listing use.</summary>
public sealed record OutreachStores(IClientStore Clients, ILeadStore Leads, IConversationStore Conversations, IOutboxStore Outbox, IComplianceAuditLog Audit, IFollowUpTimerStore Timers, Core.Reach.IOptOutLedger OptOuts);

/// <summary>
/// Speed to lead and the cadence after it on a controllable clock, against both store adapters: the first contact held
/// by quiet hours, the repeat window, the standalone driver's steps from the first contact to nurture, and the listing.
/// </summary>
public abstract class SpeedToLeadCadenceTests : IAsyncLifetime
{
    // 22:30 in Berlin (21:30 UTC): inside the default quiet hours 21:00–08:00 in the lead's zone.
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 23, 21, 30, 0, TimeSpan.Zero));
    private readonly TempDatabase _queueDb = new();
    private OutreachStores _stores = null!;
    private SqliteWorkQueue _queue = null!;

    private static readonly Client Acme = new("acme", "Acme Solar", "hash-acme", new ClientChannelSecrets("a", "b", "c", "d"), "49", "Europe/Berlin");

    protected abstract Task<OutreachStores> CreateStoresAsync();

    protected virtual Task DisposeStoresAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _stores = await CreateStoresAsync();
        _queue = new SqliteWorkQueue(_queueDb.Db, _clock);
        await _stores.Clients.TryCreateAsync(Acme, default);
    }

    public async Task DisposeAsync()
    {
        await DisposeStoresAsync();
        _queueDb.Dispose();
    }

    private FollowUpService FollowUps(string cadence, bool quiet = true) => new(
        _stores.Clients,
        _stores.Leads,
        _stores.Conversations,
        _stores.Outbox,
        _stores.OptOuts,
        new ComplianceGate(new RulesComplianceFilter(), _stores.Audit, ProcessSecrets.None, NullLogger<ComplianceGate>.Instance),
        new RulesOutreachWriter(),
        _queue,
        Options.Create(quiet ? new FollowUpOptions { Cadence = cadence } : new FollowUpOptions { Cadence = cadence, QuietFrom = TimeOnly.MinValue, QuietUntil = TimeOnly.MinValue }),
        NullLogger<FollowUpService>.Instance);

    private (SpeedToLeadService Speed, StoreFollowUpDriver Driver, FollowUpOverviewReader Overview) Services(string cadence = "PT1H", bool quiet = true)
    {
        var followUps = FollowUps(cadence, quiet);
        var driver = new StoreFollowUpDriver(_stores.Timers, followUps, _clock, NullLogger<StoreFollowUpDriver>.Instance);
        var speed = new SpeedToLeadService(
            _stores.Leads,
            _stores.Conversations,
            _stores.Outbox,
            _stores.OptOuts,
            new ComplianceGate(new RulesComplianceFilter(), _stores.Audit, ProcessSecrets.None, NullLogger<ComplianceGate>.Instance),
            new RulesOutreachWriter(),
            new RulesOutreachWriter(),
            followUps,
            new StoreTimerConversationSignals(_queue, driver),
            _queue,
            new SalesFlow.Core.Qualification.LeadScoreRefresher(
                _stores.Leads,
                _stores.Conversations,
                new SqliteLeadProfileStore(_queueDb.Db),
                new SqliteLeadScoreStore(_queueDb.Db),
                new SqliteLeadScoreModelStore(_queueDb.Db),
                new Mock<SalesFlow.Core.Integration.IIntegrationEvents>().Object,
                _clock,
                NullLogger<SalesFlow.Core.Qualification.LeadScoreRefresher>.Instance),
            _clock,
            NullLogger<SpeedToLeadService>.Instance);
        return (speed, driver, new FollowUpOverviewReader(followUps, _stores.Outbox, _stores.Timers, _clock));
    }

    private async Task<FirstContactResult> SubmitAsync(SpeedToLeadService speed, string phone = "+491701234567")
    {
        var client = (await _stores.Clients.GetAsync("acme", default))!;
        var (valid, error) = SpeedToLeadService.Validate(client, new LeadSubmission("Anna Berger", phone, null, new ContactConsent(false, true, false), "website", "solar panels"));
        Assert.Null(error);
        return await speed.AcceptAsync(client, valid!, SpeedToLeadService.RouteFor(client, valid!)!, default);
    }

    [Fact]
    public async Task A_first_contact_inside_the_lead_s_quiet_hours_waits_until_they_end_and_a_repeat_within_24_hours_writes_nothing()
    {
        var (speed, _, _) = Services();
        var first = await SubmitAsync(speed);

        var eightInBerlin = new DateTimeOffset(2026, 11, 24, 7, 0, 0, TimeSpan.Zero);
        Assert.Equal((FirstContactOutcome.Queued, eightInBerlin), (first.Outcome, first.SendAt));
        var item = (await _stores.Outbox.GetAsync("acme", first.OutboxId!, default))!;
        Assert.Equal((OutboxStatus.Pending, OutboxPurpose.FirstContact, eightInBerlin), (item.Status, item.Purpose, item.CreatedAt));
        Assert.Null(await _queue.ClaimAsync(Queues.Deliver, TimeSpan.FromMinutes(1), default)); // held, not deliverable at night

        _clock.Advance(TimeSpan.FromHours(10)); // 08:30 in Berlin
        var repeat = await SubmitAsync(speed);
        Assert.Equal((FirstContactOutcome.Repeat, first.LeadId, first.OutboxId), (repeat.Outcome, repeat.LeadId, repeat.OutboxId));
        var deliver = await _queue.ClaimAsync(Queues.Deliver, TimeSpan.FromMinutes(1), default);
        Assert.Equal(first.OutboxId, DeliverWork.Parse(deliver!.Payload).OutboxId);
        Assert.Single(await _stores.Outbox.ListAsync("acme", first.LeadId, null, 50, default), i => i.Purpose == OutboxPurpose.FirstContact);

        // Still within 24 hours of the greeting (held until 08:00), though 25 hours after the lead came in: a repeat.
        _clock.Advance(TimeSpan.FromHours(15));
        Assert.Equal(FirstContactOutcome.Repeat, (await SubmitAsync(speed)).Outcome);

        // Over 24 hours after the greeting: a new submission is a new first contact.
        _clock.Advance(TimeSpan.FromHours(9));
        var later = await SubmitAsync(speed);
        Assert.Equal((FirstContactOutcome.Queued, first.LeadId), (later.Outcome, later.LeadId));
        Assert.NotEqual(first.OutboxId, later.OutboxId);
    }

    [Fact]
    public async Task The_cadence_runs_from_the_first_contact_and_after_its_last_step_the_lead_is_in_nurture_until_they_write()
    {
        var (speed, driver, overview) = Services("PT10S,PT30S", quiet: false);
        var first = await SubmitAsync(speed);
        var timer = await _stores.Timers.GetAsync("acme", first.LeadId, default);
        Assert.Equal((first.OutboxId, 0, _clock.GetUtcNow().AddSeconds(10)), (timer!.Cycle, timer.StepsSent, timer.DueAt));

        var scheduled = await overview.ReadAsync("acme", first.LeadId, default);
        Assert.Equal(("scheduled", new ScheduledFollowUp(1, timer.DueAt), false), (scheduled.Status, scheduled.Next, scheduled.Nurture));

        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await driver.SweepAsync(default));
        var afterOne = await overview.ReadAsync("acme", first.LeadId, default);
        Assert.Equal(("scheduled", 1, 2), (afterOne.Status, afterOne.StepsDone, afterOne.Next!.Step));
        Assert.Equal(_clock.GetUtcNow().AddSeconds(20), afterOne.Next.DueAt);
        var step1 = Assert.Single(afterOne.Sent);
        Assert.Equal((1, ChannelKind.Sms, OutboxStatus.Pending, first.OutboxId), (step1.Step, step1.Channel, step1.Status, step1.Cycle));

        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await driver.SweepAsync(default));
        var done = await overview.ReadAsync("acme", first.LeadId, default);
        Assert.Equal(("nurture", "cadence_done", true, null), (done.Status, done.Reason, done.Nurture, done.Next));
        Assert.Equal([2, 1], done.Sent.Select(s => s.Step));
        Assert.Null(await _stores.Timers.GetAsync("acme", first.LeadId, default));

        // The lead writes back: no longer cold (derived, so nothing needs resetting).
        var intake = new IntakeService(_stores.Leads, _stores.Conversations, _stores.Outbox, new StoreTimerConversationSignals(_queue, driver), Options.Create(new ConversationOptions()), Options.Create(new EmailIntakeOptions()), _clock, NullLogger<IntakeService>.Instance);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await intake.AcceptAsync((await _stores.Clients.GetAsync("acme", default))!, new InboundMessage(ChannelKind.Sms, "SM1", "+491701234567", null, null, "Sorry, busy week. Still interested!", "text", _clock.GetUtcNow()), default);
        var answered = await overview.ReadAsync("acme", first.LeadId, default);
        Assert.Equal(("paused", false), (answered.Status, answered.Nurture));
    }
}

public sealed class SpeedToLeadCadenceTestsAgainstSqlite : SpeedToLeadCadenceTests
{
    private readonly TempDatabase _temp = new();

    protected override Task<OutreachStores> CreateStoresAsync() => Task.FromResult(new OutreachStores(
        new SqliteClientStore(_temp.Db, TimeProvider.System),
        new SqliteLeadStore(_temp.Db),
        new SqliteConversationStore(_temp.Db),
        new SqliteOutboxStore(_temp.Db),
        new SqliteComplianceAuditLog(_temp.Db),
        new SqliteFollowUpTimerStore(_temp.Db),
        new SqliteOptOutLedger(_temp.Db)));

    protected override Task DisposeStoresAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(CosmosStandInCollection.Name)]
public sealed class SpeedToLeadCadenceTestsAgainstCosmosStandIn(CosmosStandInFixture standIn) : SpeedToLeadCadenceTests
{
    private Infrastructure.Azure.Cosmos.CosmosStores? _stores;

    protected override async Task<OutreachStores> CreateStoresAsync()
    {
        _stores = await standIn.CreateStoresAsync();
        return new OutreachStores(_stores.Clients, _stores.Leads, _stores.Conversations, _stores.Outbox, _stores.ComplianceAudit, _stores.FollowUpTimers, _stores.OptOuts);
    }

    protected override async Task DisposeStoresAsync()
    {
        await CosmosStandInFixture.DropAsync(_stores);
    }
}
