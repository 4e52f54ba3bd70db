using Microsoft.Extensions.Logging;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Core.Conversations;

/// <summary>
/// The client's knowledge for one reply as "[sourceId] text" lines: the passages the reply may draw on and the
/// compliance filter checks figures against. They are found for the lead's questions when it asks any (a long e-mail's
/// greeting, story and signature drowned its question, and nothing was found), and those in the lead's language come
/// first (a German lead asking about Salesforce was answered from the English FAQ, which scored a little higher than its
/// German twin). A failing index never blocks a reply.
/// </summary>
public sealed class TurnKnowledge(IKnowledgeRetriever knowledge, ILogger<TurnKnowledge> logger)
{
    private const int Passages = 3;

    /// <param name="language">The reply's language, whose passages come first; null keeps the index's order (a compliance check, which reads them all).</param>
    public async Task<IReadOnlyList<string>> ForAsync(string clientId, string leadText, string? language, CancellationToken ct)
    {
        try
        {
            var context = await knowledge.RetrieveAsync(clientId, QuestionsIn(leadText), Passages, ct);
            return context.Passages
                .OrderBy(p => language is null || LanguageDetector.Detect(LeadText.Parse(p.Text)) == language ? 0 : 1)
                .Select(p => $"[{p.SourceId}] {p.Text}")
                .ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Knowledge retrieval failed; the reply is written without it");
            return [];
        }
    }

    /// <summary>The sentences that end in a question mark, else the whole text.</summary>
    internal static string QuestionsIn(string text)
    {
        var questions = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            // A full stop inside a word ("z.B.", "gmail.com", "2.5") ends no sentence.
            if (text[i] is '?' or '\n' || (text[i] is '.' or '!' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1]))))
            {
                if (text[i] == '?' && text[start..(i + 1)].Trim() is { Length: > 1 } question)
                {
                    questions.Add(question);
                }

                start = i + 1;
            }
        }

        return questions.Count == 0 ? text : string.Join(' ', questions);
    }
}
