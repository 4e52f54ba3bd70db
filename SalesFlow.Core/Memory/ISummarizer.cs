using SalesFlow.Core.Qualification;

namespace SalesFlow.Core.Memory;

/// <summary>A message leaving the hot window, with the sales stage the conversation was in when it was written.</summary>
public sealed record SummarizedMessage(long Seq, bool FromLead, string Text, string Stage, DateTimeOffset At);

/// <param name="Previous">The summary so far (empty for the first one); the new one extends it.</param>
/// <param name="ClientId">The tenant (model choice, budget and usage accounting of a model summary).</param>
/// <param name="LeadId">The lead the summary is of (usage accounting).</param>
public sealed record SummaryInput(string Previous, IReadOnlyList<SummarizedMessage> Messages, LeadProfile? Profile, string? ClientId = null, string? LeadId = null);

/// <summary>Folds messages that left the hot window into the rolling summary.</summary>
public interface ISummarizer
{
    Task<string> SummarizeAsync(SummaryInput input, CancellationToken ct);
}
