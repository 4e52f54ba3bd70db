using SalesFlow.Core.Common;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Privacy;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters;

/// <summary>The follow-up timer store's contract (guarded claims, due listing, erasure), run against both adapters.</summary>
public abstract class FollowUpTimerStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private IFollowUpTimerStore _timers = null!;
    private ILeadStore _leads = null!;
    private ILeadEraser _eraser = null!;

    protected abstract Task<(IFollowUpTimerStore Timers, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync();

    protected virtual Task DisposeStoresAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => (_timers, _leads, _eraser) = await CreateAsync();

    public Task DisposeAsync() => DisposeStoresAsync();

    private static FollowUpTimer Timer(string leadId, DateTimeOffset due, string clientId = "acme", string cycle = "out_1") =>
        new() { ClientId = clientId, LeadId = leadId, Cycle = cycle, DueAt = due };

    [Fact]
    public async Task A_set_timer_reads_back_and_a_second_set_replaces_it_with_a_new_version()
    {
        var first = await _timers.SetAsync(Timer("lead_a", Now.AddHours(1)), default);
        var read = await _timers.GetAsync("acme", "lead_a", default);
        Assert.Equal(first, read);
        Assert.NotEqual("", first.ETag);

        var second = await _timers.SetAsync(Timer("lead_a", Now.AddDays(1), cycle: "out_2") with { StepsSent = 1, LastStepAt = Now.AddHours(1) }, default);
        var reread = await _timers.GetAsync("acme", "lead_a", default);
        Assert.Equal(second, reread);
        Assert.Equal(("out_2", 1, Now.AddHours(1), Now.AddDays(1)), (reread!.Cycle, reread.StepsSent, reread.LastStepAt, reread.DueAt));
        Assert.NotEqual(first.ETag, second.ETag);
    }

    [Fact]
    public async Task The_due_listing_spans_clients_earliest_first_and_leaves_out_later_timers()
    {
        await _timers.SetAsync(Timer("lead_late", Now.AddMinutes(-1)), default);
        await _timers.SetAsync(Timer("lead_early", Now.AddMinutes(-10), clientId: "globex"), default);
        await _timers.SetAsync(Timer("lead_future", Now.AddMinutes(1)), default);

        var due = await _timers.ListDueAsync(Now, 10, default);
        Assert.Equal(["lead_early", "lead_late"], due.Select(t => t.LeadId));
        Assert.Single(await _timers.ListDueAsync(Now, 1, default));
    }

    [Fact]
    public async Task A_client_s_listing_holds_only_its_own_timers_due_or_not_earliest_first()
    {
        await _timers.SetAsync(Timer("lead_later", Now.AddDays(1)), default);
        await _timers.SetAsync(Timer("lead_due", Now.AddMinutes(-5)), default);
        await _timers.SetAsync(Timer("lead_other", Now.AddMinutes(-10), clientId: "globex"), default);

        Assert.Equal(["lead_due", "lead_later"], (await _timers.ListForClientAsync("acme", 10, default)).Select(t => t.LeadId));
        Assert.Equal(["lead_due"], (await _timers.ListForClientAsync("acme", 1, default)).Select(t => t.LeadId));
        Assert.Equal(["lead_other"], (await _timers.ListForClientAsync("globex", 10, default)).Select(t => t.LeadId));
        Assert.Empty(await _timers.ListForClientAsync("initech", 10, default));
    }

    [Fact]
    public async Task Of_two_claims_at_the_same_version_only_the_first_wins()
    {
        var timer = await _timers.SetAsync(Timer("lead_a", Now), default);

        var first = await _timers.TryReplaceAsync(timer with { DueAt = Now.AddMinutes(2) }, default);
        var second = await _timers.TryReplaceAsync(timer with { DueAt = Now.AddMinutes(2) }, default);

        Assert.NotNull(first);
        Assert.Null(second);
    }

    [Fact]
    public async Task A_claimed_timer_is_hidden_until_its_lease_ends_so_a_crashed_claim_comes_back()
    {
        var timer = await _timers.SetAsync(Timer("lead_a", Now), default);
        await _timers.TryReplaceAsync(timer with { DueAt = Now.AddMinutes(2) }, default);

        Assert.Empty(await _timers.ListDueAsync(Now.AddMinutes(1), 10, default));
        Assert.Single(await _timers.ListDueAsync(Now.AddMinutes(2), 10, default));
    }

    [Fact]
    public async Task A_fresh_plan_or_a_cancel_during_a_claim_makes_the_claimant_s_write_fail()
    {
        var claimed = await _timers.TryReplaceAsync(await _timers.SetAsync(Timer("lead_a", Now), default) with { DueAt = Now.AddMinutes(2) }, default);
        await _timers.SetAsync(Timer("lead_a", Now.AddHours(1), cycle: "out_2"), default);
        Assert.Null(await _timers.TryReplaceAsync(claimed! with { StepsSent = 1 }, default));
        Assert.False(await _timers.TryRemoveAsync(claimed!, default));
        Assert.Equal("out_2", (await _timers.GetAsync("acme", "lead_a", default))!.Cycle);

        var current = await _timers.GetAsync("acme", "lead_a", default);
        Assert.True(await _timers.CancelAsync("acme", "lead_a", default));
        Assert.Null(await _timers.TryReplaceAsync(current! with { StepsSent = 1 }, default));
        Assert.False(await _timers.CancelAsync("acme", "lead_a", default));
    }

    [Fact]
    public async Task A_remove_at_the_current_version_removes_the_timer()
    {
        var timer = await _timers.SetAsync(Timer("lead_a", Now), default);
        Assert.True(await _timers.TryRemoveAsync(timer, default));
        Assert.Null(await _timers.GetAsync("acme", "lead_a", default));
    }

    [Fact]
    public async Task Erasing_the_lead_erases_its_timer()
    {
        var (lead, _) = await _leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, "+491701112233", () => new Lead { Id = Ids.New("lead"), ClientId = "acme", CreatedAt = Now, UpdatedAt = Now }, default);
        await _timers.SetAsync(Timer(lead.Id, Now), default);

        Assert.NotNull(await _eraser.EraseAsync("acme", lead.Id, default));

        Assert.Null(await _timers.GetAsync("acme", lead.Id, default));
        Assert.Empty(await _timers.ListDueAsync(Now, 10, default));
    }
}

public sealed class FollowUpTimerStoreContractTestsAgainstSqlite : FollowUpTimerStoreContractTests
{
    private readonly TempDatabase _temp = new();

    protected override Task<(IFollowUpTimerStore Timers, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync() =>
        Task.FromResult<(IFollowUpTimerStore, ILeadStore, ILeadEraser)>((new SqliteFollowUpTimerStore(_temp.Db), new SqliteLeadStore(_temp.Db), new SqliteLeadEraser(_temp.Db, new SqliteMemoryIndex(_temp.Db))));

    protected override Task DisposeStoresAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(CosmosStandInCollection.Name)]
public sealed class FollowUpTimerStoreContractTestsAgainstCosmosStandIn(CosmosStandInFixture standIn) : FollowUpTimerStoreContractTests
{
    private Infrastructure.Azure.Cosmos.CosmosStores? _stores;

    protected override async Task<(IFollowUpTimerStore Timers, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync()
    {
        _stores = await standIn.CreateStoresAsync();
        return (_stores.FollowUpTimers, _stores.Leads, _stores.Eraser);
    }

    protected override async Task DisposeStoresAsync()
    {
        await CosmosStandInFixture.DropAsync(_stores);
    }
}
