using Microsoft.Extensions.Time.Testing;
using SalesFlow.Core.Recommendations;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Recommendations;

/// <summary>Playbook runs on the embedded store: start once, advance step by step through the step recommendations, complete.</summary>
public sealed class PlaybookServiceTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly SqlitePlaybookStore _playbooks;
    private readonly SqliteRecommendationStore _recommendations;
    private readonly PlaybookService _service;

    private readonly Playbook _playbook = new(
        "pb_1",
        "acme",
        "Demo to deal",
        [new PlaybookStep("Demo", RecommendationKinds.BookMeeting, null), new PlaybookStep("Proposal", RecommendationKinds.SendProposal, 2), new PlaybookStep("Negotiation", RecommendationKinds.Call, 1)],
        Now);

    public PlaybookServiceTests()
    {
        _playbooks = new SqlitePlaybookStore(_temp.Db);
        _recommendations = new SqliteRecommendationStore(_temp.Db);
        _service = new PlaybookService(_playbooks, _recommendations, _clock);
    }

    public void Dispose() => _temp.Dispose();

    private Task<IReadOnlyList<Recommendation>> OpenAsync() => _recommendations.ListAsync("acme", new RecommendationFilter(RecommendationStatuses.Open, null, "lead_1"), 100, default);

    private async Task<Recommendation> DecideAsync(Recommendation step, string status)
    {
        var decided = await _recommendations.ReplaceAsync(step with { Status = status, DecidedAt = _clock.GetUtcNow() }, default);
        await _service.AdvanceAsync(decided, default);
        return decided;
    }

    [Fact]
    public async Task Starting_twice_is_one_run_with_one_open_step()
    {
        await _playbooks.AddAsync(_playbook, default);

        var (run, started) = await _service.StartAsync(_playbook, "lead_1", default);
        var (again, startedAgain) = await _service.StartAsync(_playbook, "lead_1", default);

        Assert.Equal((true, false), (started, startedAgain));
        Assert.Equal(run.ETag, again.ETag);
        var step = Assert.Single(await OpenAsync());
        Assert.Equal((RecommendationKinds.BookMeeting, RecommendationSources.Playbook, "pb_1", 0), (step.Kind, step.Source, step.PlaybookId, step.PlaybookStep));
        Assert.Contains("step 1 of 3: Demo", step.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_step_done_opens_the_next_due_after_its_days_and_the_last_completes_the_run()
    {
        await _playbooks.AddAsync(_playbook, default);
        await _service.StartAsync(_playbook, "lead_1", default);

        _clock.Advance(TimeSpan.FromHours(3));
        await DecideAsync(Assert.Single(await OpenAsync()), RecommendationStatuses.Done);
        var proposal = Assert.Single(await OpenAsync());
        Assert.Equal((RecommendationKinds.SendProposal, 1, Now.AddHours(3).AddDays(2)), (proposal.Kind, proposal.PlaybookStep, proposal.DueAt));

        await DecideAsync(proposal, RecommendationStatuses.Accepted);
        var negotiation = Assert.Single(await OpenAsync());
        Assert.Equal(RecommendationKinds.Call, negotiation.Kind);

        await DecideAsync(negotiation, RecommendationStatuses.Done);
        Assert.Empty(await OpenAsync());
        var run = (await _playbooks.GetRunAsync("acme", "lead_1", "pb_1", default))!;
        Assert.Equal((3, Now.AddHours(3)), (run.CurrentStep, run.CompletedAt));
        Assert.Equal(3, run.StepsDone.Count);

        // Starting a completed playbook again changes nothing.
        var (again, started) = await _service.StartAsync(_playbook, "lead_1", default);
        Assert.Equal((false, run.ETag), (started, again.ETag));
        Assert.Empty(await OpenAsync());
    }

    [Fact]
    public async Task A_repeated_advance_or_one_for_a_past_step_moves_the_run_once()
    {
        await _playbooks.AddAsync(_playbook, default);
        await _service.StartAsync(_playbook, "lead_1", default);
        var demo = await DecideAsync(Assert.Single(await OpenAsync()), RecommendationStatuses.Done);

        await _service.AdvanceAsync(demo, default);
        await _service.AdvanceAsync(demo, default);

        var run = (await _playbooks.GetRunAsync("acme", "lead_1", "pb_1", default))!;
        Assert.Equal((1, 1), (run.CurrentStep, run.StepsDone.Count));
        Assert.Equal(RecommendationKinds.SendProposal, Assert.Single(await OpenAsync()).Kind);
    }

    [Fact]
    public async Task A_planner_recommendation_advances_nothing()
    {
        var call = Recommendation.Create("acme", "lead_1", RecommendationKinds.Call, "hot", 80, "Hot", Now);

        Assert.Null(await _service.AdvanceAsync(call with { Status = RecommendationStatuses.Done }, default));
    }
}
