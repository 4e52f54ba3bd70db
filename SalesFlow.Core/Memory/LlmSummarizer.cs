using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace SalesFlow.Core.Memory;

/// <summary>
/// Summarises with the chat model when one is configured; any failure (timeout, budget, empty answer) falls back to
/// the rules summarizer, so a refresh never leaves messages unsummarised because the model was down.
/// </summary>
public sealed class LlmSummarizer(IChatClient chat, RulesSummarizer rules, ILogger<LlmSummarizer> logger) : ISummarizer
{
    private const int MaxOutputTokens = 400;

    public async Task<string> SummarizeAsync(SummaryInput input, CancellationToken ct)
    {
        try
        {
            var response = await chat.GetResponseAsync(BuildMessages(input), new ChatOptions { MaxOutputTokens = MaxOutputTokens, Temperature = 0 }, ct);
            var text = response.Text?.Trim();
            if (!string.IsNullOrEmpty(text))
            {
                return text.Length <= RulesSummarizer.MaxChars * 2 ? text : text[..(RulesSummarizer.MaxChars * 2)];
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "LLM summary failed; using the rules summary");
        }

        return await rules.SummarizeAsync(input, ct);
    }

    internal static List<ChatMessage> BuildMessages(SummaryInput input)
    {
        var user = new StringBuilder();
        if (input.Previous.Length > 0)
        {
            user.AppendLine("Summary so far:").AppendLine(input.Previous).AppendLine();
        }

        user.AppendLine("New messages (oldest first):");
        foreach (var m in input.Messages)
        {
            user.AppendLine($"[{m.Stage}] {(m.FromLead ? "Lead" : "Us")}: {m.Text.Trim()}");
        }

        return
        [
            new(ChatRole.System, "You keep a sales rep's notes on a lead. Update the summary with the new messages: the lead's needs, objections and open questions, per sales stage, as short bullet lines. Keep facts, drop small talk, never invent. At most 200 words."),
            new(ChatRole.User, user.ToString()),
        ];
    }
}
