using SalesFlow.Core.Common;
using SalesFlow.Core.Crm;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Privacy;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters;

/// <summary>The CRM link and lead outcome stores' contract (ETag-guarded, per client, gone with the lead), run against both adapters.</summary>
public abstract class CrmStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private ICrmLinkStore _links = null!;
    private ILeadOutcomeStore _outcomes = null!;
    private ILeadStore _leads = null!;
    private ILeadEraser _eraser = null!;

    protected abstract Task<(ICrmLinkStore Links, ILeadOutcomeStore Outcomes, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync();

    protected virtual Task DisposeStoresAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => (_links, _outcomes, _leads, _eraser) = await CreateAsync();

    public Task DisposeAsync() => DisposeStoresAsync();

    [Fact]
    public async Task A_link_is_created_once_then_replaced_only_at_its_etag()
    {
        var created = await _links.SaveAsync(CrmLink.New("acme", "lead_1") with { ContactId = "501" }, default);
        Assert.NotEmpty(created.ETag);
        await Assert.ThrowsAsync<ConcurrencyException>(() => _links.SaveAsync(CrmLink.New("acme", "lead_1") with { ContactId = "999" }, default));

        var updated = await _links.SaveAsync(created with { DealId = "801", DealStage = "qualifiedtobuy", LastSyncedAt = Now, LastSyncedState = "value_proposition" }, default);
        await Assert.ThrowsAsync<ConcurrencyException>(() => _links.SaveAsync(created with { DealId = "stale" }, default));

        var stored = (await _links.GetAsync("acme", "lead_1", default))!;
        Assert.Equal(updated, stored);
        Assert.Equal(("501", "801", "qualifiedtobuy", Now, "value_proposition"), (stored.ContactId, stored.DealId, stored.DealStage, stored.LastSyncedAt, stored.LastSyncedState));
    }

    [Fact]
    public async Task Links_are_found_by_deal_only_within_their_client()
    {
        await _links.SaveAsync(CrmLink.New("acme", "lead_1") with { ContactId = "501", DealId = "801" }, default);
        await _links.SaveAsync(CrmLink.New("globex", "lead_1") with { ContactId = "502", DealId = "802" }, default);

        Assert.Equal("lead_1", (await _links.FindByDealAsync("acme", "801", default))?.LeadId);
        Assert.Null(await _links.FindByDealAsync("acme", "802", default));
        Assert.Null(await _links.FindByDealAsync("globex", "801", default));
        Assert.Equal("502", (await _links.GetAsync("globex", "lead_1", default))?.ContactId);
        Assert.Null(await _links.GetAsync("initech", "lead_1", default));
    }

    [Fact]
    public async Task The_retry_listing_holds_due_transient_failures_of_every_client_soonest_first()
    {
        await _links.SaveAsync(CrmLink.New("acme", "later") with { LastError = "503", NextRetryAt = Now.AddMinutes(5) }, default);
        await _links.SaveAsync(CrmLink.New("globex", "due") with { LastError = "429", NextRetryAt = Now.AddSeconds(-10) }, default);
        await _links.SaveAsync(CrmLink.New("acme", "due") with { LastError = "503", NextRetryAt = Now.AddSeconds(-30) }, default);
        await _links.SaveAsync(CrmLink.New("acme", "permanent") with { LastError = "401", ErrorIsPermanent = true }, default);
        var healed = await _links.SaveAsync(CrmLink.New("acme", "healed") with { LastError = "503", NextRetryAt = Now.AddSeconds(-60) }, default);
        await _links.SaveAsync(healed with { LastError = null, NextRetryAt = null }, default);

        var due = await _links.ListRetryDueAsync(Now, 10, default);

        Assert.Equal([("acme", "due"), ("globex", "due")], due.Select(l => (l.ClientId, l.LeadId)));
        Assert.Single(await _links.ListRetryDueAsync(Now, 1, default));
    }

    [Fact]
    public async Task An_outcome_is_replaced_by_the_latest_word_and_kept_per_client()
    {
        Assert.Null(await _outcomes.GetAsync("acme", "lead_1", default));
        await _outcomes.SetAsync(new LeadOutcome("acme", "lead_1", LeadOutcomes.Won, 12000m, "deal 801 won", "hubspot", Now), default);
        await _outcomes.SetAsync(new LeadOutcome("acme", "lead_1", LeadOutcomes.Lost, null, "deal 801 lost", "hubspot", Now.AddDays(1)), default);

        Assert.Equal(new LeadOutcome("acme", "lead_1", LeadOutcomes.Lost, null, "deal 801 lost", "hubspot", Now.AddDays(1)), await _outcomes.GetAsync("acme", "lead_1", default));
        Assert.Null(await _outcomes.GetAsync("globex", "lead_1", default));
    }

    [Fact]
    public async Task Of_concurrent_copies_of_one_outcome_one_stores_it_and_an_older_one_never_replaces_a_newer()
    {
        var won = new LeadOutcome("acme", "lead_2", LeadOutcomes.Won, null, "deal 802 won", "hubspot", Now);
        var lost = won with { Outcome = LeadOutcomes.Lost, Reason = "deal 802 lost", At = Now.AddMinutes(1) };

        var stored = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _outcomes.SetIfNewerAsync(won, default)));
        var newer = await Task.WhenAll(_outcomes.SetIfNewerAsync(lost, default), _outcomes.SetIfNewerAsync(won, default));

        Assert.Single(stored, s => s);
        Assert.Equal([true, false], newer);
        Assert.Equal(lost, await _outcomes.GetAsync("acme", "lead_2", default));
        Assert.False(await _outcomes.SetIfNewerAsync(won with { At = Now.AddSeconds(30) }, default));
    }

    [Fact]
    public async Task Erasing_the_lead_deletes_its_crm_link_and_outcome()
    {
        var (lead, _) = await _leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, "+491701112244", () => new Lead { Id = Ids.New("lead"), ClientId = "acme", CreatedAt = Now, UpdatedAt = Now }, default);
        await _links.SaveAsync(CrmLink.New("acme", lead.Id) with { ContactId = "501", DealId = "801" }, default);
        await _outcomes.SetAsync(new LeadOutcome("acme", lead.Id, LeadOutcomes.Won, null, null, "hubspot", Now), default);

        var report = await _eraser.EraseAsync("acme", lead.Id, default);

        Assert.Equal((1, 1), (report!.Removed["crm_links"], report.Removed["lead_outcomes"]));
        Assert.Null(await _links.GetAsync("acme", lead.Id, default));
        Assert.Null(await _links.FindByDealAsync("acme", "801", default));
        Assert.Null(await _outcomes.GetAsync("acme", lead.Id, default));
    }
}

public sealed class CrmStoreContractTestsAgainstSqlite : CrmStoreContractTests
{
    private readonly TempDatabase _temp = new();

    protected override Task<(ICrmLinkStore Links, ILeadOutcomeStore Outcomes, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync() =>
        Task.FromResult<(ICrmLinkStore, ILeadOutcomeStore, ILeadStore, ILeadEraser)>(
            (new SqliteCrmLinkStore(_temp.Db), new SqliteLeadOutcomeStore(_temp.Db), new SqliteLeadStore(_temp.Db), new SqliteLeadEraser(_temp.Db, new SqliteMemoryIndex(_temp.Db))));

    protected override Task DisposeStoresAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(CosmosStandInCollection.Name)]
public sealed class CrmStoreContractTestsAgainstCosmosStandIn(CosmosStandInFixture standIn) : CrmStoreContractTests
{
    private CosmosStores? _stores;

    protected override async Task<(ICrmLinkStore Links, ILeadOutcomeStore Outcomes, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync()
    {
        _stores = await standIn.CreateStoresAsync();
        return (new CosmosCrmLinkStore(_stores.Containers), new CosmosLeadOutcomeStore(_stores.Containers), _stores.Leads, _stores.Eraser);
    }

    protected override Task DisposeStoresAsync() => CosmosStandInFixture.DropAsync(_stores);
}
