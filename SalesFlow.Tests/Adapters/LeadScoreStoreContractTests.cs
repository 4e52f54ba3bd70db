using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Privacy;
using SalesFlow.Core.Qualification;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters;

/// <summary>The score snapshot, learnt-weights and outcome-listing contract (newer wins, per client, list filters/orders/keyset, gone with the lead), run against both adapters.</summary>
public abstract class LeadScoreStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private ILeadScoreStore _scores = null!;
    private ILeadScoreModelStore _models = null!;
    private ILeadOutcomeStore _outcomes = null!;
    private ILeadStore _leads = null!;
    private ILeadEraser _eraser = null!;

    protected abstract Task<(ILeadScoreStore Scores, ILeadScoreModelStore Models, ILeadOutcomeStore Outcomes, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync();

    protected virtual Task DisposeStoresAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => (_scores, _models, _outcomes, _leads, _eraser) = await CreateAsync();

    public Task DisposeAsync() => DisposeStoresAsync();

    internal static LeadScoreSnapshot Snapshot(string clientId, string leadId, double probability, DateTimeOffset computedAt, string? name = null, string? state = "value_proposition", DateTimeOffset? lastActivity = null, DateTimeOffset? created = null, string? phone = null)
    {
        var features = new LeadScoreFeatures(0.5, 3, 10, 0.2, ConversationState.ValueProposition, 1);
        var score = LeadScore.Compute(features) with { Probability = probability, Temperature = LeadScore.Temperature(probability) };
        return new LeadScoreSnapshot(clientId, leadId, score, features, LeadScoreSnapshot.Prior, 0, computedAt, name, null, phone, state, ["whatsapp"], "hello", lastActivity ?? Now, false, false, created ?? Now.AddDays(-1), lastActivity ?? Now);
    }

    private Task<IReadOnlyList<LeadScoreSnapshot>> List(string clientId, LeadSort sort = LeadSort.Score, bool descending = true, string? temperature = null, string? state = null, string? q = null, string? after = null, int limit = 10) =>
        _scores.ListAsync(clientId, new LeadListQuery(temperature, state, q, sort, descending, after, limit), default);

    [Fact]
    public async Task A_snapshot_round_trips_and_an_older_one_never_replaces_a_newer()
    {
        var fresh = Snapshot("acme", "lead_1", 0.7, Now, "Anna");
        Assert.True(await _scores.SaveAsync(fresh, default));
        Assert.False(await _scores.SaveAsync(Snapshot("acme", "lead_1", 0.1, Now.AddMinutes(-5)), default));

        var stored = (await _scores.GetAsync("acme", "lead_1", default))!;
        Assert.Equal((0.7, "hot", "Anna", Now), (stored.Score.Probability, stored.Score.Temperature, stored.Name, stored.ComputedAt));
        Assert.Equal(fresh.Score.Terms, stored.Score.Terms);
        Assert.Equal(fresh.Features, stored.Features);
        Assert.Equal(["whatsapp"], stored.Channels);

        Assert.True(await _scores.SaveAsync(Snapshot("acme", "lead_1", 0.2, Now.AddHours(1)), default));
        Assert.Equal("cold", (await _scores.GetAsync("acme", "lead_1", default))!.Score.Temperature);
        Assert.Null(await _scores.GetAsync("globex", "lead_1", default));
    }

    [Fact]
    public async Task The_list_filters_sorts_and_pages_within_one_client_only()
    {
        await _scores.SaveAsync(Snapshot("acme", "a", 0.9, Now, "Zoe", created: Now.AddDays(-3)), default);
        await _scores.SaveAsync(Snapshot("acme", "b", 0.4, Now, "anna", state: "initial_contact", created: Now.AddDays(-1), phone: "+49170123"), default);
        await _scores.SaveAsync(Snapshot("acme", "c", 0.1, Now, null, created: Now.AddDays(-2)), default);
        await _scores.SaveAsync(Snapshot("acme", "d", 0.65, Now, "Bert", created: Now.AddDays(-4)), default);
        await _scores.SaveAsync(Snapshot("globex", "x", 0.99, Now, "Anna"), default);

        Assert.Equal(["a", "d", "b", "c"], (await List("acme")).Select(s => s.LeadId));
        Assert.Equal(["c", "b", "d", "a"], (await List("acme", descending: false)).Select(s => s.LeadId));
        Assert.Equal(["b", "d", "a", "c"], (await List("acme", LeadSort.Name, descending: false)).Select(s => s.LeadId));
        Assert.Equal(["b", "c", "a", "d"], (await List("acme", LeadSort.Created)).Select(s => s.LeadId));
        Assert.Equal(["a", "d"], (await List("acme", temperature: "hot")).Select(s => s.LeadId));
        Assert.Equal(["b"], (await List("acme", state: "initial_contact")).Select(s => s.LeadId));
        Assert.Equal(["b"], (await List("acme", q: "ann")).Select(s => s.LeadId));
        Assert.Equal(["b"], (await List("acme", q: "0123")).Select(s => s.LeadId));

        var first = await List("acme", limit: 2);
        Assert.Equal(["a", "d"], first.Select(s => s.LeadId));
        var second = await List("acme", after: first[^1].SortKey(LeadSort.Score), limit: 2);
        Assert.Equal(["b", "c"], second.Select(s => s.LeadId));
        Assert.Empty(await List("acme", after: second[^1].SortKey(LeadSort.Score)));

        Assert.Equal(["x"], (await List("globex")).Select(s => s.LeadId));
        Assert.Empty(await List("initech"));
    }

    [Fact]
    public async Task The_stale_listing_holds_old_snapshots_of_every_client_oldest_first()
    {
        await _scores.SaveAsync(Snapshot("acme", "fresh", 0.5, Now), default);
        await _scores.SaveAsync(Snapshot("globex", "old", 0.5, Now.AddHours(-10)), default);
        await _scores.SaveAsync(Snapshot("acme", "older", 0.5, Now.AddHours(-20)), default);

        var stale = await _scores.ListStaleAsync(Now.AddHours(-6), 10, default);

        Assert.Equal([("acme", "older"), ("globex", "old")], stale.Select(s => (s.ClientId, s.LeadId)));
        Assert.Single(await _scores.ListStaleAsync(Now.AddHours(-6), 1, default));
    }

    [Fact]
    public async Task Learnt_weights_are_kept_per_client_and_replaced_by_a_refit()
    {
        Assert.Null(await _models.GetAsync("acme", default));
        var weights = new Dictionary<string, double> { ["bant"] = 2.5, ["engagement"] = 0.4, ["responseSpeed"] = 0.1, ["sentiment"] = 0.9, ["stage"] = 1.7, ["recency"] = 0.3 };
        await _models.SaveAsync(new LeadScoreModel("acme", weights, -1.5, 20, 8, 21, Now, Now), default);
        await _models.SaveAsync(new LeadScoreModel("acme", weights, -2.5, 30, 12, 30, Now.AddDays(1), Now.AddDays(1)), default);

        var stored = (await _models.GetAsync("acme", default))!;
        Assert.Equal((-2.5, 30, 12, 30), (stored.Bias, stored.Outcomes, stored.Won, stored.OutcomesRead));
        Assert.Equal(weights, stored.Weights);
        Assert.Null(await _models.GetAsync("globex", default));
    }

    [Fact]
    public async Task Outcomes_are_listed_per_client()
    {
        await _outcomes.SetAsync(new LeadOutcome("acme", "l1", LeadOutcomes.Won, 100m, null, "api", Now), default);
        await _outcomes.SetAsync(new LeadOutcome("acme", "l2", LeadOutcomes.Lost, null, "price", "api", Now.AddHours(1)), default);
        await _outcomes.SetAsync(new LeadOutcome("globex", "l3", LeadOutcomes.Won, null, null, "api", Now), default);

        Assert.Equal(["l2", "l1"], (await _outcomes.ListAsync("acme", 10, default)).Select(o => o.LeadId));
        Assert.Single(await _outcomes.ListAsync("acme", 1, default));
        Assert.Equal(["l3"], (await _outcomes.ListAsync("globex", 10, default)).Select(o => o.LeadId));
    }

    [Fact]
    public async Task Erasing_the_lead_deletes_its_score_snapshot()
    {
        var (lead, _) = await _leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, "+491701112255", () => new Lead { Id = Ids.New("lead"), ClientId = "acme", CreatedAt = Now, UpdatedAt = Now }, default);
        await _scores.SaveAsync(Snapshot("acme", lead.Id, 0.8, Now, "Anna"), default);

        var report = await _eraser.EraseAsync("acme", lead.Id, default);

        Assert.Equal(1, report!.Removed["lead_scores"]);
        Assert.Null(await _scores.GetAsync("acme", lead.Id, default));
        Assert.Empty(await List("acme"));
    }
}

public sealed class LeadScoreStoreContractTestsAgainstSqlite : LeadScoreStoreContractTests
{
    private readonly TempDatabase _temp = new();

    protected override Task<(ILeadScoreStore Scores, ILeadScoreModelStore Models, ILeadOutcomeStore Outcomes, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync() =>
        Task.FromResult<(ILeadScoreStore, ILeadScoreModelStore, ILeadOutcomeStore, ILeadStore, ILeadEraser)>(
            (new SqliteLeadScoreStore(_temp.Db), new SqliteLeadScoreModelStore(_temp.Db), new SqliteLeadOutcomeStore(_temp.Db), new SqliteLeadStore(_temp.Db), new SqliteLeadEraser(_temp.Db, new SqliteMemoryIndex(_temp.Db))));

    protected override Task DisposeStoresAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(CosmosStandInCollection.Name)]
public sealed class LeadScoreStoreContractTestsAgainstCosmosStandIn(CosmosStandInFixture standIn) : LeadScoreStoreContractTests
{
    private CosmosStores? _stores;

    protected override async Task<(ILeadScoreStore Scores, ILeadScoreModelStore Models, ILeadOutcomeStore Outcomes, ILeadStore Leads, ILeadEraser Eraser)> CreateAsync()
    {
        _stores = await standIn.CreateStoresAsync();
        return (new CosmosLeadScoreStore(_stores.Containers), new CosmosLeadScoreModelStore(_stores.Containers), new CosmosLeadOutcomeStore(_stores.Containers), _stores.Leads, _stores.Eraser);
    }

    protected override Task DisposeStoresAsync() => CosmosStandInFixture.DropAsync(_stores);
}
