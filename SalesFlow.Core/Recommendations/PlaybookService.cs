using SalesFlow.Core.Common;

namespace SalesFlow.Core.Recommendations;

/// <summary>
/// Runs leads through a client's playbooks: the open step of a run is an open recommendation (source "playbook");
/// marking it done or accepted advances the run and opens the next step's, and the last one completes the run. Every
/// write is found again by a repeat: the run is one per (lead, playbook), each step's recommendation has a
/// deterministic id, and the next step's recommendation is written before the run moves on.
/// </summary>
public sealed class PlaybookService(IPlaybookStore playbooks, IRecommendationStore recommendations, TimeProvider clock)
{
    /// <summary>A step's priority: a rep chose this sequence, so it ranks with the planner's stronger advice.</summary>
    public const int StepPriority = 65;

    /// <summary>A step stays open this long after it is due: a run must not stall because a rep was on holiday.</summary>
    public static readonly TimeSpan StepLifetime = TimeSpan.FromDays(90);

    private const int MaxAttempts = 5;

    /// <summary>Starts the run (or returns the one already started) and makes sure its open step has its recommendation.</summary>
    public async Task<(PlaybookRun Run, bool Started)> StartAsync(Playbook playbook, string leadId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            var run = await playbooks.GetRunAsync(playbook.ClientId, leadId, playbook.Id, ct);
            var started = run is null;
            try
            {
                run ??= await playbooks.SaveRunAsync(new PlaybookRun { ClientId = playbook.ClientId, LeadId = leadId, PlaybookId = playbook.Id, StartedAt = now }, ct);
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                continue; // started by a concurrent call: take that run
            }

            if (run.CompletedAt is null)
            {
                await recommendations.AddAsync(StepRecommendation(playbook, leadId, run.CurrentStep, now), ct);
            }

            return (run, started);
        }
    }

    /// <summary>
    /// A step's recommendation was marked done or accepted: the run moves past it. A repeat (or a step the run is
    /// already past) changes nothing.
    /// </summary>
    public async Task<PlaybookRun?> AdvanceAsync(Recommendation step, CancellationToken ct)
    {
        if (step is not { Source: RecommendationSources.Playbook, PlaybookId: { } playbookId, PlaybookStep: { } index })
        {
            return null;
        }

        var playbook = await playbooks.GetAsync(step.ClientId, playbookId, ct);
        if (playbook is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            var run = await playbooks.GetRunAsync(step.ClientId, step.LeadId, playbookId, ct);
            if (run is null || run.CompletedAt is not null || run.CurrentStep != index)
            {
                return run;
            }

            var next = index + 1;
            if (next < playbook.Steps.Count)
            {
                // Before the run moves: a crash in between leaves a run that a repeat advances, never one without its open step.
                await recommendations.AddAsync(StepRecommendation(playbook, step.LeadId, next, now), ct);
            }

            try
            {
                return await playbooks.SaveRunAsync(run with
                {
                    CurrentStep = next,
                    StepsDone = [.. run.StepsDone, now],
                    CompletedAt = next >= playbook.Steps.Count ? now : null,
                }, ct);
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    public static Recommendation StepRecommendation(Playbook playbook, string leadId, int index, DateTimeOffset now)
    {
        var step = playbook.Steps[index];
        var due = step.DueAfterDays is { } days ? now.AddDays(days) : now;
        return Recommendation.Create(
            playbook.ClientId,
            leadId,
            step.Action,
            PlaybookRun.StepTrigger(playbook.Id, index),
            StepPriority,
            $"Playbook \"{playbook.Name}\", step {index + 1} of {playbook.Steps.Count}: {step.Name}.",
            now,
            due,
            RecommendationSources.Playbook) with { PlaybookId = playbook.Id, PlaybookStep = index, ExpiresAt = due + StepLifetime };
    }
}
