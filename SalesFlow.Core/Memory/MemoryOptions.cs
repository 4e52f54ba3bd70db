using System.ComponentModel.DataAnnotations;

namespace SalesFlow.Core.Memory;

/// <summary>The three memory layers' knobs (section <c>Memory</c>).</summary>
public sealed class MemoryOptions
{
    public const string Section = "Memory";

    /// <summary>How many of the newest messages (all channels) the brain sees verbatim; older ones reach it through the summary and recall.</summary>
    [Range(1, 200, ErrorMessage = "Memory:HotWindow must be between 1 and 200.")]
    public int HotWindow { get; set; } = 20;

    /// <summary>Tokens the whole prompt may take (system prompt, key facts, summary, recalls, newest messages).</summary>
    [Range(500, 200_000, ErrorMessage = "Memory:TokenBudget must be between 500 and 200000.")]
    public int TokenBudget { get; set; } = 6000;

    /// <summary>How many older messages or summaries semantic recall adds at most.</summary>
    [Range(0, 50, ErrorMessage = "Memory:RecallTop must be between 0 and 50.")]
    public int RecallTop { get; set; } = 5;

    /// <summary>Cosine similarity below which a recall is noise rather than memory (tuned on the hashed embedder).</summary>
    public const float RecallFloor = 0.2f;

    /// <summary>Tokens kept back from the budget for the brain's own system prompt and instructions (the LLM brain's is about 700).</summary>
    public const int PromptReserve = 1000;
}
