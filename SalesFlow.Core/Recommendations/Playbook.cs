namespace SalesFlow.Core.Recommendations;

/// <summary>One step of a playbook: a recommendation of <see cref="Action"/> (a kind), due that many days after the step begins.</summary>
public sealed record PlaybookStep(string Name, string Action, int? DueAfterDays);

/// <summary>A client's sequence of steps (e.g. demo → proposal → negotiation) a rep runs a lead through.</summary>
public sealed record Playbook(string Id, string ClientId, string Name, IReadOnlyList<PlaybookStep> Steps, DateTimeOffset CreatedAt);

/// <summary>How far one lead is in one playbook; one run per (lead, playbook).</summary>
/// <param name="CurrentStep">Index of the open step; equals the step count once completed.</param>
/// <param name="StepsDone">When each finished step was marked done or accepted, in order.</param>
public sealed record PlaybookRun
{
    public required string ClientId { get; init; }
    public required string LeadId { get; init; }
    public required string PlaybookId { get; init; }
    public int CurrentStep { get; init; }
    public IReadOnlyList<DateTimeOffset> StepsDone { get; init; } = [];
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string ETag { get; init; } = "";

    /// <summary>The recommendation trigger of a step: one per (run, step), so a repeated start or advance finds it.</summary>
    public static string StepTrigger(string playbookId, int step) => $"playbook:{playbookId}:{step}";
}

/// <summary>Playbooks and their runs, each scoped to one client.</summary>
public interface IPlaybookStore
{
    Task AddAsync(Playbook playbook, CancellationToken ct);

    Task<Playbook?> GetAsync(string clientId, string playbookId, CancellationToken ct);

    /// <summary>The client's playbooks, oldest first (a client has a handful).</summary>
    Task<IReadOnlyList<Playbook>> ListAsync(string clientId, CancellationToken ct);

    Task<PlaybookRun?> GetRunAsync(string clientId, string leadId, string playbookId, CancellationToken ct);

    Task<IReadOnlyList<PlaybookRun>> ListRunsAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>Creates the run when its ETag is empty, else replaces it at that ETag; a lost race is a <see cref="Common.ConcurrencyException"/>.</summary>
    Task<PlaybookRun> SaveRunAsync(PlaybookRun run, CancellationToken ct);
}
