namespace SalesFlow.Core.Brain.Rules;

/// <summary>
/// The answer the rules brain takes from the best knowledge passage: an FAQ's answer, or a
/// document's first sentences, cut at a sentence to fit. Knowledge lines arrive as "[sourceId] text".
/// </summary>
internal static class KnowledgeAnswer
{
    public static string? From(IReadOnlyList<string>? knowledge, int maxChars)
    {
        if (knowledge is not { Count: > 0 } || string.IsNullOrWhiteSpace(knowledge[0]))
        {
            return null;
        }

        var text = knowledge[0].Trim();
        if (text.StartsWith('[') && text.IndexOf("] ", StringComparison.Ordinal) is var close and > 0)
        {
            text = text[(close + 2)..];
        }

        var answerAt = text.LastIndexOf("A: ", StringComparison.Ordinal);
        if (answerAt >= 0)
        {
            text = text[(answerAt + 3)..];
        }

        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length == 0 ? null : ReplyText.FitToLength(text, maxChars);
    }
}
