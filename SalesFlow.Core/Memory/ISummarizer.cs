using SalesFlow.Core.Qualification;

namespace SalesFlow.Core.Memory;

/// <summary>A message leaving the hot window, with the sales stage the conversation was in when it was written.</summary>
public sealed record SummarizedMessage(long Seq, bool FromLead, string Text, string Stage, DateTimeOffset At);

/// <param name="Previous">The summary so far (empty for the first one); the new one extends it.</param>
public sealed record SummaryInput(string Previous, IReadOnlyList<SummarizedMessage> Messages, LeadProfile? Profile);

/// <summary>Folds messages that left the hot window into the rolling summary.</summary>
public interface ISummarizer
{
    Task<string> SummarizeAsync(SummaryInput input, CancellationToken ct);
}
