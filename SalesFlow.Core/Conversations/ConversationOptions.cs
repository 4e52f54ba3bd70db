using System.ComponentModel.DataAnnotations;

namespace SalesFlow.Core.Conversations;

public sealed class ConversationOptions
{
    public const string Section = "Conversation";

    /// <summary>How long to wait for more messages of a burst before answering them all at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Conversation:BurstWindow must be between 0 and 60 seconds.")]
    public TimeSpan BurstWindow { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>How sure the brain must be (0 … 1) before its suggested next state is taken over the rules' transition.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Conversation:SuggestionConfidence must be between 0 and 1.")]
    public double SuggestionConfidence { get; set; } = 0.7;
}
