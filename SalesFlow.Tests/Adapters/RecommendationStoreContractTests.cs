using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Privacy;
using SalesFlow.Core.Recommendations;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters;

/// <summary>The recommendation and playbook stores' contract (idempotent plans, per client, ETag-guarded, gone with the lead), run against both adapters.</summary>
public abstract class RecommendationStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private IRecommendationStore _store = null!;
    private IPlaybookStore _playbooks = null!;
    private ILeadStore _leads = null!;
    private ILeadEraser _eraser = null!;

    protected abstract Task<(IRecommendationStore Store, IPlaybookStore Playbooks, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync();

    protected virtual Task DisposeStoresAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => (_store, _playbooks, _leads, _eraser) = await CreateAsync();

    public Task DisposeAsync() => DisposeStoresAsync();

    private static Recommendation Rec(string kind, string trigger, string client = "acme", string lead = "lead_1", DateTimeOffset? at = null) =>
        Recommendation.Create(client, lead, kind, trigger, 70, $"{kind} because {trigger}", at ?? Now);

    [Fact]
    public async Task The_same_plan_applied_twice_creates_each_recommendation_once()
    {
        IReadOnlyList<Recommendation> plan = [Rec("call", "hot"), Rec("reply_now", "seq:3")];

        var first = await _store.ApplyPlanAsync("acme", "lead_1", plan, Now, Now.AddHours(12), default);
        var again = await _store.ApplyPlanAsync("acme", "lead_1", plan, Now.AddMinutes(1), Now.AddHours(12), default);

        Assert.Equal(2, first.Count);
        Assert.Empty(again);
        var stored = await _store.ListAsync("acme", new RecommendationFilter(LeadId: "lead_1"), 100, default);
        Assert.Equal(["call", "reply_now"], stored.Select(r => r.Kind).Order());
        Assert.All(stored, r => Assert.Equal(RecommendationStatuses.Open, r.Status));
        Assert.Equal(plan[0] with { ETag = "" }, (await _store.GetAsync("acme", plan[0].Id, default))! with { ETag = "" });
    }

    [Fact]
    public async Task A_plan_expires_the_leads_open_planner_recommendations_it_no_longer_holds_but_not_decided_or_playbook_ones()
    {
        var playbookStep = Rec("book_meeting", "playbook:pb_1:0") with { Source = RecommendationSources.Playbook, PlaybookId = "pb_1", PlaybookStep = 0 };
        await _store.AddAsync(playbookStep, default);
        await _store.ApplyPlanAsync("acme", "lead_1", [Rec("reply_now", "seq:3"), Rec("call", "hot"), Rec("qualify", "gaps:budget")], Now, Now.AddHours(12), default);
        await _store.ApplyPlanAsync("acme", "lead_2", [Rec("reply_now", "seq:1", lead: "lead_2")], Now, Now.AddHours(12), default);
        var call = (await _store.GetAsync("acme", Rec("call", "hot").Id, default))!;
        await _store.ReplaceAsync(call with { Status = RecommendationStatuses.Dismissed, DecidedAt = Now }, default);

        await _store.ApplyPlanAsync("acme", "lead_1", [Rec("qualify", "gaps:budget"), Rec("call", "hot")], Now.AddHours(1), Now.AddHours(12), default);

        var byKind = (await _store.ListAsync("acme", new RecommendationFilter(LeadId: "lead_1"), 100, default)).ToDictionary(r => r.Kind, r => r.Status);
        Assert.Equal(RecommendationStatuses.Expired, byKind["reply_now"]);
        Assert.Equal(RecommendationStatuses.Dismissed, byKind["call"]); // planned again: a rep's dismissal stands
        Assert.Equal(RecommendationStatuses.Open, byKind["qualify"]);
        Assert.Equal(RecommendationStatuses.Open, byKind["book_meeting"]);
        Assert.Equal(RecommendationStatuses.Open, (await _store.GetAsync("acme", Rec("reply_now", "seq:1", lead: "lead_2").Id, default))!.Status);
    }

    [Fact]
    public async Task A_replace_is_guarded_by_the_etag()
    {
        var stored = await _store.AddAsync(Rec("call", "hot"), default);
        Assert.NotEmpty(stored.ETag);
        Assert.Equal(stored.ETag, (await _store.AddAsync(Rec("call", "hot") with { Reason = "second add" }, default)).ETag);

        var accepted = await _store.ReplaceAsync(stored with { Status = RecommendationStatuses.Accepted, Note = "calling at 5", DecidedAt = Now }, default);
        await Assert.ThrowsAsync<ConcurrencyException>(() => _store.ReplaceAsync(stored with { Status = RecommendationStatuses.Dismissed }, default));

        var read = (await _store.GetAsync("acme", stored.Id, default))!;
        Assert.Equal((RecommendationStatuses.Accepted, "calling at 5", accepted.ETag), (read.Status, read.Note, read.ETag));
        Assert.Equal("call because hot", read.Reason);
    }

    [Fact]
    public async Task Lists_filter_by_status_kind_and_lead_within_the_client_only()
    {
        await _store.ApplyPlanAsync("acme", "lead_1", [Rec("call", "hot"), Rec("reply_now", "seq:1")], Now, Now.AddHours(12), default);
        await _store.ApplyPlanAsync("acme", "lead_2", [Rec("call", "hot", lead: "lead_2")], Now, Now.AddHours(12), default);
        await _store.ApplyPlanAsync("globex", "lead_1", [Rec("call", "hot", client: "globex")], Now, Now.AddHours(12), default);

        Assert.Equal(3, (await _store.ListAsync("acme", new RecommendationFilter(), 100, default)).Count);
        Assert.Equal(["lead_1", "lead_2"], (await _store.ListAsync("acme", new RecommendationFilter(Status: "open", Kind: "call"), 100, default)).Select(r => r.LeadId).Order());
        Assert.Single(await _store.ListAsync("acme", new RecommendationFilter(Kind: "call", LeadId: "lead_2"), 100, default));
        Assert.Empty(await _store.ListAsync("acme", new RecommendationFilter(Status: "done"), 100, default));
        Assert.Single(await _store.ListAsync("globex", new RecommendationFilter(), 100, default));
        Assert.Null(await _store.GetAsync("globex", Rec("reply_now", "seq:1").Id, default));
        Assert.Empty(await _store.ListAsync("initech", new RecommendationFilter(), 100, default));
    }

    [Fact]
    public async Task Decisions_are_the_clients_latest_accepted_dismissed_and_done_ones()
    {
        var call = await _store.AddAsync(Rec("call", "hot"), default);
        var reply = await _store.AddAsync(Rec("reply_now", "seq:1"), default);
        await _store.AddAsync(Rec("nurture", "silent"), default);
        var other = await _store.AddAsync(Rec("call", "hot", client: "globex"), default);
        await _store.ReplaceAsync(call with { Status = RecommendationStatuses.Dismissed, DecidedAt = Now }, default);
        await _store.ReplaceAsync(reply with { Status = RecommendationStatuses.Done, DecidedAt = Now.AddMinutes(1) }, default);
        await _store.ReplaceAsync(other with { Status = RecommendationStatuses.Accepted, DecidedAt = Now }, default);

        Assert.Equal([("reply_now", "done"), ("call", "dismissed")], await _store.ListDecisionsAsync("acme", 10, default));
        Assert.Equal([("reply_now", "done")], await _store.ListDecisionsAsync("acme", 1, default));
    }

    [Fact]
    public async Task The_timer_expires_open_ones_past_expiry_of_every_client_in_bounded_batches()
    {
        await _store.AddAsync(Rec("reply_now", "seq:1", at: Now.AddDays(-3)), default); // lived one day
        await _store.AddAsync(Rec("reply_now", "seq:1", client: "globex", at: Now.AddDays(-3)), default);
        var decided = await _store.AddAsync(Rec("reply_now", "seq:2", at: Now.AddDays(-3)), default);
        await _store.ReplaceAsync(decided with { Status = RecommendationStatuses.Done, DecidedAt = Now.AddDays(-3) }, default);
        await _store.AddAsync(Rec("nurture", "silent", at: Now.AddDays(-3)), default); // lives two weeks

        Assert.Equal(1, await _store.ExpireDueAsync(Now, 1, default));
        Assert.Equal(1, await _store.ExpireDueAsync(Now, 10, default));
        Assert.Equal(0, await _store.ExpireDueAsync(Now, 10, default));

        Assert.Equal(RecommendationStatuses.Expired, (await _store.GetAsync("acme", Rec("reply_now", "seq:1").Id, default))!.Status);
        Assert.Equal(RecommendationStatuses.Expired, (await _store.GetAsync("globex", Rec("reply_now", "seq:1", client: "globex").Id, default))!.Status);
        Assert.Equal(RecommendationStatuses.Done, (await _store.GetAsync("acme", decided.Id, default))!.Status);
        Assert.Equal(RecommendationStatuses.Open, (await _store.GetAsync("acme", Rec("nurture", "silent").Id, default))!.Status);
    }

    [Fact]
    public async Task Revisits_are_due_soonest_first_and_a_new_plan_moves_them()
    {
        await _store.ApplyPlanAsync("acme", "lead_1", [], Now, Now.AddHours(2), default);
        await _store.ApplyPlanAsync("globex", "lead_9", [], Now, Now.AddHours(1), default);
        await _store.ApplyPlanAsync("acme", "lead_2", [], Now, Now.AddHours(30), default);

        Assert.Equal([("globex", "lead_9"), ("acme", "lead_1")], (await _store.ListRevisitsDueAsync(Now.AddHours(3), 10, default)).Select(r => (r.ClientId, r.LeadId)));
        Assert.Single(await _store.ListRevisitsDueAsync(Now.AddHours(3), 1, default));

        await _store.ApplyPlanAsync("globex", "lead_9", [], Now.AddHours(3), Now.AddHours(15), default);
        Assert.Equal([("acme", "lead_1")], (await _store.ListRevisitsDueAsync(Now.AddHours(3), 10, default)).Select(r => (r.ClientId, r.LeadId)));
    }

    [Fact]
    public async Task Playbooks_and_runs_are_kept_per_client_and_a_run_is_replaced_only_at_its_etag()
    {
        var playbook = new Playbook("pb_1", "acme", "Demo to deal", [new PlaybookStep("Demo", "book_meeting", null), new PlaybookStep("Proposal", "send_proposal", 2)], Now);
        await _playbooks.AddAsync(playbook, default);
        await _playbooks.AddAsync(playbook with { Id = "pb_2", Name = "Later", CreatedAt = Now.AddMinutes(1) }, default);

        Assert.Equal(["Demo to deal", "Later"], (await _playbooks.ListAsync("acme", default)).Select(p => p.Name));
        Assert.Equal(playbook.Steps, (await _playbooks.GetAsync("acme", "pb_1", default))!.Steps);
        Assert.Null(await _playbooks.GetAsync("globex", "pb_1", default));
        Assert.Empty(await _playbooks.ListAsync("globex", default));

        var run = await _playbooks.SaveRunAsync(new PlaybookRun { ClientId = "acme", LeadId = "lead_1", PlaybookId = "pb_1", StartedAt = Now }, default);
        await Assert.ThrowsAsync<ConcurrencyException>(() => _playbooks.SaveRunAsync(new PlaybookRun { ClientId = "acme", LeadId = "lead_1", PlaybookId = "pb_1", StartedAt = Now }, default));
        var advanced = await _playbooks.SaveRunAsync(run with { CurrentStep = 1, StepsDone = [Now.AddHours(1)] }, default);
        await Assert.ThrowsAsync<ConcurrencyException>(() => _playbooks.SaveRunAsync(run with { CurrentStep = 2 }, default));

        var read = (await _playbooks.GetRunAsync("acme", "lead_1", "pb_1", default))!;
        Assert.Equal((1, advanced.ETag, Now.AddHours(1)), (read.CurrentStep, read.ETag, read.StepsDone.Single()));
        Assert.Single(await _playbooks.ListRunsAsync("acme", "lead_1", default));
        Assert.Null(await _playbooks.GetRunAsync("globex", "lead_1", "pb_1", default));
        Assert.Empty(await _playbooks.ListRunsAsync("globex", "lead_1", default));
    }

    [Fact]
    public async Task Erasing_the_lead_deletes_its_recommendations_revisit_and_playbook_runs_but_not_the_playbook()
    {
        var (lead, _) = await _leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, "+491701112255", () => new Lead { Id = Ids.New("lead"), ClientId = "acme", CreatedAt = Now, UpdatedAt = Now }, default);
        await _store.ApplyPlanAsync("acme", lead.Id, [Rec("call", "hot", lead: lead.Id), Rec("reply_now", "seq:1", lead: lead.Id)], Now, Now.AddHours(1), default);
        await _store.ApplyPlanAsync("acme", "lead_other", [Rec("call", "hot", lead: "lead_other")], Now, Now.AddHours(1), default);
        await _playbooks.AddAsync(new Playbook("pb_1", "acme", "Demo", [new PlaybookStep("Demo", "book_meeting", null)], Now), default);
        await _playbooks.SaveRunAsync(new PlaybookRun { ClientId = "acme", LeadId = lead.Id, PlaybookId = "pb_1", StartedAt = Now }, default);

        var report = await _eraser.EraseAsync("acme", lead.Id, default);

        Assert.Equal((2, 1, 1), (report!.Removed["recommendations"], report.Removed["recommendation_revisits"], report.Removed["playbook_runs"]));
        Assert.Empty(await _store.ListAsync("acme", new RecommendationFilter(LeadId: lead.Id), 100, default));
        Assert.Null(await _playbooks.GetRunAsync("acme", lead.Id, "pb_1", default));
        Assert.Equal([("acme", "lead_other")], (await _store.ListRevisitsDueAsync(Now.AddHours(2), 10, default)).Select(r => (r.ClientId, r.LeadId)));
        Assert.NotNull(await _playbooks.GetAsync("acme", "pb_1", default));
        Assert.Single(await _store.ListAsync("acme", new RecommendationFilter(), 100, default));
    }
}

public sealed class RecommendationStoreContractTestsAgainstSqlite : RecommendationStoreContractTests
{
    private readonly TempDatabase _temp = new();

    protected override Task<(IRecommendationStore Store, IPlaybookStore Playbooks, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync() =>
        Task.FromResult<(IRecommendationStore, IPlaybookStore, ILeadStore, ILeadEraser)>(
            (new SqliteRecommendationStore(_temp.Db), new SqlitePlaybookStore(_temp.Db), new SqliteLeadStore(_temp.Db), new SqliteLeadEraser(_temp.Db, new SqliteMemoryIndex(_temp.Db))));

    protected override Task DisposeStoresAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(CosmosStandInCollection.Name)]
public sealed class RecommendationStoreContractTestsAgainstCosmosStandIn(CosmosStandInFixture standIn) : RecommendationStoreContractTests
{
    private CosmosStores? _stores;

    protected override async Task<(IRecommendationStore Store, IPlaybookStore Playbooks, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync()
    {
        _stores = await standIn.CreateStoresAsync();
        return (new CosmosRecommendationStore(_stores.Containers), new CosmosPlaybookStore(_stores.Containers), _stores.Leads, _stores.Eraser);
    }

    protected override Task DisposeStoresAsync() => CosmosStandInFixture.DropAsync(_stores);
}
